"""Window screens: the desk (queue, intake, one-tap consultations), the case list, the case page
with its actions, printable notices and the consultations page. Thin: parse, call one service or
selector, render."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from govhall.cases import notices, selectors, services
from govhall.cases.choices import CaseStatus, ConsultationChannel, SuspensionKind
from govhall.cases.forms import (
    ActionForm,
    CompleteForm,
    ConsultationForm,
    ExtendForm,
    IntakeForm,
    ReasonForm,
    StepForm,
    SupplementForm,
    SuspendForm,
    UploadReviewForm,
    lines,
)
from govhall.cases.models import Case, SupplementUpload
from govhall.cases.upload_review import supplement_upload_review
from govhall.catalog.choices import HandlingType
from govhall.core import once
from govhall.core.access import perm_required
from govhall.core.calendar import get_calendar
from govhall.core.errors import DomainError, form_error
from govhall.core.keyset import keyset_page
from govhall.core.qr import public_url, qr_svg
from govhall.core.text import mask_id_number, mask_phone
from govhall.core.views import PAGE_SIZE, paginate
from govhall.org.hours import hours_of
from govhall.org.models import Center, Staff, Unit
from govhall.org.scoping import scope_for, scoped
from govhall.org.selectors import center_or_404

DESK_PAGE_SIZE = 50


# --- helpers ----------------------------------------------------------------------------------


def _staff(request: HttpRequest) -> Staff | None:
    """The logged-in person's staff record with unit and window (office users have none)."""
    cached = getattr(request, "_cases_staff", False)
    if cached is False:
        cached = (
            Staff.objects.select_related("unit", "window").filter(user_id=request.user.pk).first()
        )
        request._cases_staff = cached  # type: ignore[attr-defined]
    return cached


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _id_display(user: Any, value: str) -> str:
    """ID numbers in full only to those who need them (cases.view_id_number)."""
    if not value or user.has_perm("cases.view_id_number"):
        return value
    return mask_id_number(value)


def _phone_display(user: Any, value: str) -> str:
    if not value or user.has_perm("cases.view_id_number"):
        return value
    return mask_phone(value)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@dataclass(frozen=True)
class Row:
    """A case as a list shows it."""

    case: Case
    clock: selectors.Clock
    id_number: str


def _rows(request: HttpRequest, center: Center, cases: Any) -> list[Row]:
    calendar, hours, now = get_calendar(center), hours_of(center), timezone.now()
    return [
        Row(
            case,
            selectors.clock_of(case, calendar=calendar, hours=hours, now=now),
            _id_display(request.user, case.applicant_id_number),
        )
        for case in cases
    ]


def _intake_units(
    request: HttpRequest, center: Center, unit_id: int | None
) -> frozenset[int] | None:
    """Whose items the intake search offers: the staff's unit, the unit chosen, else all in scope."""
    staff = _staff(request)
    if staff is not None:
        return frozenset({staff.unit_id})
    if unit_id:
        return frozenset({unit_id})
    scope = scope_for(request.user)
    if scope.everything or center.pk in scope.wide_center_ids:
        return None
    return scope.unit_ids


def _chosen_unit(request: HttpRequest, center: Center, raw: str | None) -> Unit | None:
    """The unit picked in a filter, if the person may see it."""
    unit_id = _int(raw)
    if unit_id is None:
        return None
    return selectors.unit_choices(user=request.user, center=center).filter(pk=unit_id).first()


# --- the desk ---------------------------------------------------------------------------------


