"""Reads of the monthly evaluation: the month's measured inputs (composed of the other apps'
selectors, one query per figure family), the stored scores and rankings, the awards (the
bulletin's `awards_for`), objections and the annual roll-up (年度评先)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from govhall.cases.selectors import month_staff_counts
from govhall.core.access import Viewer
from govhall.core.months import month_start
from govhall.evaluation.choices import (
    AWARD_NAMES,
    AwardKind,
    EvaluationStatus,
    Grade,
    ObjectionStatus,
    ScoreKind,
    Source,
)
from govhall.evaluation.models import (
    Award,
    MonthEvaluation,
    Objection,
    ScoreAdjustment,
    Scorecard,
    ScoringRules,
    UnitVote,
)
from govhall.evaluation.rules import (
    DEFAULT_RULES,
    Event,
    Ranked,
    RuleSet,
    StaffInputs,
    UnitInputs,
    parse_rules,
    propose,
)
from govhall.evaluation.rules import average as mean
from govhall.feedback.selectors import satisfaction, unit_complaints
from govhall.journal.selectors import good_deeds, info_submission_units
from govhall.org.models import Center, Staff, Unit
from govhall.org.scoping import scoped
from govhall.oversight.selectors import patrol_units, violations
from govhall.queueing.selectors.month import unit_late_openings, unit_waits
from govhall.staffing.choices import LeaveKind
from govhall.staffing.selectors import (
    attendance_kept,
    attendance_rows,
    leave_days_by_staff,
    vacancy_counts,
)
from govhall.supervision.selectors import month_unit_stats, warning_counts_by_staff

# --- rules --------------------------------------------------------------------------------


def rules_version(*, center: Center, month: dt.date) -> ScoringRules | None:
    """The version in force in the month: the latest one effective on or before it."""
    return (
        ScoringRules.objects.filter(center=center, effective_from__lte=month_start(month))
        .order_by("-effective_from")
        .first()
    )


def rules_for(*, center: Center, month: dt.date) -> tuple[RuleSet, ScoringRules | None]:
    """The checked rules of the month, and the version they come from (None: the defaults)."""
    version = rules_version(center=center, month=month)
    if version is None:
        return DEFAULT_RULES, None
    return parse_rules(version.params), version


def rules_versions(*, center: Center) -> QuerySet[ScoringRules]:
    return ScoringRules.objects.filter(center=center).select_related("saved_by")


# --- the month's inputs -------------------------------------------------------------------


@dataclass
class MonthInputs:
    """Every unit's and person's measured month, and the sources that could not be counted."""

    units: dict[int, UnitInputs] = field(default_factory=dict)
    staff: dict[int, StaffInputs] = field(default_factory=dict)
    missing: list[dict[str, str]] = field(default_factory=list)

    def skip(self, source: str, reason: str) -> None:
        self.missing.append({"source": source, "reason": reason})


def scored_units(center: Center) -> list[Unit]:
    return list(Unit.objects.filter(center=center, is_active=True).order_by("position", "sort_key"))


def scored_staff(center: Center) -> list[Staff]:
    return list(
        Staff.objects.filter(center=center, is_active=True, unit__is_active=True)
        .select_related("unit", "window")
        .order_by("unit__position", "unit__sort_key", "role", "sort_key")
    )


def month_inputs(
    *, center: Center, month: dt.date, units: list[Unit], staff: list[Staff]
) -> MonthInputs:
    """The measured inputs of every unit and person for the month.

    Each family reads its app's selector; a record family the center does not keep (no
    attendance punches in the month) is listed in `missing` and adds no line.
    """
    month = month_start(month)
    result = MonthInputs(
        units={u.pk: UnitInputs() for u in units},
        staff={s.pk: StaffInputs() for s in staff},
    )
    unit_of = {s.pk: s.unit_id for s in staff}
    for reader in (
        _cases,
        _staff_cases,
        _ratings,
        _complaints,
        _violations,
        _vacancies,
        _attendance,
        _leave,
        _info,
        _patrol,
        _good_deeds,
        _queue,
    ):
        reader(result, center, month, staff, unit_of)
    _adjustments(result, center, month)
    return result


def _cases(res: MonthInputs, center: Center, month: dt.date, *_: Any) -> None:
    for row in month_unit_stats(user=None, center=center, month=month):
        inputs = res.units.get(row.unit_id or 0)
        if inputs is None:
            continue
        inputs.accepted, inputs.completed = row.accepted, row.completed
        inputs.on_time_rate, inputs.early_rate = row.on_time_rate, row.early_rate
        inputs.yellow, inputs.red = row.yellow, row.red
        # A red card is issued for an overdue case: the rest are counted on their own.
        inputs.overdue = max(row.overdue - row.red, 0)
    for inputs in res.units.values():
        for name in ("accepted", "completed", "overdue", "yellow", "red"):
            if getattr(inputs, name) is None:
                setattr(inputs, name, 0)


def _staff_cases(res: MonthInputs, center: Center, month: dt.date, *_: Any) -> None:
    """Per person: cases they accepted and completed in the month; cards on cases they
    accepted (cancelled cards do not count). Three queries."""
    counts = month_staff_counts(center=center, month=month)
    cards = warning_counts_by_staff(center=center, month=month)
    for staff_id, inputs in res.staff.items():
        found = counts.get(staff_id, {})
        inputs.accepted = found.get("accepted", 0)
        inputs.completed = found.get("completed", 0)
        inputs.yellow, inputs.red = cards.get(staff_id, (0, 0))


def _ratings(res: MonthInputs, center: Center, month: dt.date, *_: Any) -> None:
    for row in satisfaction(center=center, month=month, by="unit"):
        if row.key in res.units:
            res.units[row.key].satisfaction_rate = row.rate
    for row in satisfaction(center=center, month=month, by="staff"):
        if row.key in res.staff:
            res.staff[row.key].satisfaction_rate = row.rate


def _complaints(res: MonthInputs, center: Center, month: dt.date, *_: Any) -> None:
    """Complaints of the month about each unit, except those dismissed or found groundless."""
    found: dict[int, list[Event]] = defaultdict(list)
    for c in unit_complaints(center=center, month=month):
        found[c.unit_id].append(Event(f"feedback:{c.id}", f"{c.code} {c.subject}".strip()))
    for unit_id, inputs in res.units.items():
        inputs.complaints = found.get(unit_id, [])


def _violations(res: MonthInputs, center: Center, month: dt.date, *_: Any) -> None:
    by_unit: dict[int, list[Event]] = defaultdict(list)
    by_staff: dict[int, list[Event]] = defaultdict(list)
    for v in violations(center=center, month=month):
        detail = f"{v.date.month}月{v.date.day}日 {v.subject} {v.kind_label}"
        event = Event(f"inspection:{v.id}", detail[:300], v.points)
        by_unit[v.unit_id].append(event)
        if v.staff_id is not None:
            by_staff[v.staff_id].append(event)
    for unit_id, inputs in res.units.items():
        inputs.violations = by_unit.get(unit_id, [])
    for staff_id, staff_inputs in res.staff.items():
        staff_inputs.violations = by_staff.get(staff_id, [])


def _vacancies(res: MonthInputs, center: Center, month: dt.date, *_: Any) -> None:
    counts = vacancy_counts(center=center, month=month)
    for unit_id, inputs in res.units.items():
        inputs.vacancies = counts.get(unit_id, 0)


def _attendance(
    res: MonthInputs, center: Center, month: dt.date, staff: list[Staff], *_: Any
) -> None:
    """Late arrivals and early departures from the punches; days absent only for people who
    punched at all that month (someone never on the terminal is not absent every day)."""
    if not attendance_kept(center=center, month=month):
        res.skip(Source.ATTENDANCE, "no punches")
        return
    for row in attendance_rows(center=center, staff=staff, month=month):
        inputs = res.staff[row.staff.pk]
        inputs.late = row.totals.late
        inputs.left_early = row.totals.early
        inputs.absent = row.totals.absent if row.totals.present else 0


def _leave(res: MonthInputs, center: Center, month: dt.date, *_: Any) -> None:
    """Approved personal and sick leave in the month, in working days (one query)."""
    days = leave_days_by_staff(
        center=center, month=month, kinds=[LeaveKind.PERSONAL, LeaveKind.SICK]
    )
    for staff_id, inputs in res.staff.items():
        inputs.leave_days = days.get(staff_id) or Decimal(0)


def _info(res: MonthInputs, center: Center, month: dt.date, *_: Any) -> None:
    submitted = {u.pk for u in info_submission_units(center=center, month=month)}
    for unit_id, inputs in res.units.items():
        inputs.info_submitted = unit_id in submitted


def _patrol(res: MonthInputs, center: Center, month: dt.date, *_: Any) -> None:
    signed, _unsigned = patrol_units(center=center, month=month)
    signed_ids = {u.pk for u in signed}
    for unit_id, inputs in res.units.items():
        inputs.patrol_signed = unit_id in signed_ids


def _queue(res: MonthInputs, center: Center, month: dt.date, *_: Any) -> None:
    """Average wait for each unit's windows and its late first calls, for units whose windows
    called numbers that month (a hall without the queue adds no line)."""
    waits = unit_waits(center=center, month=month)
    if not waits:
        res.skip(Source.QUEUE, "no tickets")
        return
    late = unit_late_openings(center=center, month=month)
    for unit_id, inputs in res.units.items():
        if unit_id in waits:
            inputs.average_wait_minutes = waits[unit_id]
            inputs.late_openings = late.get(unit_id, 0)


def _good_deeds(
    res: MonthInputs, center: Center, month: dt.date, staff: list[Staff], unit_of: dict[int, int]
) -> None:
    by_unit: dict[int, list[Event]] = defaultdict(list)
    by_staff: dict[int, list[Event]] = defaultdict(list)
    for deed in good_deeds(center=center, month=month):
        story = deed.story if len(deed.story) <= 60 else deed.story[:59] + "…"
        event = Event(
            f"journal:{deed.id}", f"{deed.date.month}月{deed.date.day}日 {deed.staff}：{story}"
        )
        by_staff[deed.staff_id].append(event)
        if deed.staff_id in unit_of:
            by_unit[unit_of[deed.staff_id]].append(event)
    for unit_id, inputs in res.units.items():
        inputs.good_deeds = by_unit.get(unit_id, [])
    for staff_id, staff_inputs in res.staff.items():
        staff_inputs.good_deeds = by_staff.get(staff_id, [])


def _adjustments(res: MonthInputs, center: Center, month: dt.date) -> None:
    for adj in ScoreAdjustment.objects.filter(center=center, month=month).order_by("pk"):
        event = Event(f"adjustment:{adj.pk}", adj.reason, adj.points)
        if adj.staff_id is not None:
            if adj.staff_id in res.staff:
                res.staff[adj.staff_id].adjustments.append(event)
        elif adj.unit_id in res.units:
            res.units[adj.unit_id].adjustments.append(event)


def votes_of(*, center: Center, month: dt.date) -> dict[int, UnitVote]:
    return {v.unit_id: v for v in UnitVote.objects.filter(center=center, month=month_start(month))}


# --- stored scores --------------------------------------------------------------------------


def evaluation_of(*, center: Center, month: dt.date) -> MonthEvaluation | None:
    return (
        MonthEvaluation.objects.filter(center=center, month=month_start(month))
        .select_related("computed_by", "confirmed_by", "rules")
        .first()
    )


def evaluation_rules(evaluation: MonthEvaluation) -> RuleSet:
    """The rules the month was computed with (kept with it, so later versions do not apply)."""
    return parse_rules(evaluation.params)


def evaluated_months(*, center: Center) -> list[dt.date]:
    return list(
        MonthEvaluation.objects.filter(center=center)
        .order_by("-month")
        .values_list("month", flat=True)
    )


def visible_scorecards(*, user: Viewer, center: Center) -> QuerySet[Scorecard]:
    """Scorecards the person may see: the office and supervisors all, unit roles their unit's."""
    cards = Scorecard.objects.filter(evaluation__center=center)
    return scoped(cards, user, center="evaluation__center", unit="unit")


