"""Reads of the hall's screens (no login, no personal data): the calls and the waiting counts
the screens poll, a window's own screen, and the day's figures on the big screen.

The feed is what every screen asks for twice a second, so it is two indexed queries and reads
no column it does not show (never a phone, never a staff member's name).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, ExtractHour
from django.utils import timezone

from govhall.cases.selectors import cases_on_day
from govhall.core.months import local_bounds
from govhall.feedback.selectors import satisfaction_between
from govhall.org.models import Center, Post, Staff, Window
from govhall.queueing.announce import announcement, window_shown
from govhall.queueing.choices import CallKind, TicketStatus
from govhall.queueing.models import Call, QueueCategory, Ticket, WindowPause

ANNOUNCED = (CallKind.CALL, CallKind.RECALL)
FEED_LIMIT = 10


@dataclass(frozen=True)
class ScreenCall:
    """One call as the hall sees it: the number, the window, the words."""

    id: int
    number: str
    window_id: int
    window: str
    recall: bool
    at: dt.datetime
    shown: str
    spoken: str

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "number": self.number,
            "window_id": self.window_id,
            "window": self.window,
            "recall": self.recall,
            "at": timezone.localtime(self.at).strftime("%H:%M"),
            "text": self.shown,
            "speech": self.spoken,
        }


@dataclass(frozen=True)
class Waiting:
    code: str
    name: str
    count: int


def _calls(center_id: int) -> Q:
    return Q(center_id=center_id, kind__in=ANNOUNCED)


def screen_calls(*, center_id: int, after: int = 0, limit: int = FEED_LIMIT) -> list[ScreenCall]:
    """The center's calls and calls again after the call `after`, newest first (one query on
    the call_center_announced index)."""
    rows = (
        Call.objects.filter(_calls(center_id), pk__gt=after)
        .order_by("-pk")
        .values_list(
            "pk",
            "kind",
            "at",
            "ticket__number",
            "window_id",
            "window__number",
            "window__name",
            "window__unit__name",
        )[:limit]
    )
    found = []
    for pk, kind, at, number, window_id, window_no, window_name, unit_name in rows:
        name = window_name if window_name.startswith(unit_name) else f"{unit_name}{window_name}"
        words = announcement(number, window_no, name)
        found.append(
            ScreenCall(
                id=pk,
                number=number,
                window_id=window_id,
                window=window_shown(window_no, name),
                recall=kind == CallKind.RECALL,
                at=at,
                shown=words.shown,
                spoken=words.spoken,
            )
        )
    return found


def screen_call(*, center_id: int, call_id: int) -> ScreenCall | None:
    """One announced call of this center (another center's call is not this screen's)."""
    found = screen_calls(center_id=center_id, after=call_id - 1, limit=1)
    return found[0] if found and found[0].id == call_id else None


def waiting_by_category(*, center_id: int, day: dt.date) -> list[Waiting]:
    """Numbers waiting per active category, in display order, zero included (one query: each
    count from the waiting-order index)."""
    waiting = (
        Ticket.objects.filter(category=OuterRef("pk"), day=day, status=TicketStatus.WAITING)
        .order_by()
        .values("category")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        QueueCategory.objects.filter(center_id=center_id, is_active=True)
        .annotate(waiting=Coalesce(Subquery(waiting, output_field=IntegerField()), Value(0)))
        .order_by("position", "code")
        .values_list("code", "name", "waiting")
    )
    return [Waiting(code, name, n) for code, name, n in rows]


# --- a window's own screen -----------------------------------------------------------------


@dataclass(frozen=True)
class WindowScreen:
    """Above a window: who serves here, the number at the desk, or 暂停服务 and where to go."""

    window: Window
    staff: Staff | None
    current: str | None
    pause: WindowPause | None
    cover: Window | None
    last_call_id: int


def _on_duty(window: Window, day: dt.date) -> Staff | None:
    """Who is at the window: whoever called there last today, else the post's A角, else the
    first of the window's staff."""
    start, end = local_bounds(day, day + dt.timedelta(days=1))
    last = (
        Call.objects.filter(window=window, at__gte=start, at__lt=end, staff__isnull=False)
        .order_by("-at", "-pk")
        .values_list("staff_id", flat=True)
        .first()
    )
    people = Staff.objects.select_related("unit")
    if last is not None:
        return people.filter(pk=last).first()
    post = Post.objects.filter(window=window, primary__is_active=True).first()
    if post is not None:
        return people.filter(pk=post.primary_id).first()
    return people.filter(window=window, is_active=True).order_by("role", "sort_key").first()


def staff_on_duty(*, window: Window, day: dt.date) -> Staff | None:
    """Who the window's screen shows on duty (the only face it may show)."""
    return _on_duty(window, day)


