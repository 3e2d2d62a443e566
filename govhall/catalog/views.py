"""Staff pages of the catalog: browse, draft the eight parts, submit, review, campaigns."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.catalog import files, selectors, services
from govhall.catalog.choices import Category, ItemStatus, Part, VersionState
from govhall.catalog.flowchart import StepBox, flowchart_svg
from govhall.catalog.forms import (
    BasicForm,
    CampaignForm,
    ChangeForm,
    ItemCreateForm,
    KeywordsForm,
    ReviewForm,
    row_formset,
)
from govhall.catalog.models import ItemVersion
from govhall.catalog.rules import missing_parts
from govhall.core.access import perm_required
from govhall.core.errors import DomainError, form_error
from govhall.core.uploads import file_response
from govhall.core.views import paginate
from govhall.org.models import Unit
from govhall.org.scoping import scoped
from govhall.org.selectors import center_or_404, unit_list

ROW_PART_VALUES = [Part.MATERIALS, Part.FEES, Part.FORMS, Part.STEPS, Part.RISKS, Part.FAQS]


def _version(request: HttpRequest, pk: int) -> ItemVersion:
    """A version of an item the person may see, with its parts loaded."""
    center = center_or_404(request)
    allowed = scoped(
        ItemVersion.objects.filter(item__center=center),
        request.user,
        center="item__center",
        unit="item__unit",
    )
    if not allowed.filter(pk=pk).exists():
        raise Http404
    return selectors.version_with_parts(pk)


def flowchart_for(version: ItemVersion) -> SafeString:
    """The generated SVG for a version without an uploaded image."""
    steps = [StepBox(s.name, s.role, s.limit_days) for s in version.steps.all()]
    return flowchart_svg(steps, title=version.name)


def _parts_context(version: ItemVersion) -> dict[str, Any]:
    missing = missing_parts(selectors.counts_of(version))
    return {
        "version": version,
        "missing": missing,
        "parts": [(part, part not in missing) for part in Part],
        "flowchart": flowchart_for(version) if not version.flowchart_image else "",
    }


# --- browsing ---------------------------------------------------------------------------------


@perm_required("catalog.view_serviceitem")
def item_list(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    q = request.GET.get("q", "").strip()[:50]
    unit = request.GET.get("unit", "")
    category = request.GET.get("category", "")
    status = request.GET.get("status", "")
    items = selectors.item_list(
        user=request.user,
        center=center,
        q=q,
        unit_id=int(unit) if unit.isdigit() else None,
        category=category if category in Category.values else "",
        status=status if status in ItemStatus.values else "",
    )
    context = {
        "page": paginate(request, items),
        "units": unit_list(user=request.user, center=center),
        "categories": Category.choices,
        "statuses": ItemStatus.choices,
        "filters": {"q": q, "unit": unit, "category": category, "status": status},
        "queue_count": selectors.review_queue(user=request.user, center=center).count()
        if request.user.has_perm("catalog.review_itemversion")
        else 0,
    }
    return render(request, "catalog/item_list.html", context)


@perm_required("catalog.view_serviceitem")
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_for(user=request.user, center=center_or_404(request), pk=pk)
    if item is None:
        raise Http404
    draft = selectors.open_version(item)
    shown = selectors.version_with_parts((draft or item.current or item.versions.first()).pk)
    context = {
        "item": item,
        "draft": draft,
        "history": selectors.version_history(item),
        "change_form": ChangeForm(),
        "keywords_form": KeywordsForm(initial={"keywords": item.keywords}),
        **_parts_context(shown),
    }
    return render(request, "catalog/item_detail.html", context)


@perm_required("catalog.review_itemversion")
@require_POST
def item_keywords(request: HttpRequest, pk: int) -> HttpResponse:
    """The office sets the words (aliases) the kiosk also finds the item by."""
    item = selectors.item_for(user=request.user, center=center_or_404(request), pk=pk)
    if item is None:
        raise Http404
    form = KeywordsForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("keywords", [])))
        return redirect("catalog:item_detail", item.pk)
    try:
        services.item_set_keywords(
            by=request.user, item=item, keywords=form.cleaned_data["keywords"]
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("catalog:item_detail", item.pk)
    messages.success(request, _("Search keywords saved; the kiosk finds them now."))
    return redirect("catalog:item_detail", item.pk)


@perm_required("catalog.view_itemversion")
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    return render(
        request, "catalog/version_detail.html", {"item": version.item, **_parts_context(version)}
    )


@perm_required("catalog.view_itemversion")
def version_file(request: HttpRequest, pk: int, kind: str, row: int) -> FileResponse:
    """A file of any version in the person's scope (drafts included), as the public would get it."""
    version = _version(request, pk)
    found = files.version_file(version=version, kind=kind, pk=row)
    if found is None:
        raise Http404
    return file_response(
        found.file, name_parts=found.name_parts, allowed=found.allowed, public=False
    )


