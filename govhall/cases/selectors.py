"""Reads of cases and consultations for the window screens, always scoped to what the person
may see. Aggregates run in the database; per-row clock figures come from the working-time engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Aggregate, Count, F, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from govhall.cases.choices import CaseStatus
from govhall.cases.models import Case, Consultation, Pause, SupplementNotice
from govhall.catalog.choices import HandlingType
from govhall.catalog.models import ServiceItem
from govhall.catalog.search import public_items, search_items
from govhall.core.access import Viewer
from govhall.core.deadlines import warning_level
from govhall.core.months import local_bounds, month_bounds
from govhall.core.workdays import WorkCalendar
from govhall.core.worktime import HoursOf, remaining
from govhall.org.models import Center, Unit
from govhall.org.scoping import scoped

# Not closed: the window still has something to do (including receipts waiting for materials).
QUEUE_STATUSES = frozenset(CaseStatus.values) - CaseStatus.closed()


def local_naive(value: dt.datetime) -> dt.datetime:
    """Naive local time, as the working-time engine counts it."""
    return timezone.localtime(value).replace(tzinfo=None)


# --- deadline display ---------------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    """How a case's deadline reads today: 剩余/超期 text and the warning level."""

    text: str
    level: str  # "red" | "yellow" | "paused" | ""


def clock_of(case: Case, *, calendar: WorkCalendar, hours: HoursOf, now: dt.datetime) -> Clock:
    """The clock of one case at `now` (aware); closed and unaccepted cases have none."""
    if case.status not in CaseStatus.open() or case.due_at is None:
        return Clock("", "")
    if case.paused_since is not None:
        return Clock("", "paused")
    local_now = local_naive(now)
    left = remaining(
        calendar=calendar, hours=hours, now=local_now, deadline=local_naive(case.due_at)
    )
    level = ""
    if case.due_date is not None:
        level = warning_level(due_date=case.due_date, on=local_now.date(), calendar=calendar) or ""
    return Clock(str(left), level)


# --- cases -----------------------------------------------------------------------------------


def visible_cases(*, user: Viewer, center: Center) -> QuerySet[Case]:
    """The center's cases the person may see."""
    return scoped(Case.objects.filter(center=center), user)


def desk_queue(*, user: Viewer, center: Center, unit_id: int | None = None) -> QuerySet[Case]:
    """The window's queue: cases not yet closed, the nearest deadline first, unaccepted last."""
    cases = visible_cases(user=user, center=center).filter(status__in=QUEUE_STATUSES)
    if unit_id:
        cases = cases.filter(unit_id=unit_id)
    return cases.select_related("item", "unit", "window").order_by(
        F("due_at").asc(nulls_last=True), "received_at", "pk"
    )


# The case list's order (newest receipt first), total thanks to the key; keyset pages seek on it
# through the (center, received_at, id) index.
CASE_LIST_ORDER = ("-received_at", "-pk")


@dataclass(frozen=True)
class CaseFilters:
    status: str = ""
    unit_id: int | None = None
    item_id: int | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    q: str = ""


def case_list(*, user: Viewer, center: Center, filters: CaseFilters) -> QuerySet[Case]:
    """All cases the person may see, newest receipt first, narrowed by the list's filters."""
    cases = visible_cases(user=user, center=center)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.unit_id:
        cases = cases.filter(unit_id=filters.unit_id)
    if filters.item_id:
        cases = cases.filter(item_id=filters.item_id)
    if filters.received_from:
        start = timezone.make_aware(dt.datetime.combine(filters.received_from, dt.time.min))
        cases = cases.filter(received_at__gte=start)
    if filters.received_to:
        end = timezone.make_aware(
            dt.datetime.combine(filters.received_to + dt.timedelta(days=1), dt.time.min)
        )
        cases = cases.filter(received_at__lt=end)
    if filters.q:
        q = filters.q
        cases = cases.filter(
            Q(number__startswith=q)
            | Q(applicant_name__icontains=q)
            | Q(agent_name__icontains=q)
            | Q(applicant_phone__endswith=q)
        )
    return cases.select_related("item", "unit").order_by(*CASE_LIST_ORDER)


def case_detail(*, user: Viewer, center: Center, pk: int) -> Case | None:
    """One case with everything its page shows, in a fixed number of queries."""
    return (
        visible_cases(user=user, center=center)
        .select_related(
            "center",
            "unit",
            "window",
            "item",
            "item_version",
            "received_by",
            "accepted_by",
            "completed_by",
            "extension",
        )
        .prefetch_related(
            "events",
            "steps",
            Prefetch("pauses", queryset=Pause.objects.order_by("started_at", "pk")),
            Prefetch(
                "supplements",
                queryset=SupplementNotice.objects.order_by("-issued_at", "-pk").prefetch_related(
                    "uploads"
                ),
            ),
            "item_version__steps",
            "item_version__materials",
        )
        .filter(pk=pk)
        .first()
    )


