"""Reads of the public side of the queue: the category buttons of the ticket machine and the
phone page, whether numbers are given now, and a ticket's live state (no personal data)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from govhall.core.calendar import get_calendar
from govhall.org.models import Center, Window
from govhall.queueing.choices import TicketStatus
from govhall.queueing.models import QueueCategory, QueueSettings, Ticket
from govhall.queueing.selectors import Position, position_of, ticketing_window


@dataclass(frozen=True)
class CategoryButton:
    code: str
    name: str
    waiting: int


def category_buttons(*, center: Center, day: dt.date) -> list[CategoryButton]:
    """The active categories in display order, each with the numbers waiting for it today
    (one query)."""
    rows = (
        QueueCategory.objects.filter(center=center, is_active=True)
        .annotate(
            waiting=Count(
                "tickets",
                filter=Q(tickets__day=day, tickets__status=TicketStatus.WAITING),
            )
        )
        .order_by("position", "code")
        .values_list("code", "name", "waiting")
    )
    return [CategoryButton(code, name, waiting) for code, name, waiting in rows]


@dataclass(frozen=True)
class TicketingHours:
    open: bool
    opens: dt.time
    closes: dt.time


def ticketing_now(*, center: Center, moment: dt.datetime) -> TicketingHours:
    """Whether numbers are given at `moment` (a working day, within the ticketing hours), to say
    so before anyone chooses; ticket_issue still decides."""
    local = timezone.localtime(moment)
    opens, closes = ticketing_window(center, local.date())
    is_open = get_calendar(center).is_workday(local.date()) and opens <= local.time() < closes
    return TicketingHours(is_open, opens, closes)


@dataclass(frozen=True)
class LiveTicket:
    """What the ticket's public page shows: never the phone or the applicant."""

    ticket: Ticket
    position: Position
    # Sent elsewhere at a window (转移): the ticket waits again, for another category or window.
    transferred: bool
    window: Window | None  # where to go: the calling window, or the one it was sent to

    @property
    def state(self) -> str:
        """What changes the page: the status, and where the ticket now waits or is called."""
        window = self.window.pk if self.window else ""
        return f"{self.ticket.status}:{self.ticket.category_id}:{window}"


def live_ticket(token: str) -> LiveTicket | None:
    """A ticket by the token of its live page, with its place in the queue: two queries (the
    ticket with its category, windows and the office's settings; then its position)."""
    active_windows = (
        Window.objects.filter(queue_categories=OuterRef("category_id"), is_active=True)
        .order_by()
        .values("queue_categories")
        .annotate(n=Count("pk"))
        .values("n")
    )
    minutes = QueueSettings.objects.filter(center=OuterRef("center_id")).values(
        "minutes_per_ticket"
    )
    ticket = (
        Ticket.objects.filter(token=token)
        .select_related("category", "window__unit", "target_window__unit", "center")
        .annotate(
            active_windows=Coalesce(Subquery(active_windows), 0),
            minutes_per_ticket=Subquery(minutes),
        )
        .first()
    )
    if ticket is None:
        return None
    default = QueueSettings._meta.get_field("minutes_per_ticket").get_default()
    position = position_of(
        ticket,
        windows=ticket.active_windows,
        minutes_per_ticket=ticket.minutes_per_ticket or default,
    )
    waiting = ticket.status == TicketStatus.WAITING
    transferred = waiting and (
        ticket.target_window_id is not None or ticket.series != ticket.category.code
    )
    window = ticket.target_window if waiting else ticket.window
    return LiveTicket(ticket, position, transferred, window)
