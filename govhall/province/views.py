"""Provincial platform pages: the outbox by status, one message with its tries, "retry now",
and the warnings the platform raised."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.access import perm_required
from govhall.core.errors import DomainError
from govhall.core.text import chinese_date
from govhall.core.views import paginate
from govhall.org.selectors import center_or_404
from govhall.province import selectors, services
from govhall.province.choices import MessageStatus
from govhall.province.models import OutboxMessage

VIEW = "province.view_outboxmessage"
RETRY = "province.retry_outboxmessage"


def _when(value: dt.datetime) -> str:
    local = timezone.localtime(value)
    return f"{chinese_date(local)} {local:%H:%M}"


def _message(request: HttpRequest, pk: int) -> OutboxMessage:
    message = selectors.outbox_get(user=request.user, center=center_or_404(request), pk=pk)
    if message is None:
        raise Http404
    return message


@perm_required(VIEW)
def outbox_list(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    status = request.GET.get("status", "")
    if status and status not in MessageStatus.values:
        return HttpResponseBadRequest(_("Unknown status filter."))
    counts = selectors.outbox_counts(user=request.user, center=center)
    context = {
        "page": paginate(
            request, selectors.outbox_list(user=request.user, center=center, status=status)
        ),
        "statuses": [(value, label, counts[value]) for value, label in MessageStatus.choices],
        "status": status,
        "link": selectors.link_of(center),
    }
    return render(request, "province/outbox_list.html", context)


@perm_required(VIEW)
def outbox_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = _message(request, pk)
    context = {
        "message": message,
        "payload": json.dumps(message.payload, ensure_ascii=False, indent=2),
        "can_retry": message.status == MessageStatus.FAILED and request.user.has_perm(RETRY),
    }
    return render(request, "province/outbox_detail.html", context)


@perm_required(RETRY)
def outbox_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST queues the message again and tries it at once."""
    message = _message(request, pk)
    detail_url = reverse("province:outbox_detail", args=[message.pk])
    if request.method != "POST":
        question = _("Send {what} to the provincial platform again now?").format(what=str(message))
        return render(request, "org/confirm.html", {"question": question, "cancel_url": detail_url})
    try:
        services.outbox_retry(by=request.user, message=message)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(detail_url)
    services.province_push(center=message.center, message_ids=[message.pk])
    message.refresh_from_db()
    if message.status == MessageStatus.ACKNOWLEDGED:
        messages.success(
            request, _("Delivered: acknowledged as {ref}.").format(ref=message.ack_reference)
        )
    elif message.status == MessageStatus.PENDING and message.attempts == 0:
        messages.info(request, _("Queued again; the link is switched off, so nothing was sent."))
    else:
        messages.warning(
            request,
            _("Still not delivered: {error}. Next attempt {when}.").format(
                error=message.last_error, when=_when(message.next_attempt_at)
            )
            if message.status == MessageStatus.PENDING
            else _("Still not delivered: {error}.").format(error=message.last_error),
        )
    return redirect(detail_url)


@perm_required("province.view_provincialwarning")
def warning_list(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    context = {
        "page": paginate(request, selectors.warning_list(user=request.user, center=center)),
        "link": selectors.link_of(center),
    }
    return render(request, "province/warning_list.html", context)
