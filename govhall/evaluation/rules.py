"""Scoring formulas of the monthly evaluation (量化评比), without the ORM.

A scorecard starts from a base (100) and adds one line per input: deductions per event (a red
card, a late arrival, a violation's points), deductions per percentage point below a floor (the
on-time and satisfaction rates), bonuses (good deeds, information submitted, a leader's patrol)
and the office's entries; the total stays within [0, maximum]. Award scores blend scorecards
with weights that sum to 1: 红旗窗口 the unit's score, its staff's average and two votes;
星级首席 the chief's own score and the unit's.

The parameters live in a JSON document per center and month (`ScoringRules.params`), checked
by `parse_rules` against `PARAMS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from govhall.evaluation.choices import Grade, LineCode, LineNote, RuleShape

ZERO = Decimal(0)
ONE = Decimal(1)
CENT = Decimal("0.01")


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --- the parameters -------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    group: str
    name: str
    default: Decimal
    kind: str  # minus | plus | percent | weight | count | days | scale
    label: str | Promise

    @property
    def key(self) -> str:
        return f"{self.group}.{self.name}"


def _p(group: str, name: str, default: str, kind: str, label: str | Promise) -> Param:
    return Param(group, name, Decimal(default), kind, label)


GROUPS: dict[str, str | Promise] = {
    "scale": _("Scale and grades"),
    "unit": _("Unit scorecard"),
    "staff": _("Staff scorecard"),
    "red_flag": _("Red-flag window: weights"),
    "chief": _("Star chief representative: weights"),
    "awards": _("Awards per month"),
}

PARAMS: tuple[Param, ...] = (
    _p("scale", "base", "100", "scale", _("Base score")),
    _p("scale", "maximum", "110", "scale", _("Maximum score")),
    _p("scale", "pass_mark", "80", "scale", _("Pass (合格) from")),
    _p("scale", "basic_mark", "60", "scale", _("Basic pass (基本合格) from")),
    # A unit: its cases, cards, ratings, complaints, inspections, posts and the extra work.
    _p("unit", "on_time_floor", "95", "percent", _("On-time rate expected (%)")),
    _p("unit", "on_time_point", "-0.2", "minus", _("Per point of on-time rate below it")),
    _p("unit", "early_point", "0.02", "plus", _("Per point of early-completion rate")),
    _p("unit", "overdue", "-5", "minus", _("Per overdue case without a red card")),
    _p("unit", "yellow", "-2", "minus", _("Per yellow card")),
    _p("unit", "red", "-5", "minus", _("Per red card")),
    _p("unit", "satisfaction_floor", "95", "percent", _("Satisfaction rate expected (%)")),
    _p("unit", "satisfaction_point", "-0.2", "minus", _("Per point of satisfaction below it")),
    _p("unit", "complaint", "-3", "minus", _("Per complaint not found groundless")),
    # The inspection already states the points deducted; 1 takes them as they are.
    _p("unit", "violation_point", "-1", "minus", _("Per point of a violation")),
    _p("unit", "vacancy", "-2", "minus", _("Per post left empty")),
    _p("unit", "info_submission", "2", "plus", _("Information submitted in the month")),
    _p("unit", "patrol", "1", "plus", _("The unit's leader signed in on patrol")),
    _p("unit", "good_deed", "1", "plus", _("Per good deed of the unit's staff")),
    # The queue: how long applicants waited for the unit's windows, and late first calls.
    _p("unit", "wait_limit", "15", "minutes", _("Average wait expected at most (minutes)")),
    _p("unit", "wait_minute", "-0.5", "minus", _("Per minute of average wait above it")),
    _p("unit", "late_opening", "-1", "minus", _("Per window late to call after opening")),
    # A person: their own cases' cards and ratings, attendance, leave, inspections, deeds.
    _p("staff", "yellow", "-2", "minus", _("Per yellow card on a case they accepted")),
    _p("staff", "red", "-5", "minus", _("Per red card on a case they accepted")),
    _p("staff", "satisfaction_floor", "95", "percent", _("Satisfaction rate expected (%)")),
    _p("staff", "satisfaction_point", "-0.2", "minus", _("Per point of satisfaction below it")),
    _p("staff", "late", "-0.5", "minus", _("Per late arrival")),
    _p("staff", "left_early", "-0.5", "minus", _("Per early departure")),
    _p("staff", "absent", "-2", "minus", _("Per working day absent without leave")),
    _p("staff", "leave_allowance", "3", "days", _("Personal and sick leave allowed (days)")),
    _p("staff", "leave_day", "-0.5", "minus", _("Per leave day beyond the allowance")),
    _p("staff", "violation_point", "-1", "minus", _("Per point of a violation")),
    _p("staff", "good_deed", "2", "plus", _("Per good deed")),
    _p("red_flag", "unit", "0.3", "weight", _("Unit's score")),
    _p("red_flag", "staff", "0.3", "weight", _("Average of its staff's scores")),
    _p("red_flag", "duty_vote", "0.2", "weight", _("Vote by the hall's duty staff")),
    _p("red_flag", "applicant_vote", "0.2", "weight", _("Vote by applicants")),
    _p("chief", "own", "0.5", "weight", _("The chief's own score")),
    _p("chief", "unit", "0.5", "weight", _("The unit's score")),
    _p("awards", "red_flag", "5", "count", _("Red-flag windows")),
    _p("awards", "star_chief", "5", "count", _("Star chief representatives")),
    _p("awards", "model_staff", "10", "count", _("Models of service")),
)

PARAM_BY_KEY = {p.key: p for p in PARAMS}
WEIGHT_GROUPS = ("red_flag", "chief")
LIMITS: dict[str, tuple[Decimal, Decimal]] = {
    "minus": (Decimal(-100), ZERO),
    "plus": (ZERO, Decimal(100)),
    "percent": (ZERO, Decimal(100)),
    "weight": (ZERO, ONE),
    "count": (ZERO, Decimal(100)),
    "days": (ZERO, Decimal(31)),
    "minutes": (ZERO, Decimal(240)),
    "scale": (ZERO, Decimal(1000)),
}


class RuleError(ValueError):
    """A parameter is out of its range; `key` is "group.name" or the group for a sum."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


