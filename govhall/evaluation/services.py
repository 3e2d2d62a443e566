"""Every write of the monthly evaluation: rules, computing a month, the office's bonus and
penalty lines and votes, objections and their rulings, confirming (and reopening) the awards.

Each service checks who may act and the rule, runs in one transaction and leaves an audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.access import Actor, require
from govhall.core.audit import audit_record
from govhall.core.errors import DomainError
from govhall.core.months import month_start
from govhall.evaluation import rules as formulas
from govhall.evaluation import selectors
from govhall.evaluation.choices import (
    AwardKind,
    EvaluationStatus,
    Grade,
    LineNote,
    ObjectionStatus,
    ScoreKind,
)
from govhall.evaluation.models import (
    Award,
    MonthEvaluation,
    Objection,
    ScoreAdjustment,
    Scorecard,
    ScoreLine,
    ScoringRules,
    UnitVote,
)
from govhall.evaluation.rules import Line, Ranked, RuleError, RuleSet
from govhall.org.choices import StaffRole
from govhall.org.models import Center, Staff, Unit

MAX_REASON = 300
MAX_NOTE = 1000
MAX_ADJUSTMENT = Decimal(50)
ZERO = Decimal(0)


def _text(value: str | None, *, field: str, label: str, max_length: int, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("{field} is required.").format(field=label), field=field)
    if len(value) > max_length:
        raise DomainError(
            _("{field} is too long (at most {n} characters).").format(field=label, n=max_length),
            field=field,
        )
    return value


def _decimal(value: Any, *, field: str, low: Decimal, high: Decimal, places: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        raise DomainError(_("Give a number."), field=field)
    if not low <= number <= high:
        raise DomainError(
            _("Give a number between {low} and {high}.").format(low=low, high=high), field=field
        )
    if number != number.quantize(Decimal(places)):
        raise DomainError(
            _("Give at most {n} decimal(s).").format(n=len(places.split(".")[1])), field=field
        )
    return number.quantize(Decimal(places))


def _month(month: dt.date | str) -> dt.date:
    first = month_start(month)
    if first > timezone.localdate().replace(day=1):
        raise DomainError(_("That month has not begun."), field="month")
    return first


def _open_evaluation(center: Center, month: dt.date) -> MonthEvaluation | None:
    """The month's evaluation, locked; refused once its awards are confirmed."""
    evaluation = (
        MonthEvaluation.objects.select_for_update().filter(center=center, month=month).first()
    )
    if evaluation is not None and evaluation.is_confirmed:
        raise DomainError(
            _("The awards of this month are confirmed: reopen the month to change its scores.")
        )
    return evaluation


# --- rules ----------------------------------------------------------------------------------


@transaction.atomic
def scoring_rules_save(
    *,
    by: Actor,
    center: Center,
    effective_from: dt.date | str,
    params: Mapping[str, Any],
    note: str = "",
) -> ScoringRules:
    """Save the center's rules from a month on (replacing that month's version, if any).

    Months already computed keep the rules they were computed with until computed again."""
    require(by, "evaluation.change_scoringrules", center_id=center.pk)
    first = month_start(effective_from)
    try:
        checked = formulas.parse_rules(params)
    except RuleError as error:
        raise DomainError(error.message, field=error.key) from None
    note = _text(note, field="note", label=_("Note"), max_length=300, required=False)
    existing = ScoringRules.objects.filter(center=center, effective_from=first).first()
    before = {"params": existing.params, "note": existing.note} if existing else None
    version, _created = ScoringRules.objects.update_or_create(
        center=center,
        effective_from=first,
        defaults={
            "params": checked.as_json(),
            "note": note,
            "saved_by": by,
            "saved_at": timezone.now(),
        },
    )
    audit_record(
        by=by, action="evaluation.rules_save", obj=version, center_id=center.pk,
        before=before, after={"effective_from": first, "params": version.params, "note": note},
    )  # fmt: skip
    return version


# --- computing a month ----------------------------------------------------------------------

CardKey = tuple[str, int, int | None]


