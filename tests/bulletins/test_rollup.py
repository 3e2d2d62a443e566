"""The day counters (bulletins/rollup.py): a closed month read from them gives every figure the
records give, on random cases, consultations, ratings and cards around the hall's local
midnights; a write touching a rolled day sends the month back to the records until the next
roll-up; the region selector agrees with the records too."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govhall.bulletins import rollup
from govhall.bulletins.figures import figures
from govhall.bulletins.models import DayCount, RollupState
from govhall.bulletins.selectors import centers_month_counts
from govhall.cases.choices import CaseStatus
from govhall.cases.models import Case, Consultation
from govhall.catalog.choices import HandlingType
from govhall.feedback.choices import RatingChannel, RatingLevel, RatingReview
from govhall.feedback.models import Rating
from govhall.supervision.choices import WarningLevel, WarningStatus
from govhall.supervision.models import Warning
from tests.cases.conftest import at
from tests.supervision.conftest import accept

MONTHS = [dt.date(2016, 10, 1), dt.date(2016, 11, 1), dt.date(2016, 12, 1), dt.date(2017, 1, 1)]
NOW = at(2017, 2, 10, 9, 0)  # every month above is closed
YESTERDAY = dt.date(2017, 2, 9)

# Moments on both sides of the months' local midnights (07:30 local is the day before in UTC).
MOMENTS = st.sampled_from(
    [
        at(2016, 10, 31, 23, 59, 59),
        at(2016, 11, 1, 0, 0),
        at(2016, 11, 15, 7, 30),
        at(2016, 11, 30, 23, 59, 59),
        at(2016, 12, 1, 0, 0),
        at(2016, 12, 1, 7, 30),
        at(2016, 12, 15, 12, 0),
        at(2016, 12, 31, 23, 59, 59),
        at(2017, 1, 1, 0, 0),
        at(2017, 1, 20, 16, 0),
    ]
)


@dataclass(frozen=True)
class CaseRow:
    unit: str  # "x", "y" (center A) or "z" (center B)
    status: str
    accepted_at: dt.datetime | None
    done_at: dt.datetime | None  # completion (completed) or closing (other closed statuses)
    due_at: dt.datetime | None
    handling_type: str
    rated: int | None  # a rating level, or None
    rating_invalid: bool
    card: str | None  # a card's level, or None
    card_on: dt.datetime
    card_cancelled: bool


@dataclass(frozen=True)
class ConsultationRow:
    unit: str
    at: dt.datetime
    person_times: int
    rated: int | None


CASES = st.lists(
    st.builds(
        CaseRow,
        unit=st.sampled_from(["x", "y", "z"]),
        status=st.sampled_from(CaseStatus.values),
        accepted_at=st.none() | MOMENTS,
        done_at=MOMENTS,
        due_at=st.none() | MOMENTS,
        handling_type=st.sampled_from(HandlingType.values),
        rated=st.none() | st.sampled_from(RatingLevel.values),
        rating_invalid=st.booleans(),
        card=st.none() | st.sampled_from(WarningLevel.values),
        card_on=MOMENTS,
        card_cancelled=st.booleans(),
    ),
    max_size=20,
)
CONSULTATIONS = st.lists(
    st.builds(
        ConsultationRow,
        unit=st.sampled_from(["x", "y", "z"]),
        at=MOMENTS,
        person_times=st.integers(1, 3),
        rated=st.none() | st.sampled_from(RatingLevel.values),
    ),
    max_size=8,
)


@pytest.fixture
def template(hall: Any, passport: Any) -> Case:
    """One real case, accepted through the services; the random rows are copies of it."""
    return accept(hall.user("clerk_x"), passport, at(2016, 9, 1, 9, 0))


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(at(2016, 1, 1).tzinfo).date()


def store(hall: Any, template: Case, cases: list[CaseRow], asks: list[ConsultationRow]) -> None:
    """The rows as records, as the services would leave them: a completed case closes when it
    is completed, an open one is not closed."""
    units = {"x": hall.x, "y": hall.y, "z": hall.z}
    for index, row in enumerate(cases):
        case = Case.objects.get(pk=template.pk)
        case.pk = None
        case.number = f"T{index:04d}"
        case.unit = units[row.unit]
        case.center_id = case.unit.center_id
        case.window = None
        case.status = row.status
        case.handling_type = row.handling_type
        case.accepted_at = row.accepted_at
        case.completed_at = row.done_at if row.status == CaseStatus.COMPLETED else None
        case.closed_at = row.done_at if row.status in CaseStatus.closed() else None
        case.due_at = row.due_at
        case.due_date = local_day(row.due_at) if row.due_at else None
        case.save()
        if row.rated is not None:
            rate(case.center_id, case.unit, row.rated, row.done_at, row.rating_invalid, case=case)
        if row.card is not None:
            Warning.objects.create(
                center_id=case.center_id,
                unit=case.unit,
                case=case,
                level=row.card,
                issued_on=local_day(row.card_on),
                deadline=local_day(row.card_on),
                issued_at=row.card_on,
                status=WarningStatus.CANCELLED if row.card_cancelled else WarningStatus.ISSUED,
            )
    for row in asks:
        unit = units[row.unit]
        asked = Consultation.objects.create(
            center_id=unit.center_id, unit=unit, at=row.at, person_times=row.person_times
        )
        if row.rated is not None:
            rate(unit.center_id, unit, row.rated, row.at, False, consultation=asked)
    Case.objects.filter(pk=template.pk).delete()


def rate(
    center_id: int, unit: Any, level: int, when: dt.datetime, invalid: bool, **of: Any
) -> None:
    Rating.objects.create(
        center_id=center_id,
        unit=unit,
        level=level,
        channel=RatingChannel.values[0],
        rated_at=when,
        review=RatingReview.INVALID if invalid else RatingReview.NONE,
        review_note="恶意差评" if invalid else "",
        **of,
    )


def assert_counters_read_as_the_records(hall: Any) -> None:
    for month in MONTHS:
        assert rollup.month_counts(hall.a, month) is not None  # read from the counters
        assert figures(hall.a, month) == figures(hall.a, month, live=True)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    cases=CASES,
    asks=CONSULTATIONS,
    split=st.sampled_from([None, dt.date(2016, 11, 30), dt.date(2016, 12, 15)]),
)
def test_a_month_read_from_the_day_counters_equals_the_live_figures(
    hall, template, cases, asks, split
):
    with time_machine.travel(NOW, tick=False), transaction.atomic():
        # given random records of both centers around the months' local midnights
        store(hall, template, cases, asks)

        # when the counters are rolled in one go, or up to a day and later the rest
        if split is not None:
            rollup.rollup_through(center=hall.a, through=split)
        rollup.rollup_through(center=hall.a, through=YESTERDAY)

        # then every figure of every closed month is the live computation's
        assert_counters_read_as_the_records(hall)
        # and the region's selector says what the records say
        for month in MONTHS:
            (counted,) = centers_month_counts([hall.a.pk], month).values()
            RollupState.objects.filter(center=hall.a).update(rolled_through=None)
            (live,) = centers_month_counts([hall.a.pk], month).values()
            RollupState.objects.filter(center=hall.a).update(rolled_through=YESTERDAY)
            assert counted.from_counters
            assert not live.from_counters
            assert counted == type(live)(**{**live.__dict__, "from_counters": True})
        transaction.set_rollback(True)


def test_a_correction_of_a_rolled_day_sends_the_month_back_to_the_records(hall, template):
    with time_machine.travel(NOW, tick=False):
        # given December rolled, with one case accepted on 12-15
        store(hall, template, [row(accepted_at=at(2016, 12, 15, 12, 0))], [])
        rollup.rollup_through(center=hall.a, through=YESTERDAY)
        assert figures(hall.a, MONTHS[2]).cases.accepted == 1

        # when the case is voided (entered in error) today
        case = Case.objects.get(number="T0000")
        case.status = CaseStatus.VOIDED
        case.closed_at = NOW
        case.save()

        # then December is counted from the records until the next roll-up, which agrees
        assert rollup.month_counts(hall.a, MONTHS[2]) is None
        assert figures(hall.a, MONTHS[2]).cases.accepted == 0
        call_command("rollup", "--center", hall.a.name, stdout=None)
        assert rollup.month_counts(hall.a, MONTHS[2]) is not None
        assert figures(hall.a, MONTHS[2]).cases.accepted == 0
        assert_counters_read_as_the_records(hall)


def test_a_write_of_today_leaves_the_counters_standing(hall, template):
    with time_machine.travel(NOW, tick=False):
        # given the counters rolled up to yesterday
        store(hall, template, [row(accepted_at=at(2016, 12, 15, 12, 0))], [])
        rollup.rollup_through(center=hall.a, through=YESTERDAY)
        # when a case accepted in December is completed today
        case = Case.objects.get(number="T0000")
        case.status, case.completed_at, case.closed_at = CaseStatus.COMPLETED, NOW, NOW
        case.save()
        # then the closed months still read from the counters
        assert RollupState.objects.get(center=hall.a).rolled_through == YESTERDAY


def test_the_current_month_is_counted_from_the_records(hall, template):
    with time_machine.travel(NOW, tick=False):
        store(hall, template, [row(accepted_at=at(2017, 2, 3, 9, 0))], [])
        rollup.rollup_through(center=hall.a, through=YESTERDAY)
        assert DayCount.objects.filter(center=hall.a, day=dt.date(2017, 2, 3)).exists()
        assert rollup.month_counts(hall.a, dt.date(2017, 2, 1)) is None
        assert figures(hall.a, dt.date(2017, 2, 1)).cases.accepted == 1


def row(**values: Any) -> CaseRow:
    defaults: dict[str, Any] = {
        "unit": "x",
        "status": CaseStatus.ACCEPTED,
        "accepted_at": None,
        "done_at": at(2016, 12, 20, 10, 0),
        "due_at": None,
        "handling_type": HandlingType.PROMISED,
        "rated": None,
        "rating_invalid": False,
        "card": None,
        "card_on": at(2016, 12, 20, 10, 0),
        "card_cancelled": False,
    }
    return CaseRow(**{**defaults, **values})
