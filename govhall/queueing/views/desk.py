"""The window desk (叫号台) and the rating pad paired to a window (评价器). Thin: find the
window, ask the queue's services whether this person may call there, call one service, render.

The pad asks the applicant of each number finished at its window to rate it, by the 好差评
service (channel: window) against the case or consultation the number became. A number that
became a promised case still open cannot be rated yet (ratings are for finished cases): the pad
says "办结后可扫描回执二维码评价" — the receipt's QR code rates it once the case is completed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from govhall.cases import services as cases
from govhall.core.access import perm_required, require
from govhall.core.clock import now as clock_now
from govhall.core.errors import DomainError
from govhall.feedback.choices import RatingChannel, RatingLevel
from govhall.feedback.services import RATABLE, rating_submit
from govhall.org.models import Center, Staff, Window
from govhall.org.selectors import center_or_404
from govhall.queueing import services
from govhall.queueing.choices import TicketStatus
from govhall.queueing.forms.desk import FinishForm, PauseForm, TransferForm
from govhall.queueing.models import QueueCategory, Ticket
from govhall.queueing.selectors import categories_of, local_day, staff_of
from govhall.queueing.selectors import desk as selectors

CALL = "queueing.call_ticket"
# The pad asks for numbers finished this recently (a pad reopened later asks nothing old).
PAD_LOOKBACK = dt.timedelta(minutes=5)


def _may_call(user: Any, window: Window, day: dt.date) -> bool:
    """The queue services' own rule: staff on duty at the window or its cover (A/B, a leave's
    or outing's named cover); an account without a staff record needs the right in its unit."""
    return services.may_call_at(user, window, day)


def _callable(user: Any, staff: Staff | None, center: Center, day: dt.date) -> list[Window]:
    """The windows of the center this person may call at: `_may_call` for each, but a staff
    member's duty is read once for all windows (a hall has dozens)."""
    windows = list(selectors.desk_windows(center=center))
    if staff is None or staff.center_id != center.pk or not windows:
        return [w for w in windows if _may_call(user, w, day)]
    try:  # the services' rule: the right in the staff member's unit, then duty
        require(user, CALL, center_id=center.pk, unit_id=staff.unit_id)
    except PermissionDenied:
        return []
    duty = services.windows_on_duty(staff=staff, day=day)
    return [w for w in windows if w.pk in duty]


def _window(request: HttpRequest, center: Center, window_id: int) -> Window:
    """The window of this center the person may call at: 404 for another center's, 403 for a
    window they are not on duty at."""
    window = (
        selectors.desk_windows(center=center).filter(pk=window_id).first()
        if window_id < 2**31
        else None
    )
    if window is None:
        raise Http404
    if not _may_call(request.user, window, local_day(clock_now())):
        raise PermissionDenied(
            _("Only the staff on duty at {window} (or its cover) can call there.").format(
                window=window
            )
        )
    return window


