"""Reads of electronic supervision: the day's warnings, the dashboard, the month's figures.

Counts run in the database (one query per figure family); the bulletin and the scoring reuse
`month_unit_stats` and `warning_counts`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from govhall.cases.choices import CaseStatus
from govhall.cases.models import Case
from govhall.cases.selectors import completed_in, month_unit_counts
from govhall.catalog.choices import HandlingType
from govhall.core.access import Actor, Viewer
from govhall.core.calendar import get_calendar
from govhall.core.deadlines import Level, last_yellow_date, warning_level
from govhall.core.localdate import LocalDate
from govhall.core.months import local_start, month_bounds, month_start, shift_month
from govhall.core.workdays import WorkCalendar
from govhall.org.choices import Role, StaffRole
from govhall.org.models import Center, Membership, Staff, Unit
from govhall.org.scoping import scoped
from govhall.supervision.choices import AppealDecision, WarningLevel, WarningStatus
from govhall.supervision.models import Alert, Appeal, SupervisionSettings, Warning

LEVEL_ORDER = {WarningLevel.RED: 0, WarningLevel.YELLOW: 1}


# --- the day's warnings ----------------------------------------------------------------------


def yellow_days_of(center: Center) -> int:
    """The center's yellow-card threshold in working days (1 unless the office changed it)."""
    value = (
        SupervisionSettings.objects.filter(center=center)
        .values_list("yellow_days", flat=True)
        .first()
    )
    return 1 if value is None else value


@dataclass(frozen=True)
class DayWarning:
    """One case in yellow or red on a day, as the `supervise` command reports it."""

    case_id: int
    case_no: str
    unit_id: int
    unit: str
    item: str
    deadline: dt.date
    level: Level

    def sort_key(self) -> tuple[int, dt.date, str]:
        return (LEVEL_ORDER[self.level], self.deadline, self.case_no)

    def as_json(self) -> dict[str, str]:
        return {
            "case_no": self.case_no,
            "unit": self.unit,
            "item": self.item,
            "deadline": self.deadline.isoformat(),
            "level": self.level,
        }


def warnings_for_day(
    *,
    center: Center,
    on: dt.date,
    calendar: WorkCalendar | None = None,
    yellow_days: int | None = None,
) -> list[DayWarning]:
    """Every open promised case of the center in yellow or red on day `on`: one query.

    The partial index on open cases' due dates bounds the read to cases due on or before the
    last date that can be yellow; a case whose clock is stopped (特别程序, supplement) has no
    running deadline and gets no card; a case accepted after `on` did not exist that day.
    """
    calendar = calendar or get_calendar(center)
    yellow_days = yellow_days_of(center) if yellow_days is None else yellow_days
    cutoff = last_yellow_date(on=on, calendar=calendar, yellow_days=yellow_days)
    rows = (
        Case.objects.filter(
            center=center,
            status__in=sorted(CaseStatus.open()),
            due_date__lte=cutoff,
            handling_type=HandlingType.PROMISED,
            paused_since__isnull=True,
            accepted_at__lt=local_start(on + dt.timedelta(days=1)),
        )
        .order_by()
        .values_list("pk", "number", "unit_id", "unit__name", "item__name", "due_date")
    )
    result = []
    for pk, number, unit_id, unit_name, item_name, due_date in rows:
        level = warning_level(due_date=due_date, on=on, calendar=calendar, yellow_days=yellow_days)
        if level is not None:
            result.append(DayWarning(pk, number, unit_id, unit_name, item_name, due_date, level))
    result.sort(key=DayWarning.sort_key)
    return result


# --- lists and the dashboard -----------------------------------------------------------------


# The warning list's order: the newest day first, red before yellow, nearest deadline first;
# the key makes it total for keyset pages (index warning_center_list).
WARNING_LIST_ORDER = ("-issued_on", "level", "deadline", "-pk")


def warning_list(
    *,
    user: Viewer,
    center: Center,
    unit_id: int | None = None,
    level: str = "",
    status: str = "",
) -> QuerySet[Warning]:
    """The warnings the person may see; `status` "active" means issued or supervised."""
    warnings = scoped(Warning.objects.filter(center=center), user).select_related(
        "unit", "case", "case__item", "appeal"
    )
    if unit_id is not None:
        warnings = warnings.filter(unit_id=unit_id)
    if level:
        warnings = warnings.filter(level=level)
    if status == "active":
        warnings = warnings.filter(status__in=sorted(WarningStatus.active()))
    elif status:
        warnings = warnings.filter(status=status)
    return warnings.order_by(*WARNING_LIST_ORDER)


