"""Bulletin pages: the list of issues, create, edit the office's texts and number, preview,
publish, versions, downloads in every format; and the month-at-a-glance dashboard."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.bulletins import outputs, selectors, services, text
from govhall.bulletins.charts import chart_svg
from govhall.bulletins.choices import Format
from govhall.bulletins.figures import figures
from govhall.bulletins.forms import BulletinCreateForm, BulletinEditForm
from govhall.bulletins.models import Bulletin, BulletinVersion
from govhall.bulletins.registers import register_states
from govhall.bulletins.render_html import document_context
from govhall.bulletins.types import UnitGlance
from govhall.cases.models import Case
from govhall.core.access import perm_required
from govhall.core.errors import DomainError, form_error
from govhall.core.months import month_end, month_start, shift_month
from govhall.org.models import Center
from govhall.org.selectors import center_or_404

VIEW = "bulletins.view_bulletin"
ADD = "bulletins.add_bulletin"
CHANGE = "bulletins.change_bulletin"
PUBLISH = "bulletins.publish_bulletin"


def _bulletin(request: HttpRequest, pk: int) -> Bulletin:
    bulletin = selectors.bulletin_get(user=request.user, center=center_or_404(request), pk=pk)
    if bulletin is None:
        raise Http404
    return bulletin


def _version(bulletin: Bulletin, number: int) -> BulletinVersion:
    version = bulletin.versions.filter(version=number).first()
    if version is None:
        raise Http404
    return version


def _file(doc: Any, fmt: str, *, version: int | None = None) -> HttpResponse:
    if fmt not in Format.values:
        raise Http404
    response = HttpResponse(outputs.render(doc, fmt), content_type=outputs.CONTENT_TYPES[fmt])
    attachment = fmt in (Format.DOCX, Format.PDF)
    response["Content-Disposition"] = content_disposition_header(
        attachment, outputs.filename(doc, fmt, version=version)
    )
    return response


# --- bulletins ---------------------------------------------------------------------------------


@perm_required(VIEW)
def bulletin_list(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    bulletins = selectors.bulletin_list(user=request.user, center=center).annotate(
        last_version=Max("versions__version")
    )
    last_month = shift_month(timezone.localdate().replace(day=1), -1)
    form = BulletinCreateForm(initial={"month": f"{last_month:%Y-%m}"})
    return render(
        request,
        "bulletins/bulletin_list.html",
        {"bulletins": bulletins, "form": form, "can_add": request.user.has_perm(ADD)},
    )


@perm_required(ADD)
@require_POST
def bulletin_create_view(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    form = BulletinCreateForm(request.POST)
    if form.is_valid():
        try:
            bulletin = services.bulletin_create(
                by=request.user,
                center=center,
                month=form.cleaned_data["month"],
                number=form.cleaned_data["number"],
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("Issue {number} of {year} is drafted from the month's figures.").format(
                    number=bulletin.number, year=bulletin.year
                ),
            )
            return redirect("bulletins:detail", pk=bulletin.pk)
    bulletins = selectors.bulletin_list(user=request.user, center=center).annotate(
        last_version=Max("versions__version")
    )
    return render(
        request,
        "bulletins/bulletin_list.html",
        {"bulletins": bulletins, "form": form, "can_add": True},
        status=400,
    )


@perm_required(VIEW)
def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _bulletin(request, pk)
    doc = selectors.bulletin_document(bulletin)
    versions = bulletin.versions.select_related("published_by").order_by("-version")
    return render(
        request,
        "bulletins/bulletin_detail.html",
        {
            "bulletin": bulletin,
            **document_context(doc, inline_charts=True),
            "versions": versions,
            "latest": versions.first(),
            "formats": Format.choices,
            "can_change": request.user.has_perm(CHANGE),
            "can_publish": request.user.has_perm(PUBLISH),
            "unavailable": doc.figures.unavailable,
            "registers": register_states(center=bulletin.center, month=bulletin.month),
            "problems_draft": text.problems_draft(doc.figures),
            "problems_sent": [line for line in bulletin.problems.splitlines() if line.strip()],
        },
    )


@perm_required(CHANGE)
@require_POST
def register_check_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm (or take back) that one of the month's registers was kept with nothing to record."""
    bulletin = _bulletin(request, pk)
    register, action = request.POST.get("register", ""), request.POST.get("action", "")
    if action not in ("confirm", "withdraw"):
        return HttpResponseBadRequest(_("Unknown action."))
    write = services.register_confirm if action == "confirm" else services.register_withdraw
    try:
        write(by=request.user, center=bulletin.center, month=bulletin.month, register=register)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Saved."))
    return redirect(reverse("bulletins:detail", args=[bulletin.pk]) + "#registers-h")


