"""The warning rule (DESIGN.md §4), pure: a calendar in, a level out, no database.

For an open promised case on day D: red when D is after the deadline; yellow when the
deadline is D or falls within the next `yellow_days` working days after D. Counting working
days (not calendar days) means a case due on the first working day after a holiday is
already yellow on the last working day before it.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from govhall.core.workdays import WorkCalendar

Level = Literal["red", "yellow"]

RED: Level = "red"
YELLOW: Level = "yellow"


def warning_level(
    *, due_date: dt.date, on: dt.date, calendar: WorkCalendar, yellow_days: int = 1
) -> Level | None:
    """The warning a case due on `due_date` deserves on day `on`, or None."""
    if yellow_days < 0:
        raise ValueError("yellow_days must not be negative")
    if on > due_date:
        return RED
    if on == due_date:
        return YELLOW
    # Working days strictly after `on`, up to and including the deadline.
    ahead = calendar.between(on + dt.timedelta(days=1), due_date)
    return YELLOW if ahead <= yellow_days else None


def last_yellow_date(*, on: dt.date, calendar: WorkCalendar, yellow_days: int = 1) -> dt.date:
    """The latest deadline that is yellow (or red) on day `on`: the day before the
    (yellow_days + 1)-th working day after `on`. Every warned case is due on or before it."""
    if yellow_days < 0:
        raise ValueError("yellow_days must not be negative")
    return calendar.add(on, yellow_days + 1) - dt.timedelta(days=1)