@transaction.atomic
def evaluation_compute(*, by: Actor, center: Center, month: dt.date | str) -> MonthEvaluation:
    """Score every active unit, chief and person of the month from the records as they stand
    now and store the scorecards; lines the office changed on objection keep their points.
    Refused once the month's awards are confirmed."""
    require(by, "evaluation.compute_evaluation", center_id=center.pk)
    first = _month(month)
    evaluation = _open_evaluation(center, first)
    rules, version = selectors.rules_for(center=center, month=first)
    units = selectors.scored_units(center)
    staff = selectors.scored_staff(center)
    inputs = selectors.month_inputs(center=center, month=first, units=units, staff=staff)
    now = timezone.now()
    fields = {
        "params": rules.as_json(),
        "rules": version,
        "missing_sources": inputs.missing,
        "computed_at": now,
        "computed_by": by,
    }
    if evaluation is None:
        try:
            with transaction.atomic():
                evaluation = MonthEvaluation.objects.create(center=center, month=first, **fields)
        except IntegrityError:  # computed by someone else at the same moment: wait for them
            evaluation = _open_evaluation(center, first)
    if evaluation is None:
        raise DomainError(_("The month could not be computed; try again."))
    for name, value in fields.items():
        setattr(evaluation, name, value)
    evaluation.save()

    wanted: dict[CardKey, tuple[str, list[Line]]] = {}
    for unit in units:
        lines = formulas.unit_lines(inputs.units[unit.pk], rules)
        wanted[(ScoreKind.UNIT, unit.pk, None)] = (unit.name, lines)
    for person in staff:
        lines = formulas.staff_lines(inputs.staff[person.pk], rules)
        wanted[(ScoreKind.STAFF, person.unit_id, person.pk)] = (person.name, lines)
        if person.role == StaffRole.CHIEF:
            wanted[(ScoreKind.CHIEF, person.unit_id, person.pk)] = (person.name, [])
    _store(evaluation, wanted)
    _rescore(evaluation, rules)
    audit_record(
        by=by, action="evaluation.compute", obj=evaluation, center_id=center.pk,
        after={
            "month": first,
            "rules_version": version.pk if version else None,
            "units": len(units),
            "staff": len(staff),
            "missing_sources": inputs.missing,
        },
    )  # fmt: skip
    return evaluation


def _card_key(card: Scorecard) -> CardKey:
    return (card.kind, card.unit_id, card.staff_id)


def _store(evaluation: MonthEvaluation, wanted: dict[CardKey, tuple[str, list[Line]]]) -> None:
    """Upsert the cards and their lines in bulk; overridden lines keep their points, lines or
    cards with objections stay (shown as no longer measured) so the record of them is kept."""
    existing = {_card_key(c): c for c in evaluation.scorecards.all()}
    objected = set(
        Objection.objects.filter(line__scorecard__evaluation=evaluation).values_list(
            "line_id", flat=True
        )
    )
    new_cards = [
        Scorecard(
            evaluation=evaluation,
            kind=kind,
            unit_id=unit_id,
            staff_id=staff_id,
            name=name,
            total=ZERO,
            grade=Grade.FAIL,
            award_score=ZERO,
        )  # fmt: skip
        for (kind, unit_id, staff_id), (name, _lines) in wanted.items()
        if (kind, unit_id, staff_id) not in existing
    ]
    for card in Scorecard.objects.bulk_create(new_cards):
        existing[_card_key(card)] = card
    if any(c.pk is None for c in existing.values()):  # a backend that returns no ids
        existing = {_card_key(c): c for c in evaluation.scorecards.all()}

    old_lines: dict[tuple[int, str, str], ScoreLine] = {
        (line.scorecard_id, line.code, line.ref): line
        for line in ScoreLine.objects.filter(scorecard__evaluation=evaluation)
    }
    to_create: list[ScoreLine] = []
    to_update: list[ScoreLine] = []
    seen: set[tuple[int, str, str]] = set()
    renamed: list[Scorecard] = []
    for key, (name, lines) in wanted.items():
        card = existing[key]
        if card.name != name:
            card.name = name
            renamed.append(card)
        for position, line in enumerate(lines):
            line_key = (card.pk, line.code, line.ref)
            seen.add(line_key)
            row = old_lines.get(line_key)
            if row is None:
                row = ScoreLine(scorecard=card, code=line.code, ref=line.ref)
                to_create.append(row)
            else:
                to_update.append(row)
            row.position = position
            row.detail = line.detail[:300]
            row.shape = line.shape
            row.quantity = line.quantity
            row.per = line.per
            row.threshold = line.threshold
            row.note = line.note
            row.measured_points = line.points
            if not row.overridden:
                row.points = line.points
    gone: list[int] = []
    for line_key, row in old_lines.items():
        if line_key in seen:
            continue
        if row.overridden or row.pk in objected:
            row.measured_points, row.quantity, row.note = ZERO, None, LineNote.NO_LONGER_MEASURED
            if not row.overridden:
                row.points = ZERO
            to_update.append(row)
        else:
            gone.append(row.pk)
    ScoreLine.objects.filter(pk__in=gone).delete()
    ScoreLine.objects.bulk_create(to_create)
    ScoreLine.objects.bulk_update(
        to_update,
        ["position", "detail", "shape", "quantity", "per", "threshold", "note",
         "measured_points", "points"],
    )  # fmt: skip
    Scorecard.objects.bulk_update(renamed, ["name"])
    stale = [c.pk for key, c in existing.items() if key not in wanted]
    if stale:
        kept = set(
            ScoreLine.objects.filter(scorecard_id__in=stale, objections__isnull=False).values_list(
                "scorecard_id", flat=True
            )
        )
        Scorecard.objects.filter(pk__in=set(stale) - kept).delete()


