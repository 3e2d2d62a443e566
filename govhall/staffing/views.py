"""Staffing pages: one's own attendance, the unit's monthly sheet (page, XLSX, print), leave and
its approval, outings, vacancies, the hall's hours and the attendance settings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
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
from django.views.decorators.http import require_POST

from govhall.core.access import perm_required
from govhall.core.errors import DomainError, NotAllowed, form_error
from govhall.core.months import parse_month, shift_month
from govhall.core.uploads import SCANS, file_response
from govhall.core.views import paginate
from govhall.org import services as org_services
from govhall.org.hours import hours_of
from govhall.org.models import Center, HallHours, Staff
from govhall.org.scoping import scoped
from govhall.org.selectors import center_or_404, current_center
from govhall.staffing import selectors, services
from govhall.staffing.choices import LeaveStatus
from govhall.staffing.forms import (
    ApproveForm,
    CancelForm,
    ClockForm,
    HallHoursForm,
    LeaveForm,
    NoteForm,
    OutingForm,
    PunchForm,
    RejectForm,
    RuleForm,
    SettingsForm,
    ShortenForm,
)
from govhall.staffing.models import Leave, LeaveRule, Outing
from govhall.staffing.rules import DEFAULT_RULES
from govhall.staffing.workbook import sheet_workbook


def _month(request: HttpRequest) -> dt.date | None:
    """?month=YYYY-MM (default this month); None when malformed."""
    value = request.GET.get("month", "")
    if not value:
        return timezone.localdate().replace(day=1)
    return parse_month(value)


def _shift(month: dt.date, delta: int) -> str:
    shifted = shift_month(month, delta)
    return f"{shifted.year:04d}-{shifted.month:02d}"


def _unit_id(request: HttpRequest) -> int | None | bool:
    raw = request.GET.get("unit", "")
    if not raw:
        return None
    return int(raw) if raw.isdigit() else False


def _colleagues(center: Center) -> Any:
    return Staff.objects.filter(center=center, is_active=True).select_related("unit")


def _me(request: HttpRequest) -> Staff | None:
    staff = selectors.staff_of_user(request.user)
    center = current_center(request)
    if staff is None or center is None or staff.center_id != center.pk:
        return None
    return staff


def _client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: a proxy's X-Forwarded-For can be forged by the client.
    return request.META.get("REMOTE_ADDR", "")


# --- my attendance ------------------------------------------------------------------------


@login_required
def me(request: HttpRequest) -> HttpResponse:
    staff = _me(request)
    if staff is None:
        raise Http404(_("Your account is not linked to a staff member of this center."))
    today = timezone.localdate()
    month = _month(request) or today.replace(day=1)
    rows = selectors.attendance_rows(center=staff.center, staff=[staff], month=month)
    context = {
        "staff": staff,
        "today": today,
        "punches": selectors.punches_of_day(staff=staff, date=today),
        "row": rows[0],
        "month": month,
        "previous": _shift(month, -1),
        "next": _shift(month, 1),
        "leaves": Leave.objects.filter(staff=staff).order_by("-start_date")[:10],
        "outings": Outing.objects.filter(staff=staff).order_by("-out_at")[:10],
        "open_outing": selectors.open_outing(staff),
        "hours": hours_of(staff.center)(today),
        "in_hall": selectors.address_in_hall(staff.center, _client_address(request)),
        "address": _client_address(request),
    }
    return render(request, "staffing/me.html", context)


@perm_required("staffing.clock_attendance")
@require_POST
def clock(request: HttpRequest) -> HttpResponse:
    form = ClockForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose clock in or clock out."))
    try:
        record = services.attendance_clock(
            by=request.user, kind=form.cleaned_data["kind"], remote_addr=_client_address(request)
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("{kind} recorded at {time}.").format(
                kind=record.get_kind_display(), time=timezone.localtime(record.at).strftime("%H:%M")
            ),
        )
    return redirect("staffing:me")


# --- the monthly sheet -----------------------------------------------------------------------


def _sheet(request: HttpRequest) -> Any:
    center = center_or_404(request)
    month = _month(request)
    unit_id = _unit_id(request)
    if month is None or unit_id is False:
        return None, None, None
    units = selectors.sheet_units(user=request.user, center=center)
    unit = units.filter(pk=unit_id).first() if unit_id else units.first()
    if unit_id and unit is None:
        raise Http404
    sheet = selectors.attendance_sheet(center=center, unit=unit, month=month) if unit else None
    return sheet, units, month


@perm_required("staffing.view_attendancerecord")
def sheet(request: HttpRequest) -> HttpResponse:
    sheet, units, month = _sheet(request)
    if month is None:
        return HttpResponseBadRequest(_("Unknown filter value."))
    context = {
        "sheet": sheet,
        "units": units,
        "leave_legend": selectors.leave_legend(),
        "month": month,
        "previous": _shift(month, -1),
        "next": _shift(month, 1),
    }
    return render(request, "staffing/sheet.html", context)


@perm_required("staffing.view_attendancerecord")
def sheet_xlsx(request: HttpRequest) -> HttpResponse:
    sheet, _units, month = _sheet(request)
    if month is None:
        return HttpResponseBadRequest(_("Unknown filter value."))
    if sheet is None:
        raise Http404
    content = sheet_workbook(sheet)
    name = f"attendance-{month:%Y-%m}-{sheet.unit.pk}.xlsx"
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@perm_required("staffing.add_attendancerecord")
def punch_add(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    staff = scoped(_colleagues(center), request.user)
    form = PunchForm(request.POST or None, staff=staff)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.attendance_record_add(
                by=request.user,
                staff=form.cleaned_data["staff"],
                kind=form.cleaned_data["kind"],
                at=form.at(),
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Recorded: {record}.").format(record=record))
            return redirect(
                f"{reverse('staffing:sheet')}?unit={record.unit_id}&month={record.date:%Y-%m}"
            )
    return render(
        request,
        "staffing/form.html",
        {
            "form": form,
            "title": _("Record a punch for someone"),
            "cancel_url": reverse("staffing:sheet"),
        },
    )


# --- leave -------------------------------------------------------------------------------------


@perm_required("staffing.view_leave")
def leave_list_view(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    unit_id = _unit_id(request)
    status = request.GET.get("status", "")
    month = _month(request) if request.GET.get("month") else None
    if (
        unit_id is False
        or (status and status not in LeaveStatus.values)
        or (request.GET.get("month") and month is None)
    ):
        return HttpResponseBadRequest(_("Unknown filter value."))
    leaves = selectors.leave_list(
        user=request.user, center=center, unit_id=unit_id or None, status=status, month=month
    )
    context = {
        "page": paginate(request, leaves),
        "awaiting": selectors.leaves_awaiting(user=request.user, center=center),
        "units": selectors.sheet_units(user=request.user, center=center),
        "statuses": LeaveStatus.choices,
        "filters": {"unit": unit_id, "status": status, "month": month},
    }
    return render(request, "staffing/leave_list.html", context)


def _leave_staff_choices(request: HttpRequest, center: Center) -> Any:
    if request.user.has_perm("staffing.add_leave"):
        return scoped(_colleagues(center), request.user)
    me = _me(request)
    if me is None or not request.user.has_perm("staffing.request_leave"):
        raise NotAllowed(_("You are not allowed to do this here."))
    return _colleagues(center).filter(pk=me.pk)


@login_required
def leave_new(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    staff = _leave_staff_choices(request, center)
    form = LeaveForm(
        request.POST or None, request.FILES or None, staff=staff, colleagues=_colleagues(center)
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                leave = services.leave_request(
                    by=request.user,
                    staff=form.cleaned_data["staff"],
                    cover=form.cleaned_data["cover"],
                    **form.service_args(),
                )
                if form.cleaned_data.get("note_scan"):
                    services.leave_note_attach(
                        by=request.user, leave=leave, file=form.cleaned_data["note_scan"]
                    )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The leave request was sent for approval."))
            return redirect("staffing:leave_detail", leave.pk)
    return render(
        request,
        "staffing/form.html",
        {
            "form": form,
            "title": _("Ask for leave"),
            "multipart": True,
            "cancel_url": reverse("staffing:me")
            if _me(request)
            else reverse("staffing:leave_list"),
        },
    )


def _leave(request: HttpRequest, pk: int) -> Leave:
    leave = selectors.leave_get(user=request.user, center=center_or_404(request), pk=pk)
    if leave is None:
        raise Http404
    return leave


@login_required
def leave_detail(request: HttpRequest, pk: int) -> HttpResponse:
    leave = _leave(request, pk)
    user = request.user
    parts = selectors.leave_parts_of(leave)
    signing = selectors.signing(user, leave)
    own = leave.staff.user_id == user.pk
    scoped_editor = user.has_perm("staffing.change_leave")
    context = {
        "leave": leave,
        "parts": parts,
        "totals": selectors.leave_month_totals(leave, parts),
        "needs_note": selectors.leave_needs_note(leave, parts),
        "gaps": services.leave_gaps(leave, parts) if leave.is_open else [],
        "approvals": leave.approvals.all(),
        "chain": leave.chain_levels,
        "signing": signing,
        "can_attach": leave.is_open and (own or scoped_editor),
        "can_cancel": leave.is_open
        and (
            scoped_editor
            or (
                own
                and (leave.status == LeaveStatus.PENDING or leave.start_date > timezone.localdate())
            )
        ),
        "can_shorten": leave.is_open
        and leave.span == "days"
        and (scoped_editor or (own and leave.status == LeaveStatus.PENDING)),
        "note_form": NoteForm(),
        "approve_form": ApproveForm(colleagues=_colleagues(leave.center), staff=leave.staff),
        "reject_form": RejectForm(),
        "cancel_form": CancelForm(),
        "shorten_form": ShortenForm(initial={"end_date": leave.end_date}),
    }
    return render(request, "staffing/leave_detail.html", context)


def _leave_action(
    request: HttpRequest, pk: int, form_class: Any, act: Any, done: str, **form_kwargs: Any
) -> HttpResponse:
    leave = _leave(request, pk)
    if request.method != "POST":
        return redirect("staffing:leave_detail", leave.pk)
    form = form_class(request.POST, request.FILES, **form_kwargs)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("staffing:leave_detail", leave.pk)
    try:
        act(leave, form.cleaned_data)
    except (DomainError, NotAllowed) as error:
        messages.error(request, getattr(error, "message", None) or str(error))
    else:
        messages.success(request, done)
    return redirect("staffing:leave_detail", leave.pk)


@login_required
@require_POST
def leave_note(request: HttpRequest, pk: int) -> HttpResponse:
    return _leave_action(
        request, pk, NoteForm,
        lambda leave, data: services.leave_note_attach(by=request.user, leave=leave, file=data["note_scan"]),
        _("The stamped note was uploaded."),
    )  # fmt: skip


@login_required
def leave_note_file(request: HttpRequest, pk: int) -> FileResponse:
    leave = _leave(request, pk)
    return file_response(
        leave.note_scan,
        name_parts=("请假条", leave.staff.name, f"{leave.start_date:%Y%m%d}"),
        allowed=SCANS,
        public=False,
    )


@perm_required("staffing.approve_leave")
@require_POST
def leave_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    center = center_or_404(request)
    return _leave_action(
        request, pk, ApproveForm,
        lambda leave, data: services.leave_approve(
            by=request.user, leave=leave, note=data["note"], cover=data["cover"]
        ),
        _("Signed."), colleagues=_colleagues(center),
    )  # fmt: skip


@perm_required("staffing.approve_leave")
@require_POST
def leave_reject_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _leave_action(
        request, pk, RejectForm,
        lambda leave, data: services.leave_reject(by=request.user, leave=leave, note=data["note"]),
        _("The leave was refused."),
    )  # fmt: skip


@login_required
@require_POST
def leave_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _leave_action(
        request, pk, CancelForm,
        lambda leave, data: services.leave_cancel(by=request.user, leave=leave, reason=data["reason"]),
        _("The leave was cancelled."),
    )  # fmt: skip


@login_required
@require_POST
def leave_shorten_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _leave_action(
        request, pk, ShortenForm,
        lambda leave, data: services.leave_shorten(
            by=request.user, leave=leave, end_date=data["end_date"], end_half=data["end_half"]
        ),
        _("The leave now ends earlier."),
    )  # fmt: skip


# --- approval rules --------------------------------------------------------------------------


@perm_required("staffing.view_leaverule")
def rule_list(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    rules = LeaveRule.objects.filter(center=center)
    context = {"rules": rules, "defaults": DEFAULT_RULES if not rules else []}
    return render(request, "staffing/rule_list.html", context)


@perm_required("staffing.add_leaverule")
@require_POST
def rule_defaults(request: HttpRequest) -> HttpResponse:
    try:
        services.leave_rules_install_defaults(by=request.user, center=center_or_404(request))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("staffing:rule_list")


def _rule_form(request: HttpRequest, rule: LeaveRule | None) -> HttpResponse:
    center = center_or_404(request)
    initial = {"kind": rule.kind, "max_days": rule.max_days, "level": rule.level} if rule else None
    form = RuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if rule is None:
                services.leave_rule_create(by=request.user, center=center, **form.cleaned_data)
            else:
                services.leave_rule_update(by=request.user, rule=rule, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The approval rules were saved."))
            return redirect("staffing:rule_list")
    title = _("Edit an approval rule") if rule else _("Add an approval rule")
    return render(
        request,
        "staffing/form.html",
        {"form": form, "title": title, "cancel_url": reverse("staffing:rule_list")},
    )


@perm_required("staffing.add_leaverule")
def rule_new(request: HttpRequest) -> HttpResponse:
    return _rule_form(request, None)


@perm_required("staffing.change_leaverule")
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _rule_form(request, get_object_or_404(LeaveRule, center=center_or_404(request), pk=pk))


@perm_required("staffing.delete_leaverule")
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(LeaveRule, center=center_or_404(request), pk=pk)
    if request.method == "POST":
        services.leave_rule_delete(by=request.user, rule=rule)
        messages.success(request, _("The rule was removed."))
        return redirect("staffing:rule_list")
    return render(
        request,
        "org/confirm.html",
        {
            "question": _("Remove the rule “{rule}”?").format(rule=rule),
            "cancel_url": reverse("staffing:rule_list"),
        },
    )


# --- outings -------------------------------------------------------------------------------


@perm_required("staffing.view_outing")
def outing_list_view(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    unit_id = _unit_id(request)
    month = _month(request)
    if unit_id is False or month is None:
        return HttpResponseBadRequest(_("Unknown filter value."))
    flagged = request.GET.get("flagged") == "1"
    outings = selectors.outing_list(
        user=request.user, center=center, unit_id=unit_id or None,
        month=None if flagged else month, flagged=flagged,
    )  # fmt: skip
    today = timezone.localdate()
    page = paginate(request, outings)
    for outing in page:
        outing.flagged = selectors.is_flagged(outing, today)
    context = {
        "page": page,
        "units": selectors.sheet_units(user=request.user, center=center),
        "filters": {"unit": unit_id, "flagged": flagged},
        "month": month,
        "previous": _shift(month, -1),
        "next": _shift(month, 1),
    }
    return render(request, "staffing/outing_list.html", context)


@login_required
def outing_new(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    office = request.user.has_perm("staffing.add_outing")
    if office:
        staff = scoped(_colleagues(center), request.user)
    else:
        me = _me(request)
        if me is None or not request.user.has_perm("staffing.register_outing"):
            raise NotAllowed(_("You are not allowed to do this here."))
        staff = _colleagues(center).filter(pk=me.pk)
    form = OutingForm(
        request.POST or None, staff=staff, colleagues=_colleagues(center), office=office
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outing = services.outing_register(
                by=request.user, staff=data["staff"], reason=data["reason"], cover=data["cover"],
                out_at=data.get("out_at"), back_at=data.get("back_at"),
            )  # fmt: skip
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The outing was registered."))
            if outing.staff.user_id == request.user.pk:
                return redirect("staffing:me")
            return redirect("staffing:outing_list")
    return render(
        request,
        "staffing/form.html",
        {
            "form": form,
            "title": _("Register an outing"),
            "cancel_url": reverse("staffing:outing_list") if office else reverse("staffing:me"),
        },
    )


@login_required
@require_POST
def outing_return_view(request: HttpRequest, pk: int) -> HttpResponse:
    center = center_or_404(request)
    outing = get_object_or_404(Outing.objects.select_related("staff"), center=center, pk=pk)
    own = outing.staff.user_id == request.user.pk
    if not own and not scoped(Outing.objects.filter(pk=pk), request.user).exists():
        raise Http404
    try:
        services.outing_return(by=request.user, outing=outing)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The return was registered."))
    return redirect("staffing:me" if own else "staffing:outing_list")


# --- vacancies -------------------------------------------------------------------------------


@perm_required("staffing.view_vacancy")
def vacancy_list_view(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    month = _month(request)
    unit_id = _unit_id(request)
    if month is None or unit_id is False:
        return HttpResponseBadRequest(_("Unknown filter value."))
    vacancies = selectors.vacancy_list(
        user=request.user, center=center, month=month, unit_id=unit_id or None
    )
    context = {
        "summary": selectors.vacancy_summary(user=request.user, center=center, month=month),
        "page": paginate(request, vacancies),
        "month": month,
        "filters": {"unit": unit_id},
        "previous": _shift(month, -1),
        "next": _shift(month, 1),
    }
    return render(request, "staffing/vacancy_list.html", context)


# --- the hall's hours and the settings -------------------------------------------------------


@perm_required("org.view_hallhours")
def hours_list(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    today = timezone.localdate()
    context = {
        "variants": HallHours.objects.filter(center=center),
        "today_hours": hours_of(center)(today),
        "today": today,
    }
    return render(request, "staffing/hours_list.html", context)


def _hours_form(request: HttpRequest, hours: HallHours | None) -> HttpResponse:
    center = center_or_404(request)
    initial = None
    if hours is not None:
        initial = {
            f: getattr(hours, f)
            for f in ("name", "from_month", "from_day", *org_services.HOURS_FIELDS)
        }
    form = HallHoursForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if hours is None:
                org_services.hall_hours_create(by=request.user, center=center, **form.cleaned_data)
            else:
                org_services.hall_hours_update(by=request.user, hours=hours, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The hall's hours were saved."))
            return redirect("staffing:hours_list")
    title = _("Edit {name}").format(name=hours.name) if hours else _("Add hall hours")
    return render(
        request,
        "staffing/form.html",
        {"form": form, "title": title, "cancel_url": reverse("staffing:hours_list")},
    )


@perm_required("org.add_hallhours")
def hours_new(request: HttpRequest) -> HttpResponse:
    return _hours_form(request, None)


@perm_required("org.change_hallhours")
def hours_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _hours_form(request, get_object_or_404(HallHours, center=center_or_404(request), pk=pk))


@perm_required("org.delete_hallhours")
def hours_delete(request: HttpRequest, pk: int) -> HttpResponse:
    hours = get_object_or_404(HallHours, center=center_or_404(request), pk=pk)
    if request.method == "POST":
        org_services.hall_hours_delete(by=request.user, hours=hours)
        messages.success(request, _("The hall's hours were removed."))
        return redirect("staffing:hours_list")
    return render(
        request,
        "org/confirm.html",
        {
            "question": _("Remove {name}?").format(name=hours),
            "cancel_url": reverse("staffing:hours_list"),
        },
    )


@perm_required("staffing.change_attendancesettings")
def settings_edit(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    current = selectors.settings_of(center)
    initial = {
        "networks": current.networks,
        "leaders": list(current.leaders.all()) if current.pk else [],
    }
    form = SettingsForm(
        request.POST or None, initial=initial, accounts=selectors.office_accounts(center)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_settings_update(
                by=request.user,
                center=center,
                networks=form.cleaned_data["networks"],
                leaders=form.cleaned_data["leaders"],
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The attendance settings were saved."))
            return redirect("staffing:settings")
    return render(
        request,
        "staffing/form.html",
        {
            "form": form,
            "title": _("Attendance settings"),
            "address": _client_address(request),
            "tab": "settings",
        },
    )
