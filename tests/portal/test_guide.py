"""The expected completion date shown to the public: pure working-day arithmetic."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from govhall.catalog.choices import HandlingType
from govhall.core.workdays import WorkCalendar
from govhall.portal.guide import acceptance_day, days_text, expected_completion

D = dt.date

# The 2016 National Day schedule: 1–7 October off, Saturday 8 and Sunday 9 October worked.
NATIONAL_DAY_2016 = {
    **{D(2016, 10, day): False for day in range(1, 8)},
    D(2016, 10, 8): True,
    D(2016, 10, 9): True,
}


@pytest.fixture
def calendar() -> WorkCalendar:
    return WorkCalendar(NATIONAL_DAY_2016, known_years={2016})


def test_a_promised_item_applied_for_before_national_day_is_done_after_the_holiday(calendar):
    # given Friday 30 September 2016 and an item promised in 5 working days
    # when
    due = expected_completion(calendar, D(2016, 9, 30), HandlingType.PROMISED, Decimal("5"))
    # then the acceptance day is not counted; 8, 9 (adjusted workdays), 10, 11, 12 October are
    assert due == D(2016, 10, 12)


def test_an_application_on_a_weekend_is_accepted_on_monday_and_counted_from_there(calendar):
    # given Saturday 10 December 2016
    saturday = D(2016, 12, 10)
    # when
    due = expected_completion(calendar, saturday, HandlingType.PROMISED, 3)
    # then accepted Monday 12th, due three working days later
    assert acceptance_day(calendar, saturday) == D(2016, 12, 12)
    assert due == D(2016, 12, 15)


def test_a_promised_limit_spanning_a_weekend_skips_it(calendar):
    # given Thursday 8 December 2016
    due = expected_completion(calendar, D(2016, 12, 8), HandlingType.PROMISED, 2)
    # then Friday 9th and Monday 12th
    assert due == D(2016, 12, 12)


def test_an_immediate_item_is_done_on_a_working_day_itself(calendar):
    assert expected_completion(calendar, D(2016, 12, 8), HandlingType.IMMEDIATE, 0) == D(
        2016, 12, 8
    )


def test_an_immediate_item_applied_for_during_the_holiday_is_done_on_the_first_working_day(
    calendar,
):
    # given 3 October 2016, a holiday; the next working day is Saturday 8 October (调休)
    due = expected_completion(calendar, D(2016, 10, 3), HandlingType.IMMEDIATE, Decimal("0"))
    assert due == D(2016, 10, 8)


def test_a_half_day_limit_rounds_up_to_the_next_working_day(calendar):
    due = expected_completion(calendar, D(2016, 12, 9), HandlingType.PROMISED, Decimal("0.5"))
    assert due == D(2016, 12, 12)


def test_a_fractional_limit_rounds_up_to_whole_days(calendar):
    due = expected_completion(calendar, D(2016, 12, 5), HandlingType.PROMISED, Decimal("2.5"))
    assert due == D(2016, 12, 8)


@pytest.mark.parametrize(
    ("days", "text"),
    [(Decimal("10.0"), "10"), (Decimal("0.5"), "0.5"), (Decimal("20"), "20"), (7, "7"), (None, "")],
)
def test_limits_read_as_people_write_them(days, text):
    assert days_text(days) == text