def _desk_context(
    request: HttpRequest, center: Center, *, intake_form: IntakeForm | None = None
) -> dict[str, Any]:
    user = request.user
    staff = _staff(request)
    params = request.POST if request.method == "POST" else request.GET
    unit = None if staff else _chosen_unit(request, center, params.get("unit"))
    unit_id = staff.unit_id if staff else (unit.pk if unit else None)
    page = paginate(
        request, selectors.desk_queue(user=user, center=center, unit_id=unit_id), DESK_PAGE_SIZE
    )
    context: dict[str, Any] = {
        "page": page,
        "rows": _rows(request, center, page.object_list),
        "staff": staff,
        "unit": unit if unit else (staff.unit if staff else None),
        "units": None if staff else selectors.unit_choices(user=user, center=center),
        "can_handle": user.has_perm("cases.handle_case"),
        "can_consult": user.has_perm("cases.add_consultation") and unit_id is not None,
    }
    if context["can_handle"]:
        q = request.GET.get("q", "").strip()[:50]
        unit_ids = _intake_units(request, center, unit_id)
        results = selectors.intake_items(center=center, q=q, unit_ids=unit_ids) if q else []
        item = intake_form.item if intake_form else None
        chosen = _int(request.GET.get("item"))
        if item is None and chosen is None and len(results) == 1:
            chosen = results[0].pk
        if item is None and chosen is not None:
            item = selectors.intake_item(center=center, pk=chosen, unit_ids=unit_ids)
        if intake_form is None and item is not None:
            intake_form = IntakeForm(item=item, choose_window=staff is None)
        context.update(q=q, results=results, item=item, intake_form=intake_form)
    if context["can_consult"]:
        context["consultations_today"] = selectors.consultations_today(
            user=user, center=center, unit_id=unit_id, now=timezone.now()
        )
        context["consult_form"] = ConsultationForm(units=None, auto_id="consult_%s")
    return context


@perm_required("cases.view_case")
def desk(request: HttpRequest) -> HttpResponse:
    """The window's queue (nearest deadline first), the intake form and one-tap consultations."""
    center = center_or_404(request)
    return render(request, "cases/desk.html", _desk_context(request, center))


@perm_required("cases.handle_case")
@require_POST
def intake(request: HttpRequest) -> HttpResponse:
    """收件 — and 受理 at once when every required material is in, or 一次性告知 for the rest."""
    center = center_or_404(request)
    staff = _staff(request)
    unit = None if staff else _chosen_unit(request, center, request.POST.get("unit"))
    unit_ids = _intake_units(
        request, center, staff.unit_id if staff else (unit.pk if unit else None)
    )
    item = selectors.intake_item(
        center=center, pk=_int(request.POST.get("item")) or 0, unit_ids=unit_ids
    )
    if item is None:
        messages.error(request, _("Choose the item again: it is no longer open for applications."))
        return redirect("cases:desk")
    form = IntakeForm(request.POST, item=item, choose_window=staff is None)
    action = request.POST.get("action", "accept")
    if not form.is_valid():
        return _desk_error(request, center, form)
    missing = form.unticked_required()
    materials: list[str] = []
    if action == "supplement":
        materials = lines(form.cleaned_data["missing"]) or missing
        if not materials:
            form.add_error("missing", _("Nothing is missing: receive and accept the application."))
            return _desk_error(request, center, form)
    elif missing:
        # Nothing is registered yet: offer the one-time notice with the unticked materials.
        data = request.POST.copy()
        if not lines(data.get("missing", "")):
            data["missing"] = "\n".join(missing)
        form = IntakeForm(data, item=item, choose_window=staff is None)
        form.is_valid()
        form.add_error(
            "materials",
            _(
                "Required materials are not ticked: {names}. Tick them, or issue a one-time "
                "supplement notice for them."
            ).format(names="、".join(missing)),
        )
        return _desk_error(request, center, form, offer_supplement=True)
    data = form.cleaned_data

    def receive() -> str:
        with transaction.atomic():
            case = services.case_receive(
                by=request.user,
                item=item,
                applicant_name=data["applicant_name"],
                applicant_id_number=data["applicant_id_number"],
                applicant_phone=data["applicant_phone"],
                agent_name=data["agent_name"],
                agent_id_number=data["agent_id_number"],
                agent_phone=data["agent_phone"],
                channel=data["channel"],
                window=data.get("window"),
            )
            if action == "supplement":
                services.case_request_supplement(
                    by=request.user, case=case, materials=materials, note=data["note"]
                )
            else:
                case = services.case_accept(by=request.user, case=case)
        return str(case.pk)

    try:
        outcome = once.submit_once(request=request, purpose="cases.intake", create=receive)
    except DomainError as error:
        form_error(form, error)
        return _desk_error(request, center, form, offer_supplement=action == "supplement")
    if outcome.repeated:
        # A second click on the same form: the case of the first one, nothing new.
        messages.info(request, _("This application was already received: here is its case."))
        return redirect("cases:case_detail", pk=int(outcome.result))
    case = Case.objects.get(pk=int(outcome.result))
    if action == "supplement":
        messages.success(
            request,
            _(
                "Case {number} received; print the one-time supplement notice for the applicant."
            ).format(number=case.number),
        )
    else:
        messages.success(
            request,
            _("Case {number} accepted; print the receipt for the applicant.").format(
                number=case.number
            ),
        )
    return redirect("cases:case_detail", pk=case.pk)


