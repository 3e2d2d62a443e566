"""Oversight pages: inspections; unit leaders, the hall screen's code, the leaders' sign-in
(logged in, or by a texted link), the month report and the quotas."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from govhall.core.access import perm_required
from govhall.core.errors import DomainError, form_error
from govhall.core.months import parse_month, shift_month
from govhall.core.qr import public_url
from govhall.core.text import mask_phone
from govhall.core.uploads import IMAGES, file_response
from govhall.core.views import paginate
from govhall.org.choices import Role
from govhall.org.models import Center, Staff, Unit, Window
from govhall.org.scoping import scoped
from govhall.org.selectors import center_or_404
from govhall.oversight import codes, selectors, services
from govhall.oversight.choices import (
    DEFAULT_POINTS,
    InspectionStatus,
    LeaderRole,
    LinkPurpose,
    ViolationKind,
)
from govhall.oversight.forms import (
    InspectionEditForm,
    InspectionForm,
    LeaderForm,
    LinkRequestForm,
    NotesForm,
    QuotaForm,
    ReasonForm,
    RecordForm,
)
from govhall.oversight.models import Inspection, UnitLeader

TICKET_SESSION_KEY = "govhall_patrol_ticket"
SENT_SESSION_KEY = "govhall_patrol_sent"


def _units(request: HttpRequest, center: Center) -> Any:
    return scoped(Unit.objects.filter(center=center), request.user, unit="id").order_by(
        "position", "sort_key"
    )


def _month_param(request: HttpRequest, *, default_current: bool) -> dt.date | None | bool:
    """The ?month=YYYY-MM filter: a date, None when absent (and not defaulted), False if bad."""
    raw = request.GET.get("month", "").strip()
    if not raw:
        return timezone.localdate().replace(day=1) if default_current else None
    return parse_month(raw) or False


def _unit_param(request: HttpRequest) -> int | None | bool:
    raw = request.GET.get("unit", "").strip()
    if not raw:
        return None
    return int(raw) if raw.isdigit() else False


def _form_page(request: HttpRequest, form: forms.Form, title: str, cancel_url: str) -> HttpResponse:
    return render(
        request, "oversight/form.html", {"form": form, "title": title, "cancel_url": cancel_url}
    )


# --- inspections (日常巡查) -------------------------------------------------------------------


def _inspection_form_choices(
    request: HttpRequest, center: Center, current: Inspection | None = None
) -> dict[str, Any]:
    # A correction may keep the person recorded even if they have left the hall since.
    people = (
        Q(is_active=True) | Q(pk=current.staff_id)
        if current and current.staff_id
        else Q(is_active=True)
    )
    return {
        "staff": scoped(Staff.objects.filter(people, center=center), request.user)
        .select_related("unit")
        .order_by("unit__position", "unit__sort_key", "sort_key"),
        "windows": scoped(
            Window.objects.filter(center=center, is_active=True), request.user
        ).select_related("unit"),
        "units": _units(request, center).filter(is_active=True),
    }


def _inspection(request: HttpRequest, pk: int) -> Inspection:
    inspection = selectors.inspection_get(user=request.user, center=center_or_404(request), pk=pk)
    if inspection is None:
        raise Http404
    return inspection


@perm_required("oversight.view_inspection")
def inspection_list(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    month, unit_id = _month_param(request, default_current=False), _unit_param(request)
    kind, status = request.GET.get("kind", ""), request.GET.get("status", "")
    if (
        month is False
        or unit_id is False
        or (kind and kind not in ViolationKind.values)
        or (status and status not in InspectionStatus.values)
    ):
        return HttpResponseBadRequest(_("Unknown filter value."))
    inspections = selectors.inspection_list(
        user=request.user, center=center, month=month or None, unit_id=unit_id or None,
        kind=kind, status=status,
    )  # fmt: skip
    context = {
        "page": paginate(request, inspections),
        "units": _units(request, center),
        "kinds": ViolationKind.choices,
        "statuses": InspectionStatus.choices,
        "filters": {"month": month or None, "unit": unit_id, "kind": kind, "status": status},
        "print_month": (month or timezone.localdate()).strftime("%Y-%m"),
    }
    return render(request, "oversight/inspection_list.html", context)


@perm_required("oversight.view_inspection")
def inspection_print(request: HttpRequest) -> HttpResponse:
    """The month's standing violations by name (实名通报), ready to print."""
    center = center_or_404(request)
    month = _month_param(request, default_current=True)
    if not month:
        return HttpResponseBadRequest(_("Give the month as YYYY-MM."))
    visible = set(_units(request, center).values_list("pk", flat=True))
    rows = [v for v in selectors.violations(center=center, month=month) if v.unit_id in visible]
    totals: dict[str, Any] = {}
    for row in rows:
        totals[row.unit] = totals.get(row.unit, 0) + row.points
    context = {
        "center": center,
        "month": month,
        "rows": rows,
        "totals": sorted(totals.items(), key=lambda item: (-item[1], item[0])),
        "total_points": sum((r.points for r in rows), start=0),
        "previous": shift_month(month, -1).strftime("%Y-%m"),
        "next": shift_month(month, 1).strftime("%Y-%m"),
    }
    return render(request, "oversight/inspection_print.html", context)


