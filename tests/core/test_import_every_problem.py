"""An import names every problem of every row in one pass, not only the first of each row."""

from __future__ import annotations

from pathlib import Path

import pytest
import time_machine

from govhall.core.imports import ImportFailed, run_import
from govhall.journal.models import JournalEntry
from govhall.org.models import Staff
from govhall.oversight.models import PatrolSignIn
from govhall.staffing.models import Leave, Outing
from tests.cases.conftest import at


def refusals(hall, tmp_path: Path, kind: str, text: str) -> list[tuple[int | None, str | None]]:
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFailed) as failed:
        run_import(kind=kind, path=path, center=hall.a)
    return [(p.row, p.column) for p in failed.value.problems]


def test_a_staff_row_with_three_faults_is_refused_for_all_three(hall, tmp_path):
    # given row 2: unknown unit, unknown role, bad phone; row 3: fine but the window is unknown
    text = "姓名,单位,窗口,角色,手机\n王新,不存在局,,科长,12345\n李新,公安局,没有的窗口,工作人员,\n"
    # when
    problems = refusals(hall, tmp_path, "staff", text)
    # then
    assert problems == [(2, "单位"), (2, "角色"), (2, "手机"), (3, "窗口")]
    assert not Staff.objects.filter(name__in=["王新", "李新"]).exists()


def test_a_journal_row_names_its_kind_date_and_unit_at_once(hall, tmp_path):
    text = "类型,日期,单位,姓名,内容\n巡视,2016-13-01,不存在局,某人,内容\n"
    assert refusals(hall, tmp_path, "journal", text) == [(2, "类型"), (2, "日期"), (2, "单位")]
    assert not JournalEntry.objects.exists()


def test_a_leave_row_names_every_bad_column(hall, tmp_path):
    text = "姓名,请假类型,开始日期,结束日期,状态\n无此人,旅游,2016-12-0x,2016-12-02,作废\n"
    assert refusals(hall, tmp_path, "leaves", text) == [
        (2, "姓名"),
        (2, "请假类型"),
        (2, "开始日期"),
        (2, "状态"),
    ]
    assert not Leave.objects.exists()


def test_an_outing_back_before_it_went_out_is_named_beside_the_unknown_person(hall, tmp_path):
    text = "姓名,外出时间,返回时间,事由\n无此人,2016-12-08 10:00,2016-12-08 09:00,送材料\n"
    assert refusals(hall, tmp_path, "outings", text) == [(2, "姓名"), (2, "返回时间")]
    assert not Outing.objects.exists()


def test_an_attendance_row_names_a_bad_time_and_a_bad_kind(hall, tmp_path):
    text = "姓名,时间,类型\n钱办事,昨天,午休\n"
    with time_machine.travel(at(2016, 12, 9, 9, 0)):
        problems = refusals(hall, tmp_path, "attendance", text)
    assert problems == [(2, "时间"), (2, "类型")]


def test_a_patrol_row_names_an_unknown_unit_beside_a_bad_time(hall, tmp_path):
    text = "单位,领导姓名,签到时间\n不存在局,张局长,昨天上午\n"
    assert refusals(hall, tmp_path, "patrols", text) == [(2, "单位"), (2, "签到时间")]
    assert not PatrolSignIn.objects.exists()
