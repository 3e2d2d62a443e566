"""Months (and quarters) as local dates and as aware datetime ranges: the one place for the
month arithmetic every app's figures, filters and pages use (no ORM)."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt

from django.utils import timezone


def month_start(month: dt.date | str) -> dt.date:
    """The first day of the month of a date, or of a "YYYY-MM" string (ValueError if malformed)."""
    if isinstance(month, str):
        year, number = (int(part) for part in month.strip().split("-"))
        return dt.date(year, number, 1)
    return month.replace(day=1)


def parse_month(value: str) -> dt.date | None:
    """YYYY-MM → the month's first day; None when malformed."""
    try:
        return month_start(value)
    except ValueError:
        return None


def shift_month(month: dt.date, delta: int) -> dt.date:
    """The first day of the month `delta` months after (before, if negative) `month`'s."""
    index = month.year * 12 + month.month - 1 + delta
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(month: dt.date | str) -> dt.date:
    """The last day of the month."""
    first = month_start(month)
    return first.replace(day=month_calendar.monthrange(first.year, first.month)[1])


def month_first_last(month: dt.date | str) -> tuple[dt.date, dt.date]:
    """The first and the last day of the month (for date ranges, both inclusive)."""
    return month_start(month), month_end(month)


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def local_start(day: dt.date) -> dt.datetime:
    """The hall's local midnight starting `day`, as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def local_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Aware datetimes from the local midnight starting `start` to the one starting `end`."""
    return local_start(start), local_start(end)


def month_bounds(month: dt.date | str) -> tuple[dt.datetime, dt.datetime]:
    """The month as an aware [start, end) range in the hall's time (Asia/Shanghai midnights)."""
    first = month_start(month)
    return local_bounds(first, shift_month(first, 1))
