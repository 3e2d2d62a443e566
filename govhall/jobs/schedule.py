"""When each job of the hall is due: pure rules over the working-day calendar and hall hours.

Times here are naive local (hall) times, like the working-time engine: a slot is the moment a
job is due, and the runner records one run per (job, center, slot), so a slot runs once whatever
the number of workers or restarts. After downtime `due_slots` yields the missed slots again:
each one for jobs whose every slot matters (supervision and vacancies of each missed day, within
a bound), only the latest for jobs where one run covers everything missed (the outbox push).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from govhall.core.workdays import WorkCalendar
from govhall.core.worktime import DayHours

HoursOf = Callable[[dt.date], DayHours]


class Kind(StrEnum):
    DAILY_AT = "daily_at"  # each working day at a fixed time
    EVERY = "every"  # every N minutes of a working day, from opening to close
    AT_CLOSE = "at_close"  # each working day when the hall closes
    NIGHTLY = "nightly"  # every night at a fixed time, working day or not
    MONTH_FIRST_WORKDAY = "month_first_workday"  # the month's first working day at a time


class CatchUp(StrEnum):
    EACH = "each"  # every missed slot, once (within `catch_up_days`)
    LATEST = "latest"  # only the newest missed slot: one run covers the rest


@dataclass(frozen=True)
class Spec:
    """A job's schedule."""

    kind: Kind
    at: dt.time = dt.time(0, 0)
    minutes: int = 1
    catch_up: CatchUp = CatchUp.LATEST
    catch_up_days: int = 7  # working days before today that a catch-up reaches back
    hall: bool = True  # follows the hall's working days and hours (False: the machine's night)


def day_slots(
    spec: Spec, day: dt.date, *, calendar: WorkCalendar, hours_of: HoursOf
) -> list[dt.time]:
    """The times the job is due on `day` (ascending)."""
    if spec.kind is Kind.NIGHTLY:
        return [spec.at]
    if not calendar.is_workday(day):
        return []
    if spec.kind is Kind.DAILY_AT:
        return [spec.at]
    hours = hours_of(day)
    if spec.kind is Kind.AT_CLOSE:
        return [hours.afternoon_end]
    if spec.kind is Kind.MONTH_FIRST_WORKDAY:
        first = calendar.next_workday(day.replace(day=1))
        return [spec.at] if first == day else []
    # EVERY: from opening to close, the lunch break included (the outbox keeps filling).
    start = hours.morning_start.hour * 60 + hours.morning_start.minute
    end = hours.afternoon_end.hour * 60 + hours.afternoon_end.minute
    first = -(-start // spec.minutes) * spec.minutes  # the first multiple of N at or after opening
    return [dt.time(m // 60, m % 60) for m in range(first, end + 1, spec.minutes)]


def _slots_between(
    spec: Spec, after: dt.datetime, until: dt.datetime, *, calendar: WorkCalendar, hours_of: HoursOf
) -> list[dt.datetime]:
    found = []
    day = after.date()
    while day <= until.date():
        for at in day_slots(spec, day, calendar=calendar, hours_of=hours_of):
            moment = dt.datetime.combine(day, at)
            if after < moment <= until:
                found.append(moment)
        day += dt.timedelta(days=1)
    return found


def _workdays_back(calendar: WorkCalendar, day: dt.date, n: int) -> dt.date:
    """The Nth working day before `day` (`day` itself not counted)."""
    found = 0
    while found < n:
        day -= dt.timedelta(days=1)
        found += calendar.is_workday(day)
    return day


def due_slots(
    spec: Spec,
    *,
    last: dt.datetime | None,
    now: dt.datetime,
    calendar: WorkCalendar,
    hours_of: HoursOf,
) -> list[dt.datetime]:
    """The slots due by `now` that have not run since `last` (the newest slot that ran, or None
    for a job that never ran: then today's slots only). Missed slots older than the bound are
    dropped; a LATEST job yields at most one slot."""
    floor = dt.datetime.combine(now.date(), dt.time.min) - dt.timedelta(microseconds=1)
    if last is not None:
        # Counted in working days, so a holiday week does not eat into the catch-up.
        oldest = _workdays_back(calendar, now.date(), spec.catch_up_days)
        bound = dt.datetime.combine(oldest, dt.time.min) - dt.timedelta(microseconds=1)
        floor = max(last, bound)
    slots = _slots_between(spec, floor, now, calendar=calendar, hours_of=hours_of)
    if spec.catch_up is CatchUp.LATEST:
        return slots[-1:]
    return slots


def next_slot(
    spec: Spec, *, after: dt.datetime, calendar: WorkCalendar, hours_of: HoursOf, horizon: int = 400
) -> dt.datetime | None:
    """The first slot strictly after `after` (None if none within `horizon` days)."""
    day = after.date()
    for _day in range(horizon):
        for at in day_slots(spec, day, calendar=calendar, hours_of=hours_of):
            moment = dt.datetime.combine(day, at)
            if moment > after:
                return moment
        day += dt.timedelta(days=1)
    return None


def describe(spec: Spec) -> str:
    """The schedule in a few words (shown to the office and in `jobs status`)."""
    at = f"{spec.at:%H:%M}"
    if spec.kind is Kind.DAILY_AT:
        return _("working days at {time}").format(time=at)
    if spec.kind is Kind.EVERY:
        return _("every {n} min in hall hours on working days").format(n=spec.minutes)
    if spec.kind is Kind.AT_CLOSE:
        return _("working days at closing time")
    if spec.kind is Kind.NIGHTLY:
        return _("every night at {time}").format(time=at)
    return _("first working day of the month at {time}").format(time=at)
