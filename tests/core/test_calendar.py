"""The calendar kept in the database: the seeded schedule, the cache, warnings and services."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
import time_machine
from django.apps import apps as django_apps
from django.utils import timezone

from govhall.core.calendar import (
    calendar_day_remove,
    calendar_day_set,
    calendar_warnings,
    calendar_year_list,
    calendar_year_mark_complete,
    get_calendar,
)
from govhall.core.choices import CalendarSource
from govhall.core.errors import DomainError, NotAllowed
from govhall.core.models import AuditEntry, CalendarDay, CalendarYear

D = dt.date
SHANGHAI = dt.timezone(dt.timedelta(hours=8))

pytestmark = pytest.mark.django_db

seed_migration = importlib.import_module("govhall.core.migrations.0002_seed_calendar")


# --- the seeded schedule --------------------------------------------------------------------


def test_the_seeded_calendar_puts_october_12_five_working_days_after_september_30_2016():
    # given the schedule seeded from chinesecalendar
    calendar = get_calendar()
    # when
    result = calendar.add(D(2016, 9, 30), 5)
    # then
    assert result == D(2016, 10, 12)


def test_the_seed_names_holidays_and_adjusted_workdays_in_chinese():
    # given / when
    national_day = CalendarDay.objects.get(date=D(2016, 10, 3))
    adjusted = CalendarDay.objects.get(date=D(2016, 10, 8))
    weekend_holiday = CalendarDay.objects.get(date=D(2016, 10, 1))
    # then
    assert (national_day.name, national_day.is_workday) == ("国庆节", False)
    assert (adjusted.name, adjusted.is_workday) == ("国庆节调休上班", True)
    assert (weekend_holiday.name, weekend_holiday.is_workday) == ("国庆节", False)
    assert adjusted.source == CalendarSource.PACKAGE


def test_the_seed_marks_2004_to_2026_complete_and_nothing_later():
    # given / when
    years = CalendarYear.objects.filter(complete=True, source=CalendarSource.PACKAGE)
    # then
    assert list(years.values_list("year", flat=True)) == list(range(2004, 2027))


def test_spring_festival_and_qingming_2017_come_from_the_seed():
    # given
    calendar = get_calendar()
    # when / then
    assert not any(calendar.is_workday(D(2017, 1, 27) + dt.timedelta(days=i)) for i in range(7))
    assert calendar.is_workday(D(2017, 1, 22))
    assert calendar.is_workday(D(2017, 2, 4))
    assert calendar.is_workday(D(2017, 4, 1))
    assert not any(calendar.is_workday(D(2017, 4, day)) for day in (2, 3, 4))


def test_seeding_again_adds_nothing_and_keeps_the_offices_corrections():
    # given an office correction of a seeded day
    CalendarDay.objects.filter(date=D(2016, 10, 8)).update(
        name="改过", source=CalendarSource.OFFICE
    )
    before = CalendarDay.objects.count()
    # when the seed runs again
    seed_migration.seed(django_apps, None)
    # then
    assert CalendarDay.objects.count() == before
    assert CalendarDay.objects.get(date=D(2016, 10, 8)).name == "改过"
    assert CalendarYear.objects.filter(year=2016).count() == 1


def test_unseeding_removes_the_package_rows_only():
    # given an office entry beside the seeded schedule
    CalendarDay.objects.create(date=D(2027, 1, 1), is_workday=False, name="元旦")
    # when
    seed_migration.unseed(django_apps, None)
    # then
    assert list(CalendarDay.objects.values_list("date", flat=True)) == [D(2027, 1, 1)]
    assert not CalendarYear.objects.filter(source=CalendarSource.PACKAGE).exists()


# --- the cache ---------------------------------------------------------------------------


def test_an_unchanged_calendar_is_served_from_the_cache_with_one_query(
    django_assert_num_queries,
):
    # given a calendar already built
    first = get_calendar()
    # when
    with django_assert_num_queries(1):
        second = get_calendar()
    # then
    assert second is first


def test_a_day_added_behind_the_services_back_is_seen_on_the_next_call():
    # given a calendar already built
    assert get_calendar().is_workday(D(2027, 1, 1))
    # when another process writes a day directly
    CalendarDay.objects.create(date=D(2027, 1, 1), is_workday=False, name="元旦")
    # then
    assert not get_calendar().is_workday(D(2027, 1, 1))


def test_a_year_marked_complete_elsewhere_is_seen_on_the_next_call():
    # given a calendar built before 2027 was entered
    assert not get_calendar().is_known(2027)
    # when another process records the year
    CalendarYear.objects.create(year=2027, complete=True)
    # then
    assert get_calendar().is_known(2027)


# --- a year the package does not know -------------------------------------------------------


def test_the_system_administrator_adding_new_years_day_2027_changes_the_arithmetic(system_admin):
    # given 2027, which falls back to Monday–Friday
    assert get_calendar().add(D(2026, 12, 31), 1) == D(2027, 1, 1)
    # when the system administrator enters New Year's Day
    day = calendar_day_set(by=system_admin, date=D(2027, 1, 1), is_workday=False, name="元旦")
    # then
    assert get_calendar().add(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert day.source == CalendarSource.OFFICE
    year = CalendarYear.objects.get(year=2027)
    assert (year.complete, year.source) == (False, CalendarSource.OFFICE)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 6, 1), []),
        (D(2026, 10, 31), []),
        (D(2026, 11, 1), [2027]),
        (D(2026, 12, 31), [2027]),
        (D(2027, 3, 1), [2027]),
        (D(2016, 12, 1), []),
    ],
)
def test_warnings_list_years_without_a_complete_schedule(today, expected):
    # given the seeded schedule (2004–2026)
    # when
    warnings = calendar_warnings(today)
    # then
    assert warnings == expected


def test_warnings_stop_once_the_system_administrator_marks_2027_complete(system_admin):
    # given a warning about 2027 in November 2026
    assert calendar_warnings(D(2026, 11, 2)) == [2027]
    # when
    calendar_year_mark_complete(by=system_admin, year=2027)
    # then
    assert calendar_warnings(D(2026, 11, 2)) == []
    assert get_calendar().is_known(2027)


def test_warnings_default_to_todays_date_in_shanghai():
    # given 2026-10-31 17:00 UTC, already 2026-11-01 in Shanghai
    with time_machine.travel(dt.datetime(2026, 10, 31, 17, 0, tzinfo=dt.UTC), tick=False):
        assert timezone.localdate() == D(2026, 11, 1)
        # when
        warnings = calendar_warnings()
    # then
    assert warnings == [2027]


def test_warnings_in_june_2026_are_empty_by_default():
    # given
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI), tick=False):
        # when
        warnings = calendar_warnings()
    # then
    assert warnings == []


# --- services: rules -------------------------------------------------------------------------


def test_setting_a_weekday_as_a_working_day_without_a_name_is_refused(system_admin):
    # given Monday 2027-01-04, a working day under Monday–Friday
    # when / then
    with pytest.raises(DomainError) as refused:
        calendar_day_set(by=system_admin, date=D(2027, 1, 4), is_workday=True)
    assert refused.value.field == "is_workday"
    assert "2027年1月4日" in refused.value.message
    assert not CalendarDay.objects.filter(date=D(2027, 1, 4)).exists()


def test_a_weekend_holiday_may_be_entered_for_its_name(system_admin):
    # given Saturday 2027-10-02
    # when
    day = calendar_day_set(by=system_admin, date=D(2027, 10, 2), is_workday=False, name="国庆节")
    # then
    assert CalendarDay.objects.get(pk=day.pk).name == "国庆节"
    assert not get_calendar().is_workday(D(2027, 10, 2))


def test_changing_a_seeded_day_records_it_as_entered_by_hand(system_admin):
    # given the seeded adjusted workday 2016-10-08
    # when the system administrator turns it into a day off
    calendar_day_set(by=system_admin, date=D(2016, 10, 8), is_workday=False, name="国庆节")
    # then
    day = CalendarDay.objects.get(date=D(2016, 10, 8))
    assert (day.is_workday, day.source) == (False, CalendarSource.OFFICE)
    assert get_calendar().add(D(2016, 9, 30), 5) == D(2016, 10, 13)
    entry = AuditEntry.objects.get(action="calendar.day_set")
    assert entry.before["is_workday"] is True
    assert entry.after["is_workday"] is False


def test_a_date_outside_the_calendar_is_refused_naming_the_date(system_admin):
    # given / when / then
    with pytest.raises(DomainError) as refused:
        calendar_day_set(by=system_admin, date=D(2100, 1, 1), is_workday=False, name="元旦")
    assert refused.value.field == "date"


def test_a_name_longer_than_60_characters_is_refused(system_admin):
    # given / when / then
    with pytest.raises(DomainError) as refused:
        calendar_day_set(by=system_admin, date=D(2027, 1, 1), is_workday=False, name="节" * 61)
    assert refused.value.field == "name"


def test_each_change_bumps_the_years_revision(system_admin):
    # given 2016's revision time
    revised = CalendarYear.objects.get(year=2016).revised_at
    # when
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5)):
        calendar_day_set(by=system_admin, date=D(2016, 10, 10), is_workday=False, name="补假")
    # then
    assert CalendarYear.objects.get(year=2016).revised_at > revised


def test_removing_a_day_restores_monday_to_friday_and_is_audited(system_admin):
    # given an entered holiday
    day = calendar_day_set(by=system_admin, date=D(2027, 1, 1), is_workday=False, name="元旦")
    assert not get_calendar().is_workday(D(2027, 1, 1))
    # when
    calendar_day_remove(by=system_admin, day=day)
    # then
    assert get_calendar().is_workday(D(2027, 1, 1))
    assert not CalendarDay.objects.filter(date=D(2027, 1, 1)).exists()
    entry = AuditEntry.objects.get(action="calendar.day_remove")
    assert (entry.chain, entry.actor_id, entry.after) == (0, system_admin.pk, None)
    assert entry.before["name"] == "元旦"


def test_marking_a_year_not_complete_brings_the_warning_back(system_admin):
    # given the complete year 2026
    # when
    calendar_year_mark_complete(by=system_admin, year=2026, complete=False)
    # then
    assert calendar_warnings(D(2026, 6, 1)) == [2026]
    assert AuditEntry.objects.filter(action="calendar.year_incomplete").count() == 1


def test_marking_a_year_outside_the_calendar_is_refused(system_admin):
    # given / when / then
    with pytest.raises(DomainError) as refused:
        calendar_year_mark_complete(by=system_admin, year=2100)
    assert refused.value.field == "year"


# --- services: permission ------------------------------------------------------------------


def test_a_user_without_calendar_permissions_may_not_change_the_calendar(nobody):
    # given a seeded day
    day = CalendarDay.objects.get(date=D(2016, 10, 3))
    # when / then
    with pytest.raises(NotAllowed):
        calendar_day_set(by=nobody, date=D(2027, 1, 1), is_workday=False, name="元旦")
    with pytest.raises(NotAllowed):
        calendar_day_remove(by=nobody, day=day)
    with pytest.raises(NotAllowed):
        calendar_year_mark_complete(by=nobody, year=2027)
    assert not AuditEntry.objects.exists()
    assert CalendarDay.objects.filter(pk=day.pk).exists()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_a_viewer_may_not_change_the_calendar(calendar_viewer):
    # given / when / then
    with pytest.raises(NotAllowed):
        calendar_day_set(by=calendar_viewer, date=D(2027, 1, 1), is_workday=False, name="元旦")


def test_the_system_administrator_changes_the_national_calendar_and_leaves_a_system_audit_entry(
    system_admin,
):
    # given / when
    day = calendar_day_set(by=system_admin, date=D(2027, 1, 1), is_workday=False, name="元旦")
    # then
    entry = AuditEntry.objects.get(action="calendar.day_set")
    assert (entry.chain, entry.actor_id, entry.object_id) == (0, system_admin.pk, str(day.pk))
    assert entry.before is None
    assert entry.after["name"] == "元旦"


def test_the_system_may_change_the_calendar_without_an_account():
    # given / when
    calendar_day_set(by=None, date=D(2027, 1, 1), is_workday=False, name="元旦")
    # then
    assert AuditEntry.objects.get(action="calendar.day_set").actor_name == "系统"


# --- what the overview reads ---------------------------------------------------------------


def test_the_year_list_shows_recent_years_and_every_entered_year(system_admin):
    # given a national entry for 2027
    calendar_day_set(by=system_admin, date=D(2027, 1, 1), is_workday=False, name="元旦")
    # when
    years = {status.year: status for status in calendar_year_list(around=2026)}
    # then
    assert set(years) == set(range(2004, 2028))
    assert years[2016].status == "complete"
    assert years[2027].status == "partial"
    assert (years[2027].days_off, years[2027].workdays) == (1, 0)
    assert calendar_year_list(around=2030)[0].year == 2031
    assert calendar_year_list(around=2030)[0].status == "missing"
