"""Pure rules behind the public service guide: when a case applied for today would be done.

No ORM here; the views pass in the working-day calendar and the item's limits.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Protocol

from govhall.catalog.choices import HandlingType


class Calendar(Protocol):
    def next_workday(self, day: dt.date) -> dt.date: ...

    def add(self, day: dt.date, n: int) -> dt.date: ...


def acceptance_day(calendar: Calendar, today: dt.date) -> dt.date:
    """The day an application made today is accepted: today, or the next working day."""
    return calendar.next_workday(today)


def expected_completion(
    calendar: Calendar, today: dt.date, handling_type: str, promised_days: Decimal | int
) -> dt.date:
    """The day a case applied for today is done at the latest.

    即办件 are done on the day of acceptance. 承诺件 are due the Nth working day after
    acceptance, the acceptance day itself not counted (行政许可法 第八十二条: limits are counted
    in working days); a half day rounds up to the whole day the public must wait for.
    """
    accepted = acceptance_day(calendar, today)
    if handling_type == HandlingType.IMMEDIATE:
        return accepted
    days = math.ceil(Decimal(promised_days))
    return calendar.add(accepted, max(days, 0))


def days_text(days: Decimal | int | None) -> str:
    """A limit as people write it: 10, 0.5 (never 10.0 or 1E+1)."""
    if days is None:
        return ""
    value = Decimal(days)
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value.normalize():f}"