def unit_choices(*, user: Viewer, center: Center) -> QuerySet[Unit]:
    """Units the person may pick in a filter."""
    return scoped(Unit.objects.filter(center=center, is_active=True), user, unit="id").order_by(
        "position", "sort_key"
    )


def item_choices(
    *, user: Viewer, center: Center, unit_id: int | None = None
) -> QuerySet[ServiceItem]:
    """Items (of any status) the person may pick in the case list's filter."""
    items = scoped(ServiceItem.objects.filter(center=center), user)
    if unit_id:
        items = items.filter(unit_id=unit_id)
    return items.only("pk", "name", "unit_id").order_by("unit__position", "sort_key")


def intake_items(
    *, center: Center, q: str, unit_ids: frozenset[int] | None, limit: int = 20
) -> list[ServiceItem]:
    """Public items matching `q` (Chinese, pinyin or initials) among the given units."""
    items = search_items(center=center, q=q)
    if unit_ids is not None:
        items = items.filter(unit_id__in=unit_ids)
    return list(items[:limit])


def intake_item(*, center: Center, pk: int, unit_ids: frozenset[int] | None) -> ServiceItem | None:
    """The chosen public item with its current version and materials."""
    items = public_items(center=center).filter(pk=pk).select_related("unit", "current")
    if unit_ids is not None:
        items = items.filter(unit_id__in=unit_ids)
    return items.prefetch_related("current__materials").first()


# --- the month's counts (DESIGN.md §5), for supervision, the scoring and the bulletin -----------

# 不予受理 was never accepted, and a voided case (entered in error) never happened.
NOT_ACCEPTED = (CaseStatus.REJECTED, CaseStatus.VOIDED)

UNIT_COUNTS = ("accepted", "completed", "completed_immediate", "completed_promised", "rejected")


def accepted_in(start: dt.datetime, end: dt.datetime) -> Q:
    """Accepted in [start, end): the acceptance time falls in it and the case was neither
    refused (不予受理) nor voided. The one definition of "accepted" every figure uses."""
    return Q(accepted_at__gte=start, accepted_at__lt=end) & ~Q(status__in=NOT_ACCEPTED)


def completed_in(start: dt.datetime, end: dt.datetime) -> Q:
    """Completed (办结) in [start, end)."""
    return Q(completed_at__gte=start, completed_at__lt=end)


def rejected_in(start: dt.datetime, end: dt.datetime) -> Q:
    """Refused (不予受理) in [start, end), by the time of the decision."""
    return Q(status=CaseStatus.REJECTED, closed_at__gte=start, closed_at__lt=end)


def cases_recorded(*, center: Center, month: dt.date | str) -> bool:
    """Whether the case register holds any case received, accepted or completed in the month
    (the bulletin names units "without cases" only from a register that was kept)."""
    start, end = month_bounds(month)
    return Case.objects.filter(
        Q(received_at__gte=start, received_at__lt=end)
        | Q(accepted_at__gte=start, accepted_at__lt=end)
        | Q(completed_at__gte=start, completed_at__lt=end),
        center=center,
    ).exists()


def month_unit_counts(
    *,
    center: Center,
    month: dt.date | str,
    user: Viewer = None,
    completed_also: Mapping[str, Aggregate] | None = None,
) -> dict[int, dict[str, int]]:
    """unit id → the month's cases accepted, completed (immediate / promised) and refused, each
    of UNIT_COUNTS (0 when none), for the units the person sees (`user` None: every unit).
    `completed_also`: further counts over the month's completed cases, in the same query.

    One range query per family, each answered from its own covering index alone (COUNT(*) and
    the included columns, never the id, which would send PostgreSQL to the table): an OR of
    the three ranges would make the database read the whole table."""
    start, end = month_bounds(month)
    cases = Case.objects.filter(center=center)
    if user is not None:
        cases = scoped(cases, user)
    cases = cases.order_by()
    by_unit: dict[int, dict[str, int]] = {}

    def add(rows: Any) -> None:
        for row in rows:
            by_unit.setdefault(row.pop("unit_id"), dict.fromkeys(UNIT_COUNTS, 0)).update(row)

    add(cases.filter(accepted_in(start, end)).values("unit_id").annotate(accepted=Count("*")))
    add(
        cases.filter(completed_in(start, end))
        .values("unit_id")
        .annotate(
            completed=Count("*"),
            completed_immediate=Count(
                "handling_type", filter=Q(handling_type=HandlingType.IMMEDIATE)
            ),
            completed_promised=Count(
                "handling_type", filter=Q(handling_type=HandlingType.PROMISED)
            ),
            **(completed_also or {}),
        )
    )
    add(cases.filter(rejected_in(start, end)).values("unit_id").annotate(rejected=Count("*")))
    return by_unit


