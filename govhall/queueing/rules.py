"""Pure rules of the queue: numbers, ticketing hours, waits. No ORM here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from govhall.core.worktime import DayHours


def ticket_number(code: str, seq: int) -> str:
    """A012: the category's letter and the day's sequence, three digits (more past 999)."""
    return f"{code}{seq:03d}"


def ticketing_hours(
    hours: DayHours, opens: dt.time | None, closes: dt.time | None
) -> tuple[dt.time, dt.time]:
    """The day's ticketing window: the office's times, kept within the hall's hours."""
    start = max(opens, hours.morning_start) if opens else hours.morning_start
    end = min(closes, hours.afternoon_end) if closes else hours.afternoon_end
    return start, end


def in_service(hours: DayHours, moment: dt.time) -> bool:
    """Inside the hall's morning or afternoon session (not the lunch break)."""
    return any(start <= moment < end for start, end in hours.sessions())


def session_start(hours: DayHours, moment: dt.time) -> dt.time | None:
    """The opening of the session `moment` falls in, or None outside both."""
    for start, end in hours.sessions():
        if start <= moment < end:
            return start
    return None


def place_after(places: Sequence[int], own: int, back: int) -> int:
    """过号: the new place of a missed ticket, just behind the `back`-th waiting ticket after it
    (`places` are the other waiting tickets' places in call order); at the end when fewer wait."""
    behind = [p for p in places if p > own]
    if not behind:
        return own
    if back <= 0:
        return own
    target = behind[min(back, len(behind)) - 1]
    return target + 1


def estimated_wait_minutes(ahead: int, windows: int, minutes_per_ticket: float) -> int:
    """People ahead shared among the windows serving them, each taking the usual time."""
    if ahead <= 0:
        return 0
    return max(1, round(ahead * minutes_per_ticket / max(windows, 1)))


def usual_minutes(served: int, average_minutes: float | None, default: float) -> float:
    """The usual time at the window: today's average once five applicants have been served (a
    few early quick ones say little), the office's figure before that; never under a minute."""
    if served < 5 or not average_minutes:
        return float(default)
    return max(float(average_minutes), 1.0)
