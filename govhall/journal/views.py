"""Work journal pages: the list by kind, month and unit; entering, correcting and deleting."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.access import perm_required
from govhall.core.errors import DomainError, form_error
from govhall.core.months import parse_month
from govhall.core.text import chinese_date
from govhall.core.uploads import SCANS, file_response
from govhall.core.views import paginate
from govhall.journal import selectors, services
from govhall.journal.choices import EntryKind
from govhall.journal.forms import KIND_FIELDS, EntryEditForm, EntryForm
from govhall.journal.models import JournalEntry
from govhall.org.models import Center, Staff, Unit
from govhall.org.scoping import scope_for, scoped
from govhall.org.selectors import center_or_404

VIEW = "journal.view_journalentry"


def _is_office(user: Any, center: Center) -> bool:
    scope = scope_for(user)
    return user.has_perm("journal.add_journalentry") and (
        scope.everything or center.pk in scope.wide_center_ids
    )


def _kinds_for(user: Any, center: Center) -> list[tuple[str, str]]:
    """The kinds the person may enter: all for the office, submissions for a unit's chief."""
    if _is_office(user, center):
        return list(EntryKind.choices)
    if user.has_perm("journal.submit_info"):
        return [(EntryKind.INFO_SUBMISSION, EntryKind.INFO_SUBMISSION.label)]
    return []


def _may_change(user: Any, center: Center, entry: JournalEntry) -> bool:
    if _is_office(user, center):
        return True
    return (
        entry.kind == EntryKind.INFO_SUBMISSION
        and user.has_perm("journal.submit_info")
        and scope_for(user).sees_unit(center.pk, entry.unit_id)
    )


def _choices(request: HttpRequest, center: Center) -> dict[str, Any]:
    units = scoped(Unit.objects.filter(center=center, is_active=True), request.user, unit="id")
    staff = scoped(Staff.objects.filter(center=center, is_active=True), request.user)
    return {
        "units": units.order_by("position", "sort_key"),
        "staff": staff.select_related("unit").order_by(
            "unit__position", "unit__sort_key", "sort_key"
        ),
    }


def _entry(request: HttpRequest, pk: int) -> JournalEntry:
    entry = selectors.journal_get(user=request.user, center=center_or_404(request), pk=pk)
    if entry is None:
        raise Http404
    return entry


@perm_required(VIEW)
def entry_list(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    kind = request.GET.get("kind", "")
    raw_month = request.GET.get("month", "").strip()
    raw_unit = request.GET.get("unit", "").strip()
    month = parse_month(raw_month) if raw_month else None
    if (
        (kind and kind not in EntryKind.values)
        or (raw_month and month is None)
        or (raw_unit and not raw_unit.isdigit())
    ):
        return HttpResponseBadRequest(_("Unknown filter value."))
    unit_id = int(raw_unit) if raw_unit else None
    entries = selectors.journal_list(
        user=request.user, center=center, kind=kind, month=month, unit_id=unit_id
    )
    context = {
        "page": paginate(request, entries),
        "kinds": EntryKind.choices,
        "units": Unit.objects.filter(center=center).order_by("position", "sort_key"),
        "filters": {"kind": kind, "month": month, "unit": unit_id},
        "new_kinds": _kinds_for(request.user, center),
    }
    return render(request, "journal/entry_list.html", context)


@perm_required(VIEW)
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    center = center_or_404(request)
    return render(
        request,
        "journal/entry_detail.html",
        {"entry": entry, "can_change": _may_change(request.user, center, entry)},
    )


@perm_required(VIEW)
def entry_create(request: HttpRequest, kind: str) -> HttpResponse:
    center = center_or_404(request)
    if kind not in KIND_FIELDS:
        raise Http404
    if kind not in dict(_kinds_for(request.user, center)):
        return render(request, "journal/refused.html", status=403)
    form = EntryForm(
        request.POST or None,
        request.FILES or None,
        kind=kind,
        initial={"date": timezone.localdate()},
        **_choices(request, center),
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.journal_entry_create(
                by=request.user, center=center, kind=kind, **form.cleaned_data
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Journal entry saved."))
            return redirect("journal:entry_detail", entry.pk)
    title = _("New entry: {kind}").format(kind=EntryKind(kind).label)
    return render(
        request,
        "journal/entry_form.html",
        {"form": form, "title": title, "cancel_url": reverse("journal:entry_list")},
    )


@perm_required(VIEW)
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    center = center_or_404(request)
    if not _may_change(request.user, center, entry):
        return render(request, "journal/refused.html", status=403)
    initial = {name: getattr(entry, name) for name in KIND_FIELDS[entry.kind] if name != "clipping"}
    form = EntryEditForm(
        request.POST or None,
        request.FILES or None,
        kind=entry.kind,
        initial=initial,
        **_choices(request, center),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        clipping = data.pop("clipping", None)
        remove = data.pop("remove_clipping", False)
        try:
            services.journal_entry_update(
                by=request.user, entry=entry, clipping=clipping, remove_clipping=remove, **data
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Journal entry saved."))
            return redirect("journal:entry_detail", entry.pk)
    return render(
        request,
        "journal/entry_form.html",
        {
            "form": form,
            "title": _("Edit: {entry}").format(entry=entry.headline),
            "cancel_url": reverse("journal:entry_detail", args=[entry.pk]),
        },
    )


@perm_required(VIEW)
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    center = center_or_404(request)
    if not _may_change(request.user, center, entry):
        return render(request, "journal/refused.html", status=403)
    if request.method == "POST":
        try:
            services.journal_entry_delete(by=request.user, entry=entry)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("journal:entry_detail", entry.pk)
        messages.success(request, _("Journal entry deleted."))
        return redirect("journal:entry_list")
    question = _("Delete “{entry}” of {date}? It stays in the audit trail.").format(
        entry=entry.headline, date=chinese_date(entry.date)
    )
    return render(
        request,
        "org/confirm.html",
        {"question": question, "cancel_url": reverse("journal:entry_detail", args=[entry.pk])},
    )


@perm_required(VIEW)
def entry_clipping(request: HttpRequest, pk: int) -> FileResponse:
    """A media report's clipping, for those who may read the entry."""
    entry = _entry(request, pk)
    return file_response(
        entry.clipping, name_parts=("clipping", str(entry.pk)), allowed=SCANS, public=False
    )