@dataclass(frozen=True)
class RuleSet:
    """Checked parameters, as {group: {name: Decimal}}."""

    values: Mapping[str, Mapping[str, Decimal]]

    def __getitem__(self, key: str) -> Decimal:
        group, name = key.split(".", 1)
        return self.values[group][name]

    def group(self, name: str) -> Mapping[str, Decimal]:
        return self.values[name]

    @property
    def base(self) -> Decimal:
        return self["scale.base"]

    @property
    def maximum(self) -> Decimal:
        return self["scale.maximum"]

    def award_count(self, award: str) -> int:
        return int(self[f"awards.{award}"])

    def as_json(self) -> dict[str, dict[str, str]]:
        return {
            group: {name: _plain(value) for name, value in names.items()}
            for group, names in self.values.items()
        }


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


def default_params() -> dict[str, dict[str, str]]:
    params: dict[str, dict[str, str]] = {}
    for p in PARAMS:
        params.setdefault(p.group, {})[p.name] = _plain(p.default)
    return params


def _number(raw: Any, key: str) -> Decimal:
    if isinstance(raw, bool):
        raise RuleError(key, str(_("Give a number.")))
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise RuleError(key, str(_("Give a number."))) from None
    if not value.is_finite():
        raise RuleError(key, str(_("Give a number.")))
    return value


def parse_rules(data: Mapping[str, Any] | None) -> RuleSet:
    """Check a parameters document; missing entries take their defaults, unknown ones are
    refused. Raises RuleError naming the first parameter at fault."""
    data = data or {}
    if not isinstance(data, Mapping):
        raise RuleError("", str(_("The rules must be a JSON object.")))
    for group, names in data.items():
        if group not in GROUPS:
            raise RuleError(group, str(_("Unknown group “{group}”.").format(group=group)))
        if not isinstance(names, Mapping):
            raise RuleError(group, str(_("“{group}” must be an object.").format(group=group)))
        for name in names:
            if f"{group}.{name}" not in PARAM_BY_KEY:
                raise RuleError(
                    f"{group}.{name}",
                    str(_("Unknown parameter “{key}”.").format(key=f"{group}.{name}")),
                )
    values: dict[str, dict[str, Decimal]] = {}
    for p in PARAMS:
        raw = data.get(p.group, {}).get(p.name, p.default)
        value = _number(raw, p.key)
        low, high = LIMITS[p.kind]
        if not low <= value <= high:
            raise RuleError(
                p.key,
                str(_("“{label}” must be between {low} and {high}.")).format(
                    label=p.label, low=_plain(low), high=_plain(high)
                ),
            )
        if p.kind in {"count", "days"} and value != value.to_integral_value():
            raise RuleError(p.key, str(_("Give a whole number.")))
        if p.kind == "weight" and value != value.quantize(CENT):
            raise RuleError(p.key, str(_("Weights take at most two decimals.")))
        values.setdefault(p.group, {})[p.name] = value
    for group in WEIGHT_GROUPS:
        if sum(values[group].values(), ZERO) != ONE:
            raise RuleError(
                group,
                str(_("The weights of “{group}” must add up to 1.")).format(group=GROUPS[group]),
            )
    scale = values["scale"]
    if scale["maximum"] < scale["base"]:
        raise RuleError("scale.maximum", str(_("The maximum cannot be below the base score.")))
    if not scale["basic_mark"] <= scale["pass_mark"] <= scale["maximum"]:
        raise RuleError(
            "scale.pass_mark",
            str(_("Grades need basic pass ≤ pass ≤ maximum.")),
        )
    return RuleSet(values)