def scorecard_list(
    *, user: Viewer, center: Center, month: dt.date, kind: str
) -> QuerySet[Scorecard]:
    """The month's ranking of one kind, as far as the person may see it."""
    return (
        visible_scorecards(user=user, center=center)
        .filter(evaluation__month=month_start(month), kind=kind)
        .select_related("unit", "staff")
        .annotate(
            pending=Count(
                "lines__objections", filter=Q(lines__objections__status=ObjectionStatus.PENDING)
            )
        )
        .order_by("rank", "unit__position", "unit__sort_key", "name")
    )


def scorecard_get(*, user: Viewer, center: Center, pk: int) -> Scorecard | None:
    return (
        visible_scorecards(user=user, center=center)
        .select_related("evaluation", "unit", "staff")
        .filter(pk=pk)
        .first()
    )


def scorecard_lines(card: Scorecard) -> list[Any]:
    return list(card.lines.prefetch_related("objections").order_by("position", "pk"))


def related_cards(card: Scorecard) -> dict[str, Scorecard | None]:
    """The cards an award score is blended from: the unit's, and for a chief their own."""
    cards = Scorecard.objects.filter(evaluation_id=card.evaluation_id)
    unit_card = cards.filter(kind=ScoreKind.UNIT, unit_id=card.unit_id).first()
    own = None
    if card.kind == ScoreKind.CHIEF:
        own = cards.filter(kind=ScoreKind.STAFF, staff_id=card.staff_id).first()
    return {"unit": unit_card, "own": own}


