"""A month of the queue, for the bulletin, the scores and the month overview: SQL aggregates
over tickets (their wait is kept at the first call)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Max, Q
from django.db.models.functions import ExtractHour
from django.utils import timezone

from govhall.core.months import month_start, shift_month
from govhall.org.models import Center
from govhall.queueing.choices import TicketStatus
from govhall.queueing.models import Ticket
from govhall.queueing.selectors import LateOpening, late_openings


@dataclass(frozen=True)
class WaitGroup:
    label: str
    tickets: int
    average_wait_minutes: float
    max_wait_minutes: int


@dataclass(frozen=True)
class QueueMonth:
    tickets: int
    served: int
    average_wait_minutes: float
    max_wait_minutes: int
    late_openings: tuple[LateOpening, ...]
    by_hour: tuple[WaitGroup, ...]
    by_category: tuple[WaitGroup, ...]


def _minutes(seconds: float | None) -> float:
    return round((seconds or 0) / 60, 1)


def _group(label: str, row: dict[str, object]) -> WaitGroup:
    return WaitGroup(
        label,
        int(row["n"]),  # type: ignore[call-overload]
        _minutes(row["avg"]),  # type: ignore[arg-type]
        int((row["max"] or 0) // 60),  # type: ignore[operator]
    )


def month_queue(*, center: Center, month: dt.date) -> QueueMonth:
    """Numbers taken and served in the month, the average and longest wait to the first call,
    the windows late to open, and waits by hour of day and by category."""
    first = month_start(month)
    last = shift_month(first, 1) - dt.timedelta(days=1)
    tickets = Ticket.objects.filter(center=center, day__gte=first, day__lte=last)
    totals = tickets.aggregate(
        n=Count("pk"),
        served=Count("pk", filter=Q(status=TicketStatus.DONE)),
        avg=Avg("wait_seconds"),
        max=Max("wait_seconds"),
    )
    if not totals["n"]:
        # A month without the queue costs one query.
        return QueueMonth(0, 0, 0.0, 0, (), (), ())
    waited = tickets.filter(wait_seconds__isnull=False).order_by()
    hours = (
        waited.annotate(hour=ExtractHour("issued_at", tzinfo=timezone.get_current_timezone()))
        .values("hour")
        .annotate(n=Count("pk"), avg=Avg("wait_seconds"), max=Max("wait_seconds"))
        .order_by("hour")
    )
    categories = (
        waited.values("category__code", "category__name")
        .annotate(n=Count("pk"), avg=Avg("wait_seconds"), max=Max("wait_seconds"))
        .order_by("category__code")
    )
    return QueueMonth(
        tickets=int(totals["n"] or 0),
        served=int(totals["served"] or 0),
        average_wait_minutes=_minutes(totals["avg"]),
        max_wait_minutes=int((totals["max"] or 0) // 60),
        late_openings=tuple(late_openings(center=center, first=first, last=last)),
        by_hour=tuple(_group(f"{row['hour']}时", row) for row in hours),
        by_category=tuple(
            _group(f"{row['category__code']} {row['category__name']}", row) for row in categories
        ),
    )


def centers_average_waits(center_ids: Sequence[int], month: dt.date) -> dict[int, float]:
    """center id → the month's average minutes to the first call (`month_queue`'s figure),
    for every center that issued numbers in the month, in one query (a region's ranking)."""
    first = month_start(month)
    last = shift_month(first, 1) - dt.timedelta(days=1)
    rows = (
        Ticket.objects.filter(center_id__in=list(center_ids), day__gte=first, day__lte=last)
        .values("center_id")
        .annotate(avg=Avg("wait_seconds"))
        .order_by()
    )
    return {row["center_id"]: _minutes(row["avg"]) for row in rows}


def unit_waits(*, center: Center, month: dt.date) -> dict[int, Decimal]:
    """Average minutes to the first call of the numbers each unit's windows called."""
    first = month_start(month)
    rows = (
        Ticket.objects.filter(
            center=center,
            day__gte=first,
            day__lt=shift_month(first, 1),
            wait_seconds__isnull=False,
            window__isnull=False,
        )
        .values("window__unit_id")
        .annotate(avg=Avg("wait_seconds"))
        .order_by()
    )
    return {
        row["window__unit_id"]: (Decimal(str(row["avg"] or 0)) / 60).quantize(Decimal("0.1"))
        for row in rows
    }


def unit_late_openings(*, center: Center, month: dt.date) -> dict[int, int]:
    first = month_start(month)
    last = shift_month(first, 1) - dt.timedelta(days=1)
    counts: dict[int, int] = {}
    for late in late_openings(center=center, first=first, last=last):
        counts[late.window.unit_id] = counts.get(late.window.unit_id, 0) + 1
    return counts
