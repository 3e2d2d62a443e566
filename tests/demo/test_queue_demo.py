"""The demo hall's queue (issue 18 point 8): categories for every unit and window, numbers of the
last working days served with waits of minutes, one 空岗 and one late window to find, and a
queue that goes on by itself while the demo server runs."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.db.models import Avg, Count, F, Max
from django.test import override_settings
from django.utils import timezone

from govhall.core.calendar import get_calendar
from govhall.demo.tasks import demo_queue_motion
from govhall.org.models import Unit, Window
from govhall.queueing.choices import AlertKind, PauseReason, TicketStatus
from govhall.queueing.models import Call, QueueAlert, QueueCategory, Ticket
from govhall.queueing.services import late_openings_record, queue_watch, window_pause
from govhall.staffing.models import Vacancy

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def test_every_unit_takes_numbers_and_every_window_calls_them(demo_center):
    # given the demo hall's categories
    categories = QueueCategory.objects.filter(center=demo_center).prefetch_related(
        "units", "windows"
    )
    # then every unit is covered and every window serves a category, one window several
    covered = {unit.pk for c in categories for unit in c.units.all()}
    assert covered == set(Unit.objects.filter(center=demo_center).values_list("pk", flat=True))
    serving = [w.pk for c in categories for w in c.windows.all()]
    windows = Window.objects.filter(center=demo_center, is_active=True)
    assert set(serving) == set(windows.values_list("pk", flat=True))
    assert max(serving.count(pk) for pk in serving) == 2, "a 综合窗口 serves two categories"
    assert [c.code for c in categories] == list("ABCDEFGH")


def test_the_queue_has_a_few_hundred_numbers_a_day_with_waits_of_minutes(demo_center):
    # given the numbers the load took (the previous working day or today)
    days = (
        Ticket.objects.filter(center=demo_center)
        .values("day")
        .annotate(n=Count("pk"), avg=Avg("wait_seconds"), longest=Max("wait_seconds"))
    )
    # then a full day has a few hundred numbers, most served within minutes
    assert days
    assert max(d["n"] for d in days) >= 150 or len(days) == 1
    for day in days:
        assert 30 <= (day["avg"] or 60) <= 15 * 60
        assert (day["longest"] or 0) < 90 * 60
    served = Ticket.objects.filter(center=demo_center, status=TicketStatus.DONE)
    assert served.filter(case__isnull=False).exists(), "numbers became the day's cases"


def test_the_office_finds_one_empty_window_recorded_as_a_vacancy(demo_center):
    # when the office reads the queue's alerts
    idle = QueueAlert.objects.filter(center=demo_center, kind=AlertKind.IDLE_WINDOW)
    # then one window stood empty while numbers waited, on its A/B post's vacancy register
    assert idle.count() == 1
    alert = idle.get()
    assert alert.minutes >= 15
    assert alert.vacancy is not None
    assert Vacancy.objects.filter(pk=alert.vacancy_id, window=alert.window).exists()


def test_december_2016_has_no_numbers(demo_center):
    assert not Ticket.objects.filter(center=demo_center, day__year=2016).exists()


def test_the_demo_server_keeps_the_queue_moving_and_the_watch_finds_its_mishaps(demo_center):
    # given a working day more than a week after the load, nobody's numbers yet
    calendar = get_calendar(demo_center)
    day = timezone.localdate() + dt.timedelta(days=10)
    while not calendar.is_workday(day):
        day += dt.timedelta(days=1)
    with override_settings(DEMO_MODE=True):
        # when the demo server's runner ticks through the morning
        with time_machine.travel(_at(day, 10, 0), tick=False):
            morning = demo_queue_motion.call_local()
        with time_machine.travel(_at(day, 10, 36), tick=False):
            demo_queue_motion.call_local()
            # and the queue's watch job runs as it does every 2 minutes
            idle = queue_watch(center=demo_center)
            # and a clerk pauses the 工商 window at the desk
            paused = Window.objects.get(center=demo_center, number="A10")
            window_pause(window=paused, by=None, reason=PauseReason.TRAINING)
        # and through the afternoon
        with time_machine.travel(_at(day, 15, 0), tick=False):
            demo_queue_motion.call_local()
            late = late_openings_record(center=demo_center, day=day)
    # then numbers were taken and called, each number once
    assert "numbers taken" in morning
    tickets = Ticket.objects.filter(center=demo_center, day=day)
    numbers = list(tickets.values_list("number", flat=True))
    assert len(numbers) > 100
    assert len(numbers) == len(set(numbers))
    assert tickets.filter(status=TicketStatus.DONE).count() > 80
    assert not tickets.filter(first_called_at__lt=F("issued_at")).exists()
    # and the paused window was left alone from then on
    assert not Call.objects.filter(window=paused, at__gt=_at(day, 10, 36)).exists()
    # and the empty 出入境 window is a 空岗, the 民政 window's first call came at 14:40 (the
    # day's random traffic may make another window late too: the plan is drawn per date)
    empty = [a for a in idle if a.kind == AlertKind.IDLE_WINDOW]
    assert [a.window.name for a in empty] == ["出入境窗口"]
    assert empty[0].vacancy is not None
    assert ("民政窗口", 40) in [(a.window.name, a.minutes) for a in late]


def test_the_runner_does_nothing_outside_the_demo_server(demo_center):
    with override_settings(DEMO_MODE=False):
        assert demo_queue_motion.call_local() == "not the demo server"
