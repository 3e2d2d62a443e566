"""Reads of attendance, leave, outings and vacancies: the bulletin's figures, the monthly
attendance sheet, who is away on a day, and the posts a leave or outing would leave empty."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from govhall.core.access import Viewer
from govhall.core.calendar import get_calendar
from govhall.core.months import month_first_last
from govhall.core.workdays import WorkCalendar
from govhall.core.worktime import DayHours, HoursOf
from govhall.org.choices import Role
from govhall.org.hours import hours_of
from govhall.org.models import Center, Membership, Post, Staff, Unit
from govhall.org.scoping import scope_for, scoped
from govhall.staffing.choices import (
    LEAVE_MARKS,
    ApprovalLevel,
    DayStatus,
    LeaveKind,
    LeaveStatus,
    PunchKind,
)
from govhall.staffing.models import (
    AttendanceRecord,
    AttendanceSettings,
    Leave,
    LeaveDay,
    LeaveRule,
    Outing,
    Vacancy,
)
from govhall.staffing.rules import (
    DAY_END,
    DEFAULT_NETWORKS,
    ApprovalRule,
    DayResult,
    Interval,
    LeavePart,
    Network,
    Punch,
    address_allowed,
    days_by_month,
    intersect,
    measure,
    minute,
    month_days,
    needs_stamped_note,
    next_level,
    open_intervals,
    parse_networks,
    part_interval,
    resolve_day,
    subtract,
)

ZERO = Decimal(0)


def local_minute(value: dt.datetime) -> int:
    return minute(timezone.localtime(value).time())


# --- settings -----------------------------------------------------------------------------


def settings_of(center: Center) -> AttendanceSettings:
    """The center's attendance settings (unsaved defaults when the office has set none)."""
    found = AttendanceSettings.objects.filter(center=center).first()
    return found if found is not None else AttendanceSettings(center=center)


def hall_networks(center: Center) -> list[Network]:
    text = AttendanceSettings.objects.filter(center=center).values_list("networks", flat=True)
    value = next(iter(text), DEFAULT_NETWORKS)
    try:
        return parse_networks(value)
    except ValueError:  # the service refuses bad entries; a hand-edited row falls back safely
        return parse_networks(DEFAULT_NETWORKS)


def address_in_hall(center: Center, address: str) -> bool:
    """Whether a client address lies in the hall's networks (where clocking in is allowed)."""
    return address_allowed(address, hall_networks(center))


def leader_ids(center: Center) -> set[int]:
    return set(
        AttendanceSettings.leaders.through.objects.filter(
            attendancesettings__center=center, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def leave_rules_of(center: Center) -> list[ApprovalRule]:
    """The center's approval rules; empty means the defaults (rules.DEFAULT_RULES) apply."""
    return [
        ApprovalRule(r.kind, r.max_days, r.level) for r in LeaveRule.objects.filter(center=center)
    ]


def staff_of_user(user: Viewer) -> Staff | None:
    """The staff record a login is linked to, if any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return (
        Staff.objects.select_related("unit", "center", "window")
        .filter(user_id=user.pk, is_active=True)
        .first()
    )


def office_accounts(center: Center) -> QuerySet[Any]:
    """The center office's active logins (candidates for the center's leaders)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(memberships__center=center, memberships__role=Role.OFFICE, is_active=True)
        .distinct()
        .order_by("username")
    )


def office_user_ids(center: Center) -> set[int]:
    return set(
        Membership.objects.filter(
            center=center, role=Role.OFFICE, user__is_active=True
        ).values_list("user_id", flat=True)
    )


# --- the bulletin's figures ---------------------------------------------------------------


def leave_figures(*, center: Center, month: dt.date | str) -> tuple[int, Decimal]:
    """(person-times, working days): approved leaves overlapping the month, and their working
    days within it (DESIGN.md §5)."""
    first, last = month_first_last(month)
    person_times = Leave.objects.filter(
        center=center, status=LeaveStatus.APPROVED, start_date__lte=last, end_date__gte=first
    ).count()
    days = LeaveDay.objects.filter(
        center=center, leave__status=LeaveStatus.APPROVED, date__range=(first, last)
    ).aggregate(total=Sum("amount"))["total"]
    return person_times, days or ZERO


