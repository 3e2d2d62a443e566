"""generate_scale: the asked counts, working days and hours only, the services' deadlines,
a working hall's mix of states, cards as the supervision run gives them, and reproducibility."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db.models import Count, F
from django.utils import timezone

from bench.scale.management.commands import generate_scale
from govhall.bulletins.figures import figures
from govhall.bulletins.selectors import centers_month_counts
from govhall.cases.choices import CaseStatus
from govhall.cases.models import Case, Consultation
from govhall.cases.services import recompute_due
from govhall.catalog.choices import HandlingType
from govhall.catalog.models import ServiceItem
from govhall.core.calendar import get_calendar
from govhall.feedback.models import Rating
from govhall.org.choices import StaffRole
from govhall.org.hours import hours_of
from govhall.org.models import Center, Staff, Unit, Window
from govhall.staffing.models import Leave
from govhall.supervision.choices import WarningLevel, WarningStatus, WithdrawReason
from govhall.supervision.models import Warning
from govhall.supervision.services import supervise_day

pytestmark = pytest.mark.django_db

TODAY = dt.date(2016, 12, 20)
CENTER = "规模测试政务服务中心"


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Asia/Shanghai"))


def generate(**options: Any) -> Center:
    options = {
        "cases": 3000,
        "units": 6,
        "items": 60,
        "staff": 20,
        "months": 4,
        "end": dt.date(2016, 12, 1),
        "stdout": _Quiet(),
        **options,
    }
    # The command of the benchmark's app (bench/scale), which the runtime does not install.
    call_command(generate_scale.Command(), **options)
    return Center.objects.get(name=options.get("center", CENTER))


class _Quiet:
    def write(self, *_args: Any, **_kwargs: Any) -> None:
        pass

    def flush(self) -> None:
        pass


@pytest.fixture
def morning() -> Iterator[None]:
    # 09:00 on a Tuesday: yesterday's cases are in, today's supervision run (08:00) is done.
    with time_machine.travel(local(2016, 12, 20, 9, 0), tick=False):
        yield


@pytest.fixture
def center(morning: None) -> Center:
    return generate()


def test_generates_the_asked_counts(center: Center) -> None:
    # given a hall generated with 3000 cases, 6 units, 60 items and 20 staff
    # then every count is as asked, and each unit has windows, staff and exactly one chief
    assert Case.objects.filter(center=center).count() == 3000
    assert Unit.objects.filter(center=center).count() == 6
    assert ServiceItem.objects.filter(center=center, current__isnull=False).count() == 60
    assert Staff.objects.filter(center=center).count() == 20
    for unit in Unit.objects.filter(center=center):
        assert Window.objects.filter(unit=unit).exists()
        assert Staff.objects.filter(unit=unit, role=StaffRole.CHIEF).count() == 1
    # and the rest of a hall's month is there too, in realistic proportions
    consultations = Consultation.objects.filter(center=center).count()
    assert consultations == 600  # 0.2 per case
    ratings = Rating.objects.filter(center=center).count()
    completed = Case.objects.filter(center=center, status=CaseStatus.COMPLETED).count()
    assert 0.10 * completed < ratings < 0.20 * completed
    assert Leave.objects.filter(center=center).exists()


def test_items_mix_immediate_and_promised_cases(center: Center) -> None:
    kinds = dict(
        Case.objects.filter(center=center)
        .values_list("handling_type")
        .annotate(n=Count("pk"))
        .values_list("handling_type", "n")
    )
    assert kinds[HandlingType.IMMEDIATE] > 300
    assert kinds[HandlingType.PROMISED] > 1000
    promised_days = set(
        Case.objects.filter(center=center, handling_type=HandlingType.PROMISED).values_list(
            "promised_days", flat=True
        )
    )
    assert len(promised_days) >= 4  # varied limits, not one


def test_cases_are_accepted_only_on_working_days_within_hall_hours(center: Center) -> None:
    calendar, hours = get_calendar(), hours_of(center)
    days = set()
    for case in Case.objects.filter(center=center).exclude(accepted_at=None):
        moment = timezone.localtime(case.accepted_at)
        day = moment.date()
        days.add(day)
        assert calendar.is_workday(day), case.number
        h = hours(day)
        clock = moment.time()
        assert h.morning_start <= clock < h.morning_end or (
            h.afternoon_start <= clock < h.afternoon_end
        ), (case.number, clock)
        assert day < TODAY
    # the National Day holiday has no cases; its two make-up Saturdays/Sundays (调休) have some
    assert not any(dt.date(2016, 10, d) in days for d in range(1, 8))
    assert dt.date(2016, 10, 8) in days
    assert dt.date(2016, 10, 9) in days


def test_due_dates_equal_the_services_rule_on_a_sample(center: Center) -> None:
    # given a sample across both handling types and both seasons' hours (summer → 10月1日 winter)
    cases = list(Case.objects.filter(center=center).exclude(accepted_at=None))
    sample = random.Random(1).sample(cases, 300)
    assert {c.handling_type for c in sample} == {HandlingType.IMMEDIATE, HandlingType.PROMISED}
    for case in sample:
        stored = (case.due_at, case.due_date)
        # when the service recomputes the clock
        recompute_due(case)
        # then it lands on the same instant and date
        assert (case.due_at, case.due_date) == stored, case.number


def test_a_working_halls_mix_of_states(center: Center) -> None:
    cases = Case.objects.filter(center=center)
    by_status = dict(cases.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    assert by_status[CaseStatus.COMPLETED] > 0.8 * 3000
    assert 20 < by_status[CaseStatus.REJECTED] < 150  # about 2 %
    open_cases = cases.filter(status__in=CaseStatus.open())
    assert open_cases.count() > 20
    # refused at the door: never accepted, no clock, a stated reason
    for case in cases.filter(status=CaseStatus.REJECTED):
        assert case.accepted_at is None
        assert case.due_at is None
        assert case.closed_at is not None
        assert case.close_reason
    # completed ones close after they were accepted; open ones are not closed
    assert not cases.filter(status=CaseStatus.COMPLETED, completed_at__lt=F("accepted_at"))
    assert not open_cases.exclude(closed_at=None).exists()
    # some promised cases finished late
    late = cases.filter(handling_type=HandlingType.PROMISED, completed_at__gt=F("due_at")).count()
    assert late > 10


def test_every_overdue_open_case_carries_a_standing_red_card(center: Center) -> None:
    overdue = Case.objects.filter(
        center=center,
        status__in=CaseStatus.open(),
        handling_type=HandlingType.PROMISED,
        due_date__lt=TODAY,
    )
    reds = Warning.objects.filter(
        center=center, level=WarningLevel.RED, status=WarningStatus.ISSUED
    )
    assert set(overdue.values_list("pk", flat=True)) == set(reds.values_list("case_id", flat=True))
    # closed cases' cards are withdrawn, and a yellow followed by a red is superseded
    closed_cards = Warning.objects.filter(center=center).exclude(case__status__in=CaseStatus.open())
    assert closed_cards.exists()
    assert not closed_cards.filter(status=WarningStatus.ISSUED).exists()
    for yellow in Warning.objects.filter(center=center, level=WarningLevel.YELLOW):
        has_red = Warning.objects.filter(case_id=yellow.case_id, level=WarningLevel.RED).exists()
        if has_red:
            assert yellow.withdraw_reason == WithdrawReason.SUPERSEDED


def test_todays_supervision_run_finds_every_card_already_given(center: Center) -> None:
    # given the generated history, whose cards were given by the daily 08:00 run
    # when the real supervision run runs for today
    result = supervise_day(by=None, center=center, on=TODAY)
    # then it finds cards to show but has nothing to issue or withdraw
    assert result.warnings
    assert result.issued == []
    assert result.withdrawn == []


def _fingerprint(center: Center) -> list[tuple[Any, ...]]:
    return list(
        Case.objects.filter(center=center)
        .order_by("pk")
        .values_list(
            "unit__name", "item__name", "applicant_name", "applicant_phone", "status",
            "received_at", "accepted_at", "due_at", "completed_at",
        )
    )  # fmt: skip


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(morning: None) -> None:
    first = generate(cases=500, center="甲规模中心", seed=7)
    again = generate(cases=500, center="乙规模中心", seed=7)
    other = generate(cases=500, center="丙规模中心", seed=8)
    assert _fingerprint(first) == _fingerprint(again)
    assert _fingerprint(first) != _fingerprint(other)


def test_refuses_to_generate_into_an_existing_center(center: Center) -> None:
    with pytest.raises(CommandError, match=CENTER):
        generate(cases=10)
    assert Case.objects.filter(center=center).count() == 3000


def test_refuses_fewer_staff_than_units(morning: None) -> None:
    with pytest.raises(CommandError, match="--staff"):
        generate(units=6, staff=3)


def test_a_region_of_centers_shares_the_cases_and_its_months_read_from_the_counters(
    morning: None,
) -> None:
    # given a region of three centers generated together
    generate(cases=900, centers=3, center="区域中心")
    names = ["区域中心", "区域中心（002）", "区域中心（003）"]
    centers = list(Center.objects.filter(name__in=names).order_by("pk"))
    # then each holds its share of the cases
    assert [Case.objects.filter(center=c).count() for c in centers] == [300, 300, 300]
    # and their day counters were rolled up to yesterday: November ranks from them, and
    # says what the records say
    november = dt.date(2016, 11, 1)
    ranked = centers_month_counts([c.pk for c in centers], november)
    assert all(r.from_counters for r in ranked.values())
    for c in centers:
        live = figures(c, november, live=True)
        assert ranked[c.pk].accepted == live.cases.accepted > 0
        assert ranked[c.pk].overdue == live.timeliness.overdue
        assert figures(c, november) == live
