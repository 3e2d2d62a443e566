"""Vacancies (空岗): recorded each working day, idempotently, and shown by unit and month."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from govhall.core.models import AuditEntry
from govhall.staffing import selectors, services
from govhall.staffing.models import Leave, Vacancy
from tests.staffing.conftest import approved, at

DAY = dt.date(2016, 12, 8)


@pytest.fixture(autouse=True)
def _evening():
    with time_machine.travel(at(2016, 12, 8, 20, 0), tick=False):
        yield


@pytest.fixture
def clerk_on_leave_chief_absent(hall, posts):
    """钱办事 on leave on 12月8日; 赵首席, his backup, never clocks in; unit Y at work."""
    approved(hall.x_clerk, "2016-12-08")
    services.attendance_punches_import(
        by=None,
        center=hall.a,
        punches=[(hall.y_clerk, at(2016, 12, 8, 8, 20), "clock_in")],
    )


def test_a_post_is_vacant_when_holder_and_backup_are_both_away_without_cover(
    hall, clerk_on_leave_chief_absent
):
    (vacancy,) = services.vacancies_record(center=hall.a, date=DAY)
    assert (vacancy.unit, vacancy.window, vacancy.half) == (hall.x, hall.x_window, "whole")
    assert vacancy.minutes == 390
    assert "钱办事" in vacancy.reason
    assert "赵首席" in vacancy.reason
    assert selectors.vacancy_counts(center=hall.a, month=DAY) == {hall.x.pk: 1}


def test_recording_the_same_day_again_changes_nothing(hall, clerk_on_leave_chief_absent):
    first = services.vacancies_record(center=hall.a, date=DAY)
    entries = AuditEntry.objects.filter(action="vacancy.record").count()
    again = services.vacancies_record(center=hall.a, date=DAY)
    assert [v.pk for v in again] == [v.pk for v in first]
    assert Vacancy.objects.count() == 1
    assert AuditEntry.objects.filter(action="vacancy.record").count() == entries


def test_a_named_cover_means_no_vacancy_and_a_later_run_removes_the_record(
    hall, clerk_on_leave_chief_absent
):
    services.vacancies_record(center=hall.a, date=DAY)
    Leave.objects.update(cover=hall.y_clerk)
    assert services.vacancies_record(center=hall.a, date=DAY) == []
    assert not Vacancy.objects.exists()


def test_no_vacancy_on_a_day_off_or_when_someone_is_there(hall, posts):
    approved(hall.x_clerk, "2016-12-08")
    services.attendance_punches_import(
        by=None, center=hall.a, punches=[(hall.x_chief, at(2016, 12, 8, 8, 20), "clock_in")]
    )
    assert services.vacancies_record(center=hall.a, date=DAY) == []
    assert services.vacancies_record(center=hall.a, date=dt.date(2016, 12, 10)) == []


def test_the_command_records_a_day_for_every_center(hall, clerk_on_leave_chief_absent):
    out = StringIO()
    call_command("record_vacancies", "--date", "2016-12-08", stdout=out)
    assert "甲政务服务中心 2016-12-08: 1" in out.getvalue()
    assert "乙政务服务中心 2016-12-08: 0" in out.getvalue()
    call_command(
        "record_vacancies", "--date", "2016-12-08", "--center", "甲政务服务中心", stdout=out
    )
    assert Vacancy.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("record_vacancies", "--date", "2016-13-01")


def test_the_office_sees_vacancies_by_unit_and_month_and_others_only_theirs(
    login, hall, clerk_on_leave_chief_absent
):
    services.vacancies_record(center=hall.a, date=DAY)
    page = login("office_a").get("/staffing/vacancies/?month=2016-12")
    assert page.status_code == 200
    summary = {row.unit.name: row.count for row in page.context["summary"]}
    assert summary == {"公安局": 1, "住建局": 0}
    assert page.context["page"].paginator.count == 1
    assert (
        login("leader_y").get("/staffing/vacancies/?month=2016-12").context["page"].paginator.count
        == 0
    )
    assert (
        login("office_b").get("/staffing/vacancies/?month=2016-12").context["page"].paginator.count
        == 0
    )
    assert login("clerk_x").get("/staffing/vacancies/").status_code == 403


def test_no_vacancy_is_recorded_for_a_window_opened_after_the_day(
    hall, clerk_on_leave_chief_absent
):
    # given the window of unit X opened only the day after
    hall.x_window.created_on = DAY + dt.timedelta(days=1)
    hall.x_window.save()
    # when the day is recorded
    found = services.vacancies_record(center=hall.a, date=DAY)
    # then nobody's post was empty: the window did not exist yet
    assert found == []


def test_the_months_vacancies_leave_out_days_before_the_unit_came_to_the_hall(
    hall, clerk_on_leave_chief_absent
):
    # given a vacancy recorded on 12月8日 for unit X
    services.vacancies_record(center=hall.a, date=DAY)
    assert selectors.vacancy_counts(center=hall.a, month=DAY) == {hall.x.pk: 1}
    # when the unit turns out to have come to the hall on 12月9日
    hall.x.created_on = DAY + dt.timedelta(days=1)
    hall.x.save()
    # then the month's figures do not count it
    assert selectors.vacancy_counts(center=hall.a, month=DAY) == {}