def covering_window(window: Window) -> Window | None:
    """An open window serving the categories of a paused one (most shared categories first)."""
    categories = QueueCategory.objects.filter(windows=window, is_active=True).values("pk")
    return (
        Window.objects.filter(
            center_id=window.center_id, is_active=True, queue_categories__in=categories
        )
        .exclude(pk=window.pk)
        .exclude(pk__in=WindowPause.objects.filter(ended_at__isnull=True).values("window_id"))
        .annotate(shared=Count("queue_categories", distinct=True))
        .select_related("unit")
        .order_by("-shared", "number", "pk")
        .first()
    )


def window_screen(*, window: Window, day: dt.date) -> WindowScreen:
    pause = WindowPause.objects.filter(window=window, ended_at__isnull=True).first()
    current = (
        Ticket.objects.filter(window=window, day=day, status=TicketStatus.CALLED)
        .order_by("-called_at")
        .values_list("number", flat=True)
        .first()
    )
    last = (
        Call.objects.filter(_calls(window.center_id))
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return WindowScreen(
        window=window,
        staff=_on_duty(window, day),
        current=current,
        pause=pause,
        cover=covering_window(window) if pause is not None else None,
        last_call_id=last or 0,
    )


# --- the hall's big screen (大厅大屏) --------------------------------------------------------


@dataclass(frozen=True)
class CategoryDay:
    code: str
    name: str
    issued: int
    waiting: int
    served: int


@dataclass(frozen=True)
class PausedWindow:
    window: str
    reason: str


@dataclass(frozen=True)
class HallDay:
    """The day in the hall: numbers, waits, cases, satisfaction, windows."""

    day: dt.date
    issued: int
    waiting: int
    served: int
    average_wait_minutes: int | None
    longest_wait_minutes: int | None
    accepted: int
    completed: int
    ratings: int
    satisfaction: float | None
    windows_open: int
    paused: list[PausedWindow]
    categories: list[CategoryDay]
    by_hour: list[tuple[int, int]] = field(default_factory=list)  # (hour, numbers taken)

    @property
    def windows_paused(self) -> int:
        return len(self.paused)


def _minutes(value: dt.timedelta | None) -> int | None:
    return None if value is None else round(value.total_seconds() / 60)


def hall_day(*, center: Center, day: dt.date) -> HallDay:
    """Today's figures for the big screen: a handful of aggregate queries, none over rows."""
    tickets = Ticket.objects.filter(center=center, day=day).order_by()
    wait = F("first_called_at") - F("issued_at")
    totals = tickets.aggregate(
        issued=Count("pk"),
        waiting=Count("pk", filter=Q(status=TicketStatus.WAITING)),
        served=Count("pk", filter=Q(status=TicketStatus.DONE)),
        average=Avg(wait, filter=Q(first_called_at__isnull=False)),
        longest=Max(wait, filter=Q(first_called_at__isnull=False)),
    )
    per_category = {
        row["category_id"]: row
        for row in tickets.values("category_id").annotate(
            issued=Count("pk"),
            waiting=Count("pk", filter=Q(status=TicketStatus.WAITING)),
            served=Count("pk", filter=Q(status=TicketStatus.DONE)),
        )
    }
    categories = [
        CategoryDay(
            c.code,
            c.name,
            per_category.get(c.pk, {}).get("issued", 0),
            per_category.get(c.pk, {}).get("waiting", 0),
            per_category.get(c.pk, {}).get("served", 0),
        )
        for c in QueueCategory.objects.filter(center=center, is_active=True).order_by(
            "position", "code"
        )
    ]
    hours = dict(
        tickets.annotate(hour=ExtractHour("issued_at", tzinfo=timezone.get_current_timezone()))
        .values("hour")
        .annotate(n=Count("pk"))
        .values_list("hour", "n")
    )
    # The hall's usual day (8 to 17 时) at least, wider when numbers were taken outside it.
    first, last = min([8, *hours]), max([17, *hours])
    by_hour = [(h, hours.get(h, 0)) for h in range(first, last + 1)]
    cases = cases_on_day(center=center, day=day)
    start, end = local_bounds(day, day + dt.timedelta(days=1))
    rated = satisfaction_between(center=center, start=start, end=end)
    serving = Window.objects.filter(
        center=center, is_active=True, queue_categories__isnull=False
    ).distinct()
    pauses = (
        WindowPause.objects.filter(center=center, ended_at__isnull=True, window__in=serving)
        .select_related("window__unit")
        .order_by("window__number", "window__pk")
    )
    paused = [PausedWindow(str(p.window), p.get_reason_display()) for p in pauses]
    return HallDay(
        day=day,
        issued=totals["issued"],
        waiting=totals["waiting"],
        served=totals["served"],
        average_wait_minutes=_minutes(totals["average"]),
        longest_wait_minutes=_minutes(totals["longest"]),
        accepted=cases["accepted"],
        completed=cases["completed"],
        ratings=rated.total,
        satisfaction=float(rated.rate) if rated.rate is not None else None,
        windows_open=serving.count() - len(paused),
        paused=paused,
        categories=categories,
        by_hour=by_hour,
    )