def _minutes(delta: dt.timedelta | None) -> int | None:
    return None if delta is None else int(delta.total_seconds() // 60)


def _desk_url(window: Window) -> str:
    return "{}?window={}".format(reverse("queueing:desk"), window.pk)


# --- the desk ---------------------------------------------------------------------------------


@perm_required(CALL)
@require_GET
def desk(request: HttpRequest) -> HttpResponse:
    """叫号台: the number at the window, who waits for it, and the buttons."""
    center = center_or_404(request)
    day = local_day(clock_now())
    staff = staff_of(request.user)
    raw = request.GET.get("window", "").strip()
    choices = _callable(request.user, staff, center, day)
    window: Window | None
    if raw:
        window = _window(request, center, int(raw)) if raw.isdigit() else None
        if window is None:
            raise Http404
    else:
        own = staff.window if staff is not None and staff.center_id == center.pk else None
        window = own if own is not None and own in choices else None
        if window is None and len(choices) == 1:
            window = choices[0]
    context: dict[str, Any] = {"staff": staff, "choices": choices, "window": window}
    if window is not None:
        context.update(_desk_context(center, window, staff, day))
    return render(request, "queueing/desk/desk.html", context)


def _desk_context(
    center: Center, window: Window, staff: Staff | None, day: dt.date
) -> dict[str, Any]:
    state = selectors.desk_state(window=window, day=day)
    now = clock_now()
    current = state.current
    return {
        "state": state,
        "current": current,
        "waited": _minutes((current.first_called_at or now) - current.issued_at)
        if current
        else None,
        "at_window": _minutes(now - current.called_at) if current and current.called_at else None,
        "finish_form": _finish_form(window, staff, day),
        "transfer_form": _transfer_form(center),
        "pause_form": PauseForm(),
    }


def _finish_form(window: Window, staff: Staff | None, day: dt.date, data: Any = None) -> FinishForm:
    return FinishForm(data, cases=selectors.cases_to_link(window=window, staff=staff, day=day))


def _transfer_form(center: Center, data: Any = None) -> TransferForm:
    return TransferForm(
        data,
        categories=categories_of(center),
        windows=selectors.desk_windows(center=center)
        .filter(queue_categories__isnull=False)
        .distinct(),
    )


def _serving(window: Window, request: HttpRequest) -> Ticket:
    """The ticket the form acts on: the one being served at this window."""
    raw = request.POST.get("ticket", "")
    ticket = (
        Ticket.objects.filter(pk=int(raw), window=window, status=TicketStatus.CALLED).first()
        if raw.isdigit() and len(raw) < 10
        else None
    )
    if ticket is None:
        raise DomainError(_("The number is no longer being served at this window."), field="ticket")
    return ticket


def _first_error(form: Any) -> str:
    """The form's first refusal, named by its field (the desk shows it as a message)."""
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        if field is None or not field.label:
            return str(errors[0])
        return _("{label}: {error}").format(label=field.label, error=errors[0])
    return _("Check the form.")


@perm_required(CALL)
@require_POST
def desk_act(request: HttpRequest, window_id: int, action: str) -> HttpResponse:
    """One button of the desk: call next, call again, missed, transfer, finish, pause, resume."""
    center = center_or_404(request)
    window = _window(request, center, window_id)
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404
    try:
        done = handler(request, center, window)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(_desk_url(window))


def _call(request: HttpRequest, center: Center, window: Window) -> str:
    ticket = services.ticket_call_next(window=window, by=request.user)
    if ticket is None:
        return _("Nobody is waiting for this window.")
    return _("Called {number}.").format(number=ticket.number)


def _recall(request: HttpRequest, center: Center, window: Window) -> str:
    ticket = services.ticket_recall(ticket=_serving(window, request), by=request.user)
    return _("Called {number} again.").format(number=ticket.number)


def _skip(request: HttpRequest, center: Center, window: Window) -> str:
    ticket = services.ticket_skip(ticket=_serving(window, request), by=request.user)
    if ticket.status == TicketStatus.MISSED:
        return _("{number} missed too many calls and is dropped.").format(number=ticket.number)
    return _("{number} missed: it goes back a few places.").format(number=ticket.number)


def _transfer(request: HttpRequest, center: Center, window: Window) -> str:
    ticket = _serving(window, request)
    form = _transfer_form(center, request.POST)
    if not form.is_valid():
        raise DomainError(_first_error(form))
    category: QueueCategory | None = form.cleaned_data["category"]
    target: Window | None = form.cleaned_data["window"]
    ticket = services.ticket_transfer(
        ticket=ticket, by=request.user, category=category, window=target
    )
    return _("{number} sent on.").format(number=ticket.number)


def _finish(request: HttpRequest, center: Center, window: Window) -> str:
    ticket = _serving(window, request)
    staff = staff_of(request.user)
    form = _finish_form(window, staff, local_day(clock_now()), request.POST)
    if not form.is_valid():
        raise DomainError(_first_error(form))
    outcome = form.cleaned_data["outcome"]
    # The consultation and the finish are one act: both are kept, or neither.
    with transaction.atomic():
        if outcome == FinishForm.AS_CONSULTATION:
            consultation = cases.consultation_log(
                by=request.user, unit=window.unit, topic=form.cleaned_data["topic"]
            )
            services.ticket_finish(ticket=ticket, by=request.user, consultation=consultation)
        elif outcome == FinishForm.AS_CASE:
            services.ticket_finish(
                ticket=ticket,
                by=request.user,
                case=form.cleaned_data["case"],
                case_no=form.cleaned_data["case_no"] or "",
            )
        else:
            services.ticket_finish(ticket=ticket, by=request.user)
    return _("{number} finished.").format(number=ticket.number)


def _pause(request: HttpRequest, center: Center, window: Window) -> str:
    form = PauseForm(request.POST)
    if not form.is_valid():
        raise DomainError(_first_error(form))
    pause = services.window_pause(
        window=window,
        by=request.user,
        reason=form.cleaned_data["reason"],
        note=form.cleaned_data["note"],
    )
    return _("The window is paused ({reason}).").format(reason=pause.get_reason_display())


def _resume(request: HttpRequest, center: Center, window: Window) -> str:
    services.window_resume(window=window, by=request.user)
    return _("Service resumed.")


ACTIONS: dict[str, Callable[[HttpRequest, Center, Window], str]] = {
    "call": _call,
    "recall": _recall,
    "skip": _skip,
    "transfer": _transfer,
    "finish": _finish,
    "pause": _pause,
    "resume": _resume,
}


# --- the rating pad ---------------------------------------------------------------------------


@perm_required(CALL)
@require_GET
def pad(request: HttpRequest, window_id: int) -> HttpResponse:
    """评价器: the staff member's card until a number is finished at the window, then the five
    levels for its applicant."""
    center = center_or_404(request)
    window = _window(request, center, window_id)
    staff = staff_of(request.user)
    if staff is not None and staff.center_id != center.pk:
        staff = None
    context = {
        "center": center,
        "window": window,
        "staff": staff,
        "after": selectors.last_finish_id(window=window),
        "photo_url": reverse("org:staff_photo", args=[staff.pk])
        if staff is not None and staff.photo
        else None,
        "levels": RatingLevel.choices,
        # The applicant holds the screen: the calendar notice is the office's, not theirs.
        "calendar_warnings": [],
    }
    return render(request, "queueing/desk/pad.html", context)


def _not_finished_message() -> str:
    return _("Once the case is completed, scan the QR code on the receipt to rate it.")


@perm_required(CALL)
@require_GET
@never_cache
def pad_state(request: HttpRequest, window_id: int) -> JsonResponse:
    """What the pad shows now: {"after": the last finish seen, "ask": the number to rate or
    null}. Polled every second."""
    center = center_or_404(request)
    window = _window(request, center, window_id)
    raw = request.GET.get("after", "")
    after = int(raw) if raw.isdigit() and len(raw) < 12 else 0
    seen, ticket = selectors.pad_next(window=window, after=after, since=clock_now() - PAD_LOOKBACK)
    ask = None
    if ticket is not None:
        case = ticket.case
        ratable = case is None or case.status in RATABLE
        ask = {
            "ticket": ticket.pk,
            "number": ticket.number,
            "what": (case.item.name if case else _("Consultation")),
            "ratable": ratable,
            "message": "" if ratable else _not_finished_message(),
        }
    return JsonResponse({"after": seen, "ask": ask})


@perm_required(CALL)
@require_POST
def pad_rate(request: HttpRequest, window_id: int) -> HttpResponse:
    """The applicant's tap: the rating kept on the case (or consultation), its staff member and
    the number."""
    center = center_or_404(request)
    window = _window(request, center, window_id)
    raw_ticket, raw_level = request.POST.get("ticket", ""), request.POST.get("level", "")
    ticket = (
        Ticket.objects.filter(
            pk=int(raw_ticket), window=window, status=TicketStatus.DONE, day=local_day(clock_now())
        )
        .select_related("case", "consultation")
        .first()
        if raw_ticket.isdigit() and len(raw_ticket) < 10
        else None
    )
    ok, status = False, 200
    if ticket is None:
        message, status = _("This number cannot be rated here."), 404
    elif not raw_level.isdigit() or int(raw_level) not in RatingLevel.values:
        message, status = _("Choose how satisfied you are."), 400
    elif ticket.rating_id is not None:
        ok, message = True, _("Thank you for your rating!")
    else:
        try:
            with transaction.atomic():
                rating = rating_submit(
                    by=request.user,
                    case=ticket.case,
                    consultation=ticket.consultation,
                    level=int(raw_level),
                    channel=RatingChannel.WINDOW,
                )
                services.ticket_rated(ticket=ticket, rating_id=rating.pk)
        except DomainError as error:
            message, status = error.message, 409
            if error.field == "status":
                message = _not_finished_message()
        else:
            ok, message = True, _("Thank you for your rating!")
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"ok": ok, "message": message}, status=status)
    (messages.success if ok else messages.error)(request, message)
    return redirect("queueing:pad", window_id=window.pk)
