"""The calendar belongs to its center: the national schedule is the system administrator's,
each center's office keeps its own days for its center only (issue 15, point 3)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govhall.core.calendar import (
    calendar_day_remove,
    calendar_day_set,
    calendar_year_list,
    calendar_year_mark_complete,
    get_calendar,
)
from govhall.core.errors import DomainError, NotAllowed
from govhall.core.models import AuditEntry, CalendarDay, CalendarYear
from govhall.core.workdays import WorkCalendar

D = dt.date
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
NATIONAL_DAY = D(2016, 10, 3)  # 国庆节, seeded
LOCAL_CLOSING = D(2016, 12, 5)  # a Monday

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _december_2016():
    with time_machine.travel(dt.datetime(2016, 12, 1, 9, 0, tzinfo=SHANGHAI)):
        yield


@pytest.fixture
def b_override(hall):
    """Center B's own closing day, entered by B's office."""
    return calendar_day_set(
        by=hall.user("office_b"), center=hall.b, date=LOCAL_CLOSING, is_workday=False, name="停电"
    )


# --- the national schedule is the system administrator's -----------------------------------


def test_a_centers_office_may_not_remove_a_national_holiday(hall):
    # given the seeded national holiday 2016-10-03
    day = CalendarDay.objects.get(date=NATIONAL_DAY, center__isnull=True)
    # when / then
    with pytest.raises(NotAllowed):
        calendar_day_remove(by=hall.user("office_a"), day=day)
    assert CalendarDay.objects.filter(pk=day.pk).exists()
    assert not get_calendar(hall.b).is_workday(NATIONAL_DAY)
    assert not AuditEntry.objects.filter(action="calendar.day_remove").exists()


def test_a_centers_office_may_not_change_the_national_schedule(hall):
    # given / when / then
    with pytest.raises(NotAllowed):
        calendar_day_set(by=hall.user("office_a"), date=D(2027, 1, 1), is_workday=False)
    with pytest.raises(NotAllowed):
        calendar_year_mark_complete(by=hall.user("office_a"), year=2027)
    assert not CalendarDay.objects.filter(date=D(2027, 1, 1)).exists()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_calendar_permissions_without_being_system_administrator_change_no_national_day(
    calendar_office,
):
    # given an account holding every calendar permission, but no superuser
    day = CalendarDay.objects.get(date=NATIONAL_DAY, center__isnull=True)
    # when / then
    with pytest.raises(NotAllowed):
        calendar_day_remove(by=calendar_office, day=day)
    assert CalendarDay.objects.filter(pk=day.pk).exists()


def test_the_system_administrator_edits_a_national_day_for_every_center(hall):
    # given / when
    calendar_day_set(by=hall.user("admin"), date=D(2027, 1, 1), is_workday=False, name="元旦")
    # then
    for center in (None, hall.a, hall.b):
        assert get_calendar(center).add(D(2026, 12, 31), 1) == D(2027, 1, 4)
    entry = AuditEntry.objects.get(action="calendar.day_set")
    assert entry.chain == 0


# --- each center's own days ------------------------------------------------------------------


def test_a_local_closing_day_counts_for_its_center_only_and_is_audited_in_its_chain(hall):
    # given a promised limit of 7 working days from 2016-12-01 (due 12-12 nationally)
    assert get_calendar(hall.a).add(D(2016, 12, 1), 7) == D(2016, 12, 12)
    # when A's office closes the hall on Monday 12-05
    day = calendar_day_set(
        by=hall.user("office_a"), center=hall.a, date=LOCAL_CLOSING, is_workday=False, name="停电"
    )
    # then A counts one day more; B and the national schedule do not
    assert get_calendar(hall.a).add(D(2016, 12, 1), 7) == D(2016, 12, 13)
    assert get_calendar(hall.b).add(D(2016, 12, 1), 7) == D(2016, 12, 12)
    assert get_calendar().add(D(2016, 12, 1), 7) == D(2016, 12, 12)
    assert day.center_id == hall.a.pk
    entry = AuditEntry.objects.get(action="calendar.day_set")
    assert (entry.chain, entry.actor_id) == (hall.a.pk, hall.user("office_a").pk)


def test_an_extra_working_saturday_of_a_center_is_a_working_day_there(hall):
    # given / when A works on Saturday 2016-12-10
    calendar_day_set(
        by=hall.user("office_a"), center=hall.a, date=D(2016, 12, 10), is_workday=True, name="加班"
    )
    # then
    assert get_calendar(hall.a).is_workday(D(2016, 12, 10))
    assert not get_calendar(hall.b).is_workday(D(2016, 12, 10))


def test_a_center_may_open_on_a_national_holiday_without_changing_it_for_others(hall):
    # given / when A opens on 2016-10-03
    calendar_day_set(by=hall.user("office_a"), center=hall.a, date=NATIONAL_DAY, is_workday=True)
    # then
    assert get_calendar(hall.a).is_workday(NATIONAL_DAY)
    assert not get_calendar(hall.b).is_workday(NATIONAL_DAY)
    assert CalendarDay.objects.get(date=NATIONAL_DAY, center__isnull=True).is_workday is False


def test_an_override_that_repeats_the_national_schedule_is_refused_naming_the_kind(hall):
    # given 2016-10-03, already a national holiday
    # when / then
    with pytest.raises(DomainError) as refused:
        calendar_day_set(
            by=hall.user("office_a"), center=hall.a, date=NATIONAL_DAY, is_workday=False
        )
    assert refused.value.field == "is_workday"
    assert "2016年10月3日" in refused.value.message
    assert not CalendarDay.objects.filter(center=hall.a).exists()


def test_an_office_may_not_enter_a_day_for_another_center(hall):
    # given / when / then
    with pytest.raises(NotAllowed):
        calendar_day_set(
            by=hall.user("office_a"), center=hall.b, date=LOCAL_CLOSING, is_workday=False
        )
    assert not CalendarDay.objects.filter(center=hall.b).exists()


def test_window_staff_may_not_enter_a_day_for_their_center(hall):
    # given / when / then
    with pytest.raises(NotAllowed):
        calendar_day_set(
            by=hall.user("clerk_x"), center=hall.a, date=LOCAL_CLOSING, is_workday=False
        )


def test_an_office_may_not_remove_another_centers_day(hall, b_override):
    # given B's own closing day
    # when / then
    with pytest.raises(NotAllowed):
        calendar_day_remove(by=hall.user("office_a"), day=b_override)
    assert CalendarDay.objects.filter(pk=b_override.pk).exists()
    assert not get_calendar(hall.b).is_workday(LOCAL_CLOSING)


def test_removing_its_own_day_restores_the_national_schedule_for_that_center(hall, b_override):
    # given / when
    calendar_day_remove(by=hall.user("office_b"), day=b_override)
    # then
    assert get_calendar(hall.b).is_workday(LOCAL_CLOSING)
    entry = AuditEntry.objects.get(action="calendar.day_remove")
    assert entry.chain == hall.b.pk


def test_the_year_list_counts_the_centers_own_days_apart_from_the_national_ones(hall, b_override):
    # given / when
    for_b = {status.year: status for status in calendar_year_list(around=2016, center=hall.b)}
    for_a = {status.year: status for status in calendar_year_list(around=2016, center=hall.a)}
    national = {status.year: status for status in calendar_year_list(around=2016)}
    # then
    assert for_b[2016].local_days == 1
    assert for_a[2016].local_days == 0
    assert for_b[2016].days_off == for_a[2016].days_off == national[2016].days_off


# --- the cache -----------------------------------------------------------------------------


def test_a_centers_unchanged_calendar_is_served_from_the_cache_with_one_query(
    hall, b_override, django_assert_num_queries
):
    # given B's calendar already built
    first = get_calendar(hall.b)
    # when
    with django_assert_num_queries(1):
        second = get_calendar(hall.b)
    # then
    assert second is first


def test_another_centers_change_leaves_a_centers_cached_calendar_in_place(hall):
    # given A's calendar already built
    first = get_calendar(hall.a)
    # when B's office enters a day
    calendar_day_set(by=hall.user("office_b"), center=hall.b, date=LOCAL_CLOSING, is_workday=False)
    # then
    assert get_calendar(hall.a) is first


def test_a_centers_day_changed_by_another_process_is_seen_on_the_next_call(hall, b_override):
    # given B's calendar built with its closing day
    assert not get_calendar(hall.b).is_workday(LOCAL_CLOSING)
    # when another process turns the day into a working day in place (same time, same count)
    day = CalendarDay.objects.get(pk=b_override.pk)
    day.is_workday = True
    day.save()
    # then
    assert get_calendar(hall.b).is_workday(LOCAL_CLOSING)


# --- pages ---------------------------------------------------------------------------------


def test_the_office_cannot_remove_a_national_day_from_the_page(login):
    # given the seeded national holiday
    client = login("office_a")
    day = CalendarDay.objects.get(date=NATIONAL_DAY, center__isnull=True)
    url = reverse("calendar:day_remove", args=[day.pk])
    # when
    asked, posted = client.get(url), client.post(url)
    # then
    assert asked.status_code == 403
    assert posted.status_code == 403
    assert CalendarDay.objects.filter(pk=day.pk).exists()


def test_the_office_cannot_remove_another_centers_day_from_the_page(login, b_override):
    # given B's closing day
    client = login("office_a")
    url = reverse("calendar:day_remove", args=[b_override.pk])
    # when
    asked, posted = client.get(url), client.post(url)
    # then
    assert asked.status_code in {403, 404}
    assert posted.status_code in {403, 404}
    assert CalendarDay.objects.filter(pk=b_override.pk).exists()


def test_the_office_cannot_mark_a_national_year_complete(login):
    # given / when
    response = login("office_a").post(
        reverse("calendar:year_complete", args=[2027]), {"complete": "1"}
    )
    # then
    assert response.status_code == 403
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_the_office_enters_a_local_closing_day_on_the_page_for_its_center(hall, login):
    # given
    client = login("office_a")
    url = reverse("calendar:year", args=[2016])
    # when
    response = client.post(url, {"date": "2016-12-05", "is_workday": "0", "name": "停电"})
    # then
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=LOCAL_CLOSING)
    assert day.center_id == hall.a.pk
    assert get_calendar(hall.b).is_workday(LOCAL_CLOSING)


def test_the_year_page_shows_national_and_own_days_and_offers_to_remove_only_its_own(hall, login):
    # given A's own closing day beside the national schedule, and B's
    calendar_day_set(
        by=hall.user("office_a"), center=hall.a, date=LOCAL_CLOSING, is_workday=False, name="停电"
    )
    calendar_day_set(
        by=hall.user("office_b"), center=hall.b, date=D(2016, 12, 6), is_workday=False, name="乙停"
    )
    # when
    page = login("office_a").get(reverse("calendar:year", args=[2016]))
    # then
    days = {(d["entry"].date, d["local"]): d for d in page.context["days"]}
    own, national = days[(LOCAL_CLOSING, True)], days[(NATIONAL_DAY, False)]
    assert own["remove_url"] == reverse("calendar:day_remove", args=[own["entry"].pk])
    assert national["remove_url"] == ""
    assert D(2016, 12, 6) not in {date for date, _local in days}
    html = page.content.decode()
    assert "停电" in html
    assert "乙停" not in html
    december = page.context["months"][11]
    cells = {cell["day"]: cell for week in december["weeks"] for cell in week if cell}
    assert "day-local" in cells[5]["classes"]
    assert "day-off" in cells[5]["classes"]
    assert cells[6]["classes"] == ""
    assert page.context["can_complete"] is False
    assert "scope" not in page.context["form"].fields


def test_the_system_administrator_chooses_national_or_the_current_centers_schedule(hall, login):
    # given the administrator working in center A
    client = login("admin")
    client.post(reverse("center_switch"), {"center": hall.a.pk})
    url = reverse("calendar:year", args=[2027])
    # when
    client.post(url, {"date": "2027-01-01", "is_workday": "0", "name": "元旦", "scope": "national"})
    client.post(url, {"date": "2027-01-04", "is_workday": "0", "name": "停电", "scope": "center"})
    # then
    national = CalendarDay.objects.get(date=D(2027, 1, 1))
    local = CalendarDay.objects.get(date=D(2027, 1, 4))
    assert national.center_id is None
    assert local.center_id == hall.a.pk
    assert not get_calendar(hall.b).is_workday(D(2027, 1, 1))
    assert get_calendar(hall.b).is_workday(D(2027, 1, 4))


# --- property: no overrides, national arithmetic ---------------------------------------------


DAYS = st.dates(min_value=D(2004, 1, 1), max_value=D(2030, 12, 31))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    others=st.dictionaries(DAYS, st.booleans(), max_size=8),
    start=DAYS,
    n=st.integers(min_value=0, max_value=400),
    span=st.integers(min_value=0, max_value=800),
)
def test_a_center_without_overrides_counts_exactly_like_the_national_schedule(
    hall, others, start, n, span
):
    # given center B's own days (whatever they are) and none for A
    CalendarDay.objects.filter(center__isnull=False).delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(center=hall.b, date=day, is_workday=working) for day, working in others.items()
    )
    national, a = get_calendar(), get_calendar(hall.a)
    # when / then
    assert a.add(start, n) == national.add(start, n)
    last = start + dt.timedelta(days=span)
    assert a.between(start, last) == national.between(start, last)
    assert a.next_workday(start) == national.next_workday(start)
    assert a.is_workday(start) == national.is_workday(start)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(own=st.dictionaries(DAYS, st.booleans(), min_size=1, max_size=8), start=DAYS)
def test_a_centers_calendar_is_the_national_schedule_overlaid_with_its_own_days(hall, own, start):
    # given A's own days
    CalendarDay.objects.filter(center__isnull=False).delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(center=hall.a, date=day, is_workday=working) for day, working in own.items()
    )
    national = dict(
        CalendarDay.objects.filter(center__isnull=True).values_list("date", "is_workday")
    )
    expected = WorkCalendar({**national, **own}, get_calendar().known_years)
    # when
    a = get_calendar(hall.a)
    # then
    assert a.add(start, 30) == expected.add(start, 30)
    assert all(a.is_workday(day) == working for day, working in own.items())