def _rescore(evaluation: MonthEvaluation, rules: RuleSet | None = None) -> None:
    """Totals, grades, award scores and ranks from the stored lines and the month's votes."""
    rules = rules or selectors.evaluation_rules(evaluation)
    cards = list(evaluation.scorecards.select_related("unit", "staff"))
    sums = dict(
        ScoreLine.objects.filter(scorecard__evaluation=evaluation)
        .order_by()
        .values("scorecard_id")
        .annotate(total=Sum("points"))
        .values_list("scorecard_id", "total")
    )
    for card in cards:
        if card.kind != ScoreKind.CHIEF:
            card.total = formulas.total([sums.get(card.pk) or ZERO], rules)
            card.grade = formulas.grade(card.total, rules)
    units = {c.unit_id: c for c in cards if c.kind == ScoreKind.UNIT}
    people = {c.staff_id: c for c in cards if c.kind == ScoreKind.STAFF}
    staff_scores: dict[int, list[Decimal]] = defaultdict(list)
    for card in people.values():
        staff_scores[card.unit_id].append(card.total)
    votes = selectors.votes_of(center=evaluation.center, month=evaluation.month)
    for card in cards:
        if card.kind == ScoreKind.STAFF:
            card.award_score, card.award_parts = card.total, []
        elif card.kind == ScoreKind.UNIT:
            vote = votes.get(card.unit_id)
            parts = formulas.red_flag_parts(
                unit_score=card.total,
                staff_scores=staff_scores.get(card.unit_id, []),
                duty_vote=vote.duty_score if vote else None,
                applicant_vote=vote.applicant_score if vote else None,
                rules=rules,
            )
            card.award_score = formulas.blend(parts)
            card.award_parts = [p.as_json() for p in parts]
    for card in cards:
        if card.kind != ScoreKind.CHIEF:
            continue
        own, unit = people.get(card.staff_id), units.get(card.unit_id)
        parts = formulas.chief_parts(
            own_score=own.total if own else ZERO,
            unit_score=unit.total if unit else ZERO,
            rules=rules,
        )
        card.total = card.award_score = formulas.blend(parts)
        card.grade = formulas.grade(card.total, rules)
        card.award_parts = [p.as_json() for p in parts]
    for kind in ScoreKind:
        of_kind = [c for c in cards if c.kind == kind]
        ranked = formulas.ranks(
            [
                Ranked(c.pk, c.award_score, (-c.total, c.unit.position, c.unit.sort_key, c.name))
                for c in of_kind
            ]
        )
        rank_of = {item.key: rank for item, rank in ranked}
        for card in of_kind:
            card.rank = rank_of[card.pk]
    Scorecard.objects.bulk_update(cards, ["total", "grade", "award_score", "award_parts", "rank"])


