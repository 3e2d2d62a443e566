"""Reads of the queue: settings, what a window serves, positions, the screens' feed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.access import Viewer
from govhall.org.hours import hours_of
from govhall.org.models import Center, Staff, Window
from govhall.org.scoping import scoped
from govhall.queueing import rules
from govhall.queueing.choices import CallKind, TicketStatus
from govhall.queueing.models import (
    Call,
    QueueAlert,
    QueueCategory,
    QueueSettings,
    Ticket,
    WindowPause,
)


def settings_of(center: Center) -> QueueSettings:
    """The center's queue rules; the defaults until the office saves its own."""
    found = QueueSettings.objects.filter(center=center).first()
    return found or QueueSettings(center=center)


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def ticketing_window(center: Center, day: dt.date) -> tuple[dt.time, dt.time]:
    qs = settings_of(center)
    return rules.ticketing_hours(hours_of(center)(day), qs.ticketing_opens, qs.ticketing_closes)


def categories_of(center: Center) -> QuerySet[QueueCategory]:
    return QueueCategory.objects.filter(center=center, is_active=True).prefetch_related("windows")


def category_ids_of_window(window: Window) -> list[int]:
    return list(
        QueueCategory.objects.filter(windows=window, is_active=True).values_list("pk", flat=True)
    )


def callable_tickets(window: Window, day: dt.date) -> QuerySet[Ticket]:
    """Waiting tickets this window may call, in call order: its categories' (unless sent to
    another window) and those sent to it."""
    categories = category_ids_of_window(window)
    return Ticket.objects.filter(
        Q(category_id__in=categories, target_window__isnull=True) | Q(target_window=window),
        center_id=window.center_id,
        day=day,
        status=TicketStatus.WAITING,
    ).order_by("rank", "place", "pk")


def open_pause(window: Window) -> WindowPause | None:
    return WindowPause.objects.filter(window=window, ended_at__isnull=True).first()


def current_ticket(window: Window) -> Ticket | None:
    """The ticket being served at the window (called, not yet finished)."""
    return (
        Ticket.objects.filter(window=window, status=TicketStatus.CALLED)
        .select_related("category")
        .order_by("-called_at")
        .first()
    )


def _served(category_id: int, day: dt.date) -> Q:
    return Q(category_id=category_id, day=day, status=TicketStatus.DONE, finished_at__isnull=False)


def service_minutes(category: QueueCategory, day: dt.date, default: int) -> float:
    """The usual time at the window today: the average of the category's last 20 served
    tickets, once five have been served; the office's figure before that."""
    served = list(
        Ticket.objects.filter(_served(category.pk, day))
        .order_by("-finished_at")
        .values_list("called_at", "finished_at")[:20]
    )
    seconds = [(done - called).total_seconds() for called, done in served if called and done]
    average = sum(seconds) / len(seconds) / 60 if seconds else None
    return rules.usual_minutes(len(seconds), average, default)


@dataclass(frozen=True)
class Position:
    ahead: int
    estimated_wait_minutes: int


def position_of(
    ticket: Ticket, *, windows: int | None = None, minutes_per_ticket: int | None = None
) -> Position:
    """How many are called before this ticket, and the wait that makes: one query over the
    category's day (who is ahead, how fast today's were served). A caller that fetched the
    category's active windows and the office's minutes per ticket already passes them."""
    if ticket.status != TicketStatus.WAITING:
        return Position(0, 0)
    before = (
        Q(rank__lt=ticket.rank)
        | Q(rank=ticket.rank, place__lt=ticket.place)
        | Q(rank=ticket.rank, place=ticket.place, pk__lt=ticket.pk)
    )
    served = Q(status=TicketStatus.DONE, finished_at__isnull=False)
    found = Ticket.objects.filter(category_id=ticket.category_id, day=ticket.day).aggregate(
        ahead=Count("pk", filter=Q(status=TicketStatus.WAITING) & before),
        served=Count("pk", filter=served),
        avg=Avg(F("finished_at") - F("called_at"), filter=served),
    )
    ahead = int(found["ahead"])
    if not ahead:
        return Position(0, 0)
    if windows is None:
        windows = ticket.category.windows.filter(is_active=True).count()
    if minutes_per_ticket is None:
        minutes_per_ticket = settings_of(ticket.center).minutes_per_ticket
    average = found["avg"].total_seconds() / 60 if found["avg"] else None
    minutes = rules.usual_minutes(int(found["served"]), average, minutes_per_ticket)
    return Position(ahead, rules.estimated_wait_minutes(ahead + 1, windows, minutes))


