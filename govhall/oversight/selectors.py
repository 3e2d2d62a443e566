"""Reads of the office's oversight records, for pages, the bulletin and the scoring."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from govhall.core.access import Viewer
from govhall.core.months import (
    local_bounds,
    month_bounds,
    month_end,
    month_start,
    quarter_start,
    shift_month,
)
from govhall.org.models import Center, Unit
from govhall.org.scoping import scoped
from govhall.oversight.choices import InspectionStatus, LeaderRole, QuotaPeriod
from govhall.oversight.models import Inspection, PatrolQuota, PatrolSignIn, UnitLeader

# --- inspections ---------------------------------------------------------------------------


def inspection_list(
    *,
    user: Viewer,
    center: Center,
    month: dt.date | None = None,
    unit_id: int | None = None,
    kind: str = "",
    status: str = "",
) -> QuerySet[Inspection]:
    inspections = scoped(
        Inspection.objects.filter(center=center), user, perm="oversight.view_inspection"
    ).select_related("unit", "window__unit", "staff")
    if month is not None:
        start, end = month_bounds(month)
        inspections = inspections.filter(occurred_at__gte=start, occurred_at__lt=end)
    if unit_id:
        inspections = inspections.filter(unit_id=unit_id)
    if kind:
        inspections = inspections.filter(kind=kind)
    if status:
        inspections = inspections.filter(status=status)
    return inspections.order_by("-occurred_at", "-pk")


def inspection_get(*, user: Viewer, center: Center, pk: int) -> Inspection | None:
    return (
        scoped(Inspection.objects.filter(center=center), user)
        .select_related("unit", "window__unit", "staff", "recorded_by")
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class Violation:
    """One violation as the bulletin names it (实名通报) and the scoring counts it."""

    id: int
    date: dt.date
    time: dt.datetime  # local
    staff: str  # the person's name; empty when a whole window or unit was at fault
    staff_id: int | None
    subject: str  # the person, else the window, else the unit
    unit: str
    unit_id: int
    window: str
    kind: str
    kind_label: str
    description: str
    points: Decimal


def violations(*, center: Center, month: dt.date | str) -> list[Violation]:
    """The month's standing violations (withdrawn ones left out), in the order they happened."""
    start, end = month_bounds(month)
    rows = (
        Inspection.objects.filter(
            center=center,
            status=InspectionStatus.RECORDED,
            occurred_at__gte=start,
            occurred_at__lt=end,
        )
        .select_related("unit", "window__unit", "staff")
        .order_by("occurred_at", "pk")
    )
    result = []
    for row in rows:
        local = timezone.localtime(row.occurred_at)
        result.append(
            Violation(
                id=row.pk,
                date=local.date(),
                time=local,
                staff=row.staff.name if row.staff_id else "",
                staff_id=row.staff_id,
                subject=row.subject,
                unit=row.unit.name,
                unit_id=row.unit_id,
                window=str(row.window) if row.window_id else "",
                kind=row.kind,
                kind_label=str(row.get_kind_display()),
                description=row.description,
                points=row.points,
            )
        )
    return result


def inspections_recorded(*, center: Center, month: dt.date | str) -> bool:
    """Whether the daily inspection register holds any entry of the month (withdrawn included:
    the inspection was made)."""
    start, end = month_bounds(month)
    return Inspection.objects.filter(
        center=center, occurred_at__gte=start, occurred_at__lt=end
    ).exists()


def patrols_recorded(*, center: Center, month: dt.date | str) -> bool:
    """Whether the patrol sign-in sheet (巡查签到表) holds any sign-in of the month."""
    start, end = month_bounds(month)
    return PatrolSignIn.objects.filter(
        center=center, signed_in_at__gte=start, signed_in_at__lt=end
    ).exists()


def violation_points_by_unit(*, center: Center, month: dt.date | str) -> dict[int, Decimal]:
    """Points deducted per unit id in the month (units without violations are absent)."""
    start, end = month_bounds(month)
    rows = (
        Inspection.objects.filter(
            center=center,
            status=InspectionStatus.RECORDED,
            occurred_at__gte=start,
            occurred_at__lt=end,
        )
        .values("unit_id")
        .annotate(total=Sum("points"))
        .order_by()
    )
    return {row["unit_id"]: row["total"] for row in rows}