# --- the office's entries: bonus and penalty lines, votes --------------------------------------


@transaction.atomic
def adjustment_create(
    *,
    by: Actor,
    center: Center,
    month: dt.date | str,
    unit: Unit,
    points: Any,
    reason: str,
    staff: Staff | None = None,
) -> ScoreAdjustment:
    """A bonus (positive) or penalty (negative) for a unit or a person, with its reason; it
    shows as its own line and counts at once if the month is computed."""
    require(by, "evaluation.add_scoreadjustment", center_id=center.pk)
    first = _month(month)
    if unit.center_id != center.pk:
        raise DomainError(_("The unit belongs to another center."), field="unit")
    if staff is not None and staff.unit_id != unit.pk:
        raise DomainError(
            _("{name} does not work for {unit}.").format(name=staff.name, unit=unit.name),
            field="staff",
        )
    value = _decimal(points, field="points", low=-MAX_ADJUSTMENT, high=MAX_ADJUSTMENT, places="0.1")
    if value == 0:
        raise DomainError(_("A bonus or penalty of 0 points changes nothing."), field="points")
    reason = _text(reason, field="reason", label=_("Reason"), max_length=MAX_REASON, required=True)
    evaluation = _open_evaluation(center, first)
    adjustment = ScoreAdjustment.objects.create(
        center=center, month=first, unit=unit, staff=staff, points=value, reason=reason,
        entered_by=by, entered_at=timezone.now(),
    )  # fmt: skip
    if evaluation is not None:
        kind = ScoreKind.STAFF if staff is not None else ScoreKind.UNIT
        card = evaluation.scorecards.filter(
            kind=kind, unit=unit, staff=staff if staff is not None else None
        ).first()
        if card is not None:
            line = formulas.entered([formulas.Event(f"adjustment:{adjustment.pk}", reason, value)])[
                0
            ]
            ScoreLine.objects.create(
                scorecard=card, position=card.lines.count(), code=line.code, ref=line.ref,
                detail=line.detail, shape=line.shape, measured_points=line.points,
                points=line.points,
            )  # fmt: skip
            _rescore(evaluation)
    audit_record(
        by=by, action="evaluation.adjustment_create", obj=adjustment, center_id=center.pk,
        after={"month": first, "unit": unit.pk, "staff": staff.pk if staff else None,
               "points": value, "reason": reason},
    )  # fmt: skip
    return adjustment


@transaction.atomic
def unit_vote_set(
    *,
    by: Actor,
    center: Center,
    month: dt.date | str,
    unit: Unit,
    duty_score: Any = None,
    applicant_score: Any = None,
) -> UnitVote:
    """Enter a unit's votes of the month (0–100, empty when none was held); 红旗窗口 counts them
    at once. Without a vote, the unit's own score stands in (the breakdown says so)."""
    require(by, "evaluation.add_unitvote", center_id=center.pk)
    first = _month(month)
    if unit.center_id != center.pk:
        raise DomainError(_("The unit belongs to another center."), field="unit")

    def score(value: Any, field: str) -> Decimal | None:
        if value is None or str(value).strip() == "":
            return None
        return _decimal(value, field=field, low=ZERO, high=Decimal(100), places="0.01")

    duty, applicant = score(duty_score, "duty_score"), score(applicant_score, "applicant_score")
    evaluation = _open_evaluation(center, first)
    existing = UnitVote.objects.filter(center=center, month=first, unit=unit).first()
    before = (
        {"duty_score": existing.duty_score, "applicant_score": existing.applicant_score}
        if existing
        else None
    )
    vote, _created = UnitVote.objects.update_or_create(
        center=center, month=first, unit=unit,
        defaults={"duty_score": duty, "applicant_score": applicant, "entered_by": by,
                  "entered_at": timezone.now()},
    )  # fmt: skip
    if evaluation is not None:
        _rescore(evaluation)
    audit_record(
        by=by, action="evaluation.vote_set", obj=vote, center_id=center.pk, before=before,
        after={"duty_score": duty, "applicant_score": applicant},
    )  # fmt: skip
    return vote