def outing_count(*, center: Center, month: dt.date | str) -> int:
    """Outing records (外出办事登记) whose outing began in the month."""
    first, last = month_first_last(month)
    return Outing.objects.filter(center=center, out_date__range=(first, last)).count()


def _month_vacancies(month: dt.date | str) -> QuerySet[Vacancy]:
    """Vacancies (空岗) recorded in the month; none of a day before the unit or the window
    came to the hall (a record left from before its first day is not counted)."""
    first, last = month_first_last(month)
    return Vacancy.objects.filter(
        date__range=(first, last),
        unit__created_on__lte=F("date"),
        window__created_on__lte=F("date"),
    )


def vacancy_counts(*, center: Center, month: dt.date | str) -> dict[int, int]:
    """The month's vacancies by unit id."""
    rows = (
        _month_vacancies(month)
        .filter(center=center)
        .values("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["unit_id"]: row["n"] for row in rows}


def centers_vacancy_totals(center_ids: Sequence[int], month: dt.date | str) -> dict[int, int]:
    """center id → the month's vacancies, for many centers in one query (a region's ranking)."""
    rows = (
        _month_vacancies(month)
        .filter(center_id__in=list(center_ids))
        .values("center_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["center_id"]: row["n"] for row in rows}


def leave_kinds(*, center: Center, month: dt.date | str) -> tuple[str, ...]:
    """The kinds of the approved leave overlapping the month, in LeaveKind order (one query)."""
    first, last = month_first_last(month)
    kinds = set(
        Leave.objects.filter(
            center=center, status=LeaveStatus.APPROVED, start_date__lte=last, end_date__gte=first
        )
        .order_by()
        .values_list("kind", flat=True)
        .distinct()
    )
    return tuple(k for k in LeaveKind.values if k in kinds)


def leave_days_by_staff(
    *, center: Center, month: dt.date | str, kinds: Iterable[str]
) -> dict[int, Decimal]:
    """staff id → working days of approved leave of the given kinds in the month (one query)."""
    first, last = month_first_last(month)
    return dict(
        LeaveDay.objects.filter(
            center=center,
            date__range=(first, last),
            leave__status=LeaveStatus.APPROVED,
            leave__kind__in=list(kinds),
        )  # fmt: skip
        .order_by()
        .values("staff_id")
        .annotate(total=Sum("amount"))
        .values_list("staff_id", "total")
    )


def attendance_kept(*, center: Center, month: dt.date | str) -> bool:
    """Whether the center has any attendance punches in the month (a hall without a terminal
    keeps none, and then nobody is late or absent)."""
    first, last = month_first_last(month)
    return AttendanceRecord.objects.filter(center=center, date__range=(first, last)).exists()


def leave_recorded(*, center: Center, month: dt.date | str) -> bool:
    """Whether the leave register holds any leave (whatever its status) touching the month."""
    first, last = month_first_last(month)
    return Leave.objects.filter(center=center, start_date__lte=last, end_date__gte=first).exists()


def outings_recorded(*, center: Center, month: dt.date | str) -> bool:
    """Whether the outing register (外出办事登记) holds any outing of the month."""
    first, last = month_first_last(month)
    return Outing.objects.filter(center=center, out_date__range=(first, last)).exists()


# --- leave ---------------------------------------------------------------------------------


def month_leave_total(*, staff: Staff, month: dt.date, exclude: Leave | None = None) -> Decimal:
    """The person's approved leave in the month, in working days."""
    first, last = month_first_last(month)
    days = LeaveDay.objects.filter(
        staff=staff, leave__status=LeaveStatus.APPROVED, date__range=(first, last)
    )
    if exclude is not None and exclude.pk:
        days = days.exclude(leave_id=exclude.pk)
    return days.aggregate(total=Sum("amount"))["total"] or ZERO


def leave_parts_of(leave: Leave) -> list[LeavePart]:
    return [
        LeavePart(d.date, d.part, d.amount, d.start_time, d.end_time)
        for d in leave.leave_days.all()
    ]


@dataclass(frozen=True)
class MonthTotal:
    """A month a leave touches: approved leave before it, this leave, and the two together."""

    month: dt.date
    before: Decimal
    this: Decimal

    @property
    def total(self) -> Decimal:
        return self.before + self.this


def leave_month_totals(leave: Leave, parts: Sequence[LeavePart] | None = None) -> list[MonthTotal]:
    """The person's month-to-date totals with this leave, for each month it touches."""
    parts = leave_parts_of(leave) if parts is None else parts
    return [
        MonthTotal(month, month_leave_total(staff=leave.staff, month=month, exclude=leave), days)
        for month, days in sorted(days_by_month(parts).items())
    ]


def leave_needs_note(leave: Leave, parts: Sequence[LeavePart] | None = None) -> bool:
    """Whether the unit's stamped approval note must be on file before approval."""
    totals = leave_month_totals(leave, parts)
    return needs_stamped_note(days=leave.days, month_totals=[t.total for t in totals])


def leave_list(
    *,
    user: Viewer,
    center: Center,
    unit_id: int | None = None,
    status: str = "",
    month: dt.date | None = None,
    q: str = "",
) -> QuerySet[Leave]:
    leaves = scoped(
        Leave.objects.filter(center=center), user, perm="staffing.view_leave"
    ).select_related("staff", "unit", "cover")
    if unit_id:
        leaves = leaves.filter(unit_id=unit_id)
    if status:
        leaves = leaves.filter(status=status)
    if month is not None:
        first, last = month_first_last(month)
        leaves = leaves.filter(start_date__lte=last, end_date__gte=first)
    if q:
        leaves = leaves.filter(Q(staff__name__icontains=q) | Q(staff__sort_key__contains=q.lower()))
    return leaves


def leave_get(*, user: Viewer, center: Center, pk: int) -> Leave | None:
    """A leave the person may see: their own, or one in their scope."""
    leave = (
        Leave.objects.select_related("staff", "unit", "cover", "requested_by", "center")
        .filter(center=center, pk=pk)
        .first()
    )
    if leave is None:
        return None
    if leave.staff.user_id == getattr(user, "pk", None):
        return leave
    visible = scope_for(user).allows("staffing.view_leave", leave.center_id, leave.unit_id)
    return leave if visible else None


def leaves_awaiting(*, user: Viewer, center: Center) -> list[Leave]:
    """Pending leaves whose current step this person may sign (substitutions included)."""
    pending = scoped(
        Leave.objects.filter(center=center, status=LeaveStatus.PENDING), user
    ).select_related("staff", "unit", "center")
    return [leave for leave in pending if signing(user, leave).allowed]


# --- who signs a leave's step ---------------------------------------------------------------


@dataclass(frozen=True)
class Signing:
    """Whether a person may sign a leave's current step, as its approver or as a substitute."""

    allowed: bool
    substitute: bool = False
    message: str = ""


def step_holders(level: str, leave: Leave) -> set[int]:
    """The accounts that sign a step of this leave (never the person on leave)."""
    applicant = leave.staff.user_id
    if level == ApprovalLevel.CHIEF:
        ids = set(
            Membership.objects.filter(
                center_id=leave.center_id,
                unit_id=leave.unit_id,
                role=Role.CHIEF,
                user__is_active=True,
            ).values_list("user_id", flat=True)
        )
    elif level == ApprovalLevel.OFFICE:
        ids = office_user_ids(leave.center)
    else:
        # A center that has named no leader: its office signs the leader's step.
        ids = leader_ids(leave.center) or office_user_ids(leave.center)
    ids.discard(applicant)
    return ids


def users_on_leave(user_ids: Iterable[int], date: dt.date) -> set[int]:
    """The accounts whose staff member is on approved leave on a date."""
    return set(
        LeaveDay.objects.filter(
            staff__user_id__in=list(user_ids), date=date, leave__status=LeaveStatus.APPROVED
        ).values_list("staff__user_id", flat=True)
    )


LEVEL_SIGNERS = {
    ApprovalLevel.CHIEF: _lazy("the unit's chief representative"),
    ApprovalLevel.OFFICE: _lazy("the center office"),
    ApprovalLevel.LEADER: _lazy("the center's leader"),
}


def signing(user: Viewer, leave: Leave, today: dt.date | None = None) -> Signing:
    """Who signs: the step's approver; when every approver of the step is away (on leave that
    day) or there is none, the next level up as substitute."""
    if leave.status != LeaveStatus.PENDING or not leave.step:
        return Signing(False, message=_("This leave is not awaiting approval."))
    if user is None:
        return Signing(True)
    if leave.staff.user_id is not None and leave.staff.user_id == user.pk:
        return Signing(False, message=_("Nobody approves their own leave."))
    if not scope_for(user).allows("staffing.approve_leave", leave.center_id, leave.unit_id):
        return Signing(False, message=_("You are not allowed to approve leave."))
    if user.is_superuser:
        return Signing(True)
    today = today or timezone.localdate()
    level: str | None = leave.step
    substitute = False
    while level:
        holders = step_holders(level, leave)
        if user.pk in holders:
            return Signing(True, substitute)
        present = holders - users_on_leave(holders, today)
        if present:
            return Signing(
                False,
                message=_("This step is signed by {who}.").format(who=LEVEL_SIGNERS[level]),
            )
        level = next_level(level)
        substitute = True
    return Signing(False, message=_("Nobody can sign this step: name the center's leaders."))


# --- who is away on a day -------------------------------------------------------------------


@dataclass(frozen=True)
class Away:
    """A span of a day a person was not at their post, and whether someone was named to cover."""

    interval: Interval
    covered: bool
    label: str


def away_on(
    *,
    center: Center,
    date: dt.date,
    staff_ids: Iterable[int] | None = None,
    judge_absence: bool = False,
    exclude_leave: int | None = None,
    exclude_outing: int | None = None,
    hours: DayHours | None = None,
) -> dict[int, list[Away]]:
    """Approved leave and outings on a date, by staff id; with `judge_absence`, also no punch
    at all that day — judged only on a day the hall recorded attendance (someone punched), so a
    hall without a terminal, or a day not yet imported, does not make everyone absent."""
    hours = hours or hours_of(center)(date)
    ids = set(staff_ids) if staff_ids is not None else None
    result: dict[int, list[Away]] = defaultdict(list)
    days = LeaveDay.objects.filter(
        center=center, date=date, leave__status=LeaveStatus.APPROVED
    ).select_related("leave")
    outings = Outing.objects.filter(center=center, out_date=date)
    if ids is not None:
        days = days.filter(staff_id__in=ids)
        outings = outings.filter(staff_id__in=ids)
    if exclude_leave:
        days = days.exclude(leave_id=exclude_leave)
    if exclude_outing:
        outings = outings.exclude(pk=exclude_outing)
    for day in days:
        result[day.staff_id].append(
            Away(
                part_interval(day.part, hours, day.start_time, day.end_time),
                day.leave.cover_id is not None,
                day.leave.get_kind_display(),
            )
        )
    for outing in outings:
        result[outing.staff_id].append(
            Away(outing_interval(outing, date), outing.cover_id is not None, _("out on business"))
        )
    if judge_absence:
        staff = Staff.objects.filter(center=center, is_active=True)
        if ids is not None:
            staff = staff.filter(pk__in=ids)
        punched = set(
            AttendanceRecord.objects.filter(center=center, date=date).values_list(
                "staff_id", flat=True
            )
        )
        absent = staff.exclude(pk__in=punched).values_list("pk", flat=True) if punched else []
        for staff_id in absent:
            taken = [a.interval for a in result.get(staff_id, [])]
            for interval in subtract([(0, DAY_END)], taken):
                result[staff_id].append(Away(interval, False, _("not at work")))
    return dict(result)


def outing_interval(outing: Outing, date: dt.date) -> Interval:
    """The span of `date` an outing took (an outing not closed that day runs to its end)."""
    start = local_minute(outing.out_at) if outing.out_date == date else 0
    if outing.back_at is None or timezone.localdate(outing.back_at) > date:
        return (start, DAY_END)
    return (start, local_minute(outing.back_at))


@dataclass(frozen=True)
class PostGap:
    """A post that would stand empty: the colleague who should cover is away too."""

    post: Post
    date: dt.date
    other: Staff
    why: str

    def __str__(self) -> str:
        return _("{window} on {date}: {name} is away too ({why})").format(
            window=self.post.window, date=f"{self.date.month}月{self.date.day}日",
            name=self.other.name, why=self.why,
        )  # fmt: skip


def post_gaps(
    *,
    staff: Staff,
    spans: Sequence[tuple[dt.date, Interval]],
    exclude_leave: int | None = None,
    exclude_outing: int | None = None,
) -> list[PostGap]:
    """The posts (held or backed up by `staff`) left with nobody during the given spans: the
    other person of the post is away at the same time and nobody was named to cover them."""
    posts = list(
        Post.objects.filter(
            Q(primary=staff) | Q(backup=staff),
            window__is_active=True,
            primary__is_active=True,
            backup__is_active=True,
        ).select_related("window__unit", "primary", "backup")
    )
    if not posts or not spans:
        return []
    others = {p.pk: (p.backup if p.primary_id == staff.pk else p.primary) for p in posts}
    hours = hours_of(staff.center)
    calendar = get_calendar(staff.center_id)
    today = timezone.localdate()
    now = local_minute(timezone.now())
    gaps = []
    for date, span in spans:
        if not calendar.is_workday(date):
            continue
        day_hours = hours(date)
        # Absence is a fact only of today (past days are the vacancy record's business).
        judge = date == today and now > minute(day_hours.morning_start)
        away = away_on(
            center=staff.center,
            date=date,
            staff_ids={o.pk for o in others.values()},
            judge_absence=judge,
            exclude_leave=exclude_leave,
            exclude_outing=exclude_outing,
            hours=day_hours,
        )
        for post in posts:
            other = others[post.pk]
            uncovered = [a for a in away.get(other.pk, []) if not a.covered]
            shared = intersect(
                intersect([span], [a.interval for a in uncovered]), open_intervals(day_hours)
            )
            if measure(shared):
                why = "、".join(dict.fromkeys(a.label for a in uncovered))
                gaps.append(PostGap(post, date, other, why))
    return gaps


def leave_spans(parts: Sequence[LeavePart], hours: HoursOf) -> list[tuple[dt.date, Interval]]:
    return [(p.date, part_interval(p.part, hours(p.date), p.start_time, p.end_time)) for p in parts]


# --- outings and vacancies -----------------------------------------------------------------


def outing_list(
    *,
    user: Viewer,
    center: Center,
    unit_id: int | None = None,
    month: dt.date | None = None,
    flagged: bool = False,
) -> QuerySet[Outing]:
    outings = scoped(
        Outing.objects.filter(center=center), user, perm="staffing.view_outing"
    ).select_related("staff", "unit", "cover")
    if unit_id:
        outings = outings.filter(unit_id=unit_id)
    if month is not None:
        outings = outings.filter(out_date__range=month_first_last(month))
    if flagged:
        outings = outings.filter(unclosed_q())
    return outings


def unclosed_q(today: dt.date | None = None) -> Q:
    """Outings not closed by the end of their day: still open after it, or closed later."""
    today = today or timezone.localdate()
    return Q(back_at__isnull=True, out_date__lt=today) | Q(returned_late=True)


def is_flagged(outing: Outing, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return (outing.back_at is None and outing.out_date < today) or outing.returned_late


def open_outing(staff: Staff) -> Outing | None:
    return Outing.objects.filter(staff=staff, back_at__isnull=True).order_by("-out_at").first()


def vacancy_list(
    *, user: Viewer, center: Center, month: dt.date, unit_id: int | None = None
) -> QuerySet[Vacancy]:
    vacancies = scoped(
        Vacancy.objects.filter(center=center, date__range=month_first_last(month)),
        user,
        perm="staffing.view_vacancy",
    ).select_related("unit", "window", "primary", "backup")
    if unit_id:
        vacancies = vacancies.filter(unit_id=unit_id)
    return vacancies


@dataclass(frozen=True)
class UnitVacancies:
    unit: Unit
    count: int
    days: int


def vacancy_summary(*, user: Viewer, center: Center, month: dt.date) -> list[UnitVacancies]:
    """Vacancies of the month by unit, every visible unit listed (most first)."""
    first, last = month_first_last(month)
    units = scoped(Unit.objects.filter(center=center, is_active=True), user, unit="id")
    rows = {
        r["unit_id"]: r
        for r in Vacancy.objects.filter(center=center, date__range=(first, last), unit__in=units)
        .values("unit_id")
        .annotate(n=Count("id"), days=Count("date", distinct=True))
        .order_by()
    }
    result = [
        UnitVacancies(u, rows.get(u.pk, {}).get("n", 0), rows.get(u.pk, {}).get("days", 0))
        for u in units.order_by("position", "sort_key")
    ]
    return sorted(result, key=lambda r: -r.count)


# --- the monthly attendance sheet -----------------------------------------------------------


@dataclass
class Totals:
    present: int = 0
    on_time: int = 0
    late: int = 0
    late_minutes: int = 0
    early: int = 0
    early_minutes: int = 0
    missing: int = 0
    absent: int = 0
    leave_days: Decimal = ZERO
    outings: int = 0


@dataclass(frozen=True)
class Cell:
    day: dt.date
    result: DayResult
    text: str
    css: str
    leave_mark: str = ""

    @property
    def label(self) -> str:
        return str(DayStatus(self.result.status).label)


@dataclass
class SheetRow:
    staff: Staff
    cells: list[Cell]
    totals: Totals = field(default_factory=Totals)


@dataclass
class Sheet:
    center: Center
    unit: Unit | None
    month: dt.date
    days: list[tuple[dt.date, bool]]
    rows: list[SheetRow]


def leave_legend() -> list[tuple[str, str]]:
    """The sheet's leave marks and what they stand for."""
    return [(str(mark), str(LeaveKind(kind).label)) for kind, mark in LEAVE_MARKS.items()]


def cell_text(result: DayResult, mark: str) -> tuple[str, str]:
    """The sheet's short mark of a day, and its CSS class."""
    status = result.status
    if status in {DayStatus.OFF, DayStatus.PENDING}:
        return "", "day-none"
    if status == DayStatus.LEAVE:
        return mark or _("leave"), "day-leave"
    if status == DayStatus.OUTING:
        return _("out"), "day-outing"
    parts = [mark] if mark else []  # part of the day on leave
    if status == DayStatus.ABSENT:
        return " ".join([*parts, _("absent")]), "day-absent"
    if result.late_minutes:
        parts.append(_("late {n}").format(n=result.late_minutes))
    if result.early_minutes:
        parts.append(_("early {n}").format(n=result.early_minutes))
    if status == DayStatus.MISSING_PUNCH:
        parts.append(_("no punch"))
    if status == DayStatus.ON_TIME:
        parts.append("✓")
    css = {
        DayStatus.LATE: "day-late",
        DayStatus.LEFT_EARLY: "day-late",
        DayStatus.MISSING_PUNCH: "day-missing",
    }.get(status, "day-ok")
    return " ".join(parts), css


def attendance_rows(
    *,
    center: Center,
    staff: Sequence[Staff],
    month: dt.date,
    now: dt.datetime | None = None,
    calendar: WorkCalendar | None = None,
) -> list[SheetRow]:
    """Each person's days of the month resolved (rules.resolve_day), with the month's totals.

    A fixed number of queries whatever the size: hours, punches, leave days, outings.
    """
    first, last = month_first_last(month)
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    ids = [s.pk for s in staff]
    calendar = calendar or get_calendar(center)
    hours = hours_of(center)

    punches: dict[tuple[int, dt.date], list[Punch]] = defaultdict(list)
    for staff_id, date, kind, at in AttendanceRecord.objects.filter(
        staff_id__in=ids, date__range=(first, last)
    ).values_list("staff_id", "date", "kind", "at"):
        punches[(staff_id, date)].append(Punch(local_minute(at), kind))

    leave: dict[tuple[int, dt.date], list[tuple[Interval, str]]] = defaultdict(list)
    leave_days: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in LeaveDay.objects.filter(
        staff_id__in=ids, date__range=(first, last), leave__status=LeaveStatus.APPROVED
    ).values("staff_id", "date", "part", "start_time", "end_time", "amount", "leave__kind"):
        interval = part_interval(
            row["part"], hours(row["date"]), row["start_time"], row["end_time"]
        )
        leave[(row["staff_id"], row["date"])].append((interval, row["leave__kind"]))
        leave_days[row["staff_id"]] += row["amount"]

    # A day on which nobody in the hall punched was not recorded (no terminal, not imported
    # yet): nobody is absent on it.
    recorded = set(
        AttendanceRecord.objects.filter(center=center, date__range=(first, last))
        .values_list("date", flat=True)
        .distinct()
    )

    outings: dict[tuple[int, dt.date], list[Interval]] = defaultdict(list)
    outing_counts: dict[int, int] = defaultdict(int)
    for outing in Outing.objects.filter(staff_id__in=ids, out_date__range=(first, last)):
        outing_counts[outing.staff_id] += 1
        day = outing.out_date
        last_day = min(
            timezone.localdate(outing.back_at) if outing.back_at else outing.out_date, last
        )
        while day <= last_day:
            outings[(outing.staff_id, day)].append(outing_interval(outing, day))
            day += dt.timedelta(days=1)

    rows = []
    for person in staff:
        totals = Totals(leave_days=leave_days[person.pk], outings=outing_counts[person.pk])
        cells = []
        for day in month_days(first):
            key = (person.pk, day)
            taken = leave.get(key, [])
            if day > today:
                result = DayResult(DayStatus.PENDING)
            else:
                result = resolve_day(
                    workday=calendar.is_workday(day),
                    hours=hours(day),
                    punches=punches.get(key, []),
                    leave=[interval for interval, _kind in taken],
                    outings=outings.get(key, []),
                    now=minute(now.time()) if day == today else None,
                )
                if result.status == DayStatus.ABSENT and day not in recorded:
                    result = DayResult(DayStatus.PENDING)
            mark = str(LEAVE_MARKS.get(taken[0][1], "")) if taken else ""
            text, css = cell_text(result, mark)
            cells.append(Cell(day, result, text, css, mark))
            _count(totals, result)
        rows.append(SheetRow(person, cells, totals))
    return rows


def _count(totals: Totals, result: DayResult) -> None:
    if result.present:
        totals.present += 1
    if result.status == DayStatus.ON_TIME:
        totals.on_time += 1
    if result.late_minutes:
        totals.late += 1
        totals.late_minutes += result.late_minutes
    if result.early_minutes:
        totals.early += 1
        totals.early_minutes += result.early_minutes
    if result.missing_in or result.missing_out:
        totals.missing += 1
    if result.status == DayStatus.ABSENT:
        totals.absent += 1


def attendance_sheet(
    *, center: Center, unit: Unit, month: dt.date, now: dt.datetime | None = None
) -> Sheet:
    """The unit's monthly attendance sheet: one row per person, one column per day."""
    first, _last = month_first_last(month)
    staff = list(Staff.objects.filter(unit=unit, is_active=True).select_related("window"))
    calendar = get_calendar(center)
    days = [(d, calendar.is_workday(d)) for d in month_days(first)]
    rows = attendance_rows(center=center, staff=staff, month=first, now=now, calendar=calendar)
    return Sheet(center, unit, first, days, rows)


def punches_of_day(*, staff: Staff, date: dt.date) -> QuerySet[AttendanceRecord]:
    return AttendanceRecord.objects.filter(staff=staff, date=date).order_by("at")


def first_clock_in(*, staff: Staff, date: dt.date) -> AttendanceRecord | None:
    return (
        AttendanceRecord.objects.filter(staff=staff, date=date, kind=PunchKind.CLOCK_IN)
        .order_by("at")
        .first()
    )


def sheet_units(*, user: Viewer, center: Center) -> QuerySet[Unit]:
    return scoped(Unit.objects.filter(center=center, is_active=True), user, unit="id").order_by(
        "position", "sort_key"
    )