def unit_staff_cards(card: Scorecard) -> QuerySet[Scorecard]:
    return Scorecard.objects.filter(
        evaluation_id=card.evaluation_id, kind=ScoreKind.STAFF, unit_id=card.unit_id
    ).order_by("-total", "name")


# --- awards ---------------------------------------------------------------------------------


def ranked_items(evaluation: MonthEvaluation, kind: str) -> list[Ranked]:
    cards = evaluation.scorecards.filter(kind=kind).select_related("unit", "staff")
    return [
        Ranked(
            key=c.pk,
            score=c.award_score,
            tiebreak=(-c.total, c.unit.position, c.unit.sort_key, c.name),
            eligible=c.grade == Grade.PASS,
        )
        for c in cards
    ]


def proposal(evaluation: MonthEvaluation) -> dict[str, list[Scorecard]]:
    """The ranked proposal per award kind: the best cards graded 合格, as many as the rules say."""
    rules = evaluation_rules(evaluation)
    result: dict[str, list[Scorecard]] = {}
    for kind in ScoreKind:
        award = AwardKind.for_score(kind)
        keys = propose(ranked_items(evaluation, kind), rules.award_count(award))
        cards = Scorecard.objects.in_bulk(keys)
        result[kind] = [cards[k] for k in keys]
    return result