DEFAULT_RULES = parse_rules(None)


# --- lines and scores -----------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of a breakdown: the input, its quantity, the rule that turns it into points."""

    code: str
    points: Decimal
    quantity: Decimal | None = None
    per: Decimal | None = None
    threshold: Decimal | None = None
    shape: str = RuleShape.PER_EVENT
    ref: str = ""
    detail: str = ""
    note: str = LineNote.NONE


@dataclass(frozen=True)
class Event:
    """A record that counts on its own line (a violation, a good deed, a complaint, an entry)."""

    ref: str
    detail: str
    quantity: Decimal = ONE


def per_event(code: str, quantity: int | Decimal, per: Decimal) -> Line:
    quantity = Decimal(quantity)
    return Line(code, q2(quantity * per), quantity, per)


def below_floor(code: str, rate: Decimal | None, floor: Decimal, per: Decimal, note: str) -> Line:
    """Points per percentage point of `rate` below `floor` (per ≤ 0): nothing at or above it."""
    if rate is None:
        return Line(code, ZERO, None, per, floor, RuleShape.BELOW_FLOOR, note=note)
    shortfall = max(floor - rate, ZERO)
    return Line(code, q2(shortfall * per), rate, per, floor, RuleShape.BELOW_FLOOR)


def above_ceiling(
    code: str, value: Decimal | None, ceiling: Decimal, per: Decimal, note: str
) -> Line:
    """Points per unit of `value` above `ceiling` (per ≤ 0): nothing at or below it."""
    if value is None:
        return Line(code, ZERO, None, per, ceiling, RuleShape.ABOVE_CEILING, note=note)
    excess = max(value - ceiling, ZERO)
    return Line(code, q2(excess * per), value, per, ceiling, RuleShape.ABOVE_CEILING)


def per_point(code: str, rate: Decimal | None, per: Decimal, note: str) -> Line:
    if rate is None:
        return Line(code, ZERO, None, per, None, RuleShape.PER_POINT, note=note)
    return Line(code, q2(rate * per), rate, per, None, RuleShape.PER_POINT)


def once(code: str, happened: bool, per: Decimal) -> Line:
    quantity = ONE if happened else ZERO
    return Line(code, q2(quantity * per), quantity, per, None, RuleShape.ONCE)


def informative(code: str, quantity: int) -> Line:
    return Line(code, ZERO, Decimal(quantity), None, None, RuleShape.NONE)


def events(code: str, items: Sequence[Event], per: Decimal) -> list[Line]:
    """One line per record; a single empty line when there is none (the input was looked at)."""
    if not items:
        return [Line(code, ZERO, ZERO, per)]
    return [
        Line(code, q2(e.quantity * per), e.quantity, per, ref=e.ref, detail=e.detail) for e in items
    ]


def entered(items: Sequence[Event]) -> list[Line]:
    """The office's bonus and penalty lines: the quantity is the points."""
    return [
        Line(
            LineCode.ADJUSTMENT,
            q2(e.quantity),
            None,
            None,
            None,
            RuleShape.ENTERED,
            e.ref,
            e.detail,
        )
        for e in items
    ]


def total(points: Iterable[Decimal], rules: RuleSet) -> Decimal:
    """The base plus every line's points, kept within [0, maximum]."""
    raw = rules.base + sum(points, ZERO)
    return q2(min(max(raw, ZERO), rules.maximum))


def score(lines: Iterable[Line], rules: RuleSet) -> Decimal:
    return total((line.points for line in lines), rules)


def grade(value: Decimal, rules: RuleSet) -> str:
    """合格 from the pass mark, 基本合格 from the basic mark, else 不合格."""
    if value >= rules["scale.pass_mark"]:
        return Grade.PASS
    if value >= rules["scale.basic_mark"]:
        return Grade.BASIC
    return Grade.FAIL


# --- inputs → lines -----------------------------------------------------------------------