def ticket_by_token(token: str) -> Ticket | None:
    return Ticket.objects.filter(token=token).select_related("category", "window", "center").first()


def waiting_counts(center: Center, day: dt.date) -> dict[str, int]:
    """Tickets waiting per category letter (every active category, zero included)."""
    counts = dict.fromkeys(categories_of(center).values_list("code", flat=True), 0)
    rows = (
        Ticket.objects.filter(center=center, day=day, status=TicketStatus.WAITING)
        .values_list("category__code")
        .order_by()
    )
    for (code,) in rows:
        counts[code] = counts.get(code, 0) + 1
    return counts


def recent_calls(center: Center, *, limit: int = 8, after: int = 0) -> list[Call]:
    """The latest announcements (calls and calls again), newest first."""
    qs = (
        Call.objects.filter(center=center, kind__in=[CallKind.CALL, CallKind.RECALL])
        .select_related("ticket", "window__unit")
        .order_by("-pk")
    )
    if after:
        qs = qs.filter(pk__gt=after)
    return list(qs[:limit])


def window_label(window: Window) -> str:
    """How the public hears a window: 5号窗口 where it has a number, else its name."""
    return _("Window {number}").format(number=window.number) if window.number else str(window)


def staff_of(user: Viewer) -> Staff | None:
    if user is None or not user.is_authenticated:
        return None
    return Staff.objects.filter(user=user, is_active=True).select_related("window").first()


def ticket_list(*, center: Center, day: dt.date) -> QuerySet[Ticket]:
    return (
        Ticket.objects.filter(center=center, day=day)
        .select_related("category", "window", "staff")
        .order_by("-issued_at", "-pk")
    )


@dataclass(frozen=True)
class LateOpening:
    window: Window
    day: dt.date
    opening: dt.datetime
    first_call: dt.datetime
    minutes: int


def late_openings(*, center: Center, first: dt.date, last: dt.date) -> list[LateOpening]:
    """Sessions whose first call at a window came more than the limit after the hall opened,
    while the number it called had been waiting since before the limit (so someone waited for
    an empty window, not a quiet hall)."""
    limit = dt.timedelta(minutes=settings_of(center).late_opening_minutes)
    hours = hours_of(center)
    firsts: dict[tuple[int, dt.date, dt.time], tuple[dt.datetime, dt.datetime]] = {}
    rows = (
        Call.objects.filter(
            center=center,
            kind=CallKind.CALL,
            ticket__day__gte=first,
            ticket__day__lte=last,
        )
        .order_by("at", "pk")
        .values_list("window_id", "ticket__day", "at", "ticket__issued_at")
    )
    for window_id, day, at, issued in rows:
        start = rules.session_start(hours(day), timezone.localtime(at).time())
        if start is None:
            continue
        firsts.setdefault((window_id, day, start), (at, issued))
    tz = timezone.get_current_timezone()
    found: list[tuple[int, dt.date, dt.datetime, dt.datetime]] = []
    for (window_id, day, start), (at, issued) in firsts.items():
        opening = dt.datetime.combine(day, start, tzinfo=tz)
        if at - opening > limit and issued < opening + limit:
            found.append((window_id, day, opening, at))
    windows = Window.objects.select_related("unit").in_bulk({w for w, *_rest in found})
    return [
        LateOpening(windows[w], day, opening, at, int((at - opening).total_seconds() // 60))
        for w, day, opening, at in sorted(found, key=lambda f: (f[2], f[0]))
    ]


def alert_list(*, user: Viewer, center: Center, day: dt.date) -> list[QueueAlert]:
    """The queue's alerts of a day that the person may see (a unit's own; center-wide roles
    all, the long waits of numbers not yet at a window included), newest first."""
    qs = QueueAlert.objects.filter(center=center, day=day).select_related("window__unit", "ticket")
    return list(scoped(qs, user, perm="queueing.view_queuealert")[:200])
