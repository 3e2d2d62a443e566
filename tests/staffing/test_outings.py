"""Outings (外出办事登记): registering, the cover rule, returns, the flag, imports, the count."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine

from govhall.core.errors import DomainError, NotAllowed
from govhall.core.imports import ImportFailed, run_import
from govhall.staffing import selectors, services
from govhall.staffing.models import Outing
from tests.factories import StaffFactory
from tests.staffing.conftest import approved, at


def go_out(hall, who="clerk_x", staff=None, **kwargs):
    return services.outing_register(
        by=hall.user(who), staff=staff or hall.x_clerk, reason=kwargs.pop("reason", "送材料"),
        **kwargs,
    )  # fmt: skip


def test_a_clerk_registers_an_outing_and_the_return(hall):
    with time_machine.travel(at(2016, 12, 8, 9, 30), tick=False):
        outing = go_out(hall)
    assert (outing.out_date, outing.source, outing.back_at) == (dt.date(2016, 12, 8), "self", None)
    with time_machine.travel(at(2016, 12, 8, 9, 40), tick=False), pytest.raises(DomainError):
        go_out(hall)  # still out
    with time_machine.travel(at(2016, 12, 8, 11, 0), tick=False):
        outing = services.outing_return(by=hall.user("clerk_x"), outing=outing)
    assert outing.back_at == at(2016, 12, 8, 11, 0)
    assert not selectors.is_flagged(outing, dt.date(2016, 12, 9))


def test_an_outing_needs_a_reason_and_only_the_office_registers_for_others(hall):
    with time_machine.travel(at(2016, 12, 8, 9, 30), tick=False):
        with pytest.raises(DomainError) as refused:
            go_out(hall, reason=" ")
        assert refused.value.field == "reason"
        with pytest.raises(NotAllowed):
            go_out(hall, staff=hall.x_chief)
        assert go_out(hall, who="office_a", staff=hall.y_clerk).source == "office"


def test_an_outing_that_empties_the_post_is_refused_without_a_named_cover(hall, posts):
    approved(hall.x_chief, "2016-12-08")  # the backup is on leave today
    with time_machine.travel(at(2016, 12, 8, 9, 30), tick=False):
        with pytest.raises(DomainError, match="赵首席") as refused:
            go_out(hall)
        assert refused.value.field == "cover"
        assert not Outing.objects.exists()
        cover = StaffFactory(window=hall.x_window, name="周替岗")
        outing = go_out(hall, cover=cover)
    assert outing.cover == cover


def test_an_outing_covered_by_another_units_staff_is_refused_naming_the_field(hall, posts):
    # given 公安局 has people of its own to cover 钱办事's post
    approved(hall.x_chief, "2016-12-08")
    # when 孙房产 of 住建局 is named
    with (
        time_machine.travel(at(2016, 12, 8, 9, 30), tick=False),
        pytest.raises(DomainError) as refused,
    ):
        go_out(hall, cover=hall.y_clerk)
    # then
    assert refused.value.field == "cover"
    assert "公安局" in refused.value.message
    assert not Outing.objects.exists()


def test_an_outing_while_the_backup_is_absent_without_a_punch_needs_cover(hall, posts):
    with time_machine.travel(at(2016, 12, 8, 10, 0), tick=False):
        # the hall records attendance today, and the chief (the backup) has not clocked in
        services.attendance_punches_import(
            by=None, center=hall.a, punches=[(hall.y_clerk, at(2016, 12, 8, 8, 25), "clock_in")]
        )
        with pytest.raises(DomainError) as refused:
            go_out(hall)
        assert refused.value.field == "cover"
        services.attendance_punches_import(
            by=None, center=hall.a, punches=[(hall.x_chief, at(2016, 12, 8, 8, 20), "clock_in")]
        )
        assert go_out(hall).cover is None


def test_an_outing_not_closed_by_the_end_of_its_day_is_flagged(hall):
    with time_machine.travel(at(2016, 12, 8, 15, 0), tick=False):
        open_one = go_out(hall)
        late = go_out(hall, who="office_a", staff=hall.y_clerk)
    with time_machine.travel(at(2016, 12, 9, 9, 0), tick=False):
        services.outing_return(by=hall.user("office_a"), outing=late)
        flagged = set(
            selectors.outing_list(user=hall.user("office_a"), center=hall.a, flagged=True)
        )
    assert flagged == {open_one, Outing.objects.get(pk=late.pk)}
    assert selectors.is_flagged(open_one, dt.date(2016, 12, 9))
    assert not selectors.is_flagged(open_one, dt.date(2016, 12, 8))


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "outings.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_outings_are_imported_as_they_were_and_counted_by_month(hall, tmp_path):
    path = write(
        tmp_path,
        "姓名,外出时间,返回时间,事由\n钱办事,2016-12-07 09:30,2016-12-07 11:00,送审材料\n"
        "孙房产,2016-12-13 14:40,,现场核查\n钱办事,2016-11-30 10:00,2016-11-30 11:00,开会\n",
    )
    assert run_import(kind="outings", path=path, center=hall.a).created == 3
    assert selectors.outing_count(center=hall.a, month=dt.date(2016, 12, 1)) == 2
    assert selectors.outing_count(center=hall.b, month=dt.date(2016, 12, 1)) == 0
    assert run_import(kind="outings", path=path, center=hall.a).created == 0


def test_an_outings_file_with_bad_rows_imports_nothing(hall, tmp_path):
    path = write(
        tmp_path,
        "姓名,外出时间,返回时间,事由\n钱办事,2016-12-07 09:30,2016-12-07 11:00,送审材料\n"
        "钱办事,2016-12-08 09:30,2016-12-08 09:00,回来早于出去\n"
        "无此人,2016-12-08 09:30,,事由\n孙房产,12月8日,,事由\n",
    )
    with pytest.raises(ImportFailed) as failed:
        run_import(kind="outings", path=path, center=hall.a)
    assert [(p.row, p.column) for p in failed.value.problems] == [
        (3, "返回时间"),
        (4, "姓名"),
        (5, "外出时间"),
    ]
    assert not Outing.objects.exists()


def test_the_outings_page_lists_the_centers_outings_and_registers_a_return(login, hall):
    with time_machine.travel(at(2016, 12, 8, 15, 0), tick=False):
        outing = go_out(hall)
        client = login("office_a")
        page = client.get("/staffing/outings/?month=2016-12")
        assert "钱办事" in page.content.decode()
    with time_machine.travel(at(2016, 12, 8, 16, 0), tick=False):
        client.post(f"/staffing/outings/{outing.pk}/return/")
    assert Outing.objects.get().back_at is not None
    assert (
        login("office_b").get("/staffing/outings/?month=2016-12").context["page"].paginator.count
        == 0
    )