@dataclass
class UnitInputs:
    """A unit's measured month; None means the source was not available (no line)."""

    accepted: int | None = None
    completed: int | None = None
    on_time_rate: Decimal | None = None
    early_rate: Decimal | None = None
    overdue: int | None = None
    yellow: int | None = None
    red: int | None = None
    satisfaction_rate: Decimal | None = None
    complaints: list[Event] | None = None
    violations: list[Event] | None = None
    vacancies: int | None = None
    info_submitted: bool | None = None
    patrol_signed: bool | None = None
    good_deeds: list[Event] | None = None
    # The queue: None when the unit's windows took no numbers that month (no line).
    average_wait_minutes: Decimal | None = None
    late_openings: int | None = None
    adjustments: list[Event] = field(default_factory=list)
    has_cases: bool = True
    has_ratings: bool = True


@dataclass
class StaffInputs:
    """A person's measured month; None means the source was not available (no line)."""

    accepted: int | None = None
    completed: int | None = None
    yellow: int | None = None
    red: int | None = None
    satisfaction_rate: Decimal | None = None
    late: int | None = None
    left_early: int | None = None
    absent: int | None = None
    leave_days: Decimal | None = None
    violations: list[Event] | None = None
    good_deeds: list[Event] | None = None
    adjustments: list[Event] = field(default_factory=list)
    has_ratings: bool = True


def unit_lines(inputs: UnitInputs, rules: RuleSet) -> list[Line]:
    r = rules.group("unit")
    lines: list[Line] = []
    if inputs.accepted is not None:
        lines.append(informative(LineCode.ACCEPTED, inputs.accepted))
    if inputs.completed is not None:
        lines.append(informative(LineCode.COMPLETED, inputs.completed))
    if inputs.has_cases or inputs.on_time_rate is not None:
        lines.append(
            below_floor(
                LineCode.ON_TIME_RATE,
                inputs.on_time_rate,
                r["on_time_floor"],
                r["on_time_point"],
                LineNote.NO_PROMISED,
            )  # fmt: skip
        )
        lines.append(
            per_point(
                LineCode.EARLY_RATE, inputs.early_rate, r["early_point"], LineNote.NO_PROMISED
            )
        )
    if inputs.overdue is not None:
        lines.append(per_event(LineCode.OVERDUE, inputs.overdue, r["overdue"]))
    if inputs.yellow is not None:
        lines.append(per_event(LineCode.YELLOW, inputs.yellow, r["yellow"]))
    if inputs.red is not None:
        lines.append(per_event(LineCode.RED, inputs.red, r["red"]))
    if inputs.has_ratings:
        lines.append(
            below_floor(
                LineCode.SATISFACTION,
                inputs.satisfaction_rate,
                r["satisfaction_floor"],
                r["satisfaction_point"],
                LineNote.NO_RATINGS,
            )  # fmt: skip
        )
    if inputs.complaints is not None:
        lines += events(LineCode.COMPLAINT, inputs.complaints, r["complaint"])
    if inputs.violations is not None:
        lines += events(LineCode.VIOLATION, inputs.violations, r["violation_point"])
    if inputs.vacancies is not None:
        lines.append(per_event(LineCode.VACANCY, inputs.vacancies, r["vacancy"]))
    if inputs.info_submitted is not None:
        lines.append(once(LineCode.INFO_SUBMISSION, inputs.info_submitted, r["info_submission"]))
    if inputs.patrol_signed is not None:
        lines.append(once(LineCode.PATROL, inputs.patrol_signed, r["patrol"]))
    if inputs.good_deeds is not None:
        lines += events(LineCode.GOOD_DEED, inputs.good_deeds, r["good_deed"])
    if inputs.average_wait_minutes is not None:
        lines.append(
            above_ceiling(
                LineCode.QUEUE_WAIT,
                inputs.average_wait_minutes,
                r["wait_limit"],
                r["wait_minute"],
                "",
            )
        )
    if inputs.late_openings is not None:
        lines.append(per_event(LineCode.LATE_OPENING, inputs.late_openings, r["late_opening"]))
    lines += entered(inputs.adjustments)
    return lines


