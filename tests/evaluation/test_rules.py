"""The scoring formulas (rules.py): totals stay within [0, maximum], deductions never raise a
score, weights add up to 1, grades, votes standing in, and the rules document's checks."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govhall.evaluation import rules
from govhall.evaluation.choices import Grade, LineCode, LineNote
from govhall.evaluation.rules import (
    DEFAULT_RULES,
    Event,
    Line,
    Ranked,
    RuleError,
    StaffInputs,
    UnitInputs,
    parse_rules,
)

D = Decimal
points = st.decimals(min_value=-200, max_value=200, places=2, allow_nan=False, allow_infinity=False)
counts = st.integers(min_value=0, max_value=500)
rates = st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=1))
scores = st.decimals(min_value=0, max_value=110, places=2)


def lines_of(values):
    return [Line(LineCode.ADJUSTMENT, v) for v in values]


def event_lists():
    return st.lists(st.decimals(min_value=0, max_value=20, places=1), max_size=5).map(
        lambda qs: [Event(f"r:{i}", "", q) for i, q in enumerate(qs)]
    )


unit_inputs = st.builds(
    UnitInputs,
    accepted=counts, completed=counts, on_time_rate=rates, early_rate=rates, overdue=counts,
    yellow=counts, red=counts, satisfaction_rate=rates, complaints=event_lists(),
    violations=event_lists(), vacancies=counts, info_submitted=st.booleans(),
    patrol_signed=st.booleans(), good_deeds=event_lists(),
)  # fmt: skip
staff_inputs = st.builds(
    StaffInputs,
    accepted=counts, completed=counts, yellow=counts, red=counts, satisfaction_rate=rates,
    late=counts, left_early=counts, absent=counts,
    leave_days=st.decimals(min_value=0, max_value=23, places=1), violations=event_lists(),
    good_deeds=event_lists(),
)  # fmt: skip


# --- properties ------------------------------------------------------------------------------


@given(st.lists(points, max_size=30))
def test_a_score_stays_between_0_and_the_maximum(values):
    total = rules.score(lines_of(values), DEFAULT_RULES)
    assert D(0) <= total <= D(110)


@given(st.lists(points, max_size=30), st.decimals(min_value=0, max_value=200, places=2))
def test_adding_a_deduction_never_raises_a_score(values, deduction):
    before = rules.score(lines_of(values), DEFAULT_RULES)
    after = rules.score(lines_of([*values, -deduction]), DEFAULT_RULES)
    assert after <= before


@given(unit_inputs, st.integers(min_value=1, max_value=20))
def test_more_red_cards_never_raise_a_units_score(inputs, more):
    before = rules.score(rules.unit_lines(inputs, DEFAULT_RULES), DEFAULT_RULES)
    inputs.red += more
    after = rules.score(rules.unit_lines(inputs, DEFAULT_RULES), DEFAULT_RULES)
    assert after <= before


@given(staff_inputs, st.integers(min_value=1, max_value=20))
def test_more_late_arrivals_never_raise_a_persons_score(inputs, more):
    before = rules.score(rules.staff_lines(inputs, DEFAULT_RULES), DEFAULT_RULES)
    inputs.late += more
    after = rules.score(rules.staff_lines(inputs, DEFAULT_RULES), DEFAULT_RULES)
    assert after <= before


@given(unit_inputs)
def test_every_unit_scorecard_lies_within_the_scale(inputs):
    total = rules.score(rules.unit_lines(inputs, DEFAULT_RULES), DEFAULT_RULES)
    assert D(0) <= total <= D(110)


@given(st.lists(st.integers(min_value=0, max_value=100), min_size=4, max_size=4))
def test_weights_that_do_not_add_up_to_1_are_refused_and_those_that_do_are_kept(cents):
    weights = [D(c) / 100 for c in cents]
    doc = {
        "red_flag": dict(
            zip(["unit", "staff", "duty_vote", "applicant_vote"], map(str, weights), strict=True)
        )
    }
    if sum(weights) == 1:
        checked = parse_rules(doc)
        assert sum(checked.group("red_flag").values()) == 1
    else:
        with pytest.raises(RuleError) as refused:
            parse_rules(doc)
        assert refused.value.key == "red_flag"


def test_the_default_weights_add_up_to_1():
    assert sum(DEFAULT_RULES.group("red_flag").values()) == 1
    assert sum(DEFAULT_RULES.group("chief").values()) == 1


@settings(max_examples=200)
@given(scores, scores, st.one_of(st.none(), scores), st.one_of(st.none(), scores))
def test_a_red_flag_score_lies_between_its_parts(unit, staff, duty, applicant):
    parts = rules.red_flag_parts(
        unit_score=unit, staff_scores=[staff], duty_vote=duty, applicant_vote=applicant,
        rules=DEFAULT_RULES,
    )  # fmt: skip
    values = [p.value for p in parts]
    assert min(values) - D("0.01") <= rules.blend(parts) <= max(values) + D("0.01")


# --- examples -----------------------------------------------------------------------------------


def test_the_default_card_starts_at_100_and_tops_out_at_110():
    assert rules.score([], DEFAULT_RULES) == D(100)
    assert rules.score(lines_of([D(30)]), DEFAULT_RULES) == D(110)
    assert rules.score(lines_of([D(-130)]), DEFAULT_RULES) == D(0)


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        (D("110"), Grade.PASS),
        (D("80"), Grade.PASS),
        (D("79.99"), Grade.BASIC),
        (D("60"), Grade.BASIC),
        (D("59.99"), Grade.FAIL),
        (D("0"), Grade.FAIL),
    ],
)
def test_grades_are_pass_from_80_basic_from_60_and_fail_below(total, grade):
    assert rules.grade(total, DEFAULT_RULES) == grade


def test_the_default_unit_deductions_follow_the_common_shape():
    inputs = UnitInputs(
        accepted=10, completed=8, on_time_rate=D("90"), early_rate=D("50"), overdue=1, yellow=2,
        red=1, satisfaction_rate=None, complaints=[], violations=[Event("inspection:1", "", D(2))],
        vacancies=1, info_submitted=True, patrol_signed=False, good_deeds=[Event("journal:1", "")],
    )  # fmt: skip
    by_code = {
        (line.code, line.ref): line.points for line in rules.unit_lines(inputs, DEFAULT_RULES)
    }
    assert by_code[(LineCode.ACCEPTED, "")] == 0
    assert by_code[(LineCode.ON_TIME_RATE, "")] == D("-1.00")  # 5 points below 95 at −0.2
    assert by_code[(LineCode.EARLY_RATE, "")] == D("1.00")  # 50 points at +0.02
    assert by_code[(LineCode.OVERDUE, "")] == D("-5")
    assert by_code[(LineCode.YELLOW, "")] == D("-4")
    assert by_code[(LineCode.RED, "")] == D("-5")
    assert by_code[(LineCode.SATISFACTION, "")] == 0
    assert by_code[(LineCode.COMPLAINT, "")] == 0
    assert by_code[(LineCode.VIOLATION, "inspection:1")] == D("-2")
    assert by_code[(LineCode.VACANCY, "")] == D("-2")
    assert by_code[(LineCode.INFO_SUBMISSION, "")] == D("2")
    assert by_code[(LineCode.PATROL, "")] == 0
    assert by_code[(LineCode.GOOD_DEED, "journal:1")] == D("1")


def test_a_rate_without_data_carries_no_points_and_says_why():
    line = rules.below_floor(LineCode.SATISFACTION, None, D(95), D("-0.2"), LineNote.NO_RATINGS)
    assert line.points == 0
    assert line.note == LineNote.NO_RATINGS


def test_leave_counts_only_beyond_the_allowance():
    lines = rules.staff_lines(StaffInputs(leave_days=D("5")), DEFAULT_RULES)
    leave = next(line for line in lines if line.code == LineCode.LEAVE)
    assert leave.quantity == D(2)
    assert leave.points == D("-1.00")
    within = rules.staff_lines(StaffInputs(leave_days=D("3")), DEFAULT_RULES)
    assert next(line for line in within if line.code == LineCode.LEAVE).points == 0


def test_a_source_not_available_adds_no_line():
    lines = rules.staff_lines(StaffInputs(accepted=3, completed=2), DEFAULT_RULES)
    assert {line.code for line in lines} == {
        LineCode.ACCEPTED,
        LineCode.COMPLETED,
        LineCode.SATISFACTION,
    }


def test_missing_votes_take_the_units_score_and_say_so():
    parts = rules.red_flag_parts(
        unit_score=D(90), staff_scores=[D(100), D(96)], duty_vote=None, applicant_vote=D(80),
        rules=DEFAULT_RULES,
    )  # fmt: skip
    by_code = {p.code: p for p in parts}
    assert by_code["staff"].value == D(98)
    assert by_code["duty_vote"].value == D(90)
    assert by_code["duty_vote"].note == LineNote.DEFAULTED
    assert by_code["applicant_vote"].note == LineNote.NONE
    # 0.3 × 90 + 0.3 × 98 + 0.2 × 90 + 0.2 × 80
    assert rules.blend(parts) == D("90.40")


def test_equal_scores_share_a_rank_and_the_proposal_skips_cards_below_pass():
    items = [
        Ranked("a", D(95), (1,)),
        Ranked("b", D(99), (2,)),
        Ranked("c", D(95), (0,)),
        Ranked("d", D(100), (3,), eligible=False),
    ]
    assert [(i.key, r) for i, r in rules.ranks(items)] == [("d", 1), ("b", 2), ("c", 3), ("a", 3)]
    assert rules.propose(items, 2) == ["b", "c"]


@pytest.mark.parametrize(
    ("doc", "key"),
    [
        ({"unit": {"red": "5"}}, "unit.red"),  # a deduction must not add points
        ({"staff": {"good_deed": "-1"}}, "staff.good_deed"),  # nor a bonus subtract them
        ({"unit": {"bogus": "1"}}, "unit.bogus"),
        ({"bogus": {}}, "bogus"),
        ({"awards": {"red_flag": "2.5"}}, "awards.red_flag"),
        ({"scale": {"maximum": "90"}}, "scale.maximum"),
        ({"scale": {"pass_mark": "50"}}, "scale.pass_mark"),
        ({"unit": {"red": "many"}}, "unit.red"),
    ],
)
def test_bad_rules_are_refused_naming_the_parameter(doc, key):
    with pytest.raises(RuleError) as refused:
        parse_rules(doc)
    assert refused.value.key == key


def test_a_saved_document_reads_back_the_same():
    doc = parse_rules({"awards": {"model_staff": "8"}, "unit": {"red": "-4.5"}}).as_json()
    again = parse_rules(doc)
    assert again["awards.model_staff"] == 8
    assert again["unit.red"] == D("-4.5")
    assert again.as_json() == doc
