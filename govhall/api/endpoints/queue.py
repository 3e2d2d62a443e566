"""The queue (排队叫号) for devices of other vendors: ticket machines, window callers, rating
pads and screens. Writes need a token that may write."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Header, Path, Router, Status

from govhall.api import idempotency
from govhall.api.auth import actor_of
from govhall.api.endpoints.cases import KEY_DOC, KEY_PATTERN
from govhall.api.endpoints.common import READ, responses
from govhall.api.errors import forbidden, not_found
from govhall.api.schemas import (
    CallNextOut,
    DisplayOut,
    QueueCategoryOut,
    TicketFinishIn,
    TicketIn,
    TicketOut,
    TicketStateOut,
)
from govhall.core import clock
from govhall.org.models import Window
from govhall.queueing import services
from govhall.queueing.choices import TicketChannel
from govhall.queueing.models import Ticket
from govhall.queueing.selectors import (
    categories_of,
    local_day,
    position_of,
    recent_calls,
    waiting_counts,
    window_label,
)

router = Router(tags=["queue"])

ID = Path(..., ge=1, le=2**53 - 1)


def _ticket_out(ticket: Ticket) -> dict[str, Any]:
    where = position_of(ticket)
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "category": ticket.category.code,
        "ahead": where.ahead,
        "estimated_wait_minutes": where.estimated_wait_minutes,
    }


def _state(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "category": ticket.category.code,
        "status": ticket.status,
        "window": str(ticket.window) if ticket.window else None,
        "skips": ticket.skips,
    }


@router.get(
    "/queue/categories",
    response=responses(list[QueueCategoryOut], *READ),
    summary="Queue categories (业务类别) and the windows serving each",
)
def queue_categories(request: HttpRequest) -> Any:
    actor = actor_of(request)
    return [
        {
            "code": c.code,
            "name": c.name,
            "windows": [{"id": w.pk, "name": str(w)} for w in c.windows.all() if w.is_active],
        }
        for c in categories_of(actor.center).prefetch_related("windows__unit")
    ]


@router.post(
    "/queue/tickets",
    response=responses(TicketOut, *READ, 409, 422, status=201),
    summary="Take a number (取号)",
)
def queue_ticket_create(
    request: HttpRequest,
    payload: TicketIn,
    idempotency_key: str | None = Header(
        None, alias="Idempotency-Key", pattern=KEY_PATTERN, description=KEY_DOC
    ),
) -> Any:
    """A number of the category for the caller's center, within ticketing hours (outside them
    the answer is 422 with the hours in its message). An appointment code checked in within its
    slot gives priority; `priority` asks for the elderly/disabled order or, for the office's
    devices, the green channel."""
    actor = actor_of(request)
    actor.require_write()

    def create() -> tuple[int, Any]:
        ticket = services.ticket_issue(
            center=actor.center,
            category=payload.category,
            channel=TicketChannel.DEVICE,
            phone=payload.phone,
            appointment_code=payload.appointment_code,
            priority=payload.priority,
            by=actor.user,
        )
        return 201, _ticket_out(ticket)

    return Status(
        *idempotency.run_once(
            user=actor.user,
            key=idempotency_key,
            endpoint="queue.tickets.create",
            body=payload.model_dump(mode="json"),
            create=create,
        )
    )


def _window(request: HttpRequest, window_id: int) -> tuple[Any, Window]:
    actor = actor_of(request)
    actor.require_write()
    window = (
        Window.objects.filter(pk=window_id, center=actor.center, is_active=True)
        .select_related("unit")
        .first()
    )
    if window is None:
        raise not_found(_("No window of this center has this id."))
    return actor, window


@router.post(
    "/queue/windows/{window_id}/call-next",
    response={**responses(CallNextOut, *READ, 404, 422), 204: None},
    summary="Call the next number at a window (叫号)",
)
def queue_call_next(request: HttpRequest, window_id: int = ID) -> Any:
    """The oldest waiting number of the window's categories after the priority rules; 204 when
    nobody waits. The number still at the window is finished first."""
    actor, window = _window(request, window_id)
    ticket = services.ticket_call_next(window=window, by=actor.user)
    if ticket is None:
        return Status(204, None)
    return {"ticket": {"id": ticket.pk, "number": ticket.number}}


def _ticket(request: HttpRequest, ticket_id: int) -> tuple[Any, Ticket]:
    actor = actor_of(request)
    actor.require_write()
    ticket = (
        Ticket.objects.filter(pk=ticket_id, center=actor.center)
        .select_related("category", "window")
        .first()
    )
    if ticket is None:
        raise not_found(_("No ticket of this center has this id."))
    if not actor.user.has_perm("queueing.call_ticket"):
        raise forbidden()
    return actor, ticket


def _done(ticket: Ticket) -> dict[str, Any]:
    ticket.refresh_from_db()
    return _state(ticket)


@router.post(
    "/queue/tickets/{ticket_id}/finish",
    response=responses(TicketStateOut, *READ, 404, 422),
    summary="Finish a called number (办结), naming the case it became",
)
def queue_ticket_finish(
    request: HttpRequest, payload: TicketFinishIn | None = None, ticket_id: int = ID
) -> Any:
    actor, ticket = _ticket(request, ticket_id)
    case_no = payload.case_no if payload is not None else ""
    services.ticket_finish(ticket=ticket, by=actor.user, case_no=case_no)
    return _done(ticket)


@router.post(
    "/queue/tickets/{ticket_id}/skip",
    response=responses(TicketStateOut, *READ, 404, 422),
    summary="Mark a called number missed (过号)",
)
def queue_ticket_skip(request: HttpRequest, ticket_id: int = ID) -> Any:
    actor, ticket = _ticket(request, ticket_id)
    services.ticket_skip(ticket=ticket, by=actor.user)
    return _done(ticket)


@router.post(
    "/queue/tickets/{ticket_id}/recall",
    response=responses(TicketStateOut, *READ, 404, 422),
    summary="Call a number again (重呼)",
)
def queue_ticket_recall(request: HttpRequest, ticket_id: int = ID) -> Any:
    actor, ticket = _ticket(request, ticket_id)
    services.ticket_recall(ticket=ticket, by=actor.user)
    return _done(ticket)


@router.get(
    "/queue/display",
    response=responses(DisplayOut, *READ),
    summary="What the hall screens show: the last calls and who waits",
)
def queue_display(request: HttpRequest) -> Any:
    """The last calls, newest first, and the waiting count per category letter — no personal
    data, for a screen of another vendor."""
    actor = actor_of(request)
    return {
        "calls": [
            {"number": c.ticket.number, "window": window_label(c.window), "called_at": c.at}
            for c in recent_calls(actor.center, limit=10)
        ],
        "waiting": waiting_counts(actor.center, local_day(clock.now())),
    }