def staff_lines(inputs: StaffInputs, rules: RuleSet) -> list[Line]:
    r = rules.group("staff")
    lines: list[Line] = []
    if inputs.accepted is not None:
        lines.append(informative(LineCode.ACCEPTED, inputs.accepted))
    if inputs.completed is not None:
        lines.append(informative(LineCode.COMPLETED, inputs.completed))
    if inputs.yellow is not None:
        lines.append(per_event(LineCode.YELLOW, inputs.yellow, r["yellow"]))
    if inputs.red is not None:
        lines.append(per_event(LineCode.RED, inputs.red, r["red"]))
    if inputs.has_ratings:
        lines.append(
            below_floor(
                LineCode.SATISFACTION,
                inputs.satisfaction_rate,
                r["satisfaction_floor"],
                r["satisfaction_point"],
                LineNote.NO_RATINGS,
            )  # fmt: skip
        )
    if inputs.late is not None:
        lines.append(per_event(LineCode.LATE, inputs.late, r["late"]))
    if inputs.left_early is not None:
        lines.append(per_event(LineCode.LEFT_EARLY, inputs.left_early, r["left_early"]))
    if inputs.absent is not None:
        lines.append(per_event(LineCode.ABSENT, inputs.absent, r["absent"]))
    if inputs.leave_days is not None:
        beyond = max(inputs.leave_days - r["leave_allowance"], ZERO)
        lines.append(
            Line(
                LineCode.LEAVE,
                q2(beyond * r["leave_day"]),
                beyond,
                r["leave_day"],
                r["leave_allowance"],
                RuleShape.PER_EVENT,
                detail=_plain(inputs.leave_days),
            )  # fmt: skip
        )
    if inputs.violations is not None:
        lines += events(LineCode.VIOLATION, inputs.violations, r["violation_point"])
    if inputs.good_deeds is not None:
        lines += events(LineCode.GOOD_DEED, inputs.good_deeds, r["good_deed"])
    lines += entered(inputs.adjustments)
    return lines


# --- award scores ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One component of an award score: its value, weight and contribution."""

    code: str  # unit | staff | duty_vote | applicant_vote | own
    value: Decimal
    weight: Decimal
    note: str = LineNote.NONE

    @property
    def points(self) -> Decimal:
        return q2(self.value * self.weight)

    def as_json(self) -> dict[str, str]:
        return {
            "code": self.code,
            "value": _plain(self.value),
            "weight": _plain(self.weight),
            "points": _plain(self.points),
            "note": self.note,
        }


def blend(parts: Sequence[Part]) -> Decimal:
    """The weighted sum; with weights adding up to 1 it lies between the smallest and the
    largest value."""
    return q2(sum((p.value * p.weight for p in parts), ZERO))


def average(values: Sequence[Decimal]) -> Decimal | None:
    if not values:
        return None
    return q2(sum(values, ZERO) / len(values))


def red_flag_parts(
    *,
    unit_score: Decimal,
    staff_scores: Sequence[Decimal],
    duty_vote: Decimal | None,
    applicant_vote: Decimal | None,
    rules: RuleSet,
) -> list[Part]:
    """红旗窗口: the unit's score, its staff's average and the two votes; what is missing (no
    staff scored, no vote entered) takes the unit's score, and the part says so."""
    w = rules.group("red_flag")
    staff_avg = average(staff_scores)
    return [
        Part("unit", unit_score, w["unit"]),
        Part(
            "staff",
            staff_avg if staff_avg is not None else unit_score,
            w["staff"],
            LineNote.NONE if staff_avg is not None else LineNote.NO_STAFF,
        ),  # fmt: skip
        Part(
            "duty_vote",
            duty_vote if duty_vote is not None else unit_score,
            w["duty_vote"],
            LineNote.NONE if duty_vote is not None else LineNote.DEFAULTED,
        ),  # fmt: skip
        Part(
            "applicant_vote",
            applicant_vote if applicant_vote is not None else unit_score,
            w["applicant_vote"],
            LineNote.NONE if applicant_vote is not None else LineNote.DEFAULTED,
        ),  # fmt: skip
    ]


def chief_parts(*, own_score: Decimal, unit_score: Decimal, rules: RuleSet) -> list[Part]:
    w = rules.group("chief")
    return [Part("own", own_score, w["own"]), Part("unit", unit_score, w["unit"])]


# --- ranking --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    key: Any
    score: Decimal
    tiebreak: tuple[Any, ...]
    eligible: bool = True


def ranks(items: Sequence[Ranked]) -> list[tuple[Ranked, int]]:
    """Highest score first; equal scores share a rank (1, 2, 2, 4); ties listed by `tiebreak`."""
    ordered = sorted(items, key=lambda r: (-r.score, r.tiebreak))
    result: list[tuple[Ranked, int]] = []
    for index, item in enumerate(ordered):
        if result and result[-1][0].score == item.score:
            result.append((item, result[-1][1]))
        else:
            result.append((item, index + 1))
    return result


def propose(items: Sequence[Ranked], count: int) -> list[Any]:
    """The keys of the best `count` eligible items (those graded 合格), best first."""
    return [item.key for item, _rank in ranks(items) if item.eligible][:count]