def cases_on_day(*, center: Center, day: dt.date) -> dict[str, int]:
    """The center's cases accepted and completed on one local day (two counts, each on its own
    index), by the same definitions as the month's figures."""
    start, end = local_bounds(day, day + dt.timedelta(days=1))
    cases = Case.objects.filter(center=center).order_by()
    return {
        "accepted": cases.filter(accepted_in(start, end)).count(),
        "completed": cases.filter(completed_in(start, end)).count(),
    }


def month_staff_counts(*, center: Center, month: dt.date | str) -> dict[int, dict[str, int]]:
    """staff id → cases the person accepted and completed in the month (two queries)."""
    start, end = month_bounds(month)
    cases = Case.objects.filter(center=center).order_by()
    by_staff: dict[int, dict[str, int]] = {}
    for key, condition in (("accepted", accepted_in), ("completed", completed_in)):
        rows = (
            cases.filter(condition(start, end), **{f"{key}_by__isnull": False})
            .values(f"{key}_by")
            .annotate(n=Count("pk"))
            .values_list(f"{key}_by", "n")
        )
        for staff_id, n in rows:
            by_staff.setdefault(staff_id, {"accepted": 0, "completed": 0})[key] = n
    return by_staff


def month_trend(*, center: Center, months: Sequence[dt.date]) -> list[tuple[int, int]]:
    """(accepted, completed) in each of `months` (consecutive, oldest first): one query of
    conditional counts over the whole range, on the same local month boundaries."""
    first, _ = month_bounds(months[0])
    _, last = month_bounds(months[-1])
    counts: dict[str, Any] = {}
    for index, month in enumerate(months):
        start, end = month_bounds(month)
        counts[f"a{index}"] = Count("pk", filter=accepted_in(start, end))
        counts[f"c{index}"] = Count("pk", filter=completed_in(start, end))
    row = (
        Case.objects.filter(center=center)
        .filter(
            Q(accepted_at__gte=first, accepted_at__lt=last)
            | Q(completed_at__gte=first, completed_at__lt=last)
        )
        .aggregate(**counts)
    )
    return [(row[f"a{i}"] or 0, row[f"c{i}"] or 0) for i in range(len(months))]


def consultations_recorded(*, center: Center, month: dt.date | str) -> bool:
    """Whether the consultation register (咨询登记) holds any record of the month."""
    start, end = month_bounds(month)
    return Consultation.objects.filter(center=center, at__gte=start, at__lt=end).exists()


def month_consultations_by_unit(*, center: Center, month: dt.date | str) -> dict[int, int]:
    """unit id → consultation person-times (人次) in the month, one query."""
    start, end = month_bounds(month)
    rows = (
        Consultation.objects.filter(center=center, at__gte=start, at__lt=end)
        .order_by()
        .values("unit_id")
        .annotate(person_times=Sum("person_times"))
    )
    return {r["unit_id"]: r["person_times"] for r in rows}


# --- consultations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsultationFilters:
    month: dt.date  # the first day of the month shown
    unit_id: int | None = None
    staff_id: int | None = None
    channel: str = ""
    q: str = ""


def consultation_list(
    *, user: Viewer, center: Center, filters: ConsultationFilters
) -> QuerySet[Consultation]:
    start, end = month_bounds(filters.month)
    rows = scoped(Consultation.objects.filter(center=center), user).filter(
        at__gte=start, at__lt=end
    )
    if filters.unit_id:
        rows = rows.filter(unit_id=filters.unit_id)
    if filters.staff_id:
        rows = rows.filter(staff_id=filters.staff_id)
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    if filters.q:
        rows = rows.filter(topic__icontains=filters.q)
    return rows.select_related("unit", "staff", "item").order_by("-at", "-pk")


def consultation_totals(rows: QuerySet[Consultation]) -> dict[str, int]:
    """Records and person-times of a (filtered) list, in one query."""
    totals = rows.order_by().aggregate(records=Count("pk"), person_times=Sum("person_times"))
    return {"records": totals["records"] or 0, "person_times": totals["person_times"] or 0}


def consultation_by_unit(rows: QuerySet[Consultation]) -> list[dict[str, Any]]:
    """Person-times per unit of a (filtered) list, most first, in one query."""
    return list(
        rows.order_by()
        .values("unit__name")
        .annotate(person_times=Sum("person_times"), records=Count("pk"))
        .order_by("-person_times", "unit__name")
    )


def consultations_today(
    *, user: Viewer, center: Center, unit_id: int | None, now: dt.datetime
) -> int:
    """Person-times logged today (at the unit, if one is given)."""
    day = timezone.localtime(now).date()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    rows = scoped(Consultation.objects.filter(center=center), user).filter(
        at__gte=start, at__lt=start + dt.timedelta(days=1)
    )
    if unit_id:
        rows = rows.filter(unit_id=unit_id)
    return rows.aggregate(total=Sum("person_times"))["total"] or 0
