"""Working time: one engine for every clock in the hall (cases, steps, supplements, complaints,
rectifications, leave). Pure: it takes a WorkCalendar and the hall's hours, no database.

Time is counted in half-day sessions (morning, afternoon) of working days, because limits are
whole or half working days (承诺时限 may be 0.5). A limit of N days after a day D ends with the
(2N)-th session after D: the day of acceptance itself is not counted (行政许可法 第八十二条), so
a 1-day limit ends when the next working day closes and a half-day limit at its noon.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from govhall.core.workdays import WorkCalendar


@dataclass(frozen=True)
class DayHours:
    """A working day's two sessions (local times)."""

    morning_start: dt.time = dt.time(8, 30)
    morning_end: dt.time = dt.time(12, 0)
    afternoon_start: dt.time = dt.time(14, 30)
    afternoon_end: dt.time = dt.time(17, 30)

    def sessions(self) -> tuple[tuple[dt.time, dt.time], tuple[dt.time, dt.time]]:
        return (self.morning_start, self.morning_end), (self.afternoon_start, self.afternoon_end)

    @property
    def minutes(self) -> int:
        return sum(_minutes(end) - _minutes(start) for start, end in self.sessions())


@dataclass(frozen=True)
class HoursVariant:
    """Hours in force from a month and day each year until the next variant (作息时间)."""

    month: int
    day: int
    hours: DayHours


HoursOf = Callable[[dt.date], DayHours]


def seasonal_hours(variants: Sequence[HoursVariant]) -> HoursOf:
    """The hours of any date: the variant that began most recently, wrapping round the year."""
    ordered = sorted(variants, key=lambda v: (v.month, v.day))
    if not ordered:
        default = DayHours()
        return lambda _day: default

    def hours_of(day: dt.date) -> DayHours:
        current = ordered[-1]  # before the first variant of the year, last year's last applies
        for variant in ordered:
            if (variant.month, variant.day) <= (day.month, day.day):
                current = variant
        return current.hours

    return hours_of


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def sessions_of(days: Decimal) -> int:
    """Half-day sessions in a limit of `days` working days (a part session counts whole)."""
    if days < 0:
        raise ValueError("a limit cannot be negative")
    return int((days * 2).to_integral_value(rounding=ROUND_CEILING))


def session_end(
    *, calendar: WorkCalendar, hours: HoursOf, after: dt.date, sessions: int
) -> dt.datetime:
    """The end (naive local time) of the Nth session after the day `after`; N ≥ 1."""
    if sessions < 1:
        raise ValueError("count at least one session")
    whole_days, half = divmod(sessions, 2)
    if half:
        day = calendar.add(after, whole_days + 1)
        return dt.datetime.combine(day, hours(day).morning_end)
    day = calendar.add(after, whole_days)
    return dt.datetime.combine(day, hours(day).afternoon_end)


def promised_deadline(
    *, calendar: WorkCalendar, hours: HoursOf, accepted_on: dt.date, days: Decimal
) -> dt.datetime:
    """When a promised limit of `days` working days, counted from the day after acceptance, ends."""
    if days <= 0:
        return immediate_deadline(
            calendar=calendar, hours=hours, accepted_at=dt.datetime.combine(accepted_on, dt.time(0))
        )
    return session_end(
        calendar=calendar, hours=hours, after=accepted_on, sessions=sessions_of(days)
    )


def immediate_deadline(
    *, calendar: WorkCalendar, hours: HoursOf, accepted_at: dt.datetime
) -> dt.datetime:
    """即办件: due when the hall closes on the day of acceptance; accepted after closing time or on a
    day off, when it closes on the next working day."""
    day = accepted_at.date()
    if not calendar.is_workday(day) or accepted_at.time() >= hours(day).afternoon_end:
        day = calendar.add(day, 1)
    return dt.datetime.combine(day, hours(day).afternoon_end)


def working_minutes(
    *, calendar: WorkCalendar, hours: HoursOf, start: dt.datetime, end: dt.datetime
) -> int:
    """Minutes of open hall time between two naive local times (0 if end ≤ start)."""
    if end <= start:
        return 0
    total = 0
    day = start.date()
    while day <= end.date():
        if calendar.is_workday(day):
            for s, e in hours(day).sessions():
                lo = max(start, dt.datetime.combine(day, s))
                hi = min(end, dt.datetime.combine(day, e))
                if hi > lo:
                    total += int((hi - lo).total_seconds() // 60)
        day += dt.timedelta(days=1)
    return total


@dataclass(frozen=True)
class Remaining:
    """剩余 (or 超期 when overdue) as working days and hours of the hall's day."""

    overdue: bool
    days: int
    hours: int
    minutes: int

    def __str__(self) -> str:
        word = "超期" if self.overdue else "剩余"
        if self.days:
            return f"{word}{self.days}天{self.hours}小时"
        return f"{word}{self.hours}小时{self.minutes}分"


def remaining(
    *, calendar: WorkCalendar, hours: HoursOf, now: dt.datetime, deadline: dt.datetime
) -> Remaining:
    """Working time left until (or past) a deadline, in the hall's days (of its own length)."""
    overdue = now > deadline
    start, end = (deadline, now) if overdue else (now, deadline)
    minutes = working_minutes(calendar=calendar, hours=hours, start=start, end=end)
    day_minutes = hours(now.date()).minutes or 1
    days, rest = divmod(minutes, day_minutes)
    return Remaining(overdue, days, rest // 60, rest % 60)


def paused_workdays(*, calendar: WorkCalendar, start: dt.date, end: dt.date) -> int:
    """Working days a clock stood still (特别程序, supplement after acceptance): from the day it
    stopped up to, not including, the day it resumed."""
    if end <= start:
        return 0
    return calendar.between(start, end - dt.timedelta(days=1))