@perm_required("oversight.view_inspection")
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    return render(
        request,
        "oversight/inspection_detail.html",
        {
            "inspection": inspection,
            "can_change": request.user.has_perm("oversight.change_inspection")
            and not inspection.is_withdrawn,
        },
    )


@perm_required("oversight.add_inspection")
def inspection_create_view(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    kind = request.GET.get("kind", ViolationKind.LATE_OR_EARLY)
    initial = {
        "kind": kind,
        "occurred_at": timezone.localtime().replace(second=0, microsecond=0),
        "points": DEFAULT_POINTS.get(kind, DEFAULT_POINTS[ViolationKind.OTHER]),
    }
    form = InspectionForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        **_inspection_form_choices(request, center),
    )
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_create(
                by=request.user, center=center, **form.cleaned_data
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Inspection recorded."))
            return redirect("oversight:inspection_detail", inspection.pk)
    return _form_page(
        request, form, _("Record an inspection"), reverse("oversight:inspection_list")
    )


@perm_required("oversight.change_inspection")
def inspection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    center = center_or_404(request)
    initial = {
        "kind": inspection.kind,
        "occurred_at": timezone.localtime(inspection.occurred_at),
        "staff": inspection.staff,
        "window": inspection.window,
        "unit": inspection.unit,
        "description": inspection.description,
        "points": inspection.points,
    }
    form = InspectionEditForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        **_inspection_form_choices(request, center, inspection),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason, remove_photo = data.pop("reason"), data.pop("remove_photo")
        if not data.get("photo"):
            data.pop("photo", None)
        try:
            services.inspection_update(
                by=request.user,
                inspection=inspection,
                reason=reason,
                remove_photo=remove_photo,
                **data,
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Inspection saved."))
            return redirect("oversight:inspection_detail", inspection.pk)
    return _form_page(
        request,
        form,
        _("Correct the inspection"),
        reverse("oversight:inspection_detail", args=[inspection.pk]),
    )


@perm_required("oversight.change_inspection")
def inspection_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.inspection_withdraw(
                by=request.user, inspection=inspection, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Inspection withdrawn: it no longer counts."))
            return redirect("oversight:inspection_detail", inspection.pk)
    return _form_page(
        request,
        form,
        _("Withdraw the inspection"),
        reverse("oversight:inspection_detail", args=[inspection.pk]),
    )


@perm_required("oversight.view_inspection")
def inspection_photo(request: HttpRequest, pk: int) -> FileResponse:
    """The inspection's photo, for staff who may see the inspection (files are never public)."""
    inspection = _inspection(request, pk)
    return file_response(
        inspection.photo,
        name_parts=("inspection", str(inspection.pk)),
        allowed=IMAGES,
        public=False,
    )


# --- unit leaders -------------------------------------------------------------------------------


def _leader_accounts(center: Center) -> Any:
    return (
        get_user_model()
        .objects.filter(
            memberships__center=center, memberships__role=Role.UNIT_LEADER, is_active=True
        )
        .distinct()
        .order_by("username")
    )


@perm_required("oversight.view_unitleader")
def leader_list_view(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    unit_id = _unit_param(request)
    if unit_id is False:
        return HttpResponseBadRequest(_("Unknown filter value."))
    show = request.GET.get("show", "active")
    leaders = selectors.leader_list(
        user=request.user,
        center=center,
        unit_id=unit_id or None,
        active={"active": True, "inactive": False}.get(show),
    )
    context = {
        "page": paginate(request, leaders, per_page=50),
        "units": _units(request, center),
        "filters": {"unit": unit_id, "show": show},
    }
    return render(request, "oversight/leader_list.html", context)


@perm_required("oversight.add_unitleader")
def leader_create(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    form = LeaderForm(
        request.POST or None,
        initial={"role": LeaderRole.DEPUTY, "is_active": True},
        units=_units(request, center).filter(is_active=True),
        users=_leader_accounts(center),
    )
    form.fields.pop("is_active")
    if request.method == "POST" and form.is_valid():
        try:
            leader = services.unit_leader_create(by=request.user, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Leader {name} registered.").format(name=leader.name))
            return redirect("oversight:leader_list")
    return _form_page(request, form, _("Register a unit leader"), reverse("oversight:leader_list"))


@perm_required("oversight.change_unitleader")
def leader_edit(request: HttpRequest, pk: int) -> HttpResponse:
    center = center_or_404(request)
    leader = get_object_or_404(
        selectors.leader_list(user=request.user, center=center, active=None), pk=pk
    )
    initial = {
        "unit": leader.unit,
        "name": leader.name,
        "title": leader.title,
        "role": leader.role,
        "phone": leader.phone,
        "user": leader.user,
        "is_active": leader.is_active,
    }
    form = LeaderForm(
        request.POST or None,
        initial=initial,
        units=_units(request, center).filter(pk=leader.unit_id),
        users=_leader_accounts(center),
    )
    form.fields["unit"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("unit")
        try:
            services.unit_leader_update(by=request.user, leader=leader, **data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Leader {name} saved.").format(name=leader.name))
            return redirect("oversight:leader_list")
    return _form_page(
        request, form, _("Edit {name}").format(name=leader), reverse("oversight:leader_list")
    )


# --- patrol records, month report and quotas ------------------------------------------------------


@perm_required("oversight.view_patrolsignin")
def patrol_list(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    month, unit_id = _month_param(request, default_current=False), _unit_param(request)
    if month is False or unit_id is False:
        return HttpResponseBadRequest(_("Unknown filter value."))
    visits = selectors.patrol_list(
        user=request.user, center=center, month=month or None, unit_id=unit_id or None
    )
    mine = UnitLeader.objects.filter(user=request.user, is_active=True).first()
    context = {
        "page": paginate(request, visits),
        "units": _units(request, center),
        "filters": {"month": month or None, "unit": unit_id},
        "mine": mine,
        "open_visit": selectors.open_visit_of(mine) if mine else None,
        "this_month": timezone.localdate().strftime("%Y-%m"),
    }
    return render(request, "oversight/patrol_list.html", context)


@perm_required("oversight.view_patrolsignin")
def patrol_month(request: HttpRequest) -> HttpResponse:
    """Units whose leaders signed in during the month, and those who did not."""
    center = center_or_404(request)
    month = _month_param(request, default_current=True)
    if not month:
        return HttpResponseBadRequest(_("Give the month as YYYY-MM."))
    signed, unsigned = selectors.patrol_units(center=center, month=month)
    context = {
        "month": month,
        "signed": signed,
        "unsigned": unsigned,
        "leaders": selectors.patrol_month_leaders(user=request.user, center=center, month=month),
        "previous": shift_month(month, -1).strftime("%Y-%m"),
        "next": shift_month(month, 1).strftime("%Y-%m"),
    }
    return render(request, "oversight/patrol_month.html", context)


@perm_required("oversight.view_patrolsignin")
def patrol_quotas(request: HttpRequest) -> HttpResponse:
    """Each leader's patrol time in the current month or quarter against the quota."""
    center = center_or_404(request)
    raw = request.GET.get("on", "").strip()
    try:
        on = dt.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        return HttpResponseBadRequest(_("Give the date as YYYY-MM-DD."))
    rows = selectors.patrol_quota_status(user=request.user, center=center, on=on)
    if request.GET.get("behind") == "1":
        rows = [r for r in rows if r.behind]
    context = {
        "on": on,
        "rows": rows,
        "quotas": selectors.quotas_of(center).values(),
        "behind_only": request.GET.get("behind") == "1",
        "behind_count": sum(1 for r in rows if r.behind),
    }
    return render(request, "oversight/patrol_quotas.html", context)


@perm_required("oversight.change_patrolquota")
def patrol_quota_edit(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    quotas = selectors.quotas_of(center)
    initial = {
        "head_period": quotas[LeaderRole.HEAD].period,
        "head_minutes": quotas[LeaderRole.HEAD].minutes,
        "deputy_period": quotas[LeaderRole.DEPUTY].period,
        "deputy_minutes": quotas[LeaderRole.DEPUTY].minutes,
    }
    form = QuotaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            for role in (LeaderRole.HEAD, LeaderRole.DEPUTY):
                services.patrol_quota_set(
                    by=request.user,
                    center=center,
                    role=role,
                    period=data[f"{role}_period"],
                    minutes=data[f"{role}_minutes"],
                )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Patrol quotas saved."))
            return redirect("oversight:patrol_quotas")
    return _form_page(request, form, _("Patrol quotas"), reverse("oversight:patrol_quotas"))


@perm_required("oversight.add_patrolsignin")
def patrol_record_view(request: HttpRequest) -> HttpResponse:
    """Enter a visit from the paper sign-in sheet."""
    center = center_or_404(request)
    form = RecordForm(
        request.POST or None, leaders=selectors.leader_list(user=request.user, center=center)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.patrol_record(by=request.user, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Sign-in recorded."))
            return redirect("oversight:patrol_list")
    return _form_page(
        request, form, _("Enter a sign-in from the paper sheet"), reverse("oversight:patrol_list")
    )


# --- the hall screen and the leaders' phones -----------------------------------------------------


@perm_required("oversight.open_patrol_screen")
@never_cache
def patrol_screen(request: HttpRequest) -> HttpResponse:
    """Full-screen page for the hall's display: the sign-in code, renewed every minute."""
    center = center_or_404(request)
    start, end = timezone.localdate(), timezone.localdate() + dt.timedelta(days=1)
    present = selectors.patrol_list(user=request.user, center=center).filter(
        signed_out_at__isnull=True,
        signed_in_at__date__gte=start,
        signed_in_at__date__lt=end,
    )
    # The public screen shows no office warnings (e.g. next year's holidays not yet entered).
    context = {"center": center, "present": present, "calendar_warnings": []}
    return render(request, "oversight/patrol_screen.html", context)


@perm_required("oversight.open_patrol_screen")
@never_cache
def patrol_screen_code(request: HttpRequest) -> HttpResponse:
    """The current minute's code as an SVG image (the screen reloads it every minute)."""
    center = center_or_404(request)
    minute = codes.minute_of(timezone.now())
    url = public_url(
        request,
        reverse(
            "oversight:patrol_scan", args=[center.pk, minute, codes.code_for(center.pk, minute)]
        ),
    )
    buffer = io.BytesIO()
    segno.make_qr(url, error="m").save(buffer, kind="svg", scale=10, border=2)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


def _refused(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return render(request, "oversight/patrol_refused.html", {"message": message}, status=status)


@never_cache
def patrol_scan_view(request: HttpRequest, center_id: int, minute: int, token: str) -> HttpResponse:
    """Where the screen's code leads: a fresh code opens the sign-in page, an old one is refused."""
    try:
        ticket = services.patrol_scan(center_id=center_id, minute=minute, token=token)
    except DomainError as error:
        return _refused(request, error.message)
    request.session[TICKET_SESSION_KEY] = ticket
    return redirect("oversight:patrol_sign")


@never_cache
def patrol_sign(request: HttpRequest) -> HttpResponse:
    """Sign in or out after scanning: directly when logged in as a leader, else by a texted link."""
    ticket = request.session.get(TICKET_SESSION_KEY, "")
    scan = codes.ticket_read(ticket)
    center = Center.objects.filter(pk=scan.center_id).first() if scan else None
    if scan is None or center is None:
        return _refused(
            request, _("Scan the code on the hall screen first: it is valid for a few minutes.")
        )
    leader = None
    if request.user.is_authenticated:
        leader = (
            UnitLeader.objects.select_related("unit")
            .filter(user=request.user, is_active=True)
            .first()
        )
    if leader is not None:
        return _sign_as_leader(request, leader, ticket)
    form = LinkRequestForm(request.POST or None, leaders=selectors.leaders_for_sign_in(center))
    if request.method == "POST" and form.is_valid():
        try:
            link = services.patrol_link_request(
                leader=form.cleaned_data["leader"],
                ticket=ticket,
                purpose=form.cleaned_data["purpose"],
                notes=form.cleaned_data["notes"],
                base_url=public_url(request, "/"),
            )
        except DomainError as error:
            form_error(form, error)
        else:
            request.session[SENT_SESSION_KEY] = mask_phone(link.leader.phone)
            return redirect("oversight:patrol_sent")
    context = {"center": center, "form": form, "login_next": reverse("oversight:patrol_sign")}
    return render(request, "oversight/patrol_sign_anonymous.html", context)


def _sign_as_leader(request: HttpRequest, leader: UnitLeader, ticket: str) -> HttpResponse:
    open_visit = selectors.open_visit_of(leader)
    form = NotesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        act = services.patrol_sign_out if open_visit else services.patrol_sign_in
        try:
            visit = act(by=request.user, ticket=ticket, notes=form.cleaned_data["notes"])
        except DomainError as error:
            form_error(form, error)
        else:
            request.session.pop(TICKET_SESSION_KEY, None)
            return render(request, "oversight/patrol_done.html", {"visit": visit, "leader": leader})
    context = {"leader": leader, "open_visit": open_visit, "form": form}
    return render(request, "oversight/patrol_sign.html", context)


@never_cache
def patrol_sent(request: HttpRequest) -> HttpResponse:
    phone = request.session.get(SENT_SESSION_KEY)
    if not phone:
        return redirect("oversight:patrol_sign")
    return render(
        request,
        "oversight/patrol_sent.html",
        {"phone": phone, "minutes": services.LINK_MINUTES},
    )


@never_cache
def patrol_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The texted link: shows what it confirms; the button (a POST) signs in or out, so a phone
    that previews links cannot use it by accident."""
    link = services.patrol_link_find(token)
    if link is None:
        return _refused(request, _("This link is not valid."), status=404)
    if request.method == "POST":
        try:
            visit = services.patrol_link_confirm(token=token)
        except DomainError as error:
            return _refused(request, error.message)
        request.session.pop(TICKET_SESSION_KEY, None)
        return render(
            request, "oversight/patrol_done.html", {"visit": visit, "leader": link.leader}
        )
    context = {
        "link": link,
        "is_sign_in": link.purpose == LinkPurpose.SIGN_IN,
        "used": link.used_at is not None,
        "expired": timezone.now() > link.expires_at,
    }
    return render(request, "oversight/patrol_confirm.html", context)
