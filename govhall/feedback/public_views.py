"""Public pages without login (kiosk and web): rate a case from its receipt's QR code or by its
number and phone digits, send a complaint or a message, and read the answer by its code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from govhall.cases.public_services import RateLimited
from govhall.cases.views.public import KIOSK_CENTER_COOKIE
from govhall.core import once
from govhall.core.errors import DomainError, form_error
from govhall.core.ratelimit import client_ip
from govhall.core.text import mask_name
from govhall.feedback import selectors, services
from govhall.feedback.choices import FeedbackStatus, RatingChannel
from govhall.feedback.forms import CodeForm, RateLookupForm, RatingForm, ReopenForm, WriteForm
from govhall.feedback.models import Feedback
from govhall.feedback.tokens import case_for_token, rating_token
from govhall.org.models import Center, Unit

SESSION_CODES = "feedback_codes"
RETRY_AFTER = "600"


def _public_center(request: HttpRequest) -> Center:
    """The center the visitor chose (`?center=`, else the kiosk's), or the first one set up."""
    centers = {str(c.pk): c for c in Center.objects.filter(is_active=True).order_by("pk")}
    if not centers:
        raise Http404(_("No service center is open yet."))
    asked = request.GET.get("center") or request.COOKIES.get(KIOSK_CENTER_COOKIE, "")
    return centers.get(asked) or next(iter(centers.values()))


def _render(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    center: Center,
    status: int = 200,
) -> HttpResponse:
    context = {"center": center, "current_center": center, **context}
    response = render(request, template, context, status=status)
    if status == 429:
        response["Retry-After"] = RETRY_AFTER
    return response


def home(request: HttpRequest) -> HttpResponse:
    """What the public can say to the hall: rate a service, complain, leave a message."""
    center = _public_center(request)
    return _render(request, "feedback/public_home.html", {}, center=center)


# --- ratings ----------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def rate_lookup(request: HttpRequest) -> HttpResponse:
    """Case number + the phone's last 4 digits → the case's rating page (POST: they stay out of
    addresses and logs). Rate-limited like the progress lookup."""
    center = _public_center(request)
    form = RateLookupForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            case = services.rating_lookup(
                number=form.cleaned_data["number"],
                digits=form.cleaned_data["digits"],
                client=client_ip(request),
            )
        except RateLimited as error:
            context.update(limited=error.message, form=RateLookupForm())
            status = 429
        except DomainError as error:
            if error.field:
                form_error(form, error)
            else:
                context["not_found"] = error.message
            status = 400
        else:
            return redirect(reverse("public_feedback:rate", args=[rating_token(case)]) + "?via=web")
    return _render(
        request, "feedback/public_rate_lookup.html", context, center=center, status=status
    )


@dataclass(frozen=True)
class CaseSummary:
    """What the rating page tells about the case: enough to recognise it, nothing personal."""

    number: str
    item: str
    unit: str
    window: str
    applicant: str
    status_label: str


def _summary(case: Any) -> CaseSummary:
    return CaseSummary(
        number=case.number,
        item=case.item.name,
        unit=case.unit.name,
        window=case.window.name if case.window else "",
        applicant=mask_name(case.applicant_name),
        status_label=str(case.get_status_display()),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, token: str) -> HttpResponse:
    """The page the receipt's QR code opens: rate the case once it is finished. The signed token
    is the only key; a forged or altered one is 404."""
    case = case_for_token(token)
    if case is None:
        raise Http404(
            _("This link is not valid. Check the QR code or the address on your receipt.")
        )
    channel = RatingChannel.WEB if request.GET.get("via") == "web" else RatingChannel.QR
    existing = selectors.rating_of_case(case)
    form = RatingForm(request.POST or None)
    context: dict[str, Any] = {
        "case": _summary(case),
        "form": form,
        "existing": existing,
        "ratable": case.status in services.RATABLE,
        "action": request.get_full_path(),
    }
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                # A second tap on the same page is thanked like the first, not refused.
                once.submit_once(
                    request=request,
                    purpose="feedback.rate",
                    create=lambda: str(
                        services.rating_submit(
                            by=None,
                            case=case,
                            level=form.cleaned_data["level"],
                            tags=form.cleaned_data["tags"],
                            comment=form.cleaned_data["comment"],
                            channel=channel,
                        ).pk
                    ),
                )
            except DomainError as error:
                context["refused"] = error.message
                context["existing"] = selectors.rating_of_case(case)
                status = 409
            else:
                return redirect(reverse("public_feedback:rated") + f"?center={case.center_id}")
        else:
            status = 400
    return _render(request, "feedback/public_rate.html", context, center=case.center, status=status)


def rated(request: HttpRequest) -> HttpResponse:
    center = _public_center(request)
    return _render(request, "feedback/public_rated.html", {}, center=center)


# --- complaints and messages -------------------------------------------------------------------


def _units(center: Center) -> Any:
    return Unit.objects.filter(center=center, is_active=True).order_by("position", "sort_key")


@never_cache
@require_http_methods(["GET", "POST"])
def write(request: HttpRequest) -> HttpResponse:
    """投诉 or 留言 on the kiosk or the web; the reference code follows."""
    center = _public_center(request)
    form = WriteForm(
        request.POST or None,
        units=_units(center),
        initial={"kind": request.GET.get("kind", "message")},
    )
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.method == "POST":
        if form.trapped():
            # A robot filled the hidden field: nothing is stored, and it learns nothing.
            context.update(
                refused=_("Your message could not be sent."), form=WriteForm(units=_units(center))
            )
            return _render(
                request, "feedback/public_write.html", context, center=center, status=400
            )
        if form.is_valid():
            data = form.cleaned_data

            def submit() -> str:
                return services.feedback_submit(
                    center=center,
                    kind=data["kind"],
                    unit=data["unit"],
                    subject=data["subject"],
                    content=data["content"],
                    name=data["name"],
                    phone=data["phone"],
                    client=client_ip(request),
                ).code

            try:
                # A second click on the same page shows the first one's code, sending nothing.
                code = once.submit_once(
                    request=request, purpose="feedback.write", create=submit
                ).result
            except RateLimited as error:
                context["limited"] = error.message
                status = 429
            except DomainError as error:
                form_error(form, error)
                status = 400
            else:
                if code not in request.session.get(SESSION_CODES, []):
                    codes = [*request.session.get(SESSION_CODES, [])[-9:], code]
                    request.session[SESSION_CODES] = codes
                return redirect("public_feedback:written", code=code)
        else:
            status = 400
    return _render(request, "feedback/public_write.html", context, center=center, status=status)


@never_cache
def written(request: HttpRequest, code: str) -> HttpResponse:
    """The reference code, shown once to the browser that sent the complaint or message."""
    if code not in request.session.get(SESSION_CODES, []):
        raise Http404(_("Nothing to show."))
    feedback = Feedback.objects.select_related("center").filter(code=code).first()
    if feedback is None:
        raise Http404(_("Nothing to show."))
    context = {"feedback": feedback}
    return _render(request, "feedback/public_written.html", context, center=feedback.center)


@dataclass(frozen=True)
class PublicView:
    """What the holder of a reference code may read."""

    code: str
    kind: str
    kind_label: str
    subject: str
    content: str
    name: str
    status: str
    status_label: str
    submitted_at: Any
    answer_due: Any
    unit: str
    entries: list[Any]
    can_respond: bool
    reopens_left: int


def _public_view(feedback: Feedback) -> PublicView:
    limit = selectors.settings_of(feedback.center).max_reopens
    answered = feedback.status == FeedbackStatus.ANSWERED
    return PublicView(
        code=feedback.code,
        kind=feedback.kind,
        kind_label=str(feedback.get_kind_display()),
        subject=feedback.subject,
        content=feedback.content,
        name=mask_name(feedback.name),
        status=feedback.status,
        status_label=str(feedback.get_status_display()),
        submitted_at=feedback.submitted_at,
        answer_due=feedback.answer_due if feedback.is_waiting else None,
        unit=(feedback.unit.full_name or feedback.unit.name) if feedback.unit else "",
        entries=[
            (e, services.ACTION_NAMES.get(e.action, e.action))
            for e in feedback.entries.filter(public=True)
        ],
        can_respond=answered,
        reopens_left=max(0, limit - feedback.reopen_count) if answered else 0,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest) -> HttpResponse:
    """Read a complaint's or message's answer by its reference code; then say you are satisfied,
    or reopen it. Every POST carries the code again and counts against the lookup limit."""
    center = _public_center(request)
    form = CodeForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    context: dict[str, Any] = {"form": form, "reopen_form": ReopenForm()}
    status = 200
    if request.method == "POST" and not form.is_valid():
        status = 400
    elif request.method == "POST":
        try:
            feedback = services.feedback_by_code(
                code=form.cleaned_data["code"], client=client_ip(request)
            )
        except RateLimited as error:
            context.update(limited=error.message, form=CodeForm())
            status = 429
        except DomainError as error:
            form_error(form, error)
            status = 400
        else:
            center = feedback.center
            status = _respond(request, feedback, context)
            feedback.refresh_from_db()
            context["view"] = _public_view(feedback)
    return _render(request, "feedback/public_answer.html", context, center=center, status=status)


def _respond(request: HttpRequest, feedback: Feedback, context: dict[str, Any]) -> int:
    """The submitter's verdict on the answer, if the POST carries one; the page's status."""
    action = request.POST.get("action", "read")
    try:
        if action == "accept":
            services.feedback_accept(feedback=feedback)
            context["done"] = _("Thank you: the matter is closed.")
        elif action == "reopen":
            reopen_form = ReopenForm(request.POST)
            context["reopen_form"] = reopen_form
            if not reopen_form.is_valid():
                return 400
            services.feedback_reopen(feedback=feedback, reason=reopen_form.cleaned_data["reason"])
            context["done"] = _("Sent back: the unit will answer again.")
            context["reopen_form"] = ReopenForm()
    except DomainError as error:
        context["refused"] = error.message
        return 409
    return 200