# --- unit leaders and patrols --------------------------------------------------------------------


def leader_list(
    *, user: Viewer, center: Center, unit_id: int | None = None, active: bool | None = True
) -> QuerySet[UnitLeader]:
    leaders = scoped(UnitLeader.objects.filter(center=center), user).select_related("unit", "user")
    if unit_id:
        leaders = leaders.filter(unit_id=unit_id)
    if active is not None:
        leaders = leaders.filter(is_active=active)
    return leaders


def leaders_for_sign_in(center: Center) -> QuerySet[UnitLeader]:
    """The leaders a person at the hall screen may pick themselves from (no login)."""
    return (
        UnitLeader.objects.filter(center=center, is_active=True, unit__is_active=True)
        .exclude(phone="")
        .select_related("unit")
    )


def patrol_list(
    *,
    user: Viewer,
    center: Center,
    month: dt.date | None = None,
    unit_id: int | None = None,
) -> QuerySet[PatrolSignIn]:
    visits = scoped(PatrolSignIn.objects.filter(center=center), user).select_related(
        "unit", "leader"
    )
    if month is not None:
        start, end = month_bounds(month)
        visits = visits.filter(signed_in_at__gte=start, signed_in_at__lt=end)
    if unit_id:
        visits = visits.filter(unit_id=unit_id)
    return visits.order_by("-signed_in_at", "-pk")


def open_visit_of(leader: UnitLeader, on: dt.date | None = None) -> PatrolSignIn | None:
    """The leader's visit of the day (today) not yet signed out; a visit of an earlier day that
    was never signed out does not count (its time stays unknown)."""
    on = on or timezone.localdate()
    start, end = local_bounds(on, on + dt.timedelta(days=1))
    return (
        PatrolSignIn.objects.filter(
            leader=leader, signed_out_at__isnull=True, signed_in_at__gte=start, signed_in_at__lt=end
        )
        .order_by("-signed_in_at")
        .first()
    )


def _patrolled_units(month: dt.date | str) -> QuerySet[Any]:  # Units with `first_sign_in`
    """Units with their first sign-in of the month (`first_sign_in`, None without one): those
    signed in, and the other units active and stationed in the hall by the month's end."""
    start, end = month_bounds(month)
    signed_in = PatrolSignIn.objects.filter(
        unit=OuterRef("pk"), signed_in_at__gte=start, signed_in_at__lt=end
    )
    return Unit.objects.annotate(
        first_sign_in=Subquery(signed_in.order_by("signed_in_at").values("signed_in_at")[:1])
    ).filter(Q(first_sign_in__isnull=False) | Q(is_active=True, created_on__lte=month_end(month)))


def patrol_units(*, center: Center, month: dt.date | str) -> tuple[list[Unit], list[Unit]]:
    """(units whose leaders signed in at least once in the month, in the order of their first
    sign-in — as the 巡查签到表 reads —, the other active units of the hall that month in the
    hall's order; a unit stationed after the month is in neither)."""
    units = _patrolled_units(month).filter(center=center).order_by("position", "sort_key")
    first: dict[int, dt.datetime] = {}
    unsigned: list[Unit] = []
    listed: list[Unit] = []
    for unit in units:
        listed.append(unit)
        if unit.first_sign_in is not None:
            first[unit.pk] = unit.first_sign_in
        else:
            unsigned.append(unit)
    signed = sorted((u for u in listed if u.pk in first), key=lambda u: first[u.pk])
    return signed, unsigned


def centers_patrol_counts(
    center_ids: Sequence[int], month: dt.date | str
) -> dict[int, tuple[int, int]]:
    """center id → (units signed in during the month, units of the month): `patrol_units`
    counted for many centers in one query (a region's ranking); a center without units is
    absent."""
    rows = (
        _patrolled_units(month)
        .filter(center_id__in=list(center_ids))
        .values("center_id")
        .annotate(units=Count("pk"), signed=Count("first_sign_in"))
        .order_by()
    )
    return {row["center_id"]: (row["signed"], row["units"]) for row in rows}