@perm_required(CHANGE)
def bulletin_edit(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _bulletin(request, pk)
    fields = ("number", "title", "issued_on", "intro", "problems", "plans", "copy_to")
    if request.method == "POST":
        form = BulletinEditForm(request.POST)
        if form.is_valid():
            try:
                services.bulletin_update_texts(
                    by=request.user, bulletin=bulletin, **{f: form.cleaned_data[f] for f in fields}
                )
            except DomainError as error:
                form_error(form, error)
            else:
                if bulletin.is_published:
                    messages.success(request, _("Saved and published as a new version."))
                else:
                    messages.success(request, _("Saved."))
                return redirect("bulletins:detail", pk=bulletin.pk)
    else:
        form = BulletinEditForm(initial={f: getattr(bulletin, f) for f in fields})
    return render(
        request,
        "bulletins/bulletin_edit.html",
        {"bulletin": bulletin, "form": form},
        status=400 if form.errors else 200,
    )


@perm_required(PUBLISH)
@require_POST
def bulletin_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _bulletin(request, pk)
    try:
        version = services.bulletin_publish(by=request.user, bulletin=bulletin)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Published as version {version}.").format(version=version.version)
        )
    return redirect("bulletins:detail", pk=bulletin.pk)


@perm_required(VIEW)
def bulletin_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    bulletin = _bulletin(request, pk)
    return _file(selectors.bulletin_document(bulletin), fmt)


@perm_required(VIEW)
def version_detail(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    bulletin = _bulletin(request, pk)
    frozen = _version(bulletin, version)
    doc = selectors.version_document(frozen)
    return render(
        request,
        "bulletins/version_detail.html",
        {
            "bulletin": bulletin,
            "version": frozen,
            **document_context(doc, inline_charts=True),
            "formats": Format.choices,
        },
    )


@perm_required(VIEW)
def version_download(request: HttpRequest, pk: int, version: int, fmt: str) -> HttpResponse:
    bulletin = _bulletin(request, pk)
    frozen = _version(bulletin, version)
    return _file(selectors.version_document(frozen), fmt, version=frozen.version)


# --- the month at a glance ---------------------------------------------------------------------


def _default_month(center: Center) -> dt.date:
    """This month, or — in a hall whose records stop earlier (an imported history, the demo) —
    the last month with a case accepted."""
    today = timezone.localdate()
    last = (
        Case.objects.filter(center=center, accepted_at__lte=timezone.now())
        .order_by("-accepted_at")
        .values_list("accepted_at", flat=True)
        .first()
    )
    if last is None:
        return today.replace(day=1)
    return timezone.localtime(last).date().replace(day=1)


# (key, url name, permission) of the pages behind the dashboard's numbers; ?month= added.
RECORD_PAGES = (
    ("cases", "cases:case_list", "cases.view_case"),
    ("consultations", "cases:consultations", "cases.view_consultation"),
    ("supervision", "supervision:month_report", "supervision.view_warning"),
    ("warnings", "supervision:warning_list", "supervision.view_warning"),
    ("leave", "staffing:leave_list", "staffing.view_leave"),
    ("outings", "staffing:outing_list", "staffing.view_outing"),
    ("vacancies", "staffing:vacancy_list", "staffing.view_vacancy"),
    ("patrol", "oversight:patrol_month", "oversight.view_patrolsignin"),
    ("inspections", "oversight:inspection_list", "oversight.view_inspection"),
    ("journal", "journal:entry_list", "journal.view_journalentry"),
    ("feedback", "feedback:inbox", "feedback.view_feedback"),
    ("satisfaction", "feedback:figures", "feedback.view_rating"),
)


def record_links(user: Any, month: dt.date) -> dict[str, str]:
    """The record pages the person may open, for the month (missing apps left out)."""
    first = f"{month:%Y-%m-%d}"
    last = f"{month_end(month):%Y-%m-%d}"
    links = {}
    for key, name, perm in RECORD_PAGES:
        if not user.has_perm(perm):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        query = {"from": first, "to": last} if key == "cases" else {"month": f"{month:%Y-%m}"}
        if key == "warnings":
            query = {}
        links[key] = f"{url}?{urlencode(query)}" if query else url
    return links


@perm_required(VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    raw = request.GET.get("month", "").strip()
    if raw:
        try:
            month = month_start(raw)
        except ValueError:
            return HttpResponseBadRequest(_("Give the month as YYYY-MM."))
    else:
        month = _default_month(center)
    found = figures(center, month)
    links = record_links(request.user, month)
    bulletin = selectors.bulletin_for_month(center=center, month=month)
    if (
        bulletin is not None
        and not selectors.sees_drafts(request.user, center)
        and not bulletin.is_published
    ):
        bulletin = None
    cases_link = links.get("cases", "")
    unit_rows = [
        {
            "row": row,
            "link": f"{cases_link}&unit={row.unit_id}" if cases_link and row.unit_id else "",
        }
        for row in found.cases_by_unit
    ]
    context = {
        "f": found,
        "month": month,
        "previous": f"{shift_month(month, -1):%Y-%m}",
        "next": f"{shift_month(month, 1):%Y-%m}",
        "links": links,
        "unit_rows": unit_rows,
        "units_chart": chart_svg(found, "units"),
        "trend_chart": chart_svg(found, "trend"),
        "timeliness_chart": chart_svg(found, "timeliness"),
        "satisfaction_chart": chart_svg(found, "satisfaction"),
        "queue_hours_chart": chart_svg(found, "queue_hours") if found.queue.tickets else "",
        "queue_categories_chart": (
            chart_svg(found, "queue_categories") if found.queue.tickets else ""
        ),
        "bulletin": bulletin,
        "own_units": [
            UnitGlance.of(found, name) for name in selectors.own_unit_names(request.user, center)
        ],
        "can_add": request.user.has_perm(ADD),
        "create_url": reverse("bulletins:create"),
    }
    return render(request, "bulletins/dashboard.html", context)