# --- objections (异议) ------------------------------------------------------------------------


@transaction.atomic
def objection_raise(*, by: Actor, line: ScoreLine, reason: str) -> Objection:
    """A unit disputes one line of its own or its staff's scorecard, with its reason."""
    card = line.scorecard
    evaluation = card.evaluation
    require(by, "evaluation.raise_objection", center_id=evaluation.center_id, unit_id=card.unit_id)
    reason = _text(reason, field="reason", label=_("Reason"), max_length=MAX_NOTE, required=True)
    _open_evaluation(evaluation.center, evaluation.month)
    if line.objections.filter(status=ObjectionStatus.PENDING).exists():
        raise DomainError(_("This line already has an objection waiting for the office."))
    objection = Objection.objects.create(
        line=line, center_id=evaluation.center_id, unit_id=card.unit_id, reason=reason,
        raised_by=by, raised_at=timezone.now(), points_before=line.points,
    )  # fmt: skip
    audit_record(
        by=by, action="evaluation.objection_raise", obj=objection,
        center_id=evaluation.center_id,
        after={"line": line.pk, "card": card.name, "code": line.code, "ref": line.ref,
               "points": line.points, "reason": reason},
    )  # fmt: skip
    return objection


@transaction.atomic
def objection_decide(
    *,
    by: Actor,
    objection: Objection,
    accept: bool,
    note: str = "",
    points: Any = None,
) -> Objection:
    """The office rules on an objection. Accepted: the line is removed (0 points) or set to
    `points`, and the month's scores and ranks follow; rejected: a note says why."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    line = objection.line
    card = line.scorecard
    evaluation = card.evaluation
    require(by, "evaluation.decide_objection", center_id=evaluation.center_id)
    if objection.status != ObjectionStatus.PENDING:
        raise DomainError(_("This objection has already been decided."))
    _open_evaluation(evaluation.center, evaluation.month)
    note = _text(
        note, field="decision_note", label=_("Decision"), max_length=MAX_NOTE, required=not accept
    )
    before = {"line_points": line.points, "card_total": card.total, "status": objection.status}
    if accept:
        new_points = (
            ZERO
            if points is None or str(points).strip() == ""
            else _decimal(
                points, field="points", low=Decimal(-110), high=Decimal(110), places="0.01"
            )  # fmt: skip
        )
        line.points, line.overridden = new_points, True
        line.save(update_fields=["points", "overridden"])
        objection.points_after = new_points
        objection.status = ObjectionStatus.ACCEPTED
    else:
        objection.status = ObjectionStatus.REJECTED
    objection.decision_note = note
    objection.decided_by, objection.decided_at = by, timezone.now()
    objection.save()
    if accept:
        _rescore(evaluation)
        card.refresh_from_db()
    audit_record(
        by=by, action="evaluation.objection_decide", obj=objection,
        center_id=evaluation.center_id, before=before,
        after={"line_points": line.points, "card_total": card.total, "status": objection.status,
               "note": note},
    )  # fmt: skip
    return objection


# --- awards -----------------------------------------------------------------------------------


def _check_selection(
    evaluation: MonthEvaluation,
    kind: str,
    chosen: Sequence[Any],
    count: int,
    field: str,
) -> list[Scorecard]:
    """The scorecards of the chosen units or people, in the office's order."""
    if len(chosen) > count:
        raise DomainError(_("At most {n} may be awarded this month.").format(n=count), field=field)
    ids = [c.pk for c in chosen]
    if len(set(ids)) != len(ids):
        raise DomainError(_("The same one is chosen twice."), field=field)
    cards = evaluation.scorecards.filter(kind=kind)
    if kind == ScoreKind.UNIT:
        by_id = {c.unit_id: c for c in cards.filter(unit_id__in=ids)}
    else:
        by_id = {c.staff_id: c for c in cards.filter(staff_id__in=ids)}
    for item in chosen:
        if item.pk not in by_id:
            raise DomainError(
                _("{name} has no score this month and cannot be awarded.").format(
                    name=getattr(item, "name", item)
                ),
                field=field,
            )
    return [by_id[i] for i in ids]


