"""Fuzzing every import kind: valid rows mixed with garbage cells (Chinese, blanks, huge numbers,
impossible dates, spreadsheet formulas, control characters).

Whatever the file holds, `run_import` either imports it or raises ImportFailed naming the row and
the column of each problem — never another exception — and a refused file writes no row of any
model (all or nothing, DESIGN.md §4).
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govhall.core.imports import KINDS, ImportFailed, run_import
from govhall.oversight import services as oversight
from tests.catalog.builders import publish_item
from tests.security.test_role_matrix import changed, row_counts

# One valid row per kind, naming the hall fixture's units, windows, staff and item P001.
VALID: dict[str, dict[str, str]] = {
    "units": {"单位": "公安局", "窗口": "户政窗口", "楼层": "2"},
    "staff": {
        "姓名": "周新人",
        "单位": "公安局",
        "窗口": "出入境窗口",
        "角色": "工作人员",
        "B角": "钱办事",
        "手机": "13900001111",
    },  # fmt: skip
    "items": {
        "事项编码": "P900",
        "事项名称": "户口迁移",
        "单位": "公安局",
        "事项类型": "行政许可",
        "办件类型": "承诺件",
        "法定时限": "20",
        "承诺时限": "10",
        "收费标准": "免费",
    },  # fmt: skip
    "cases": {
        "受理编号": "B001",
        "事项编码": "P001",
        "申请人": "王建华",
        "联系电话": "13900001234",
        "受理人": "钱办事",
        "受理时间": "2016-12-01 09:30",
        "办结时间": "2016-12-08 10:00",
        "状态": "已办结",
    },  # fmt: skip
    "consultations": {
        "单位": "公安局",
        "受理人": "钱办事",
        "咨询时间": "2016-12-08 09:10",
        "人次": "2",
        "内容": "护照办理流程",
    },  # fmt: skip
    "leaves": {
        "姓名": "钱办事",
        "请假类型": "事假",
        "开始日期": "2016-12-05",
        "结束日期": "2016-12-06",
        "状态": "已批准",
    },  # fmt: skip
    "outings": {
        "姓名": "钱办事",
        "外出时间": "2016-12-07 09:30",
        "返回时间": "2016-12-07 11:00",
        "事由": "送审材料",
    },  # fmt: skip
    "attendance": {"姓名": "钱办事", "时间": "2016-12-08 08:21"},
    "patrols": {"单位": "公安局", "领导姓名": "王分管", "签到时间": "2016-12-13 09:00"},
    "journal": {
        "类型": "好人好事",
        "日期": "2016-12-14",
        "单位": "公安局",
        "姓名": "钱办事",
        "内容": "为群众义务复印材料。",
    },  # fmt: skip
    "feedback": {
        "类型": "留言",
        "单位": "公安局",
        "提交时间": "2016-12-11 10:00",
        "内容": "建议增加停车位，方便办事群众。",
    },  # fmt: skip
}

GARBAGE = [
    "",
    "   ",
    "\t",
    "=cmd|' /C calc'!A0",
    "+SUM(A1:A9)",
    '@HYPERLINK("http://x")',
    "-1",
    "0",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "3.5",
    "２０",
    "2016-02-30",
    "2016-13-01 25:61",
    "2016/12/01",
    "0000-00-00 00:00",
    "9999-12-31 23:59",
    "1900-01-01",
    "十二月一日",
    "中华人民共和国" * 40,
    "无此单位",
    "<script>alert(1)</script>",
    "'; DROP TABLE org_unit; --",
    "None",
    "a\u200bb",
    "a\x00b",  # NUL: PostgreSQL text cannot store it
    "𠀀𠀁",
]
# Optional columns a kind needs one of (attendance: 工号 or 姓名).
ALWAYS = {"attendance": ["姓名"]}
cells = st.one_of(st.sampled_from(GARBAGE), st.text(max_size=30))


@pytest.fixture
def fuzz_hall(hall: Any) -> Any:
    """The hall with item P001 at unit X and unit X's supervising leader."""
    publish_item(hall.a, hall.x, code="P001", name="普通护照签发")
    oversight.unit_leader_create(by=None, unit=hall.x, name="王分管", title="副局长")
    return hall


def write_csv(directory: Path, headers: list[str], rows: list[dict[str, str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    path = directory / "import.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@st.composite
def files(draw: Any, kind: str) -> tuple[list[str], list[dict[str, str]]]:
    """Headers (required, some optional) and 1–4 rows: valid ones, some with garbage cells."""
    spec = KINDS[kind]
    always = ALWAYS.get(kind, [])
    optional = [c for c in spec.optional if c in VALID[kind] and c not in always]
    headers = [*spec.required, *always]
    if optional:
        headers += draw(st.lists(st.sampled_from(optional), unique=True))
    rows = []
    for _ in range(draw(st.integers(1, 4))):
        row = {h: VALID[kind].get(h, "") for h in headers}
        for column in draw(st.lists(st.sampled_from(headers), unique=True, max_size=3)):
            row[column] = draw(cells)
        rows.append(row)
    return headers, rows


def check_import(hall: Any, kind: str, headers: list[str], rows: list[dict[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as directory, transaction.atomic():
        path = write_csv(Path(directory), headers, rows)
        before = row_counts()
        problems = []
        try:
            run_import(kind=kind, path=path, center=hall.a)
        except ImportFailed as refused:
            problems = refused.problems
            # then nothing was written, and every problem names its row and column
            assert changed(before, row_counts()) == {}, problems
        for problem in problems:
            assert problem.row is not None, problem
            assert 2 <= problem.row <= len(rows) + 1, problem
            assert problem.column in headers, problem
        transaction.set_rollback(True)  # the next example starts from the same hall


def test_every_import_kind_is_fuzzed() -> None:
    assert set(KINDS) == set(VALID), "add a valid row for the new import kind to VALID"


@pytest.mark.parametrize("kind", sorted(VALID))
def test_the_valid_rows_import(fuzz_hall: Any, kind: str, tmp_path: Path) -> None:
    # the baseline the fuzzing mutates is itself accepted
    headers = list(VALID[kind])
    result = run_import(
        kind=kind, path=write_csv(tmp_path, headers, [VALID[kind]]), center=fuzz_hall.a
    )
    assert result.rows == 1


@pytest.mark.parametrize("kind", sorted(VALID))
def test_garbage_rows_are_refused_by_row_and_column_or_imported_whole(
    fuzz_hall: Any, kind: str
) -> None:
    @settings(
        max_examples=25,
        derandomize=True,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(table=files(kind))
    def run(table: tuple[list[str], list[dict[str, str]]]) -> None:
        check_import(fuzz_hall, kind, *table)

    run()


def test_a_nul_character_is_refused_by_row_and_column(fuzz_hall: Any, tmp_path: Path) -> None:
    # given a cell holding NUL, which PostgreSQL text cannot store
    row = {**VALID["feedback"], "内容": "建议\x00增加停车位"}
    path = write_csv(tmp_path, list(row), [row])
    # when / then
    with pytest.raises(ImportFailed) as refused:
        run_import(kind="feedback", path=path, center=fuzz_hall.a)
    assert [(p.row, p.column) for p in refused.value.problems] == [(2, "内容")]
