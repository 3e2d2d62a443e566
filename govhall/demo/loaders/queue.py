"""The demo hall's queue (排队叫号): its categories and windows, its settings, and the last
working days' numbers up to now, built through the queue's services (govhall/demo/queue_motion.py).

The queue began in the present: December 2016 has no numbers, so its bulletin is unchanged.
The empty window and the late one happen today when the load comes after today's empty
stretch, else on the previous working day (the runner then leaves today's plan without them).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.utils import timezone

from govhall.cases.models import Case
from govhall.core import clock
from govhall.core.calendar import get_calendar
from govhall.demo.data.org import DEMO_CENTER
from govhall.demo.queue_motion import IDLE_FOR, IDLE_FROM, LANES, Motion
from govhall.org.hours import hours_of
from govhall.org.models import Center, Unit, Window
from govhall.queueing import services as queue
from govhall.queueing.choices import AlertKind
from govhall.queueing.models import QueueAlert, QueueCategory

YEAR_CLOSED = dt.datetime(2017, 1, 1)  # noqa: DTZ001 (naive local; the present begins in 2017)


def _categories(center: Center) -> int:
    units = {u.name: u for u in Unit.objects.filter(center=center)}
    windows = {w.number: w for w in Window.objects.filter(center=center, is_active=True)}
    for position, lane in enumerate(LANES, start=1):
        queue.queue_category_save(
            by=None,
            center=center,
            code=lane.code,
            name=lane.name,
            units=[units[name] for name in lane.units if name in units],
            windows=[windows[number] for number in lane.windows if number in windows],
            position=position * 10,
        )
    return len(LANES)


def _previous_workday(center: Center, today: dt.date) -> dt.date:
    calendar = get_calendar(center)
    day = today - dt.timedelta(days=1)
    while not calendar.is_workday(day):
        day -= dt.timedelta(days=1)
    return day


def load_queue_demo(stdout: Any) -> None:
    """The queue of the demo hall, once: a center with queue categories is left as it is."""
    center = Center.objects.filter(name=DEMO_CENTER).first()
    if (
        center is None
        or not Case.objects.filter(
            center=center, received_at__gte=timezone.make_aware(YEAR_CLOSED)
        ).exists()
    ):
        stdout.write(f"{DEMO_CENTER} does not live in the present; no queue.")
        return
    if QueueCategory.objects.filter(center=center).exists():
        stdout.write(f"{DEMO_CENTER} already has its queue; left as it is.")
        return
    started = time.monotonic()
    categories = _categories(center)
    queue.queue_settings_update(center=center, by=None, minutes_per_ticket=8)
    now = clock.now()
    today = timezone.localtime(now).date()
    # Today, once its empty stretch is over, has both mishaps; before that (or on a day off)
    # the previous working day comes first and has them. Each day costs the services' time
    # (about 20 ms a number), so the load stops at two days.
    stretch_over = timezone.make_aware(
        dt.datetime.combine(today, hours_of(center)(today).morning_start) + IDLE_FROM + IDLE_FOR
    ) + dt.timedelta(minutes=5)
    workday = get_calendar(center).is_workday(today)
    if workday and now >= stretch_over:
        days, event_day = [today], today
    else:
        event_day = _previous_workday(center, today)
        days = [event_day, today] if workday else [event_day]
    issued = served = linked = 0
    for day in days:
        motion = Motion(center, day, events=day == event_day, watch=True)
        until = now if day == today else timezone.make_aware(dt.datetime.combine(day, dt.time.max))
        motion.run(until)
        issued, served, linked = (
            issued + motion.issued,
            served + motion.served,
            linked + motion.linked,
        )
    alerts = QueueAlert.objects.filter(center=center)
    stdout.write(
        f"{DEMO_CENTER} queue: {categories} categories; {issued} numbers over {len(days)} working "
        f"days, {served} served ({linked} became cases or consultations); "
        f"{alerts.filter(kind=AlertKind.IDLE_WINDOW).count()} 空岗, "
        f"{alerts.filter(kind=AlertKind.LATE_OPENING).count()} late opening(s), "
        f"{alerts.filter(kind=AlertKind.LONG_WAIT).count()} long waits; "
        f"{time.monotonic() - started:.1f}s."
    )
