"""The working-time engine against a slow, obviously-correct reference, and the known cases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govhall.core.workdays import WorkCalendar
from govhall.core.worktime import (
    DayHours,
    HoursVariant,
    immediate_deadline,
    paused_workdays,
    promised_deadline,
    remaining,
    seasonal_hours,
    working_minutes,
)

WINTER = DayHours(dt.time(8, 30), dt.time(12, 0), dt.time(14, 30), dt.time(17, 30))
SUMMER = DayHours(dt.time(8, 30), dt.time(12, 0), dt.time(15, 0), dt.time(18, 0))
HOURS = seasonal_hours([HoursVariant(5, 1, SUMMER), HoursVariant(10, 1, WINTER)])

# National Day 2016: 10-01..10-07 off, 10-08 and 10-09 (weekend) worked.
NATIONAL_DAY_2016 = {dt.date(2016, 10, d): False for d in range(1, 8)} | {
    dt.date(2016, 10, 8): True,
    dt.date(2016, 10, 9): True,
}
CAL = WorkCalendar(NATIONAL_DAY_2016, {2016})


def test_seasonal_hours_follow_the_variant_in_force():
    assert HOURS(dt.date(2016, 7, 1)) == SUMMER
    assert HOURS(dt.date(2016, 12, 8)) == WINTER
    assert HOURS(dt.date(2017, 2, 1)) == WINTER  # before May, last year's winter hours go on


def test_a_promised_limit_counts_from_the_day_after_acceptance_across_national_day():
    # accepted Friday 2016-09-30: 5 working days are 10-08, 10-09, 10-10, 10-11, 10-12
    due = promised_deadline(
        calendar=CAL, hours=HOURS, accepted_on=dt.date(2016, 9, 30), days=Decimal(5)
    )
    assert due == dt.datetime(2016, 10, 12, 17, 30)


def test_a_half_day_limit_ends_at_noon_of_the_next_working_day():
    due = promised_deadline(
        calendar=CAL, hours=HOURS, accepted_on=dt.date(2016, 9, 30), days=Decimal("0.5")
    )
    assert due == dt.datetime(2016, 10, 8, 12, 0)
    due = promised_deadline(
        calendar=CAL, hours=HOURS, accepted_on=dt.date(2016, 9, 29), days=Decimal("1.5")
    )
    assert due == dt.datetime(2016, 10, 8, 12, 0)


def test_summer_afternoons_close_later():
    due = promised_deadline(
        calendar=CAL, hours=HOURS, accepted_on=dt.date(2016, 6, 1), days=Decimal(1)
    )
    assert due == dt.datetime(2016, 6, 2, 18, 0)


@pytest.mark.parametrize(
    ("accepted_at", "due"),
    [
        (dt.datetime(2016, 12, 8, 10, 0), dt.datetime(2016, 12, 8, 17, 30)),  # during hours: today
        (
            dt.datetime(2016, 12, 8, 17, 45),
            dt.datetime(2016, 12, 9, 17, 30),
        ),  # after closing: next day
        (
            dt.datetime(2016, 10, 1, 9, 0),
            dt.datetime(2016, 10, 8, 17, 30),
        ),  # a holiday: next working day
    ],
)
def test_an_immediate_case_is_due_when_the_hall_closes(accepted_at, due):
    assert immediate_deadline(calendar=CAL, hours=HOURS, accepted_at=accepted_at) == due


def test_remaining_time_is_told_in_working_days_and_hours():
    left = remaining(
        calendar=CAL,
        hours=HOURS,
        now=dt.datetime(2016, 12, 8, 15, 30),
        deadline=dt.datetime(2016, 12, 12, 17, 30),
    )
    assert (left.overdue, left.days, left.hours) == (
        False,
        2,
        2,
    )  # 12-8 2h, 12-9, 12-12 → 2 days + 2 h
    assert str(left) == "剩余2天2小时"
    late = remaining(
        calendar=CAL,
        hours=HOURS,
        now=dt.datetime(2016, 12, 13, 10, 30),
        deadline=dt.datetime(2016, 12, 12, 17, 30),
    )
    assert str(late) == "超期2小时0分"


def test_a_pause_counts_the_working_days_it_stood_still():
    # stopped Friday 09-30, resumed Monday 10-10: 10-08, 10-09 (adjusted) and 09-30 were lost
    assert paused_workdays(calendar=CAL, start=dt.date(2016, 9, 30), end=dt.date(2016, 10, 10)) == 3
    assert paused_workdays(calendar=CAL, start=dt.date(2016, 9, 30), end=dt.date(2016, 9, 30)) == 0


# --- property tests against a slow reference -------------------------------------------------


def reference_deadline(calendar, hours, accepted_on, days):
    """Walk day by day collecting half-day sessions after the acceptance day."""
    needed = int((days * 2).to_integral_value(rounding="ROUND_CEILING"))
    day = accepted_on
    while True:
        day += dt.timedelta(days=1)
        weekend = day.weekday() >= 5
        override = calendar.override(day)
        working = override if override is not None else not weekend
        if not working:
            continue
        for end in (hours(day).morning_end, hours(day).afternoon_end):
            needed -= 1
            if needed == 0:
                return dt.datetime.combine(day, end)


def reference_minutes(calendar, hours, start, end):
    total = 0
    t = start
    while t < end:
        d = t.date()
        h = hours(d)
        in_session = any(
            dt.datetime.combine(d, s) <= t < dt.datetime.combine(d, e) for s, e in h.sessions()
        )
        if in_session and calendar.is_workday(d):
            total += 1
        t += dt.timedelta(minutes=1)
    return total


overrides = st.dictionaries(
    st.dates(min_value=dt.date(2016, 1, 1), max_value=dt.date(2017, 6, 30)),
    st.booleans(),
    max_size=40,
)
halves = st.integers(min_value=1, max_value=60).map(lambda n: Decimal(n) / 2)


@given(
    overrides=overrides,
    accepted_on=st.dates(min_value=dt.date(2016, 1, 1), max_value=dt.date(2016, 12, 31)),
    days=halves,
)
@settings(max_examples=300, deadline=None)
def test_deadline_matches_the_day_by_day_reference(overrides, accepted_on, days):
    calendar = WorkCalendar(overrides, set())
    assert promised_deadline(
        calendar=calendar, hours=HOURS, accepted_on=accepted_on, days=days
    ) == reference_deadline(calendar, HOURS, accepted_on, days)


@given(
    overrides=overrides,
    accepted_on=st.dates(min_value=dt.date(2016, 1, 1), max_value=dt.date(2016, 12, 31)),
    days=halves,
    pause=st.integers(min_value=0, max_value=15),
)
@settings(max_examples=200, deadline=None)
def test_a_pause_pushes_the_deadline_back_by_exactly_its_working_days(
    overrides, accepted_on, days, pause
):
    calendar = WorkCalendar(overrides, set())
    base = promised_deadline(calendar=calendar, hours=HOURS, accepted_on=accepted_on, days=days)
    later = promised_deadline(
        calendar=calendar, hours=HOURS, accepted_on=accepted_on, days=days + pause
    )
    assert later.date() == calendar.add(base.date(), pause)
    assert (later.hour < 13) == (base.hour < 13)  # a half-day limit still ends at noon


@given(
    start=st.datetimes(min_value=dt.datetime(2016, 9, 28), max_value=dt.datetime(2016, 10, 14)),
    span=st.integers(min_value=0, max_value=60 * 24 * 3),
)
@settings(max_examples=60, deadline=None)
def test_working_minutes_match_a_minute_by_minute_count(start, span):
    start = start.replace(second=0, microsecond=0)
    end = start + dt.timedelta(minutes=span)
    assert working_minutes(calendar=CAL, hours=HOURS, start=start, end=end) == reference_minutes(
        CAL, HOURS, start, end
    )