def warning_get(*, user: Viewer, center: Center, pk: int) -> Warning | None:
    return (
        warning_list(user=user, center=center)
        .select_related("case__accepted_by")
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class UnitWarningCounts:
    """A dashboard row: the unit's standing yellow and red cards."""

    unit_id: int
    unit: str
    yellow: int
    red: int
    appeals: int


def dashboard_units(*, user: Viewer, center: Center) -> list[UnitWarningCounts]:
    """Every unit the person sees, with its active warnings by level: one query."""
    active = Q(warnings__status__in=sorted(WarningStatus.active()))
    units = (
        scoped(Unit.objects.filter(center=center), user, unit="id")
        .annotate(
            yellow=Count("warnings", filter=active & Q(warnings__level=WarningLevel.YELLOW)),
            red=Count("warnings", filter=active & Q(warnings__level=WarningLevel.RED)),
            appeals=Count("warnings", filter=Q(warnings__appeal__decision=AppealDecision.PENDING)),
        )
        .filter(Q(is_active=True) | Q(yellow__gt=0) | Q(red__gt=0))
        .order_by("position", "sort_key")
    )
    return [UnitWarningCounts(u.pk, u.name, u.yellow, u.red, u.appeals) for u in units]


def pending_appeals(*, user: Viewer, center: Center) -> QuerySet[Appeal]:
    return scoped(
        Appeal.objects.filter(warning__center=center, decision=AppealDecision.PENDING),
        user,
        center="warning__center",
        unit="warning__unit",
    ).select_related("warning", "warning__unit", "warning__case")


def alert_list(*, user: Actor) -> QuerySet[Alert]:
    return Alert.objects.filter(user=user)


def unread_alert_count(*, user: Viewer) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Alert.objects.filter(user=user, read_at__isnull=True).count()


# --- the month ------------------------------------------------------------------------------


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class UnitMonthStats:
    """A unit's case figures for one month (unit_id None: the whole center)."""

    unit_id: int | None
    unit: str
    accepted: int = 0
    completed: int = 0
    completed_immediate: int = 0
    completed_promised: int = 0
    rejected: int = 0
    on_time: int = 0
    early: int = 0
    promised_workdays: int = 0
    yellow: int = 0
    red: int = 0
    overdue: int = 0

    @property
    def on_time_rate(self) -> Decimal | None:
        """Percent of completed promised cases done by their deadline."""
        return _percent(self.on_time, self.completed_promised)

    @property
    def early_rate(self) -> Decimal | None:
        """Percent of completed promised cases done before the deadline's day."""
        return _percent(self.early, self.completed_promised)

    @property
    def average_workdays(self) -> Decimal | None:
        """Mean working days from acceptance (not counted) to completion, promised cases."""
        if not self.completed_promised:
            return None
        return (Decimal(self.promised_workdays) / self.completed_promised).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


COUNTED = ("accepted", "completed", "completed_immediate", "completed_promised", "rejected",
           "on_time", "early", "promised_workdays", "yellow", "red", "overdue")  # fmt: skip


def month_totals(rows: list[UnitMonthStats], *, label: str = "") -> UnitMonthStats:
    """The sum of unit rows (rates and averages recomputed from the sums)."""
    total = UnitMonthStats(unit_id=None, unit=label)
    for row in rows:
        for name in COUNTED:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total


def _overdue_q(start: dt.datetime, end: dt.datetime) -> Q:
    """Promised cases overdue during [start, end): completed in it after their deadline, or
    past their deadline and not closed by its end (or by now, for the current month)."""
    cutoff = min(end, timezone.now())
    late = Q(completed_at__gte=start, completed_at__lt=end, completed_at__gt=F("due_at"))
    unfinished = (
        Q(due_at__lt=cutoff, accepted_at__lt=cutoff)
        & (Q(closed_at__isnull=True) | Q(closed_at__gte=cutoff))
        & ~Q(status=CaseStatus.VOIDED)
    )
    return Q(handling_type=HandlingType.PROMISED, due_at__isnull=False) & (late | unfinished)


def _by_unit(queryset: QuerySet[Case], **aggregates: Any) -> dict[int, dict[str, int]]:
    return {
        row.pop("unit_id"): row
        for row in queryset.order_by().values("unit_id").annotate(**aggregates)
    }


def warning_counts(*, center: Center, month: dt.date) -> dict[int, tuple[int, int]]:
    """unit id → (yellow, red) cards issued in the month that still count (not cancelled on
    appeal); a yellow later superseded by red still counts: the unit was warned. One query."""
    return _count_cards(_month_cards(center, month), "unit_id")


def warning_counts_by_staff(*, center: Center, month: dt.date) -> dict[int, tuple[int, int]]:
    """staff id (who accepted the case) → (yellow, red) cards of the month that still count,
    as `warning_counts` counts them per unit. One query."""
    cards = _month_cards(center, month).filter(case__accepted_by__isnull=False)
    return _count_cards(cards, "case__accepted_by")


def _month_cards(center: Center, month: dt.date) -> QuerySet[Warning]:
    """Cards issued in the month, less those cancelled on appeal."""
    first = month_start(month)
    return Warning.objects.filter(
        center=center, issued_on__gte=first, issued_on__lt=shift_month(first, 1)
    ).exclude(status=WarningStatus.CANCELLED)


def _count_cards(cards: QuerySet[Warning], key: str) -> dict[int, tuple[int, int]]:
    rows = (
        cards.order_by()
        .values(key)
        .annotate(
            yellow=Count("pk", filter=Q(level=WarningLevel.YELLOW)),
            red=Count("pk", filter=Q(level=WarningLevel.RED)),
        )
    )
    return {row[key]: (row["yellow"], row["red"]) for row in rows}


def month_unit_stats(*, user: Viewer, center: Center, month: dt.date) -> list[UnitMonthStats]:
    """Per unit the person sees (`user` None: every unit, for the bulletin and scoring):
    accepted, completed (immediate / promised), rejected, on-time and early completions,
    working days used, yellow and red cards and overdue cases in the month."""
    start, end = month_bounds(month)
    units = Unit.objects.filter(center=center)
    cases = Case.objects.filter(center=center)
    if user is not None:
        units = scoped(units, user, unit="id")
        cases = scoped(cases, user)
    promised = Q(handling_type=HandlingType.PROMISED)

    counts = month_unit_counts(
        center=center,
        month=month,
        user=user,
        completed_also={
            "on_time": Count("pk", filter=promised & Q(completed_at__lte=F("due_at"))),
            "early": Count("pk", filter=promised & Q(completed_at__date__lt=F("due_date"))),
        },
    )
    overdue = _by_unit(cases.filter(_overdue_q(start, end)), overdue=Count("pk"))
    warnings = warning_counts(center=center, month=month)
    workdays = _promised_workdays(cases.filter(promised, completed_in(start, end)), center=center)

    figures: dict[int, dict[str, int]] = defaultdict(dict)
    for family in (counts, overdue):
        for unit_id, values in family.items():
            figures[unit_id].update(values)
    for unit_id, (yellow, red) in warnings.items():
        figures[unit_id].update(yellow=yellow, red=red)
    for unit_id, days in workdays.items():
        figures[unit_id]["promised_workdays"] = days

    rows = []
    for unit in units.order_by("position", "sort_key").only("pk", "name", "is_active"):
        values = figures.get(unit.pk)
        if values is None and not unit.is_active:
            continue
        rows.append(UnitMonthStats(unit_id=unit.pk, unit=unit.name, **(values or {})))
    return rows


def _promised_workdays(cases: QuerySet[Case], *, center: Center) -> dict[int, int]:
    """unit id → working days from acceptance to completion, summed over the cases.

    Working days need the holiday calendar, which the database does not hold whole: the
    database counts the cases per (unit, day of acceptance, day of completion), and each such
    pair is counted once here (a few thousand pairs a month, whatever the number of cases).
    The day of acceptance is not counted (行政许可法 第八十二条).
    """
    calendar = get_calendar(center)
    totals: dict[int, int] = defaultdict(int)
    rows = (
        cases.filter(accepted_at__isnull=False)
        .order_by()
        .values_list("unit_id", LocalDate("accepted_at"), LocalDate("completed_at"))
        .annotate(n=Count("*"))
    )
    for unit_id, accepted_on, completed_on, n in rows:
        totals[unit_id] += n * calendar.between(accepted_on + dt.timedelta(days=1), completed_on)
    return dict(totals)


def overdue_cases(
    *, user: Viewer, center: Center, month: dt.date, unit_id: int | None = None
) -> QuerySet[Case]:
    """The month's overdue promised cases (see `month_unit_stats`), by unit and deadline."""
    start, end = month_bounds(month)
    cases = Case.objects.filter(center=center)
    if user is not None:
        cases = scoped(cases, user)
    if unit_id is not None:
        cases = cases.filter(unit_id=unit_id)
    return (
        cases.filter(_overdue_q(start, end))
        .select_related("unit", "item")
        .order_by("unit__position", "unit__sort_key", "due_at", "number")
    )


def unit_chief_user_ids(*, unit_id: int) -> set[int]:
    """The logins of a unit's chief representatives (首席代表): active chiefs on the staff
    list with an account, and accounts holding the chief role in the unit."""
    on_staff = Staff.objects.filter(
        unit_id=unit_id,
        role=StaffRole.CHIEF,
        is_active=True,
        user__isnull=False,
        user__is_active=True,
    ).values_list("user_id", flat=True)
    by_role = Membership.objects.filter(
        unit_id=unit_id, role=Role.CHIEF, user__is_active=True
    ).values_list("user_id", flat=True)
    return {user_id for user_id in on_staff if user_id is not None} | set(by_role)
