"""import_data feedback: 类型, 单位 (may be empty), 提交时间, 内容 — all rows or none."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from govhall.feedback.choices import FeedbackChannel, FeedbackKind, FeedbackStatus
from govhall.feedback.models import Feedback
from govhall.feedback.selectors import complaint_counts, overdue_feedback
from tests.feedback.conftest import at

GOOD = (
    "类型,单位,提交时间,内容\n"
    "投诉,公安局,2016-11-08 10:20,出入境窗口中午无人\n"
    "留言,,2016-11-09 15:00,建议增加座椅\n"
    "留言,住建局,2016-10-30 09:00,房产证多久能办好？\n"
)


def write(tmp_path: Path, text: str, name: str = "feedback.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_data", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_imported_complaints_and_messages_count_in_their_month_and_owe_nothing(tmp_path, hall):
    # when
    out = run("feedback", str(write(tmp_path, GOOD)), "--center", hall.a.name)
    # then
    assert "3" in out
    complaint = Feedback.objects.get(kind=FeedbackKind.COMPLAINT)
    assert complaint.submitted_at == at(2016, 11, 8, 10, 20)
    assert (complaint.unit, complaint.named_unit) == (hall.x, hall.x)
    assert complaint.status == FeedbackStatus.ARCHIVED
    assert complaint.channel == FeedbackChannel.IMPORT
    assert Feedback.objects.get(content="建议增加座椅").unit is None
    counts = complaint_counts(center=hall.a, month=dt.date(2016, 11, 1))
    assert (counts["complaints"], counts["messages"], counts["archived"]) == (1, 1, 2)
    assert overdue_feedback(center=hall.a, on=dt.date(2017, 6, 1)) == []


def test_importing_the_same_file_twice_adds_nothing(tmp_path, hall):
    path = write(tmp_path, GOOD)
    run("feedback", str(path), "--center", hall.a.name)
    run("feedback", str(path), "--center", hall.a.name)
    assert Feedback.objects.count() == 3


def test_an_xlsx_file_imports_the_same(tmp_path, hall):
    workbook = Workbook()
    workbook.active.append(["类型", "单位", "提交时间", "内容"])
    workbook.active.append(["投诉", "公安局", dt.datetime(2016, 11, 8, 10, 20), "窗口无人"])  # noqa: DTZ001
    path = tmp_path / "feedback.xlsx"
    workbook.save(path)
    run("feedback", str(path), "--center", hall.a.name)
    assert Feedback.objects.get().submitted_at == at(2016, 11, 8, 10, 20)


def test_a_file_with_bad_rows_is_refused_whole_naming_each_row_and_column(tmp_path, hall):
    bad = GOOD + (
        "表扬,公安局,2016-11-08 10:20,很好\n"
        "投诉,不存在局,2016-11-08 10:20,投诉内容\n"
        "留言,,2016/11/08,留言内容\n"
        "留言,,2016-11-08 10:20,\n"
    )
    err = StringIO()
    with pytest.raises(CommandError, match="4"):
        call_command(
            "import_data", "feedback", str(write(tmp_path, bad)), "--center", hall.a.name,
            stdout=StringIO(), stderr=err,
        )  # fmt: skip
    problems = err.getvalue()
    for row, column in ((5, "类型"), (6, "单位"), (7, "提交时间"), (8, "内容")):
        assert f"{row}" in problems
        assert column in problems
    assert not Feedback.objects.exists()
