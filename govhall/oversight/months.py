"""Months and quarters as local date and time ranges (no ORM)."""

from __future__ import annotations

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
    index = month.year * 12 + month.month - 1 + delta
    return dt.date(index // 12, index % 12 + 1, 1)


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def local_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Aware datetimes from the local midnight starting `start` to the one starting `end`."""
    return (
        timezone.make_aware(dt.datetime.combine(start, dt.time.min)),
        timezone.make_aware(dt.datetime.combine(end, dt.time.min)),
    )


def month_bounds(month: dt.date | str) -> tuple[dt.datetime, dt.datetime]:
    start = month_start(month)
    return local_bounds(start, shift_month(start, 1))
