"""Supervision pages: the dashboard by unit, warning lists and details, 督办, appeals and
their decisions, the month report, the person's alerts and the center's threshold."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.core.access import perm_required
from govhall.core.calendar import get_calendar
from govhall.core.errors import DomainError, form_error
from govhall.core.keyset import keyset_page
from govhall.core.months import parse_month, shift_month
from govhall.core.text import chinese_date, mask_phone
from govhall.core.views import PAGE_SIZE, paginate
from govhall.core.worktime import remaining
from govhall.org.hours import hours_of
from govhall.org.models import Unit
from govhall.org.scoping import scoped
from govhall.org.selectors import center_or_404
from govhall.queueing import selectors as queueing
from govhall.queueing.choices import AlertKind
from govhall.supervision import selectors, services
from govhall.supervision.choices import AppealDecision, WarningLevel, WarningStatus
from govhall.supervision.forms import AppealForm, DecideForm, SettingsForm, SuperviseForm
from govhall.supervision.models import Alert, Warning

VIEW = "supervision.view_warning"


def _warning(request: HttpRequest, pk: int) -> Warning:
    warning = selectors.warning_get(user=request.user, center=center_or_404(request), pk=pk)
    if warning is None:
        raise Http404
    return warning


# --- dashboard and lists ---------------------------------------------------------------------


@perm_required(VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    units = selectors.dashboard_units(user=request.user, center=center)
    today = timezone.localdate()
    queue_alerts = queueing.alert_list(user=request.user, center=center, day=today)
    context = {
        "units": units,
        "yellow": sum(u.yellow for u in units),
        "red": sum(u.red for u in units),
        "appeals": sum(u.appeals for u in units),
        "unread": selectors.unread_alert_count(user=request.user),
        "queue_alerts": queue_alerts,
        "queue_counts": {
            kind: sum(1 for a in queue_alerts if a.kind == kind) for kind in AlertKind.values
        },
        "yellow_days": selectors.yellow_days_of(center),
        "today": today,
        "month": today.strftime("%Y-%m"),
    }
    return render(request, "supervision/dashboard.html", context)


@perm_required(VIEW)
def warning_list(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    units = scoped(Unit.objects.filter(center=center), request.user, unit="id").order_by(
        "position", "sort_key"
    )
    unit_raw = request.GET.get("unit", "")
    level = request.GET.get("level", "")
    status = request.GET.get("status", "")
    if (
        (unit_raw and not unit_raw.isdigit())
        or (level and level not in WarningLevel.values)
        or (status and status != "active" and status not in WarningStatus.values)
    ):
        return HttpResponseBadRequest(_("Unknown filter value."))
    unit_id = int(unit_raw) if unit_raw else None
    warnings = selectors.warning_list(
        user=request.user, center=center, unit_id=unit_id, level=level, status=status
    )
    cursor = request.GET.get("cursor") or None
    try:
        # Keyset pages through the warning_center_list index: any depth costs one page's read.
        page = keyset_page(warnings, selectors.WARNING_LIST_ORDER, cursor, size=PAGE_SIZE)
    except DomainError as error:
        return HttpResponseBadRequest(error.message)
    context = {
        "page": page,
        "cursor": cursor,
        "units": units,
        "levels": WarningLevel.choices,
        "statuses": WarningStatus.choices,
        "filters": {"unit": unit_id, "level": level, "status": status},
    }
    return render(request, "supervision/warning_list.html", context)


def _masked_name(name: str) -> str:
    return f"{name[:1]}*" if name else ""


@perm_required(VIEW)
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    warning = _warning(request, pk)
    case = warning.case
    time_left = None
    if case.is_open and case.due_at is not None:
        time_left = remaining(
            calendar=get_calendar(warning.center_id),
            hours=hours_of(warning.center),
            now=timezone.localtime().replace(tzinfo=None),
            deadline=timezone.localtime(case.due_at).replace(tzinfo=None),
        )
    appeal = getattr(warning, "appeal", None)
    user = request.user
    context = {
        "warning": warning,
        "case": case,
        "applicant": _masked_name(case.applicant_name),
        "phone": mask_phone(case.applicant_phone) if case.applicant_phone else "",
        "time_left": time_left,
        "appeal": appeal,
        "can_supervise": warning.status == WarningStatus.ISSUED
        and user.has_perm("supervision.supervise_warning"),
        "can_appeal": appeal is None
        and warning.status != WarningStatus.CANCELLED
        and user.has_perm("supervision.appeal_warning"),
        "can_decide": appeal is not None
        and appeal.decision == AppealDecision.PENDING
        and user.has_perm("supervision.decide_appeal"),
    }
    return render(request, "supervision/warning_detail.html", context)


def _action(
    request: HttpRequest,
    pk: int,
    form_class: type[forms.Form],
    title: str,
    act: Any,
    done: str,
) -> HttpResponse:
    warning = _warning(request, pk)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            act(warning, form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, done)
            return redirect("supervision:warning_detail", warning.pk)
    # Deciding an appeal (and supervising an appealed warning) is done with the unit's reason in
    # view, not from memory of the detail page.
    context = {
        "warning": warning,
        "appeal": getattr(warning, "appeal", None),
        "form": form,
        "title": title,
    }
    return render(request, "supervision/action_form.html", context)


@perm_required("supervision.supervise_warning")
def warning_supervise(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        SuperviseForm,
        _("Supervise (督办)"),
        lambda w, data: services.warning_supervise(by=request.user, warning=w, note=data["note"]),
        _("The warning is now supervised."),
    )


@perm_required("supervision.appeal_warning")
def warning_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        AppealForm,
        _("Appeal (申诉)"),
        lambda w, data: services.warning_appeal(by=request.user, warning=w, reason=data["reason"]),
        _("Your appeal has been sent to the center office."),
    )


def _decide(warning: Warning, data: dict[str, Any], by: Any) -> None:
    appeal = getattr(warning, "appeal", None)
    if appeal is None:
        raise DomainError(_("This warning has not been appealed."), field="decision")
    services.appeal_decide(
        by=by, appeal=appeal, accept=data["decision"] == "accept", note=data["note"]
    )


@perm_required("supervision.decide_appeal")
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        DecideForm,
        _("Decide the appeal"),
        lambda w, data: _decide(w, data, request.user),
        _("The appeal has been decided."),
    )


# --- the month -------------------------------------------------------------------------------


@perm_required(VIEW)
def month_report(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    raw = request.GET.get("month", "")
    month = parse_month(raw) if raw else timezone.localdate().replace(day=1)
    if month is None:
        return HttpResponseBadRequest(_("Give the month as YYYY-MM."))
    rows = selectors.month_unit_stats(user=request.user, center=center, month=month)
    context = {
        "month": month,
        "rows": rows,
        "total": selectors.month_totals(rows, label=_("Total")),
        "page": paginate(
            request, selectors.overdue_cases(user=request.user, center=center, month=month)
        ),
        "previous": shift_month(month, -1).strftime("%Y-%m"),
        "next": shift_month(month, 1).strftime("%Y-%m"),
    }
    return render(request, "supervision/month_report.html", context)


# --- alerts ----------------------------------------------------------------------------------


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    context = {
        "page": paginate(request, selectors.alert_list(user=request.user)),
        "unread": selectors.unread_alert_count(user=request.user),
    }
    return render(request, "supervision/alert_list.html", context)


@login_required
def alert_open(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(Alert, pk=pk, user=request.user)
    services.alert_read(user=request.user, alert=alert)
    if alert.link and url_has_allowed_host_and_scheme(alert.link, {request.get_host()}):
        return redirect(alert.link)
    return redirect("supervision:alert_list")


@login_required
@require_POST
def alerts_read_all(request: HttpRequest) -> HttpResponse:
    count = services.alerts_read_all(user=request.user)
    messages.success(request, _("{n} alerts marked read.").format(n=count))
    return redirect("supervision:alert_list")


# --- the office's tools ------------------------------------------------------------------------


@perm_required("supervision.change_supervisionsettings")
def settings_edit(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    form = SettingsForm(
        request.POST or None, initial={"yellow_days": selectors.yellow_days_of(center)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.supervision_settings_update(
                by=request.user, center=center, yellow_days=form.cleaned_data["yellow_days"]
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Supervision settings saved."))
            return redirect("supervision:dashboard")
    return render(
        request,
        "supervision/action_form.html",
        {"form": form, "title": _("Supervision settings"), "warning": None},
    )


@perm_required("supervision.add_warning")
@require_POST
def run_now(request: HttpRequest) -> HttpResponse:
    """Run today's check at once (the nightly `supervise` command does the same)."""
    center = center_or_404(request)
    today = timezone.localdate()
    result = services.supervise_day(by=request.user, center=center, on=today)
    messages.success(
        request,
        _("Checked {date}: {issued} new cards, {withdrawn} withdrawn.").format(
            date=chinese_date(today), issued=len(result.issued), withdrawn=len(result.withdrawn)
        ),
    )
    return redirect(reverse("supervision:dashboard"))
