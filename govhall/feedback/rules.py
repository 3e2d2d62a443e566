"""Pure rules of public feedback: deadlines in working days and the satisfaction rate.
No database: they take the working-day calendar and the hall's hours."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from govhall.core.workdays import WorkCalendar
from govhall.core.worktime import HoursOf, promised_deadline


def deadline_after(
    *, calendar: WorkCalendar, hours: HoursOf, start: dt.datetime, days: int
) -> dt.datetime:
    """When a limit of `days` working days from `start` (naive local time) ends: the day of
    `start` is not counted (行政许可法 第八十二条, as for cases), so the limit ends when the hall
    closes on the Nth working day after it — a bad rating on Friday evening before National
    Day is to be followed up by the first working day after the holiday."""
    if days < 1:
        raise ValueError("a limit is at least one working day")
    return promised_deadline(
        calendar=calendar, hours=hours, accepted_on=start.date(), days=Decimal(days)
    )


def satisfaction_rate(satisfied: int, total: int) -> Decimal | None:
    """满意率 in percent with one decimal (非常满意+满意+基本满意 over valid ratings); None
    when nothing was rated, which is not the same as 0 %."""
    if total <= 0:
        return None
    return (Decimal(100 * satisfied) / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def overdue_on(due: dt.datetime, done: dt.datetime | None, day_start: dt.datetime) -> bool:
    """Whether something due at `due` and done at `done` (None: not yet) stood overdue when the
    day beginning at `day_start` began: its deadline had passed and it was not done by then."""
    return due < day_start and (done is None or done >= day_start)
