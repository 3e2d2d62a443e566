"""The month's case counts (DESIGN.md §5) come from one rule in cases.selectors, which the
electronic supervision's month report, the scoring and the bulletin all read: checked here
against a hand count over random cases around the hall's local month boundaries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govhall.cases.choices import CaseStatus
from govhall.cases.models import Case
from govhall.cases.selectors import month_staff_counts, month_trend, month_unit_counts
from govhall.catalog.choices import HandlingType
from govhall.supervision.selectors import month_unit_stats
from tests.cases.conftest import at
from tests.supervision.conftest import accept

DECEMBER = dt.date(2016, 12, 1)
START, END = at(2016, 12, 1, 0, 0), at(2017, 1, 1, 0, 0)

# Moments on both sides of December's local midnights (07:30 on 12-01 is still 11-30 in UTC).
MOMENTS = st.sampled_from(
    [
        None,
        at(2016, 11, 30, 23, 59, 59),
        at(2016, 12, 1, 0, 0),
        at(2016, 12, 1, 7, 30),
        at(2016, 12, 15, 12, 0),
        at(2016, 12, 31, 23, 59, 59),
        at(2017, 1, 1, 0, 0),
    ]
)


@dataclass(frozen=True)
class Row:
    unit: str  # "x", "y" (center A) or "z" (center B)
    status: str
    accepted_at: dt.datetime | None
    completed_at: dt.datetime | None
    closed_at: dt.datetime | None
    handling_type: str
    by_clerk: bool


ROWS = st.lists(
    st.builds(
        Row,
        unit=st.sampled_from(["x", "y", "z"]),
        status=st.sampled_from(CaseStatus.values),
        accepted_at=MOMENTS,
        completed_at=MOMENTS,
        closed_at=MOMENTS,
        handling_type=st.sampled_from(HandlingType.values),
        by_clerk=st.booleans(),
    ),
    max_size=25,
)


def in_december(moment: dt.datetime | None) -> bool:
    return moment is not None and START <= moment < END


def hand_count(rows: list[Row], unit: str) -> dict[str, int]:
    """DESIGN.md §5 read literally: 不予受理 (and a voided case) is not accepted."""
    mine = [r for r in rows if r.unit == unit]
    completed = [r for r in mine if in_december(r.completed_at)]
    return {
        "accepted": sum(
            1
            for r in mine
            if in_december(r.accepted_at)
            and r.status not in (CaseStatus.REJECTED, CaseStatus.VOIDED)
        ),
        "completed": len(completed),
        "completed_immediate": sum(r.handling_type == HandlingType.IMMEDIATE for r in completed),
        "completed_promised": sum(r.handling_type == HandlingType.PROMISED for r in completed),
        "rejected": sum(
            1 for r in mine if r.status == CaseStatus.REJECTED and in_december(r.closed_at)
        ),
    }


@pytest.fixture
def template(hall: Any, passport: Any) -> Case:
    """One real case, accepted through the services; the random rows are copies of it."""
    return accept(hall.user("clerk_x"), passport, at(2016, 11, 1, 9, 0))


def store(hall: Any, template: Case, rows: list[Row]) -> None:
    units = {"x": hall.x, "y": hall.y, "z": hall.z}
    copies = []
    for index, row in enumerate(rows):
        copy = Case.objects.get(pk=template.pk)
        copy.pk = None
        copy.number = f"T{index:04d}"
        copy.unit = units[row.unit]
        copy.center_id = copy.unit.center_id
        copy.window = None
        copy.status = row.status
        copy.accepted_at = row.accepted_at
        copy.accepted_by = hall.x_clerk if row.by_clerk else None
        copy.completed_at = row.completed_at
        copy.completed_by = hall.x_clerk if row.by_clerk else None
        copy.closed_at = row.closed_at
        copy.handling_type = row.handling_type
        copies.append(copy)
    Case.objects.bulk_create(copies)
    Case.objects.filter(pk=template.pk).delete()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=ROWS)
def test_the_month_counts_agree_with_a_hand_count_of_random_cases(hall, template, rows):
    with transaction.atomic():
        # given random cases of both centers around December's local midnights
        store(hall, template, rows)

        # when the month is counted by unit, by person, for the trend and for supervision
        counts = month_unit_counts(center=hall.a, month=DECEMBER)
        staff = month_staff_counts(center=hall.a, month=DECEMBER)
        (_nov, (trend_accepted, trend_completed), _jan) = month_trend(
            center=hall.a,
            months=[dt.date(2016, 11, 1), DECEMBER, dt.date(2017, 1, 1)],
        )
        stats = {r.unit_id: r for r in month_unit_stats(user=None, center=hall.a, month=DECEMBER)}

        # then every reader says what the hand count says, and center B counts nowhere
        for key, unit in (("x", hall.x), ("y", hall.y)):
            expected = hand_count(rows, key)
            found = counts.get(unit.pk, dict.fromkeys(expected, 0))
            assert found == expected
            row = stats[unit.pk]
            assert (row.accepted, row.completed, row.rejected) == (
                expected["accepted"],
                expected["completed"],
                expected["rejected"],
            )
        assert hall.z.pk not in counts
        in_a = [r for r in rows if r.unit != "z"]
        assert (
            trend_accepted == hand_count(in_a, "x")["accepted"] + hand_count(in_a, "y")["accepted"]
        )
        assert trend_completed == sum(in_december(r.completed_at) for r in in_a)
        by_clerk = [r for r in in_a if r.by_clerk]
        expected_staff = {
            "accepted": sum(hand_count(by_clerk, u)["accepted"] for u in ("x", "y")),
            "completed": sum(in_december(r.completed_at) for r in by_clerk),
        }
        assert staff.get(hall.x_clerk.pk, {"accepted": 0, "completed": 0}) == expected_staff
        transaction.set_rollback(True)


def test_a_refused_or_voided_case_is_not_accepted_though_accepted_in_the_month(hall, template):
    # given three cases accepted in December, one later refused and one voided
    rows = [
        Row("x", status, at(2016, 12, 5, 9, 0), None, at(2016, 12, 6, 9, 0), "promised", True)
        for status in (CaseStatus.ACCEPTED, CaseStatus.REJECTED, CaseStatus.VOIDED)
    ]
    store(hall, template, rows)
    # when
    counts = month_unit_counts(center=hall.a, month=DECEMBER)[hall.x.pk]
    # then only the first is accepted; the refusal is counted as such
    assert (counts["accepted"], counts["rejected"]) == (1, 1)