def candidates(evaluation: MonthEvaluation, kind: str) -> QuerySet[Scorecard]:
    return (
        evaluation.scorecards.filter(kind=kind)
        .select_related("unit", "staff")
        .order_by("rank", "unit__position", "name")
    )


def month_awards(evaluation: MonthEvaluation) -> dict[str, list[Award]]:
    awards: dict[str, list[Award]] = {k: [] for k in AwardKind}
    for award in evaluation.awards.select_related("unit", "staff").order_by("kind", "position"):
        awards[award.kind].append(award)
    return awards


@dataclass(frozen=True)
class MonthAwards:
    """The month's confirmed awards by name, in the office's order (empty until confirmed)."""

    confirmed: bool = False
    red_flag_units: tuple[str, ...] = ()
    star_chiefs: tuple[str, ...] = ()
    model_staff: tuple[str, ...] = ()
    # The chiefs' and staff's units, in the same order (for "公安局 刘凯" style listings).
    star_chief_units: tuple[str, ...] = ()
    model_staff_units: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "confirmed": self.confirmed,
            "red_flag_units": list(self.red_flag_units),
            "star_chiefs": list(self.star_chiefs),
            "model_staff": list(self.model_staff),
        }


def awards_for(*, center: Center, month: dt.date | str) -> MonthAwards:
    """The month's confirmed awards (红旗窗口 units, 星级首席 chiefs, 服务标兵 staff) by name;
    empty while the office has not confirmed them. Two queries."""
    first = month_start(month)
    evaluation = MonthEvaluation.objects.filter(
        center=center, month=first, status=EvaluationStatus.CONFIRMED
    ).first()
    if evaluation is None:
        return MonthAwards()
    names: dict[str, list[tuple[str, str]]] = {k: [] for k in AwardKind}
    for kind, name, unit in (
        Award.objects.filter(evaluation=evaluation)
        .order_by("kind", "position")
        .values_list("kind", "name", "unit__name")
    ):
        names[kind].append((name, unit))
    return MonthAwards(
        confirmed=True,
        red_flag_units=tuple(n for n, _u in names[AwardKind.RED_FLAG]),
        star_chiefs=tuple(n for n, _u in names[AwardKind.STAR_CHIEF]),
        model_staff=tuple(n for n, _u in names[AwardKind.MODEL_STAFF]),
        star_chief_units=tuple(u for _n, u in names[AwardKind.STAR_CHIEF]),
        model_staff_units=tuple(u for _n, u in names[AwardKind.MODEL_STAFF]),
    )


