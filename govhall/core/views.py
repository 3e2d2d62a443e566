"""Health and the office's audit pages."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from govhall.core.access import perm_required, request_center_id
from govhall.core.audit import verify_all
from govhall.core.audit_actions import action_label
from govhall.core.health import health_extras
from govhall.core.models import AuditEntry

PAGE_SIZE = 25


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int = PAGE_SIZE) -> Page:
    """The requested page of a list; a bad or too-high page number shows the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "unavailable", "database": False}, status=503)
    return JsonResponse({"status": "ok", "database": True, **health_extras()})


def _audit_entries(request: HttpRequest) -> QuerySet[AuditEntry]:
    """The entries of the current center's chain (and the system chain for superusers)."""
    center_id = request_center_id(request)
    chains = [center_id] if center_id else []
    if request.user.is_superuser:
        chains.append(0)
    return AuditEntry.objects.filter(chain__in=chains)


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


@perm_required("core.view_auditentry")
def audit_list(request: HttpRequest) -> HttpResponse:
    entries = _audit_entries(request)
    q = request.GET.get("q", "").strip()
    action = request.GET.get("action", "").strip()
    date_from = _parse_date(request.GET.get("from", ""))
    date_to = _parse_date(request.GET.get("to", ""))
    if q:
        entries = entries.filter(object_repr__icontains=q) | entries.filter(actor_name__icontains=q)
    if action:
        entries = entries.filter(action=action)
    if date_from:
        entries = entries.filter(created_at__date__gte=date_from)
    if date_to:
        entries = entries.filter(created_at__date__lte=date_to)
    actions = _audit_entries(request).order_by("action").values_list("action", flat=True).distinct()
    context = {
        "page": paginate(request, entries.order_by("-created_at", "-seq")),
        "actions": [(code, action_label(code)) for code in actions],
        "filters": {"q": q, "action": action, "from": date_from, "to": date_to},
    }
    return render(request, "core/audit_list.html", context)


@perm_required("core.view_auditentry")
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(_audit_entries(request), pk=pk)
    keys = sorted(set(entry.before or {}) | set(entry.after or {}))
    changes = [
        {
            "field": key,
            "before": (entry.before or {}).get(key),
            "after": (entry.after or {}).get(key),
            "changed": (entry.before or {}).get(key) != (entry.after or {}).get(key),
        }
        for key in keys
    ]
    return render(
        request,
        "core/audit_detail.html",
        {"entry": entry, "action": action_label(entry.action), "changes": changes},
    )


@perm_required("core.view_auditentry")
@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    chains = sorted(set(_audit_entries(request).values_list("chain", flat=True).distinct()))
    checked, problems = verify_all(chains)
    if problems:
        messages.error(
            request,
            _("The audit trail has been tampered with: {problems}").format(
                problems="；".join(p.shown() for p in problems[:5])
            ),
        )
    else:
        messages.success(
            request, _("The audit trail is intact: {count} entries checked.").format(count=checked)
        )
    return redirect("core:audit_list")
