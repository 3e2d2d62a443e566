"""Reads of the staff side of the queue: the window desk (叫号台), the rating pad paired to a
window, the office's categories and today's tickets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from govhall.cases.models import Case
from govhall.core.access import Viewer
from govhall.core.months import local_bounds
from govhall.feedback.models import Rating
from govhall.org.models import Center, Staff, Window
from govhall.org.scoping import scope_for
from govhall.queueing.choices import CallKind, TicketStatus
from govhall.queueing.models import Call, QueueCategory, Ticket, WindowPause
from govhall.queueing.selectors import callable_tickets, current_ticket, open_pause


@dataclass(frozen=True)
class DeskState:
    """What the window's desk shows: the number being served, who waits, whether it pauses."""

    window: Window
    current: Ticket | None
    waiting: int
    pause: WindowPause | None
    recent: list[Ticket]


def desk_state(*, window: Window, day: dt.date) -> DeskState:
    recent = list(
        Ticket.objects.filter(window=window, day=day, status=TicketStatus.DONE)
        .select_related("category", "case", "consultation", "rating")
        .order_by("-finished_at", "-pk")[:5]
    )
    return DeskState(
        window=window,
        current=current_ticket(window),
        waiting=callable_tickets(window, day).count(),
        pause=open_pause(window),
        recent=recent,
    )


def desk_windows(*, center: Center) -> QuerySet[Window]:
    """Windows a desk may be opened at: the center's active windows."""
    return Window.objects.filter(center=center, is_active=True).select_related("unit")


def cases_to_link(*, window: Window, staff: Staff | None, day: dt.date) -> QuerySet[Case]:
    """Cases received or accepted today in the window's unit (by this staff member, when the
    desk has one) that no number has been finished into yet: what a 办结 may link to."""
    # Ranges, not __date: the center's received/accepted indexes serve them, where casting each
    # case's time to a date read the whole table (1 s per desk page with 30,000 cases on
    # SQLite, docs/performance.md).
    start, end = local_bounds(day, day + dt.timedelta(days=1))
    received = Q(received_at__gte=start, received_at__lt=end)
    accepted = Q(accepted_at__gte=start, accepted_at__lt=end)
    if staff is not None:
        received &= Q(received_by=staff)
        accepted &= Q(accepted_by=staff)
    return (
        Case.objects.filter(received | accepted, center_id=window.center_id, unit_id=window.unit_id)
        .exclude(tickets__isnull=False)
        .select_related("item")
        .order_by("-received_at", "-pk")
    )


@dataclass(frozen=True)
class PadAsk:
    """A finished number the pad asks its applicant to rate (or explains why not)."""

    ticket: Ticket
    ratable: bool


def pad_next(*, window: Window, after: int, since: dt.datetime) -> tuple[int, Ticket | None]:
    """The newest number finished at the window after the pad's last seen finish (`after`, a
    Call id) and since `since`: (the newest finish's id, its ticket if there is one to rate —
    linked to a case or a consultation and not yet rated)."""
    call = (
        Call.objects.filter(window=window, kind=CallKind.FINISH, pk__gt=after, at__gte=since)
        .select_related("ticket__case__item", "ticket__consultation", "ticket__category")
        .order_by("-pk")
        .first()
    )
    if call is None:
        return after, None
    ticket = call.ticket
    if ticket.rating_id is not None or (ticket.case_id is None and ticket.consultation_id is None):
        return call.pk, None
    if Rating.objects.filter(
        Q(case_id=ticket.case_id) if ticket.case_id else Q(consultation_id=ticket.consultation_id)
    ).exists():
        return call.pk, None
    return call.pk, ticket


def last_finish_id(*, window: Window) -> int:
    """The pad starts after the last finish already at the window: it never asks for a number
    finished before it was opened."""
    return (
        Call.objects.filter(window=window, kind=CallKind.FINISH)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    ) or 0


def category_list(*, center: Center) -> QuerySet[QueueCategory]:
    return (
        QueueCategory.objects.filter(center=center)
        .prefetch_related("units", "windows__unit")
        .annotate(ticket_count=Count("tickets"))
        .order_by("position", "code")
    )


@dataclass(frozen=True)
class TicketFilters:
    category_id: int | None = None
    status: str = ""
    q: str = ""


def ticket_list_for(
    *, user: Viewer, center: Center, day: dt.date, filters: TicketFilters
) -> QuerySet[Ticket]:
    """The day's numbers, newest first; a unit's people see those of the categories covering
    their unit or served by its windows, and those served at its windows."""
    qs = Ticket.objects.filter(center=center, day=day)
    scope = scope_for(user)
    if not scope.sees_unit(center.pk, None):
        units = scope.unit_ids
        qs = qs.filter(
            Q(category__units__in=units)
            | Q(category__windows__unit__in=units)
            | Q(window__unit__in=units)
        ).distinct()
    if filters.category_id:
        qs = qs.filter(category_id=filters.category_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.q:
        qs = qs.filter(number__icontains=filters.q)
    return qs.select_related("category", "window__unit", "staff", "case").order_by(
        "-issued_at", "-pk"
    )
