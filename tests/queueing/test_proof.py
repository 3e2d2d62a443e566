"""What the queue proves, derived and never typed: the watch job, the bulletin's sentence and
JSON, the scorecards, the supervision dashboard and the month overview."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from govhall.bulletins.figures import figures
from govhall.bulletins.regional import patrol_rate
from govhall.bulletins.selectors import region_figures
from govhall.bulletins.text import problems_draft, queue_sentence
from govhall.evaluation import rules
from govhall.evaluation.choices import LineCode
from govhall.evaluation.selectors import month_inputs, scored_staff, scored_units
from govhall.jobs.models import JobRun
from govhall.org.models import Center, Region
from govhall.oversight.models import PatrolSignIn, UnitLeader
from govhall.queueing.choices import AlertKind
from govhall.queueing.models import QueueAlert
from govhall.queueing.services import ticket_call_next, ticket_issue
from govhall.staffing.choices import VacancyHalf
from govhall.staffing.models import Vacancy
from tests.factories import PostFactory
from tests.queueing.conftest import DAY, Queue, at


def take(queue: Queue, code: str = "A") -> Any:
    return ticket_issue(center=queue.hall.a, category=code, channel="kiosk")


@pytest.fixture
def late_morning(queue: Queue, clock: Any) -> Queue:
    """Numbers from 8:35; the 公安局 window first calls at 9:10 (40 minutes after opening), the
    住建局 window at 8:40."""
    hall = queue.hall
    clock.move_to(at(8, 35))
    take(queue)
    take(queue)
    take(queue, "B")
    clock.move_to(at(8, 40))
    ticket_call_next(window=hall.y_window, by=hall.user("office_a"))
    clock.move_to(at(9, 10))
    ticket_call_next(window=hall.x_window, by=hall.user("clerk_x"))
    clock.move_to(at(9, 14))
    ticket_call_next(window=hall.x_window, by=hall.user("clerk_x"))
    return queue


def test_the_watch_job_records_an_idle_window_by_itself(queue: Queue, clock: Any) -> None:
    # given: a number waits and nobody at the 公安局 window calls it
    hall = queue.hall
    PostFactory(window=hall.x_window, primary=hall.x_clerk, backup=hall.x_chief)
    take(queue)
    clock.move_to(at(9, 20))
    # when: the scheduled job runs
    call_command("jobs", "run", "queue_watch", "--center", hall.a.name, stdout=io.StringIO())
    # then: a 空岗 and an idle-window alert, and the run is recorded
    assert Vacancy.objects.filter(window=hall.x_window, date=DAY).exists()
    assert QueueAlert.objects.filter(kind=AlertKind.IDLE_WINDOW, window=hall.x_window).exists()
    assert JobRun.objects.get(job="queue_watch").outcome == "ok"


def test_the_bulletin_states_the_queue_and_names_the_late_window(late_morning: Queue) -> None:
    # when
    found = figures(late_morning.hall.a, DAY)
    data = found.as_json()
    # then: the contract's keys, waits in minutes to the first call
    q = data["queue"]
    assert (q["tickets"], q["served"]) == (3, 1)  # the first A was finished by the second call
    assert q["max_wait_minutes"] == 39
    assert q["average_wait_minutes"] == round((5 + 35 + 39) / 3, 1)
    assert q["late_openings"] == [
        {
            "unit": "公安局",
            "window": late_morning.hall.x_window.name,
            "date": "2026-12-08",
            "first_call": "09:10",
        }
    ]
    sentence = queue_sentence(found)
    assert "发号3个" in sentence
    assert "最长等候39分钟" in sentence
    assert "12月8日09:10首次叫号" in sentence
    assert any("开门办公不及时" in p for p in problems_draft(found))


def test_a_month_without_numbers_says_nothing_of_a_queue(hall: Any) -> None:
    found = figures(hall.a, DAY)
    assert found.as_json()["queue"]["tickets"] == 0
    assert queue_sentence(found) == ""


def test_the_published_json_reads_back_the_queue(late_morning: Queue) -> None:
    found = figures(late_morning.hall.a, DAY)
    again = type(found).from_json(json.loads(json.dumps(found.as_json())))
    assert again.queue.late_openings == found.queue.late_openings
    assert queue_sentence(again) == queue_sentence(found)


def test_waits_and_late_openings_enter_the_units_scorecard(late_morning: Queue) -> None:
    # given
    hall = late_morning.hall
    units = scored_units(hall.a)
    inputs = month_inputs(center=hall.a, month=DAY, units=units, staff=scored_staff(hall.a))
    # when
    x_lines = rules.unit_lines(inputs.units[hall.x.pk], rules.parse_rules(None))
    # then: 公安局 waited 37 min on average (35, 39) against 15, and opened late once
    wait = next(line for line in x_lines if line.code == LineCode.QUEUE_WAIT)
    late = next(line for line in x_lines if line.code == LineCode.LATE_OPENING)
    assert wait.quantity == Decimal("37.0")
    assert wait.points == Decimal("-11.00")
    assert late.points == Decimal("-1.00")


@given(
    st.integers(min_value=0, max_value=3000).map(lambda n: Decimal(n) / 10),
    st.integers(min_value=0, max_value=240).map(Decimal),
    st.integers(min_value=-100, max_value=0).map(lambda n: Decimal(n) / 10),
)
def test_a_wait_below_the_limit_costs_nothing_and_above_it_costs_per_minute(
    value: Decimal, ceiling: Decimal, per: Decimal
) -> None:
    line = rules.above_ceiling("queue_wait", value, ceiling, per, "")
    if value <= ceiling:
        assert line.points == 0
    else:
        assert line.points == rules.q2((value - ceiling) * per)


def test_the_supervision_dashboard_lists_todays_queue_alerts(
    login: Any, queue: Queue, clock: Any
) -> None:
    hall = queue.hall
    take(queue)
    clock.move_to(at(9, 40))
    call_command("jobs", "run", "queue_watch", "--center", hall.a.name, stdout=io.StringIO())
    page = login("supervisor_a").get("/supervision/")
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="queue-alert"') == 2  # long wait + idle


def test_the_month_overview_charts_waits(login: Any, late_morning: Queue) -> None:
    page = login("office_a").get("/bulletins/dashboard/?month=2026-12")
    html = page.content.decode()
    assert 'id="chart-queue-hours"' in html
    assert "8时" in html


def test_a_region_ranks_each_hall_with_its_own_wait_patrols_and_vacancies(
    late_morning: Queue,
) -> None:
    # given: both test halls under one city; in A a 空岗 and numbers waited; in B the 林业局's leader signed in and nobody took a number
    hall = late_morning.hall
    city = Region.objects.create(name="测试市", kind="city")
    Center.objects.filter(pk__in=[hall.a.pk, hall.b.pk]).update(region=city)
    Vacancy.objects.create(
        center=hall.a, unit=hall.x, window=hall.x_window, primary=hall.x_clerk,
        backup=hall.x_chief, date=DAY, half=VacancyHalf.AM, minutes=30, recorded_at=at(9),
    )  # fmt: skip
    leader = UnitLeader.objects.create(center=hall.b, unit=hall.z, name="林局长")
    PatrolSignIn.objects.create(center=hall.b, unit=hall.z, leader=leader, signed_in_at=at(10))
    # when: the city's month is read for all its halls at once
    rows = {c.now.center_id: c.now for c in region_figures(region=city, month=DAY).centers}
    # then: each row says what that hall's own month says
    for center in (hall.a, hall.b):
        own = figures(center, DAY)
        signed = len(own.patrol.signed_units)
        units = signed + len(own.patrol.unsigned_units)
        wait = own.queue.average_wait_minutes if own.queue.tickets else None
        row = rows[center.pk]
        assert (row.patrol_rate, row.vacancies, row.average_wait) == (
            patrol_rate(signed, units),
            own.vacancy_total,
            wait,
        )
    assert rows[hall.a.pk].vacancies >= 1
    assert rows[hall.a.pk].average_wait is not None
    assert rows[hall.b.pk].patrol_rate == Decimal(100)
    assert rows[hall.b.pk].average_wait is None
