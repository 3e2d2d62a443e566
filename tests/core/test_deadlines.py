"""The warning rule: yellow on and just before the deadline, red after it, in working days."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govhall.core.calendar import get_calendar
from govhall.core.deadlines import last_yellow_date, warning_level
from govhall.core.workdays import WorkCalendar

D = dt.date


@pytest.fixture
def calendar(db):
    """The official schedule seeded from chinesecalendar (2016: National Day 10-01..07 off,
    Saturday 10-08 and Sunday 10-09 worked)."""
    return get_calendar()


@pytest.mark.parametrize(
    ("due", "on", "level"),
    [
        (D(2016, 9, 30), D(2016, 9, 28), None),
        (D(2016, 9, 30), D(2016, 9, 29), "yellow"),
        (D(2016, 9, 30), D(2016, 9, 30), "yellow"),
        (D(2016, 9, 30), D(2016, 10, 1), "red"),
        (D(2016, 9, 30), D(2016, 10, 8), "red"),
        (D(2016, 10, 8), D(2016, 9, 29), None),
        # 10-01..10-07 are holidays: 10-08 is the next working day after 09-30
        (D(2016, 10, 8), D(2016, 9, 30), "yellow"),
        (D(2016, 10, 8), D(2016, 10, 5), "yellow"),
        (D(2016, 10, 8), D(2016, 10, 8), "yellow"),
        (D(2016, 10, 8), D(2016, 10, 9), "red"),
        (D(2016, 10, 10), D(2016, 10, 9), "yellow"),
        (D(2016, 10, 10), D(2016, 10, 8), None),  # Sunday 10-09 is a working day in between
    ],
)
def test_warning_levels_around_national_day_2016(calendar, due, on, level):
    assert warning_level(due_date=due, on=on, calendar=calendar) == level


def test_a_wider_threshold_warns_earlier(calendar):
    due = D(2016, 12, 12)  # Monday
    assert warning_level(due_date=due, on=D(2016, 12, 8), calendar=calendar) is None
    assert (
        warning_level(due_date=due, on=D(2016, 12, 8), calendar=calendar, yellow_days=2) == "yellow"
    )
    assert warning_level(due_date=due, on=D(2016, 12, 9), calendar=calendar, yellow_days=0) is None
    assert warning_level(due_date=due, on=due, calendar=calendar, yellow_days=0) == "yellow"


def test_a_negative_threshold_is_refused(calendar):
    with pytest.raises(ValueError, match="yellow_days"):
        warning_level(
            due_date=D(2016, 12, 12), on=D(2016, 12, 1), calendar=calendar, yellow_days=-1
        )


def test_the_last_yellow_date_bounds_the_warned_deadlines_across_a_holiday(calendar):
    # From 09-30 the next two working days are 10-08 and 10-09: deadlines up to 10-08 are warned.
    assert last_yellow_date(on=D(2016, 9, 30), calendar=calendar) == D(2016, 10, 8)
    assert last_yellow_date(on=D(2016, 12, 9), calendar=calendar) == D(2016, 12, 12)


# --- against a slow reference on random calendars ---------------------------------------------

WINDOW_START, WINDOW_END = D(2016, 1, 1), D(2017, 12, 31)
dates = st.dates(min_value=D(2016, 2, 1), max_value=D(2017, 10, 31))
calendars = st.dictionaries(
    st.dates(min_value=WINDOW_START, max_value=WINDOW_END), st.booleans(), max_size=80
).map(lambda overrides: WorkCalendar(overrides, [2016, 2017]))


def reference_level(*, due_date, on, is_workday, yellow_days):
    """Walk day by day: red after the deadline; yellow if at most `yellow_days` working days
    lie after `on` up to and including the deadline."""
    if on > due_date:
        return "red"
    ahead, day = 0, on
    while day < due_date:
        day += dt.timedelta(days=1)
        ahead += is_workday(day)
    return "yellow" if ahead <= yellow_days else None


@settings(max_examples=150, deadline=None)
@given(calendar=calendars, due=dates, on=dates, yellow_days=st.integers(0, 5))
def test_the_rule_matches_a_day_by_day_reference(calendar, due, on, yellow_days):
    expected = reference_level(
        due_date=due, on=on, is_workday=calendar.is_workday, yellow_days=yellow_days
    )
    assert (
        warning_level(due_date=due, on=on, calendar=calendar, yellow_days=yellow_days) == expected
    )


@settings(max_examples=150, deadline=None)
@given(calendar=calendars, due=dates, on=dates, yellow_days=st.integers(0, 5))
def test_exactly_the_deadlines_up_to_the_last_yellow_date_are_warned(
    calendar, due, on, yellow_days
):
    cutoff = last_yellow_date(on=on, calendar=calendar, yellow_days=yellow_days)
    warned = warning_level(due_date=due, on=on, calendar=calendar, yellow_days=yellow_days)
    assert (warned is not None) == (due <= cutoff)
