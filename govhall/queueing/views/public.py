"""The public side of the queue (no login): taking a number on the ticket machine (the kiosk)
or on a phone, the printed ticket, and the ticket's live page with its small state feed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from govhall.core import once
from govhall.core.clock import now
from govhall.core.errors import DomainError, form_error
from govhall.core.forms import SingleLineField
from govhall.core.qr import public_url, qr_svg
from govhall.core.ratelimit import client_ip, hit
from govhall.core.text import chinese_date, mask_phone
from govhall.org.models import Center
from govhall.portal.views import CENTER_COOKIE, ELDERLY_COOKIE
from govhall.queueing.choices import Priority, TicketChannel, TicketStatus
from govhall.queueing.selectors.public import (
    LiveTicket,
    category_buttons,
    live_ticket,
    ticketing_now,
)
from govhall.queueing.services import ticket_issue

# Numbers a sender may take per 10 minutes: a phone (a household in a queue is a few), and
# the hall's ticket machine, which serves everyone at the door.
TAKES_PER_PHONE = 6
TAKES_PER_KIOSK = 150
TAKE_WINDOW = 10 * 60
# The state feed is polled every few seconds by each waiting phone.
POLL_SECONDS = 3
# The ticket machine goes back to its start this long after printing.
KIOSK_RETURN_SECONDS = 8


class TakeForm(forms.Form):
    category = forms.ChoiceField(label=gettext_lazy("Service category"))
    phone = SingleLineField(
        label=gettext_lazy("Mobile phone (optional)"),
        max_length=11,
        required=False,
        help_text=gettext_lazy("Only to reach you about this number."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "tel", "pattern": "1[0-9]{10}"}
        ),
    )
    appointment_code = SingleLineField(
        label=gettext_lazy("Appointment code (optional)"),
        max_length=12,
        required=False,
        help_text=gettext_lazy("Booked for now? Your number is called first."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    elderly = forms.BooleanField(
        label=gettext_lazy("Priority for elderly or disabled applicants"), required=False
    )

    def __init__(self, *args: Any, codes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(code, code) for code in codes]  # type: ignore[attr-defined]


def _center(request: HttpRequest) -> Center:
    """The hall the visitor is in (`?center=` from the hall's QR code, else the kiosk's cookie),
    or the first one set up."""
    centers = {str(c.pk): c for c in Center.objects.filter(is_active=True).order_by("pk")}
    if not centers:
        raise Http404(_("No service center is open yet."))
    asked = request.GET.get("center") or request.COOKIES.get(CENTER_COOKIE, "")
    return centers.get(asked) or next(iter(centers.values()))


def _render(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    center: Center,
    status: int = 200,
    idle_return: bool = False,
) -> HttpResponse:
    context = {
        "center": center,
        "current_center": center,
        "calendar_warnings": [],
        "elderly": request.COOKIES.get(ELDERLY_COOKIE) == "1",
        "idle_seconds": center.kiosk_idle_seconds if idle_return else 0,
        **context,
    }
    return render(request, template, context, status=status)


def _take(request: HttpRequest, channel: str) -> HttpResponse:
    center = _center(request)
    kiosk = channel == TicketChannel.KIOSK
    moment = now()
    buttons = category_buttons(center=center, day=timezone.localtime(moment).date())
    form = TakeForm(request.POST or None, codes=[b.code for b in buttons])
    status = 200
    limited = ""
    if request.method == "POST":
        status = 400
        limit = TAKES_PER_KIOSK if kiosk else TAKES_PER_PHONE
        if not form.is_valid():
            pass
        elif not hit(f"queue:take:{channel}:{client_ip(request)}", limit, TAKE_WINDOW):
            limited = _("Too many numbers taken from here. Please ask at the information desk.")
            status = 429
        else:
            data = form.cleaned_data
            try:
                token = once.submit_once(
                    request=request,
                    purpose="queueing.ticket_take",
                    create=lambda: (
                        ticket_issue(
                            center=center,
                            category=data["category"],
                            channel=channel,
                            phone=data["phone"],
                            appointment_code=data["appointment_code"],
                            priority=Priority.ELDERLY if data["elderly"] else Priority.NONE,
                        ).token
                    ),
                ).result
            except DomainError as error:
                form_error(form, error)
            else:
                if kiosk:
                    return redirect(reverse("queueing:ticket_print", args=[token]) + "?kiosk=1")
                return redirect("queueing:ticket", token=token)
    take_path = "{}?center={}".format(reverse("queueing:take"), center.pk)
    context = {
        "form": form,
        "buttons": buttons,
        "kiosk": kiosk,
        "hours": ticketing_now(center=center, moment=moment),
        "limited": limited,
        "phone_qr": qr_svg(
            public_url(request, take_path), title=_("Take a number on your phone"), scale=4
        )
        if kiosk
        else "",
    }
    response = _render(
        request,
        "queueing/public/take.html",
        context,
        center=center,
        status=status,
        idle_return=kiosk,
    )
    if status == 429:
        response["Retry-After"] = str(TAKE_WINDOW)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk_take(request: HttpRequest) -> HttpResponse:
    """取号 on the hall's ticket machine: big category buttons; the ticket prints at once."""
    return _take(request, TicketChannel.KIOSK)


