"""The pure working-day arithmetic, against the official schedule and a slow reference."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govhall.core.workdays import FIRST_DATE, LAST_DATE, WorkCalendar, is_weekday

D = dt.date


@pytest.fixture(scope="module")
def official() -> WorkCalendar:
    overrides = {day: False for day in chinese_calendar.holidays}
    overrides.update({day: True for day in chinese_calendar.workdays})
    return WorkCalendar(overrides, set(range(2004, 2027)))


# --- the official schedule --------------------------------------------------------------------


def test_five_working_days_after_the_eve_of_national_day_2016_is_october_12(official):
    # given the last working day before the 2016 National Day holiday
    start = D(2016, 9, 30)
    # when five working days are added
    result = official.add(start, 5)
    # then the week off is skipped and the adjusted weekend (8th, 9th) counts
    assert result == D(2016, 10, 12)


def test_the_weekend_after_national_day_2016_is_worked(official):
    # given the adjusted workdays of National Day 2016
    saturday, sunday = D(2016, 10, 8), D(2016, 10, 9)
    # when / then
    assert official.is_workday(saturday)
    assert official.is_workday(sunday)
    assert not any(official.is_workday(D(2016, 10, day)) for day in range(1, 8))


def test_spring_festival_2017_is_off_and_its_adjusted_weekends_are_worked(official):
    # given the Spring Festival week of 2017
    week = [D(2017, 1, 27) + dt.timedelta(days=i) for i in range(7)]
    # when / then
    assert not any(official.is_workday(day) for day in week)
    assert official.is_workday(D(2017, 1, 22))  # Sunday
    assert official.is_workday(D(2017, 2, 4))  # Saturday
    assert official.between(D(2017, 1, 22), D(2017, 2, 4)) == 7


def test_qingming_2017_saturday_before_is_worked_and_three_days_are_off(official):
    # given the Qingming holiday of 2017
    saturday = D(2017, 4, 1)
    # when / then
    assert official.is_workday(saturday)
    assert not any(official.is_workday(D(2017, 4, day)) for day in (2, 3, 4))
    assert official.next_workday(D(2017, 4, 2)) == D(2017, 4, 5)
    assert official.previous_workday(D(2017, 4, 4)) == D(2017, 4, 1)


def test_a_year_the_schedule_does_not_know_falls_back_to_monday_to_friday(official):
    # given 2027, which the package does not cover
    new_years_day = D(2027, 1, 1)  # a Friday
    # when / then
    assert not official.is_known(2027)
    assert official.is_known(2016)
    assert official.is_workday(new_years_day)
    assert official.add(new_years_day, 1) == D(2027, 1, 4)
    assert official.between(D(2027, 1, 1), D(2027, 1, 31)) == 21


def test_an_override_in_an_unknown_year_is_honoured():
    # given an office that entered only New Year's Day 2027
    calendar = WorkCalendar({D(2027, 1, 1): False}, known_years=set())
    # when / then
    assert not calendar.is_workday(D(2027, 1, 1))
    assert calendar.add(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert calendar.override(D(2027, 1, 1)) is False
    assert calendar.override(D(2027, 1, 4)) is None


# --- edges ---------------------------------------------------------------------------------


def test_adding_zero_days_gives_the_same_day_even_on_a_holiday(official):
    # given a holiday
    day = D(2016, 10, 3)
    # when / then
    assert official.add(day, 0) == day


def test_adding_a_negative_number_of_days_is_refused(official):
    # given / when / then
    with pytest.raises(ValueError, match="negative"):
        official.add(D(2016, 10, 3), -1)


def test_a_span_that_ends_before_it_starts_has_no_working_days(official):
    # given / when / then
    assert official.between(D(2016, 10, 12), D(2016, 10, 11)) == 0


def test_a_date_outside_2000_to_2099_is_refused_with_the_range(official):
    # given dates just outside the calendar
    # when / then
    with pytest.raises(ValueError, match="2000-01-01 to 2099-12-31"):
        official.is_workday(D(1999, 12, 31))
    with pytest.raises(ValueError, match="outside"):
        official.add(D(2100, 1, 1), 1)
    with pytest.raises(ValueError, match="outside"):
        official.between(D(2016, 1, 1), D(2100, 1, 1))


def test_adding_past_the_end_of_the_calendar_is_refused(official):
    # given the last working day of the calendar
    last = official.previous_workday(LAST_DATE)
    # when / then
    assert official.add(last, 0) == last
    with pytest.raises(ValueError, match="beyond 2099-12-31"):
        official.add(last, 1)


def test_there_is_no_working_day_before_the_first_one():
    # given a calendar whose first day is a Saturday
    calendar = WorkCalendar({}, set())
    # when / then
    assert calendar.next_workday(FIRST_DATE) == D(2000, 1, 3)
    with pytest.raises(ValueError, match="no working day"):
        calendar.previous_workday(D(2000, 1, 2))


def test_an_override_outside_the_calendar_is_refused():
    # given / when / then
    with pytest.raises(ValueError, match="outside"):
        WorkCalendar({D(2100, 1, 1): True}, set())


# --- properties against a slow reference ------------------------------------------------------

WINDOW_START, WINDOW_END = D(2020, 1, 1), D(2023, 12, 31)

days = st.dates(min_value=WINDOW_START, max_value=WINDOW_END)
overrides = st.dictionaries(days, st.booleans(), max_size=120)
counts = st.integers(min_value=0, max_value=300)


def ref_is_workday(table: dict[dt.date, bool], day: dt.date) -> bool:
    return table.get(day, is_weekday(day))


def ref_add(table: dict[dt.date, bool], day: dt.date, n: int) -> dt.date:
    found = 0
    while found < n:
        day += dt.timedelta(days=1)
        found += ref_is_workday(table, day)
    return day


def ref_between(table: dict[dt.date, bool], first: dt.date, last: dt.date) -> int:
    total = 0
    while first <= last:
        total += ref_is_workday(table, first)
        first += dt.timedelta(days=1)
    return total


@settings(max_examples=150, deadline=None)
@given(table=overrides, day=days, n=counts)
def test_add_agrees_with_counting_day_by_day(table, day, n):
    # given a calendar with random corrections
    calendar = WorkCalendar(table, set())
    # when
    result = calendar.add(day, n)
    # then
    assert result == ref_add(table, day, n)
    assert calendar.is_workday(day) == ref_is_workday(table, day)


@settings(max_examples=150, deadline=None)
@given(table=overrides, first=days, last=days)
def test_between_agrees_with_counting_day_by_day(table, first, last):
    # given a calendar with random corrections
    calendar = WorkCalendar(table, set())
    # when
    count = calendar.between(first, last)
    # then
    assert count == ref_between(table, first, last)


@settings(max_examples=150, deadline=None)
@given(table=overrides, day=days, n=counts)
def test_between_a_day_and_n_working_days_later_counts_n_plus_the_day_itself(table, day, n):
    # given a calendar with random corrections
    calendar = WorkCalendar(table, set())
    # when
    later = calendar.add(day, n)
    # then
    assert calendar.between(day, later) == n + calendar.is_workday(day)
    if n > 0:
        assert calendar.is_workday(later)
        assert calendar.previous_workday(later) == later
        assert calendar.between(day + dt.timedelta(days=1), later - dt.timedelta(days=1)) == n - 1


@settings(max_examples=150, deadline=None)
@given(table=overrides, day=days)
def test_next_and_previous_workday_are_the_nearest_working_days(table, day):
    # given a calendar with random corrections
    calendar = WorkCalendar(table, set())
    # when
    after, before = calendar.next_workday(day), calendar.previous_workday(day)
    # then
    if ref_is_workday(table, day):
        assert after == before == day
    else:
        assert after == calendar.add(day, 1)
        assert calendar.between(before, after) == 2
    assert ref_is_workday(table, after)
    assert ref_is_workday(table, before)


@settings(max_examples=100, deadline=None)
@given(table=overrides, a=days, b=days, c=days)
def test_counts_of_adjacent_spans_add_up(table, a, b, c):
    # given three ordered days
    first, middle, last = sorted((a, b, c))
    calendar = WorkCalendar(table, set())
    # when
    left = calendar.between(first, middle)
    right = calendar.between(middle + dt.timedelta(days=1), last)
    # then
    assert left + right == calendar.between(first, last)
