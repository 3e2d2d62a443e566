"""Pure catalog rules: the eight parts and the limits."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from govhall.catalog.choices import Part
from govhall.catalog.rules import PartCounts, limit_problems, missing_parts

FULL = PartCounts(True, False, "free", False, 1, 0, 1, 1, 1, 1)


def test_a_full_version_misses_nothing():
    assert missing_parts(FULL) == []


def test_an_empty_version_misses_all_eight_parts_in_the_bulletins_order():
    empty = PartCounts(False, False, "", False, 0, 0, 0, 0, 0, 0)
    assert missing_parts(empty) == list(Part)


def test_free_of_charge_and_no_forms_are_answers_but_charged_without_lines_is_not():
    assert Part.FORMS not in missing_parts(PartCounts(True, False, "free", True, 1, 0, 0, 1, 1, 1))
    assert Part.FEES in missing_parts(PartCounts(True, False, "charged", False, 1, 0, 1, 1, 1, 1))


def test_an_uploaded_flowchart_stands_in_for_the_drawn_one():
    no_steps = PartCounts(True, True, "free", False, 1, 0, 1, 0, 1, 1)
    assert missing_parts(no_steps) == [Part.STEPS]


def D(x) -> Decimal:  # noqa: N802
    return Decimal(str(x))


def test_limits_are_whole_or_half_days_and_promised_within_legal():
    assert (
        limit_problems(
            handling_type="promised", legal_days=D(20), promised_days=D(0.5), step_days=[D(0.5)]
        )
        == []
    )
    assert ("promised_days", "half_days") in limit_problems(
        handling_type="promised", legal_days=D(20), promised_days=D(0.3), step_days=[]
    )
    assert ("promised_days", "over_legal") in limit_problems(
        handling_type="promised", legal_days=D(5), promised_days=D(7), step_days=[]
    )


def test_an_immediate_item_is_promised_nothing_and_a_promised_one_something():
    assert ("promised_days", "immediate_not_zero") in limit_problems(
        handling_type="immediate", legal_days=D(5), promised_days=D(1), step_days=[]
    )
    assert ("promised_days", "promised_zero") in limit_problems(
        handling_type="promised", legal_days=D(5), promised_days=D(0), step_days=[]
    )


halves = st.integers(min_value=0, max_value=60).map(lambda n: Decimal(n) / 2)


@given(legal=halves, promised=halves, steps=st.lists(halves, max_size=6))
def test_steps_fit_the_promised_limit_exactly_when_their_sum_does(legal, promised, steps):
    problems = limit_problems(
        handling_type="promised", legal_days=legal, promised_days=promised, step_days=steps
    )
    assert (("steps", "steps_over_promised") in problems) == (sum(steps) > promised)
    assert (("promised_days", "over_legal") in problems) == (promised > legal)