def patrol_month_leaders(
    *, user: Viewer, center: Center, month: dt.date | str
) -> QuerySet[UnitLeader]:
    """Leaders with their visits and minutes in the month (`visits`, `minutes`), most first."""
    start, end = month_bounds(month)
    in_month = Q(sign_ins__signed_in_at__gte=start, sign_ins__signed_in_at__lt=end)
    return (
        scoped(UnitLeader.objects.filter(center=center), user)
        .annotate(
            visits=Count("sign_ins", filter=in_month),
            minutes=Coalesce(Sum("sign_ins__minutes", filter=in_month), 0),
        )
        .filter(visits__gt=0)
        .select_related("unit")
        .order_by("unit__position", "unit__sort_key", "role", "sort_key")
    )


# --- quotas ------------------------------------------------------------------------------------

HALF_DAY_MINUTES = 180
# The bulletin's rule of thumb: the head half a day each quarter, the deputy half a day a month.
DEFAULT_QUOTAS: dict[str, tuple[str, int]] = {
    LeaderRole.HEAD: (QuotaPeriod.QUARTER, HALF_DAY_MINUTES),
    LeaderRole.DEPUTY: (QuotaPeriod.MONTH, HALF_DAY_MINUTES),
}


@dataclass(frozen=True)
class Quota:
    role: str
    period: str
    minutes: int

    @property
    def role_label(self) -> str:
        return str(LeaderRole(self.role).label)

    @property
    def period_label(self) -> str:
        return str(QuotaPeriod(self.period).label)

    def bounds(self, on: dt.date) -> tuple[dt.date, dt.date]:
        """The period holding `on`: first day and the first day after it."""
        if self.period == QuotaPeriod.QUARTER:
            start = quarter_start(on)
            return start, shift_month(start, 3)
        start = month_start(on)
        return start, shift_month(start, 1)


def quotas_of(center: Center) -> dict[str, Quota]:
    quotas = {
        role: Quota(role, period, minutes) for role, (period, minutes) in DEFAULT_QUOTAS.items()
    }
    for row in PatrolQuota.objects.filter(center=center):
        quotas[row.role] = Quota(row.role, row.period, row.minutes)
    return quotas


@dataclass(frozen=True)
class QuotaRow:
    leader: UnitLeader
    period_start: dt.date
    period_end: dt.date  # the period's last day
    required: int
    done: int  # minutes of signed-out visits in the period
    visits: int
    open_visits: int  # visits in the period never signed out (their time is unknown)

    @property
    def behind(self) -> bool:
        return self.done < self.required

    @property
    def short(self) -> int:
        return max(0, self.required - self.done)


def patrol_quota_status(*, user: Viewer, center: Center, on: dt.date) -> list[QuotaRow]:
    """Each active leader's patrol time in their current period against the quota; the leaders
    behind come first. One query whatever the number of leaders."""
    quotas = quotas_of(center)
    bounds = {role: quota.bounds(on) for role, quota in quotas.items()}
    in_period = Q()
    for role, (start, end) in bounds.items():
        lo, hi = local_bounds(start, end)
        in_period |= Q(role=role, sign_ins__signed_in_at__gte=lo, sign_ins__signed_in_at__lt=hi)
    leaders = (
        leader_list(user=user, center=center)
        .annotate(
            done=Coalesce(Sum("sign_ins__minutes", filter=in_period), 0),
            visits=Count("sign_ins", filter=in_period),
            open_visits=Count(
                "sign_ins", filter=in_period & Q(sign_ins__signed_out_at__isnull=True)
            ),
        )
        .order_by("unit__position", "unit__sort_key", "role", "sort_key")
    )
    rows = []
    for leader in leaders:
        start, end = bounds[leader.role]
        rows.append(
            QuotaRow(
                leader=leader,
                period_start=start,
                period_end=end - dt.timedelta(days=1),
                required=quotas[leader.role].minutes,
                done=leader.done,
                visits=leader.visits,
                open_visits=leader.open_visits,
            )
        )
    rows.sort(key=lambda r: not r.behind)  # stable: behind first, then the usual order
    return rows
