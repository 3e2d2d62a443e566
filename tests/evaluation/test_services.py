"""Computing a month: every line of a breakdown matches the records it was built from; the
office's lines, votes and objections change the scores, audited; stored scores stay put."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine

from govhall.core.errors import DomainError, NotAllowed
from govhall.core.models import AuditEntry
from govhall.evaluation import selectors, services
from govhall.evaluation.choices import Grade, LineCode, LineNote, ObjectionStatus, ScoreKind, Source
from govhall.evaluation.models import ScoreLine
from govhall.oversight import services as oversight
from govhall.oversight.choices import ViolationKind
from tests.evaluation.conftest import DEC, NOV, at, card_of, compute, line_of
from tests.factories import StaffFactory

D = Decimal


def test_the_units_breakdown_matches_the_records_of_the_month(hall, december):
    # when
    evaluation = compute(hall)
    x = card_of(evaluation, ScoreKind.UNIT, hall.x)
    # then: one line per input, with the quantity measured and the rule's points
    assert line_of(x, LineCode.ACCEPTED).quantity == 3
    assert line_of(x, LineCode.COMPLETED).quantity == 3
    on_time = line_of(x, LineCode.ON_TIME_RATE)
    assert on_time.quantity == D("66.7")  # 2 of 3 promised cases by their deadline
    assert on_time.points == D("-5.66")  # (95 − 66.7) × −0.2
    assert line_of(x, LineCode.EARLY_RATE).points == D("1.33")  # 66.7 × 0.02
    assert line_of(x, LineCode.OVERDUE).quantity == 1  # the late one, no red card issued
    assert line_of(x, LineCode.OVERDUE).points == D("-5")
    assert line_of(x, LineCode.RED).quantity == 0
    satisfaction = line_of(x, LineCode.SATISFACTION)
    assert satisfaction.quantity == D("50.0")  # one satisfied, one dissatisfied
    assert satisfaction.points == D("-9.00")
    complaint = line_of(x, LineCode.COMPLAINT, f"feedback:{december.complaint.pk}")
    assert complaint.points == D("-3")
    violation = line_of(x, LineCode.VIOLATION, f"inspection:{december.violation.pk}")
    assert (violation.quantity, violation.points) == (D("2"), D("-2"))
    assert "钱办事" in violation.detail
    assert line_of(x, LineCode.INFO_SUBMISSION).points == D("2")
    assert line_of(x, LineCode.PATROL).points == 0
    assert line_of(x, LineCode.GOOD_DEED, f"journal:{december.deed.pk}").points == D("1")
    assert line_of(x, LineCode.VACANCY).quantity == 0
    # and the total is the base plus the lines
    assert x.total == D(100) + sum(x.lines.values_list("points", flat=True))
    assert x.total == D("79.67")
    assert x.grade == Grade.BASIC


def test_the_persons_breakdown_counts_their_own_cases_ratings_violations_and_deeds(hall, december):
    evaluation = compute(hall)
    clerk = card_of(evaluation, ScoreKind.STAFF, hall.x_clerk)
    assert line_of(clerk, LineCode.ACCEPTED).quantity == 3
    assert line_of(clerk, LineCode.VIOLATION, f"inspection:{december.violation.pk}").points == D(
        "-2"
    )
    assert line_of(clerk, LineCode.GOOD_DEED, f"journal:{december.deed.pk}").points == D("2")
    assert clerk.total == D(100) + sum(clerk.lines.values_list("points", flat=True))
    # the chief accepted nothing and did nothing wrong
    chief = card_of(evaluation, ScoreKind.STAFF, hall.x_chief)
    assert line_of(chief, LineCode.ACCEPTED).quantity == 0
    assert line_of(chief, LineCode.VIOLATION).points == 0


def test_a_source_without_records_adds_no_line_and_the_month_says_so(hall, december):
    # given: nobody punched in December (the hall does not use the terminal)
    evaluation = compute(hall)
    # then
    assert {"source": Source.ATTENDANCE, "reason": "no punches"} in evaluation.missing_sources
    clerk = card_of(evaluation, ScoreKind.STAFF, hall.x_clerk)
    assert not clerk.lines.filter(code__in=[LineCode.LATE, LineCode.ABSENT]).exists()


def test_a_unit_without_ratings_is_not_penalised_and_the_line_says_why(hall, december):
    evaluation = compute(hall)
    line = line_of(card_of(evaluation, ScoreKind.UNIT, hall.y), LineCode.SATISFACTION)
    assert (line.points, line.note) == (0, LineNote.NO_RATINGS)


def test_red_flag_votes_default_to_the_units_score_until_entered(hall, december):
    evaluation = compute(hall)
    x = card_of(evaluation, ScoreKind.UNIT, hall.x)
    parts = {p["code"]: p for p in x.award_parts}
    assert parts["duty_vote"]["note"] == LineNote.DEFAULTED
    assert D(parts["duty_vote"]["value"]) == x.total
    # when the office enters the votes
    services.unit_vote_set(
        by=hall.user("office_a"), center=hall.a, month=DEC, unit=hall.x, duty_score="90",
        applicant_score="100",
    )  # fmt: skip
    # then
    x.refresh_from_db()
    parts = {p["code"]: p for p in x.award_parts}
    assert parts["duty_vote"]["note"] == LineNote.NONE
    staff_avg = D(parts["staff"]["value"])
    expected = x.total * D("0.3") + staff_avg * D("0.3") + D(90) * D("0.2") + D(100) * D("0.2")
    assert x.award_score == expected.quantize(D("0.01"))
    assert AuditEntry.objects.filter(action="evaluation.vote_set").count() == 1


def test_a_chiefs_score_blends_their_own_and_the_units(hall, december):
    evaluation = compute(hall)
    chief = card_of(evaluation, ScoreKind.CHIEF, hall.x_chief)
    own = card_of(evaluation, ScoreKind.STAFF, hall.x_chief)
    unit = card_of(evaluation, ScoreKind.UNIT, hall.x)
    assert chief.total == ((own.total + unit.total) / 2).quantize(D("0.01"))
    # unit Y has no chief: no chief card
    assert not evaluation.scorecards.filter(kind=ScoreKind.CHIEF, unit=hall.y).exists()


def test_an_office_penalty_shows_as_its_own_line_with_its_reason(hall, december):
    evaluation = compute(hall)
    y = card_of(evaluation, ScoreKind.UNIT, hall.y)
    before = y.total
    adjustment = services.adjustment_create(
        by=hall.user("office_a"), center=hall.a, month=DEC, unit=hall.y, points="-3",
        reason="未按要求报送AB角名单",
    )  # fmt: skip
    y.refresh_from_db()
    line = line_of(y, LineCode.ADJUSTMENT, f"adjustment:{adjustment.pk}")
    assert (line.points, line.detail) == (D("-3"), "未按要求报送AB角名单")
    assert y.total == before - 3
    # computing again keeps it
    evaluation = compute(hall)
    assert line_of(card_of(evaluation, ScoreKind.UNIT, hall.y), LineCode.ADJUSTMENT, line.ref)


def test_a_penalty_needs_a_reason_and_a_person_of_the_unit(hall, december):
    office = hall.user("office_a")
    with pytest.raises(DomainError) as refused:
        services.adjustment_create(
            by=office, center=hall.a, month=DEC, unit=hall.y, points="-3", reason=" "
        )
    assert refused.value.field == "reason"
    with pytest.raises(DomainError) as refused:
        services.adjustment_create(
            by=office, center=hall.a, month=DEC, unit=hall.y, staff=hall.x_clerk, points="2",
            reason="好人好事",
        )  # fmt: skip
    assert refused.value.field == "staff"


def test_stored_scores_do_not_follow_later_records_until_computed_again(hall, december):
    evaluation = compute(hall)
    y = card_of(evaluation, ScoreKind.UNIT, hall.y)
    # when: a violation of Y is recorded after the month was computed
    with time_machine.travel(at(2016, 12, 28, 10, 0), tick=False):
        oversight.inspection_create(
            by=hall.user("office_a"), center=hall.a, kind=ViolationKind.OFF_POST,
            occurred_at=at(2016, 12, 27, 15, 0), description="脱岗", points="2",
            staff=hall.y_clerk,
        )  # fmt: skip
    # then the stored card is unchanged
    y.refresh_from_db()
    assert not y.lines.filter(code=LineCode.VIOLATION, points__lt=0).exists()
    # and computing again takes it in
    y = card_of(compute(hall), ScoreKind.UNIT, hall.y)
    assert y.lines.filter(code=LineCode.VIOLATION, points=D("-2")).exists()


# --- objections ------------------------------------------------------------------------------


def test_an_accepted_objection_removes_the_line_changes_the_score_and_is_audited(hall, december):
    # given
    evaluation = compute(hall)
    x = card_of(evaluation, ScoreKind.UNIT, hall.x)
    before = x.total
    line = line_of(x, LineCode.VIOLATION, f"inspection:{december.violation.pk}")
    # when: the chief of X objects and the office accepts
    objection = services.objection_raise(
        by=hall.user("chief_x"), line=line, reason="当时在为群众演示出入境视频，并非看电视。"
    )
    services.objection_decide(by=hall.user("office_a"), objection=objection, accept=True)
    # then
    x.refresh_from_db()
    line.refresh_from_db()
    objection.refresh_from_db()
    assert (line.points, line.measured_points, line.overridden) == (0, D("-2"), True)
    assert x.total == before + 2
    assert objection.status == ObjectionStatus.ACCEPTED
    assert objection.points_after == 0
    audit = AuditEntry.objects.get(action="evaluation.objection_decide")
    assert audit.before["card_total"] == str(before)
    assert audit.after["card_total"] == str(x.total)
    assert AuditEntry.objects.filter(action="evaluation.objection_raise").count() == 1


def test_an_accepted_objection_may_adjust_the_points_and_survives_a_recomputation(hall, december):
    evaluation = compute(hall)
    x = card_of(evaluation, ScoreKind.UNIT, hall.x)
    line = line_of(x, LineCode.OVERDUE)
    objection = services.objection_raise(by=hall.user("chief_x"), line=line, reason="已办理延期")
    services.objection_decide(
        by=hall.user("office_a"), objection=objection, accept=True, points="-1",
        note="延期手续补办，酌情扣1分",
    )  # fmt: skip
    x = card_of(compute(hall), ScoreKind.UNIT, hall.x)
    assert line_of(x, LineCode.OVERDUE).points == D("-1")


def test_a_rejected_objection_needs_a_note_and_leaves_the_score(hall, december):
    evaluation = compute(hall)
    x = card_of(evaluation, ScoreKind.UNIT, hall.x)
    line = line_of(x, LineCode.COMPLAINT, f"feedback:{december.complaint.pk}")
    objection = services.objection_raise(by=hall.user("chief_x"), line=line, reason="投诉不实")
    with pytest.raises(DomainError) as refused:
        services.objection_decide(by=hall.user("office_a"), objection=objection, accept=False)
    assert refused.value.field == "decision_note"
    services.objection_decide(
        by=hall.user("office_a"), objection=objection, accept=False, note="经回访，投诉属实"
    )
    x.refresh_from_db()
    assert line_of(x, LineCode.COMPLAINT, line.ref).points == D("-3")


def test_a_unit_objects_only_to_its_own_lines(hall, december):
    evaluation = compute(hall)
    y_line = line_of(card_of(evaluation, ScoreKind.UNIT, hall.y), LineCode.PATROL)
    with pytest.raises(NotAllowed):
        services.objection_raise(by=hall.user("chief_x"), line=y_line, reason="不对")
    x_line = line_of(card_of(evaluation, ScoreKind.UNIT, hall.x), LineCode.PATROL)
    with pytest.raises(NotAllowed):  # a window clerk cannot object for the unit
        services.objection_raise(by=hall.user("clerk_x"), line=x_line, reason="不对")
    with pytest.raises(NotAllowed):  # nor can the office decide for the unit
        services.objection_raise(by=hall.user("office_a"), line=x_line, reason="不对")


def test_only_one_objection_per_line_waits_at_a_time(hall, december):
    line = line_of(card_of(compute(hall), ScoreKind.UNIT, hall.x), LineCode.OVERDUE)
    services.objection_raise(by=hall.user("chief_x"), line=line, reason="已延期")
    with pytest.raises(DomainError):
        services.objection_raise(by=hall.user("chief_x"), line=line, reason="再次提出")


def test_only_the_office_rules_on_objections(hall, december):
    line = line_of(card_of(compute(hall), ScoreKind.UNIT, hall.x), LineCode.OVERDUE)
    objection = services.objection_raise(by=hall.user("chief_x"), line=line, reason="已延期")
    with pytest.raises(NotAllowed):
        services.objection_decide(by=hall.user("chief_x"), objection=objection, accept=True)
    with pytest.raises(NotAllowed):
        services.objection_decide(by=hall.user("office_b"), objection=objection, accept=True)


# --- awards -----------------------------------------------------------------------------------


def test_awards_for_is_empty_until_the_office_confirms(hall, december):
    evaluation = compute(hall)
    assert selectors.awards_for(center=hall.a, month=DEC).confirmed is False
    assert selectors.awards_for(center=hall.a, month=DEC).red_flag_units == ()
    assert selectors.award_sentences(center=hall.a, month=DEC) == []
    # when the office confirms the ranked proposal as it stands (no reason needed)
    proposal = selectors.proposal(evaluation)
    services.awards_confirm(
        by=hall.user("office_a"), evaluation=evaluation,
        units=[c.unit for c in proposal[ScoreKind.UNIT]],
        chiefs=[c.staff for c in proposal[ScoreKind.CHIEF]],
        staff=[c.staff for c in proposal[ScoreKind.STAFF]],
    )  # fmt: skip
    awards = selectors.awards_for(center=hall.a, month="2016-12")
    assert awards.confirmed is True
    assert list(awards.red_flag_units) == [c.name for c in proposal[ScoreKind.UNIT]]
    assert list(awards.model_staff) == [c.name for c in proposal[ScoreKind.STAFF]]
    assert AuditEntry.objects.filter(action="evaluation.awards_confirm").count() == 1


def test_the_proposal_leaves_out_cards_below_pass(hall, december):
    # X scores 79.67 (基本合格): only Y is proposed for 红旗窗口
    proposal = selectors.proposal(compute(hall))
    assert [c.unit for c in proposal[ScoreKind.UNIT]] == [hall.y]


def test_departing_from_the_ranking_needs_a_reason_which_is_kept(hall, december):
    evaluation = compute(hall)
    office = hall.user("office_a")
    choice = {
        "units": [hall.x, hall.y],
        "chiefs": [hall.x_chief],
        "staff": [hall.x_clerk],
    }
    with pytest.raises(DomainError) as refused:
        services.awards_confirm(by=office, evaluation=evaluation, **choice)
    assert refused.value.field == "reason"
    services.awards_confirm(
        by=office, evaluation=evaluation, reason="依据12月份考核及群众评议结果", **choice
    )
    evaluation.refresh_from_db()
    assert evaluation.override_reason == "依据12月份考核及群众评议结果"
    awards = selectors.awards_for(center=hall.a, month=DEC)
    assert awards.red_flag_units == ("公安局", "住建局")  # in the office's order
    assert awards.star_chiefs == ("赵首席",)
    assert awards.model_staff == ("钱办事",)
    assert selectors.award_sentences(center=hall.a, month=DEC)[0] == (
        "(一)评为12月份“红旗窗口”的窗口单位:公安局、住建局。"
    )


def test_the_number_of_awards_follows_the_months_rules(hall, december):
    # given: from December on, one 红旗窗口 a month
    services.scoring_rules_save(
        by=hall.user("office_a"), center=hall.a, effective_from=DEC,
        params={"awards": {"red_flag": "1"}},
    )  # fmt: skip
    evaluation = compute(hall)
    assert len(selectors.proposal(evaluation)[ScoreKind.UNIT]) == 1
    with pytest.raises(DomainError) as refused:
        services.awards_confirm(
            by=hall.user("office_a"), evaluation=evaluation, units=[hall.x, hall.y], chiefs=[],
            staff=[], reason="两个单位表现都好",
        )  # fmt: skip
    assert refused.value.field == "units"


def test_a_chief_award_goes_only_to_a_chief(hall, december):
    evaluation = compute(hall)
    with pytest.raises(DomainError) as refused:
        services.awards_confirm(
            by=hall.user("office_a"), evaluation=evaluation, units=[], chiefs=[hall.x_clerk],
            staff=[], reason="破格",
        )  # fmt: skip
    assert refused.value.field == "chiefs"


def test_a_window_clerk_cannot_confirm_awards(hall, december):
    evaluation = compute(hall)
    with pytest.raises(NotAllowed):
        services.awards_confirm(
            by=hall.user("clerk_x"), evaluation=evaluation, units=[], chiefs=[], staff=[],
            reason="x",
        )  # fmt: skip


def test_waiting_objections_hold_back_the_confirmation(hall, december):
    evaluation = compute(hall)
    line = line_of(card_of(evaluation, ScoreKind.UNIT, hall.x), LineCode.OVERDUE)
    services.objection_raise(by=hall.user("chief_x"), line=line, reason="已延期")
    proposal = selectors.proposal(evaluation)
    with pytest.raises(DomainError):
        services.awards_confirm(
            by=hall.user("office_a"), evaluation=evaluation,
            units=[c.unit for c in proposal[ScoreKind.UNIT]], chiefs=[], staff=[], reason="x",
        )  # fmt: skip


def test_a_confirmed_month_is_frozen_until_reopened(hall, december):
    evaluation = compute(hall)
    office = hall.user("office_a")
    services.awards_confirm(
        by=office, evaluation=evaluation, units=[hall.y], chiefs=[], staff=[], reason="仅住建局"
    )
    line = line_of(card_of(evaluation, ScoreKind.UNIT, hall.x), LineCode.OVERDUE)
    with pytest.raises(DomainError):
        compute(hall)
    with pytest.raises(DomainError):
        services.objection_raise(by=hall.user("chief_x"), line=line, reason="已延期")
    with pytest.raises(DomainError):
        services.unit_vote_set(by=office, center=hall.a, month=DEC, unit=hall.x, duty_score=90)
    # when reopened (with a reason), the awards are withdrawn and the month can change again
    with pytest.raises(DomainError):
        services.evaluation_reopen(by=office, evaluation=evaluation, reason="")
    services.evaluation_reopen(by=office, evaluation=evaluation, reason="住建局成绩有误")
    assert selectors.awards_for(center=hall.a, month=DEC).confirmed is False
    compute(hall)
    assert AuditEntry.objects.filter(action="evaluation.reopen").count() == 1


# --- rules, months, the year ----------------------------------------------------------------------


def test_a_month_is_scored_with_the_rules_in_force_then(hall, december):
    services.scoring_rules_save(
        by=hall.user("office_a"), center=hall.a, effective_from=DEC,
        params={"unit": {"info_submission": "5"}}, note="鼓励信息报送",
    )  # fmt: skip
    december_card = card_of(compute(hall), ScoreKind.UNIT, hall.x)
    assert line_of(december_card, LineCode.INFO_SUBMISSION).points == D("5")
    november = compute(hall, NOV)
    assert november.rules is None
    assert november.params["unit"]["info_submission"] == "2"


def test_bad_rules_are_refused_naming_the_parameter(hall):
    with pytest.raises(DomainError) as refused:
        services.scoring_rules_save(
            by=hall.user("office_a"), center=hall.a, effective_from=DEC,
            params={"red_flag": {"unit": "0.5"}},
        )  # fmt: skip
    assert refused.value.field == "red_flag"
    with pytest.raises(NotAllowed):
        services.scoring_rules_save(
            by=hall.user("chief_x"), center=hall.a, effective_from=DEC, params={}
        )


def test_a_month_not_yet_begun_cannot_be_computed(hall):
    with time_machine.travel(at(2016, 12, 20, 10, 0), tick=False), pytest.raises(DomainError):
        compute(hall, month=DEC.replace(year=2017, month=1))


def test_only_the_office_computes(hall):
    with pytest.raises(NotAllowed):
        compute(hall, persona="chief_x")
    with pytest.raises(NotAllowed):
        services.evaluation_compute(by=hall.user("office_b"), center=hall.a, month=DEC)


def test_the_annual_roll_up_lists_each_months_score_their_average_and_awards(hall, december):
    # given: November and December computed, December's awards confirmed
    november = compute(hall, NOV)
    december_ = compute(hall)
    services.awards_confirm(
        by=hall.user("office_a"), evaluation=december_, units=[hall.y], chiefs=[hall.x_chief],
        staff=[hall.x_clerk, hall.y_clerk], reason="年终评议",
    )  # fmt: skip
    # when
    units = selectors.annual_rollup(
        user=hall.user("office_a"), center=hall.a, year=2016, kind=ScoreKind.UNIT
    )
    staff = selectors.annual_rollup(
        user=hall.user("office_a"), center=hall.a, year=2016, kind=ScoreKind.STAFF
    )
    # then
    by_name = {r.name: r for r in units}
    x_nov = card_of(november, ScoreKind.UNIT, hall.x).award_score
    x_dec = card_of(december_, ScoreKind.UNIT, hall.x).award_score
    assert by_name["公安局"].months == {11: x_nov, 12: x_dec}
    assert by_name["公安局"].average == ((x_nov + x_dec) / 2).quantize(D("0.01"))
    assert (by_name["公安局"].awards, by_name["住建局"].awards) == (0, 1)
    assert by_name["公安局"].month_cells()[10:] == [x_nov, x_dec]
    assert {r.name: r.awards for r in staff}["钱办事"] == 1
    # a unit role sees only its own unit's rows
    own = selectors.annual_rollup(
        user=hall.user("chief_x"), center=hall.a, year=2016, kind=ScoreKind.UNIT
    )
    assert [r.name for r in own] == ["公安局"]


def test_a_person_who_left_keeps_a_card_that_was_objected_to(hall, december):
    extra = StaffFactory(window=hall.x_window, name="临时工")
    evaluation = compute(hall)
    line = line_of(card_of(evaluation, ScoreKind.STAFF, extra), LineCode.ACCEPTED)
    services.objection_raise(by=hall.user("chief_x"), line=line, reason="应计入")
    extra.is_active = False
    extra.save()
    evaluation = compute(hall)
    assert evaluation.scorecards.filter(staff=extra).exists()
    assert ScoreLine.objects.filter(pk=line.pk).exists()
