"""Month arithmetic, once for every app: "YYYY-MM" in, local midnights out."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govhall.core.months import (
    month_bounds,
    month_end,
    month_first_last,
    month_start,
    parse_month,
    quarter_start,
    shift_month,
)

DAYS = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("2016-12", dt.date(2016, 12, 1)),
        ("2016-1", dt.date(2016, 1, 1)),
        (" 2017-02 ", dt.date(2017, 2, 1)),
    ],
)
def test_a_month_is_read_from_yyyy_mm(text, month):
    assert parse_month(text) == month_start(text) == month


@pytest.mark.parametrize(
    "text", ["", "2016", "2016-13", "2016-00", "2016-12-01", "十二月", "12/2016"]
)
def test_a_malformed_month_is_none_when_parsed_and_an_error_when_required(text):
    assert parse_month(text) is None
    with pytest.raises(ValueError, match="values to unpack|invalid literal|must be in"):
        month_start(text)


def test_the_month_runs_from_local_midnight_to_local_midnight():
    start, end = month_bounds("2016-12")
    assert start.isoformat() == "2016-12-01T00:00:00+08:00"
    assert end.isoformat() == "2017-01-01T00:00:00+08:00"
    assert month_bounds(dt.date(2016, 12, 31)) == (start, end)


@given(day=DAYS, delta=st.integers(-240, 240))
def test_shifting_a_month_and_back_lands_on_its_first_day(day, delta):
    shifted = shift_month(day, delta)
    assert shifted.day == 1
    assert (shifted.year - day.year) * 12 + shifted.month - day.month == delta
    assert shift_month(shifted, -delta) == month_start(day)


@given(day=DAYS)
def test_the_last_day_is_the_day_before_the_next_month(day):
    first, last = month_first_last(day)
    assert first == month_start(day) <= day <= last == month_end(day)
    assert last + dt.timedelta(days=1) == shift_month(day, 1)
    assert quarter_start(day) <= first
    assert quarter_start(day).month in (1, 4, 7, 10)
