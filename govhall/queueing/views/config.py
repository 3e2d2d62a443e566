"""The office's queue pages: categories (业务类别) and their windows, the queue settings, and
today's numbers. Thin: parse, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from govhall.core.access import perm_required
from govhall.core.clock import now as clock_now
from govhall.core.errors import DomainError, form_error
from govhall.core.views import paginate
from govhall.org.hours import hours_of
from govhall.org.models import Center
from govhall.org.selectors import center_or_404
from govhall.queueing import services
from govhall.queueing.choices import TicketStatus
from govhall.queueing.forms.config import CategoryForm, SettingsForm
from govhall.queueing.models import QueueCategory
from govhall.queueing.selectors import desk as selectors
from govhall.queueing.selectors import local_day, settings_of

SETTINGS_FIELDS = (
    "ticketing_opens",
    "ticketing_closes",
    "skip_back_places",
    "max_skips",
    "wait_limit_minutes",
    "idle_minutes",
    "late_opening_minutes",
    "minutes_per_ticket",
)


def _category(center: Center, pk: int) -> QueueCategory:
    found = QueueCategory.objects.filter(center=center, pk=pk).first()
    if found is None:
        raise Http404
    return found


@perm_required("queueing.view_queuecategory")
def category_list(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    context = {
        "categories": selectors.category_list(center=center),
        "settings": settings_of(center),
    }
    return render(request, "queueing/config/category_list.html", context)


def _category_form_page(
    request: HttpRequest, center: Center, category: QueueCategory | None
) -> HttpResponse:
    initial: dict[str, Any] = {"position": 100, "is_active": True}
    if category is not None:
        initial = {
            "code": category.code,
            "name": category.name,
            "units": list(category.units.all()),
            "items": list(category.items.all()),
            "windows": list(category.windows.all()),
            "position": category.position,
            "is_active": category.is_active,
        }
    form = CategoryForm(request.POST or None, initial=initial, center=center)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.queue_category_save(
                center=center,
                by=request.user,
                category=category,
                code=data["code"],
                name=data["name"],
                units=data["units"],
                items=data["items"],
                windows=data["windows"],
                position=data["position"],
                is_active=data["is_active"],
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Category {code} saved.").format(code=saved.code))
            return redirect("queueing:category_list")
    status = 400 if form.errors else 200
    context = {"form": form, "category": category}
    return render(request, "queueing/config/category_form.html", context, status=status)


@perm_required("queueing.add_queuecategory")
@require_http_methods(["GET", "POST"])
def category_create(request: HttpRequest) -> HttpResponse:
    return _category_form_page(request, center_or_404(request), None)


@perm_required("queueing.change_queuecategory")
@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    center = center_or_404(request)
    return _category_form_page(request, center, _category(center, pk))


@perm_required("queueing.delete_queuecategory")
@require_http_methods(["GET", "POST"])
def category_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation; POST: the deletion (refused once numbers were taken)."""
    center = center_or_404(request)
    category = _category(center, pk)
    if request.method == "POST":
        try:
            services.queue_category_delete(category=category, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Category {code} deleted.").format(code=category.code))
        return redirect("queueing:category_list")
    has_tickets = category.tickets.exists()
    return render(
        request,
        "queueing/config/category_delete.html",
        {"category": category, "has_tickets": has_tickets},
    )


@perm_required("queueing.change_queuesettings")
@require_http_methods(["GET", "POST"])
def settings_edit(request: HttpRequest) -> HttpResponse:
    center = center_or_404(request)
    current = settings_of(center)
    initial = {name: getattr(current, name) for name in SETTINGS_FIELDS}
    hours = hours_of(center)(local_day(clock_now()))
    form = SettingsForm(request.POST or None, initial=initial, hours=hours)
    if request.method == "POST" and form.is_valid():
        try:
            services.queue_settings_update(center=center, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Queue settings saved."))
            return redirect("queueing:settings")
    status = 400 if form.errors else 200
    return render(
        request, "queueing/config/settings.html", {"form": form, "hours": hours}, status=status
    )


@perm_required("queueing.view_ticket")
def ticket_list(request: HttpRequest) -> HttpResponse:
    """Today's numbers: by category and status, or found by number."""
    center = center_or_404(request)
    raw_category = request.GET.get("category", "").strip()
    status = request.GET.get("status", "").strip()
    q = request.GET.get("q", "").strip().upper()[:8]
    if (raw_category and not (raw_category.isdigit() and len(raw_category) < 10)) or (
        status and status not in TicketStatus.values
    ):
        return HttpResponseBadRequest(_("Unknown filter value."))
    filters = selectors.TicketFilters(
        category_id=int(raw_category) if raw_category else None, status=status, q=q
    )
    day = local_day(clock_now())
    tickets = selectors.ticket_list_for(user=request.user, center=center, day=day, filters=filters)
    page = paginate(request, tickets)
    for ticket in page.object_list:
        wait = ticket.wait
        ticket.wait_minutes = None if wait is None else int(wait.total_seconds() // 60)  # type: ignore[attr-defined]
    context = {
        "page": page,
        "filters": filters,
        "day": day,
        "categories": QueueCategory.objects.filter(center=center).order_by("position", "code"),
        "statuses": TicketStatus.choices,
        "filtered": bool(raw_category or status or q),
    }
    return render(request, "queueing/config/ticket_list.html", context)