def _desk_error(
    request: HttpRequest, center: Center, form: IntakeForm, *, offer_supplement: bool = False
) -> HttpResponse:
    context = _desk_context(request, center, intake_form=form)
    context["offer_supplement"] = offer_supplement
    return render(request, "cases/desk.html", context, status=400)


# --- consultations -------------------------------------------------------------------------------


@perm_required("cases.add_consultation")
@require_POST
def consultation_log(request: HttpRequest) -> HttpResponse:
    """+1 咨询 (or several person-times with a topic) at the person's unit."""
    center = center_or_404(request)
    staff = _staff(request)
    units = None if staff else selectors.unit_choices(user=request.user, center=center)
    form = ConsultationForm(request.POST, units=units)
    fallback = reverse("cases:consultations")
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{' '.join(errors)}" if label else " ".join(errors))
        return redirect(_safe_next(request, fallback))
    unit = staff.unit if staff else form.cleaned_data["unit"]
    try:
        services.consultation_log(
            by=request.user,
            unit=unit,
            topic=form.cleaned_data["topic"],
            person_times=form.cleaned_data["person_times"],
            channel=form.cleaned_data["channel"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Consultation logged: {n} person-times at {unit}.").format(
                n=form.cleaned_data["person_times"], unit=unit.name
            ),
        )
    return redirect(_safe_next(request, fallback))


@perm_required("cases.view_consultation")
def consultations(request: HttpRequest) -> HttpResponse:
    """The consultations of a month with filters, the month's totals and the quick-log form."""
    center = center_or_404(request)
    staff = _staff(request)
    today = timezone.localdate()
    month = _date((request.GET.get("month") or "") + "-01") or today.replace(day=1)
    unit = _chosen_unit(request, center, request.GET.get("unit"))
    channel = request.GET.get("channel", "")
    filters = selectors.ConsultationFilters(
        month=month,
        unit_id=unit.pk if unit else None,
        staff_id=_int(request.GET.get("staff")),
        channel=channel if channel in ConsultationChannel.values else "",
        q=request.GET.get("q", "").strip()[:50],
    )
    rows = selectors.consultation_list(user=request.user, center=center, filters=filters)
    units = selectors.unit_choices(user=request.user, center=center)
    can_log = request.user.has_perm("cases.add_consultation")
    staff_members = scoped(Staff.objects.filter(center=center), request.user).select_related("unit")
    if unit:
        staff_members = staff_members.filter(unit=unit)
    context = {
        "page": paginate(request, rows),
        "totals": selectors.consultation_totals(rows),
        "by_unit": selectors.consultation_by_unit(rows),
        "month": month,
        "units": units,
        "staff_members": staff_members,
        "channels": ConsultationChannel.choices,
        "filters": filters,
        "form": ConsultationForm(units=None if staff else units) if can_log else None,
        "staff": staff,
    }
    return render(request, "cases/consultations.html", context)


# --- the case list -------------------------------------------------------------------------------