@transaction.atomic
def awards_confirm(
    *,
    by: Actor,
    evaluation: MonthEvaluation,
    units: Sequence[Unit],
    chiefs: Sequence[Staff],
    staff: Sequence[Staff],
    reason: str = "",
) -> MonthEvaluation:
    """The office confirms the month's 红旗窗口, 星级首席 and 服务标兵, in the order given.

    Departing from the ranked proposal (other names, or fewer) needs a reason; no objection
    may be waiting. Confirmed scores are frozen until the month is reopened."""
    evaluation = MonthEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    require(by, "evaluation.confirm_awards", center_id=evaluation.center_id)
    if evaluation.is_confirmed:
        raise DomainError(_("The awards of this month are already confirmed."))
    if selectors.pending_objections(evaluation):
        raise DomainError(_("Rule on the waiting objections before confirming the awards."))
    rules = selectors.evaluation_rules(evaluation)
    proposal = selectors.proposal(evaluation)
    chosen = {
        ScoreKind.UNIT: _check_selection(
            evaluation, ScoreKind.UNIT, units, rules.award_count(AwardKind.RED_FLAG), "units"
        ),
        ScoreKind.CHIEF: _check_selection(
            evaluation, ScoreKind.CHIEF, chiefs, rules.award_count(AwardKind.STAR_CHIEF), "chiefs"
        ),
        ScoreKind.STAFF: _check_selection(
            evaluation, ScoreKind.STAFF, staff, rules.award_count(AwardKind.MODEL_STAFF), "staff"
        ),
    }
    departs = any(
        {c.pk for c in chosen[kind]} != {c.pk for c in proposal[kind]} for kind in ScoreKind
    )
    reason = _text(reason, field="reason", label=_("Reason"), max_length=MAX_NOTE, required=departs)
    awards = []
    for kind, cards in chosen.items():
        proposed = {c.pk for c in proposal[kind]}
        for position, card in enumerate(cards, start=1):
            awards.append(
                Award(
                    evaluation=evaluation,
                    kind=AwardKind.for_score(kind),
                    unit_id=card.unit_id,
                    staff_id=card.staff_id,
                    name=card.name,
                    position=position,
                    proposed=card.pk in proposed,
                )  # fmt: skip
            )
    Award.objects.bulk_create(awards)
    evaluation.status = EvaluationStatus.CONFIRMED
    evaluation.confirmed_at, evaluation.confirmed_by = timezone.now(), by
    evaluation.override_reason = reason
    evaluation.save(update_fields=["status", "confirmed_at", "confirmed_by", "override_reason"])
    audit_record(
        by=by, action="evaluation.awards_confirm", obj=evaluation,
        center_id=evaluation.center_id,
        after={
            "proposal": {k: [c.name for c in v] for k, v in proposal.items()},
            "awarded": {k: [c.name for c in v] for k, v in chosen.items()},
            "reason": reason,
        },
    )  # fmt: skip
    return evaluation


@transaction.atomic
def evaluation_reopen(*, by: Actor, evaluation: MonthEvaluation, reason: str) -> MonthEvaluation:
    """Withdraw the month's confirmed awards (with a reason) so its scores can change again."""
    evaluation = MonthEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    require(by, "evaluation.confirm_awards", center_id=evaluation.center_id)
    if not evaluation.is_confirmed:
        raise DomainError(_("The awards of this month are not confirmed."))
    reason = _text(reason, field="reason", label=_("Reason"), max_length=MAX_NOTE, required=True)
    before = {
        kind: list(evaluation.awards.filter(kind=kind).values_list("name", flat=True))
        for kind in AwardKind
    }
    evaluation.awards.all().delete()
    evaluation.status = EvaluationStatus.COMPUTED
    evaluation.confirmed_at = evaluation.confirmed_by = None
    evaluation.override_reason = ""
    evaluation.save(update_fields=["status", "confirmed_at", "confirmed_by", "override_reason"])
    audit_record(
        by=by, action="evaluation.reopen", obj=evaluation, center_id=evaluation.center_id,
        before={"awards": before}, after={"reason": reason},
    )  # fmt: skip
    return evaluation