@never_cache
@require_http_methods(["GET", "POST"])
def phone_take(request: HttpRequest) -> HttpResponse:
    """取号 on a phone, from the hall's QR code: the number opens as a live page."""
    return _take(request, TicketChannel.PHONE)


def _live(token: str) -> LiveTicket:
    found = live_ticket(token)
    if found is None:
        raise Http404(_("No number has this address. Check the code on your ticket."))
    return found


def _ticket_context(request: HttpRequest, live: LiveTicket) -> dict[str, Any]:
    ticket = live.ticket
    return {
        "live": live,
        "ticket": ticket,
        "phone": mask_phone(ticket.phone) if ticket.phone else "",
        "issued_text": chinese_date(timezone.localtime(ticket.issued_at).date()),
        "statuses": TicketStatus,
        "poll_seconds": POLL_SECONDS,
    }


@never_cache
@require_GET
def ticket_print(request: HttpRequest, token: str) -> HttpResponse:
    """The printed ticket (80 mm receipt): number, category, people ahead, time, hall, and the
    QR code of the live page. On the ticket machine (`?kiosk=1`) it prints by itself and the
    machine returns to its start."""
    live = _live(token)
    live_url = public_url(request, reverse("queueing:ticket", args=[token]))
    kiosk = request.GET.get("kiosk") == "1"
    context = {
        **_ticket_context(request, live),
        "kiosk": kiosk,
        "return_url": "{}?center={}".format(reverse("queueing:kiosk"), live.ticket.center_id),
        "return_seconds": KIOSK_RETURN_SECONDS,
        "qr": qr_svg(live_url, title=_("Follow your number on your phone"), scale=3),
    }
    return _render(request, "queueing/public/ticket_print.html", context, center=live.ticket.center)


@never_cache
@require_GET
def ticket_live(request: HttpRequest, token: str) -> HttpResponse:
    """The ticket's live page on a phone: place in the queue and estimated wait, then the window
    to go to when called."""
    live = _live(token)
    return _render(
        request,
        "queueing/public/ticket_live.html",
        _ticket_context(request, live),
        center=live.ticket.center,
    )


@never_cache
@require_GET
def ticket_state(request: HttpRequest, token: str) -> JsonResponse:
    """What the live page polls: two indexed queries, no personal data."""
    live = _live(token)
    ticket = live.ticket
    return JsonResponse(
        {
            "state": live.state,
            "status": ticket.status,
            "ahead": live.position.ahead,
            "estimated_wait_minutes": live.position.estimated_wait_minutes,
        }
    )