@perm_required("cases.view_case")
def case_list(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    unit = _chosen_unit(request, center, request.GET.get("unit"))
    status = request.GET.get("status", "")
    filters = selectors.CaseFilters(
        status=status if status in CaseStatus.values else "",
        unit_id=unit.pk if unit else None,
        item_id=_int(request.GET.get("item")),
        received_from=_date(request.GET.get("from")),
        received_to=_date(request.GET.get("to")),
        q=request.GET.get("q", "").strip()[:50],
    )
    cursor = request.GET.get("cursor") or None
    try:
        # Keyset pages: page 4,000 costs what page 1 costs, and no COUNT over the whole list.
        page = keyset_page(
            selectors.case_list(user=request.user, center=center, filters=filters),
            selectors.CASE_LIST_ORDER,
            cursor,
            size=PAGE_SIZE,
        )
    except DomainError as error:
        return HttpResponseBadRequest(error.message)
    context = {
        "page": page,
        "cursor": cursor,
        "rows": _rows(request, center, page.rows),
        "filters": filters,
        "statuses": CaseStatus.choices,
        "units": selectors.unit_choices(user=request.user, center=center),
        "items": selectors.item_choices(user=request.user, center=center, unit_id=filters.unit_id),
    }
    return render(request, "cases/case_list.html", context)


# --- the case page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionSpec:
    label: Any
    form_class: type[ActionForm]
    service: Callable[..., Any]
    danger: bool = False


ACTIONS: dict[str, ActionSpec] = {
    "accept": ActionSpec(gettext_lazy("Accept"), ActionForm, services.case_accept),
    "reject": ActionSpec(gettext_lazy("Do not accept"), ReasonForm, services.case_reject, True),
    "request_supplement": ActionSpec(
        gettext_lazy("One-time supplement notice"), SupplementForm, services.case_request_supplement
    ),
    "supplement_complete": ActionSpec(
        gettext_lazy("Materials complete"), ActionForm, services.case_supplement_complete
    ),
    "record_step": ActionSpec(gettext_lazy("Record a step"), StepForm, services.case_record_step),
    "suspend": ActionSpec(
        gettext_lazy("Start a special procedure"), SuspendForm, services.case_suspend
    ),
    "resume": ActionSpec(
        gettext_lazy("End the special procedure"), ActionForm, services.case_resume
    ),
    "extend": ActionSpec(gettext_lazy("Extend the time limit"), ExtendForm, services.case_extend),
    "complete": ActionSpec(gettext_lazy("Complete"), CompleteForm, services.case_complete),
    "return": ActionSpec(gettext_lazy("Return"), ReasonForm, services.case_return, True),
    "withdraw": ActionSpec(gettext_lazy("Withdraw"), ReasonForm, services.case_withdraw, True),
    "void": ActionSpec(gettext_lazy("Void"), ReasonForm, services.case_void, True),
}

# DomainError fields that a form names differently.
FIELD_ALIASES = {"name": "other"}


def _open_pause(case: Case) -> Any:
    return next((p for p in case.pauses.all() if p.ended_at is None), None)


def possible_actions(case: Case) -> list[str]:
    """The transitions the case's status allows (services.ALLOWED), less those that cannot apply."""
    pause = _open_pause(case)
    found = []
    for action in ACTIONS:
        if case.status not in services.ALLOWED[action]:
            continue
        if action == "extend" and (
            case.handling_type != HandlingType.PROMISED or hasattr(case, "extension")
        ):
            continue
        if action == "resume" and (pause is None or pause.kind == SuspensionKind.SUPPLEMENT):
            continue
        if (
            action == "supplement_complete"
            and case.status == CaseStatus.SUSPENDED
            and (pause is None or pause.kind != SuspensionKind.SUPPLEMENT)
        ):
            continue
        found.append(action)
    return found


def _action_form(case: Case, action: str, data: Any = None) -> ActionForm:
    spec = ACTIONS[action]
    kwargs: dict[str, Any] = {"prefix": action}
    if spec.form_class is SupplementForm:
        kwargs["materials"] = list(case.item_version.materials.all())
    elif spec.form_class is StepForm:
        kwargs["steps"] = list(case.item_version.steps.all())
    return spec.form_class(data, **kwargs)


def _case(request: HttpRequest, pk: int) -> Case:
    case = selectors.case_detail(user=request.user, center=center_or_404(request), pk=pk)
    if case is None:
        raise Http404
    return case


def _available_notices(case: Case) -> list[dict[str, Any]]:
    found = []
    for kind, title in notices.TITLES.items():
        try:
            notices.build(kind, case, upload_url_for=lambda token: token)
        except notices.NoticeUnavailable:
            continue
        found.append({"kind": kind, "title": title})
    return found


def _case_page(
    request: HttpRequest,
    case: Case,
    *,
    bound: tuple[str, ActionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    can_handle = user.has_perm("cases.handle_case")
    actions = []
    if can_handle:
        for action in possible_actions(case):
            form = bound[1] if bound and bound[0] == action else _action_form(case, action)
            spec = ACTIONS[action]
            actions.append(
                {
                    "name": action,
                    "label": spec.label,
                    "form": form,
                    "danger": spec.danger,
                    "open": bool(bound and bound[0] == action),
                }
            )
    calendar, hours = get_calendar(case.center_id), hours_of(case.center)
    context = {
        "case": case,
        "clock": selectors.clock_of(case, calendar=calendar, hours=hours, now=timezone.now()),
        "id_number": _id_display(user, case.applicant_id_number),
        "phone": _phone_display(user, case.applicant_phone),
        "agent_id_number": _id_display(user, case.agent_id_number),
        "agent_phone": _phone_display(user, case.agent_phone),
        "events": [(e, services.ACTION_NAMES.get(e.action, e.action)) for e in case.events.all()],
        "steps": case.steps.all(),
        "pauses": case.pauses.all(),
        "extension": getattr(case, "extension", None),
        "supplements": [
            {
                "notice": n,
                "url": public_url(request, reverse("service:supplement", args=[n.token])),
                "uploads": list(n.uploads.all()),
            }
            for n in case.supplements.all()
        ],
        "actions": actions,
        "can_handle": can_handle,
        "review_form": UploadReviewForm() if can_handle else None,
        "notices": _available_notices(case),
        "ratable": case.status in RATABLE,
    }
    return render(request, "cases/case_detail.html", context, status=status)


# A closed case the applicant can rate at the window's pad (好差评).
RATABLE = frozenset({CaseStatus.COMPLETED, CaseStatus.REJECTED, CaseStatus.RETURNED})


@perm_required("cases.view_case")
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, _case(request, pk))


@perm_required("cases.handle_case")
@require_POST
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One transition of the case, through its service; refusals are shown and change nothing."""
    if action not in ACTIONS:
        raise Http404
    case = _case(request, pk)
    form = _action_form(case, action, request.POST)
    if not form.is_valid():
        return _case_page(request, case, bound=(action, form), status=400)
    try:
        ACTIONS[action].service(by=request.user, case=case, **form.arguments())
    except DomainError as error:
        if action in possible_actions(case):
            form_error(form, error, aliases=FIELD_ALIASES)
        else:
            messages.error(request, error.message)
        return _case_page(request, _case(request, pk), bound=(action, form), status=400)
    messages.success(
        request,
        _("{action}: done.").format(action=services.ACTION_NAMES.get(action, action)),
    )
    return redirect("cases:case_detail", pk=pk)


@perm_required("cases.handle_case")
@require_POST
def upload_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept a file sent through the notice's link, or ask for it again."""
    center = center_or_404(request)
    upload = (
        scoped(
            SupplementUpload.objects.filter(notice__case__center=center),
            request.user,
            center="notice__case__center",
            unit="notice__case__unit",
        )
        .select_related("notice__case")
        .filter(pk=pk)
        .first()
    )
    if upload is None:
        raise Http404
    form = UploadReviewForm(request.POST)
    case_url = reverse("cases:case_detail", kwargs={"pk": upload.notice.case_id}) + "#supplements"
    if not form.is_valid():
        messages.error(request, _("Choose whether to accept the file."))
        return redirect(case_url)
    try:
        supplement_upload_review(
            by=request.user,
            upload=upload,
            accepted=form.cleaned_data["decision"] == "accept",
            note=form.cleaned_data["note"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("{material}: review recorded.").format(material=upload.material)
        )
    return redirect(case_url)


# --- notices ----------------------------------------------------------------------------------


@perm_required("cases.view_case")
def notice(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """One printable notice of the case; 404 when the case gives no ground for it."""
    if kind not in notices.TITLES:
        raise Http404
    case = _case(request, pk)
    try:
        built = notices.build(
            kind,
            case,
            upload_url_for=lambda token: public_url(
                request, reverse("service:supplement", args=[token])
            ),
            chosen=_int(request.GET.get("n")),
        )
    except notices.NoticeUnavailable as error:
        raise Http404(str(error)) from error
    context = {
        "case": case,
        "notice": built,
        "qr": qr_svg(built.link, title=_("Upload the missing materials")) if built.link else "",
    }
    # The applicant rates the service from the receipt (好差评), without an account.
    context["ratable_notice"] = kind in ("receipt", "delivery")
    return render(request, "cases/notice.html", context)