# --- drafting ---------------------------------------------------------------------------------


@perm_required("catalog.add_serviceitem")
def item_create(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    units = scoped(Unit.objects.filter(center=center, is_active=True), request.user, unit="id")
    form = ItemCreateForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(by=request.user, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("Item {name} drafted: fill in its eight parts, then submit it.").format(
                    name=item.name
                ),
            )
            return redirect("catalog:item_detail", item.pk)
    return render(request, "org/form.html", {"form": form, "title": _("New service item")})


@perm_required("catalog.change_itemversion")
@require_POST
def version_start(request: HttpRequest, item_pk: int) -> HttpResponse:
    item = selectors.item_for(user=request.user, center=center_or_404(request), pk=item_pk)
    if item is None:
        raise Http404
    form = ChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the kind of change."))
        return redirect("catalog:item_detail", item.pk)
    try:
        draft = services.version_start(by=request.user, item=item, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("catalog:item_detail", item.pk)
    messages.success(request, _("Version {n} opened as a draft.").format(n=draft.number))
    return redirect("catalog:version_edit", draft.pk)


@perm_required("catalog.change_itemversion")
def version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The 基本信息表 of a draft, with links to the other parts."""
    version = _version(request, pk)
    if not version.is_editable:
        messages.error(request, _("This version can no longer be edited."))
        return redirect("catalog:version_detail", version.pk)
    form = BasicForm(
        request.POST or None, request.FILES or None, instance=ItemVersion.objects.get(pk=version.pk)
    )
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in form.changed_data}
        if "flowchart_image" in changes and changes["flowchart_image"] is False:
            changes["flowchart_image"] = ""  # the "clear" box was ticked
        try:
            services.version_update_basic(by=request.user, version=version, **changes)
        except (DomainError, ValidationError) as error:
            form_error(
                form,
                error if isinstance(error, DomainError) else DomainError(" ".join(error.messages)),
            )
        else:
            messages.success(request, _("Basic information saved."))
            return redirect("catalog:version_edit", version.pk)
    context = {
        "form": form,
        **_parts_context(version),
        "item": version.item,
        "row_parts": ROW_PART_VALUES,
    }
    return render(request, "catalog/version_edit.html", context)


@perm_required("catalog.change_itemversion")
def part_edit(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    """One list part of a draft as an editable table; saving replaces the part whole."""
    if part not in ROW_PART_VALUES:
        raise Http404
    version = _version(request, pk)
    if not version.is_editable:
        messages.error(request, _("This version can no longer be edited."))
        return redirect("catalog:version_detail", version.pk)
    formset_class = row_formset(part)
    model = formset_class.model
    formset = formset_class(
        request.POST or None,
        request.FILES or None,
        queryset=model.objects.filter(version=version),
        prefix=part,
    )
    if request.method == "POST" and formset.is_valid():
        rows = [
            {k: v for k, v in f.cleaned_data.items() if k not in ("id", "DELETE")}
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")  # untouched blank rows are {}
        ]
        try:
            services.version_set_rows(by=request.user, version=version, part=part, rows=rows)
        except (DomainError, ValidationError) as error:
            message = error.message if isinstance(error, DomainError) else " ".join(error.messages)
            messages.error(request, message)
        else:
            messages.success(request, _("{part} saved.").format(part=Part(part).label))
            return redirect("catalog:version_edit", version.pk)
    context = {"formset": formset, "part": Part(part), "version": version, "item": version.item}
    return render(request, "catalog/part_edit.html", context)


@perm_required("catalog.submit_itemversion")
@require_POST
def version_submit(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    try:
        services.version_submit(by=request.user, version=version)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("catalog:version_edit", version.pk)
    messages.success(request, _("Submitted to the center office for review."))
    return redirect("catalog:item_detail", version.item_id)


@perm_required("catalog.change_itemversion")
def version_discard(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    item_id = version.item_id
    if request.method == "POST":
        try:
            services.version_discard(by=request.user, version=version)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("catalog:item_detail", item_id)
        messages.success(request, _("The draft was discarded."))
        if ItemVersion.objects.filter(item_id=item_id).exists():
            return redirect("catalog:item_detail", item_id)
        return redirect("catalog:item_list")
    question = _("Discard draft version {n} of {name}? Its changes are lost.").format(
        n=version.number, name=version.name
    )
    return render(
        request,
        "org/confirm.html",
        {"question": question, "cancel_url": reverse("catalog:version_edit", args=[version.pk])},
    )


# --- review -----------------------------------------------------------------------------------


@perm_required("catalog.review_itemversion")
def review_queue(request: HttpRequest) -> HttpResponse:
    versions = selectors.review_queue(user=request.user, center=center_or_404(request))
    return render(request, "catalog/review_queue.html", {"page": paginate(request, versions)})


@perm_required("catalog.review_itemversion")
def version_review(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = request.POST.get("decision")
        try:
            if decision == "approve":
                services.version_approve(
                    by=request.user, version=version, comment=form.cleaned_data["comment"]
                )
                messages.success(request, _("{name} published.").format(name=version.name))
            elif decision == "return":
                services.version_return(
                    by=request.user, version=version, comment=form.cleaned_data["comment"]
                )
                messages.success(
                    request, _("{name} returned to the unit.").format(name=version.name)
                )
            else:
                raise DomainError(_("Choose approve or return."))
        except DomainError as error:
            form_error(form, error)
        else:
            return redirect("catalog:review_queue")
    previous = version.item.current if version.item.current_id != version.pk else None
    context = {"form": form, "item": version.item, "previous": previous, **_parts_context(version)}
    return render(request, "catalog/version_review.html", context)


# --- campaigns --------------------------------------------------------------------------------


@perm_required("catalog.view_reviewcampaign")
def campaign_list(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    form = CampaignForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("catalog.add_reviewcampaign"):
            raise Http404
        if form.is_valid():
            try:
                campaign = services.campaign_create(
                    by=request.user, center=center, **form.cleaned_data
                )
            except DomainError as error:
                form_error(form, error)
            else:
                return redirect("catalog:campaign_detail", campaign.pk)
    campaigns = selectors.campaign_list(user=request.user, center=center)
    return render(request, "catalog/campaign_list.html", {"campaigns": campaigns, "form": form})


@perm_required("catalog.view_reviewcampaign")
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    center = center_or_404(request)
    campaign = selectors.campaign_list(user=request.user, center=center).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    unit = request.GET.get("unit", "")
    only = request.GET.get("show", "")
    unit_rows, item_rows = selectors.campaign_progress(
        user=request.user,
        center=center,
        campaign=campaign,
        unit_id=int(unit) if unit.isdigit() else None,
    )
    if only == "incomplete":
        item_rows = [r for r in item_rows if r.missing]
    elif only == "stale":
        item_rows = [r for r in item_rows if not r.reviewed]
    totals = {
        "items": sum(u.items for u in unit_rows),
        "complete": sum(u.complete for u in unit_rows),
        "reviewed": sum(u.reviewed for u in unit_rows),
        "submitted": sum(u.submitted for u in unit_rows),
        "missing_by_part": [
            sum(column) for column in zip(*(u.missing_by_part for u in unit_rows), strict=True)
        ]
        if unit_rows
        else [0] * len(Part),
    }
    context = {
        "campaign": campaign,
        "unit_rows": unit_rows,
        "item_rows": item_rows[:500],
        "item_count": len(item_rows),
        "totals": totals,
        "parts": list(Part),
        "filters": {"unit": unit, "show": only},
        "units": unit_list(user=request.user, center=center),
        "states": dict(VersionState.choices),
    }
    return render(request, "catalog/campaign_detail.html", context)
