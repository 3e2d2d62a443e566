"""Reads behind the API, scoped like the staff pages (govhall.org.scoping)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.choices import CaseStatus
from govhall.cases.models import Case, CaseEvent, Consultation
from govhall.cases.selectors import visible_cases
from govhall.catalog.choices import HandlingType
from govhall.catalog.models import ServiceItem
from govhall.catalog.search import public_items, search_items
from govhall.core.access import Viewer
from govhall.core.errors import DomainError
from govhall.core.keyset import KeysetPage, decode_cursor, keyset_page
from govhall.org.models import Center
from govhall.org.scoping import scoped

ITEM_PARTS = ("materials", "fee_lines", "forms", "steps", "risks", "faqs")


def page(queryset: QuerySet, order: tuple[str, ...], cursor: str | None, size: int) -> KeysetPage:
    """keyset_page, refusing text a database cannot compare (NUL) inside a forged cursor."""
    if cursor:
        values = decode_cursor(cursor, len(order))
        if any(isinstance(v, str) and "\x00" in v for v in values):
            raise DomainError(
                _("The page cursor is not valid; start again from the first page."),
                field="cursor",
            )
    return keyset_page(queryset, order, cursor, size=size)


def day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _between(field: str, start: dt.date | None, end: dt.date | None) -> Q:
    """A local-date range, both ends inclusive, on a datetime field."""
    condition = Q()
    if start is not None:
        condition &= Q(**{f"{field}__gte": day_start(start)})
    if end is not None:
        condition &= Q(**{f"{field}__lt": day_start(end + dt.timedelta(days=1))})
    return condition


# --- catalog ---------------------------------------------------------------------------------


def item_page(
    *, center: Center, q: str | None, unit_id: int | None, cursor: str | None, size: int
) -> KeysetPage:
    """The center's published items: best match first for a search, else in pinyin order."""
    if q and q.strip():
        items = search_items(center=center, q=q)
        order: tuple[str, ...] = ("-rank", "sort_key", "id")
    else:
        items = public_items(center=center)
        order = ("sort_key", "id")
    if unit_id is not None:
        items = items.filter(unit_id=unit_id)
    return page(items.select_related("unit", "current"), order, cursor, size)


def item_detail(*, center: Center, pk: int) -> ServiceItem | None:
    """One published item with its current version and all eight parts (seven queries)."""
    return (
        public_items(center=center)
        .select_related("unit", "current")
        .prefetch_related(*(f"current__{part}" for part in ITEM_PARTS))
        .filter(pk=pk)
        .first()
    )


# --- cases -----------------------------------------------------------------------------------


def overdue_q(now: dt.datetime) -> Q:
    """Promised cases past their deadline: completed after it, or open, running and past it."""
    completed_late = Q(completed_at__isnull=False, completed_at__gt=F("due_at"))
    running_late = Q(
        status__in=sorted(CaseStatus.open()), paused_since__isnull=True, due_at__lt=now
    )
    return Q(handling_type=HandlingType.PROMISED, due_at__isnull=False) & (
        completed_late | running_late
    )


def is_overdue(case: Case, now: dt.datetime) -> bool:
    """The same rule as `overdue_q`, for one row already read."""
    if case.handling_type != HandlingType.PROMISED or case.due_at is None:
        return False
    if case.completed_at is not None:
        return case.completed_at > case.due_at
    return case.status in CaseStatus.open() and case.paused_since is None and case.due_at < now


def case_list(*, user: Viewer, center: Center, filters: Any, now: dt.datetime) -> QuerySet[Case]:
    cases = visible_cases(user=user, center=center).select_related("unit", "window", "item")
    if filters.unit is not None:
        cases = cases.filter(unit_id=filters.unit)
    if filters.status is not None:
        cases = cases.filter(status=filters.status)
    if filters.handling_type is not None:
        cases = cases.filter(handling_type=filters.handling_type)
    cases = cases.filter(
        _between("accepted_at", filters.accepted_from, filters.accepted_to)
        & _between("completed_at", filters.completed_from, filters.completed_to)
    )
    if filters.overdue is True:
        cases = cases.filter(overdue_q(now))
    elif filters.overdue is False:
        cases = cases.exclude(overdue_q(now))
    return cases


CASE_ORDER = ("-received_at", "-id")


def case_by_number(
    *, user: Viewer, center: Center, number: str, events: bool = False
) -> Case | None:
    """A case the caller may see, by its number; None for another center's or unit's case."""
    cases = visible_cases(user=user, center=center).select_related("unit", "window", "item")
    if events:
        cases = cases.prefetch_related(
            Prefetch("events", queryset=CaseEvent.objects.order_by("at", "pk"))
        )
    return cases.filter(number=number).first()


# --- consultations ---------------------------------------------------------------------------


def consultation_list(*, user: Viewer, center: Center, filters: Any) -> QuerySet[Consultation]:
    rows = scoped(Consultation.objects.filter(center=center), user).select_related("unit", "staff")
    if filters.unit is not None:
        rows = rows.filter(unit_id=filters.unit)
    if filters.channel is not None:
        rows = rows.filter(channel=filters.channel)
    return rows.filter(_between("at", filters.date_from, filters.date_to))


CONSULTATION_ORDER = ("-at", "-id")
