"""Reads of the provincial links, scoped to what the person may see."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from govhall.core.access import Viewer
from govhall.org.models import Center
from govhall.org.scoping import scoped
from govhall.province.choices import MessageStatus
from govhall.province.models import OutboxMessage, ProvinceLink, ProvincialWarning


def outbox_list(*, user: Viewer, center: Center, status: str = "") -> QuerySet[OutboxMessage]:
    messages = scoped(OutboxMessage.objects.filter(center=center), user, unit=None)
    if status:
        messages = messages.filter(status=status)
    return messages.order_by("-created_at", "-pk")


def outbox_counts(*, user: Viewer, center: Center) -> dict[str, int]:
    """Messages per status, every status present (one query)."""
    rows = (
        scoped(OutboxMessage.objects.filter(center=center), user, unit=None)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(MessageStatus.values, 0)
    counts.update(dict(rows))
    return counts


def outbox_get(*, user: Viewer, center: Center, pk: int) -> OutboxMessage | None:
    return (
        outbox_list(user=user, center=center)
        .select_related("case")
        .prefetch_related("tries")
        .filter(pk=pk)
        .first()
    )


def warning_list(*, user: Viewer, center: Center) -> QuerySet[ProvincialWarning]:
    return (
        scoped(ProvincialWarning.objects.filter(center=center), user, unit=None)
        .select_related("case")
        .order_by("-received_at", "-pk")
    )


def link_of(center: Center) -> ProvinceLink | None:
    return ProvinceLink.objects.filter(center=center).first()