def award_sentences(*, center: Center, month: dt.date | str) -> list[str]:
    """二、量化评比 in the reference bulletin's words; empty until the awards are confirmed."""
    first = month_start(month)
    awards = awards_for(center=center, month=first)
    if not awards.confirmed:
        return []
    label = f"{first.month}月份"
    return [
        f"(一)评为{label}“{AWARD_NAMES[AwardKind.RED_FLAG]}”的窗口单位:"
        f"{'、'.join(awards.red_flag_units)}。",
        f"(二)评为{label}“{AWARD_NAMES[AwardKind.STAR_CHIEF]}”的窗口首席代表:"
        f"{'、'.join(awards.star_chiefs)}。",
        f"(三)评为{label}“{AWARD_NAMES[AwardKind.MODEL_STAFF]}”称号的窗口工作人员:"
        f"{'、'.join(awards.model_staff)}。",
    ]


# --- objections -----------------------------------------------------------------------------


def objection_list(
    *, user: Viewer, center: Center, month: dt.date | None = None, status: str = ""
) -> QuerySet[Objection]:
    objections = scoped(Objection.objects.filter(center=center), user).select_related(
        "unit", "line", "line__scorecard", "line__scorecard__evaluation", "raised_by",
        "decided_by",
    )  # fmt: skip
    if month is not None:
        objections = objections.filter(line__scorecard__evaluation__month=month_start(month))
    if status:
        objections = objections.filter(status=status)
    return objections.order_by("-raised_at", "-pk")


def objection_get(*, user: Viewer, center: Center, pk: int) -> Objection | None:
    return objection_list(user=user, center=center).filter(pk=pk).first()


def pending_objections(evaluation: MonthEvaluation) -> int:
    return Objection.objects.filter(
        line__scorecard__evaluation=evaluation, status=ObjectionStatus.PENDING
    ).count()


# --- the year (年度评先) --------------------------------------------------------------------


@dataclass
class AnnualRow:
    """One unit's or person's year: the award score of each month evaluated, the average over
    those months, and the awards received in confirmed months."""

    key: int
    name: str
    unit: str
    months: dict[int, Decimal] = field(default_factory=dict)
    awards: int = 0

    @property
    def average(self) -> Decimal | None:
        return mean(list(self.months.values()))

    def month_cells(self) -> list[Decimal | None]:
        return [self.months.get(m) for m in range(1, 13)]


def annual_rollup(*, user: Viewer, center: Center, year: int, kind: str) -> list[AnnualRow]:
    """Per unit (or chief, or person) the year's monthly award scores, their average and the
    number of awards: two queries. Best average first."""
    first, following = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    cards = (
        visible_scorecards(user=user, center=center)
        .filter(kind=kind, evaluation__month__gte=first, evaluation__month__lt=following)
        .order_by()
        .values_list(
            "unit_id", "staff_id", "name", "unit__name", "evaluation__month", "award_score"
        )
    )
    rows: dict[int, AnnualRow] = {}
    for unit_id, staff_id, name, unit_name, month, score in cards:
        key = staff_id if kind != ScoreKind.UNIT else unit_id
        row = rows.setdefault(key, AnnualRow(key, name, unit_name))
        row.months[month.month] = score
    award = AwardKind.for_score(kind)
    awards = (
        Award.objects.filter(
            evaluation__center=center,
            evaluation__status=EvaluationStatus.CONFIRMED,
            evaluation__month__gte=first,
            evaluation__month__lt=following,
            kind=award,
        )
        .order_by()
        .values("staff_id" if kind != ScoreKind.UNIT else "unit_id")
        .annotate(n=Count("pk"))
        .values_list("staff_id" if kind != ScoreKind.UNIT else "unit_id", "n")
    )
    for key, n in awards:
        if key in rows:
            rows[key].awards = n
    return sorted(
        rows.values(),
        key=lambda r: (-(r.average or Decimal(-1)), -r.awards, r.unit, r.name),
    )


def years_evaluated(*, center: Center) -> list[int]:
    return sorted({m.year for m in evaluated_months(center=center)}, reverse=True)


def staff_in(center: Center, ids: Iterable[int]) -> dict[int, Staff]:
    return Staff.objects.filter(center=center).select_related("unit").in_bulk(list(ids))
