"""What the jobs do: reminders to the inbox and by SMS, open outings flagged at close."""

from __future__ import annotations

import datetime as dt

import time_machine

from govhall.bulletins.models import RollupState
from govhall.bulletins.rollup import month_counts
from govhall.jobs.registry import JOBS
from govhall.jobs.services import job_run
from govhall.staffing import services as staffing
from govhall.staffing.choices import LeaveKind
from govhall.supervision.models import Alert
from tests.supervision import conftest as supervision
from tests.supervision.conftest import accept, at

passport = supervision.passport  # the supervision tests' published item, as a fixture here


def run(name, center, when):
    with time_machine.travel(when, tick=False):
        return job_run(job=JOBS[name], center=center, slot=when)


def test_leave_waiting_over_a_working_day_reminds_the_chief_in_the_inbox_and_by_sms(
    hall, sms_outbox
):
    # given: the chief has a phone; a clerk asked for leave on Monday morning
    hall.x_chief.phone = "13900002222"
    hall.x_chief.save()
    with time_machine.travel(at(2016, 12, 5, 10, 0), tick=False):
        staffing.leave_request(
            by=hall.user("clerk_x"), staff=hall.x_clerk, kind=LeaveKind.PERSONAL,
            start_date=dt.date(2016, 12, 12),
        )  # fmt: skip
    # when: Tuesday's reminders (one working day) and Wednesday's (over one)
    tuesday = run("reminders", hall.a, at(2016, 12, 6, 9, 30))
    assert not Alert.objects.filter(user=hall.user("chief_x")).exists()
    wednesday = run("reminders", hall.a, at(2016, 12, 7, 9, 30))
    # then
    assert tuesday.summary.startswith("请假 0 件")
    assert wednesday.summary.startswith("请假 1 件")
    alert = Alert.objects.get(user=hall.user("chief_x"))
    assert "钱办事" in alert.text
    assert "等待审批" in alert.text
    assert [(m.phone, m.text) for m in sms_outbox] == [("13900002222", alert.text)]


def test_an_outing_not_closed_by_close_of_day_is_flagged_to_chief_and_office(hall):
    # given: a clerk went out at 15:00 and never registered coming back
    with time_machine.travel(at(2016, 12, 5, 15, 0), tick=False):
        staffing.outing_register(by=hall.user("clerk_x"), staff=hall.x_clerk, reason="送达文书")
    # when
    done = run("record_vacancies", hall.a, at(2016, 12, 5, 17, 30))
    # then
    assert "外出 1 次" in done.summary
    flagged = set(Alert.objects.values_list("user__username", flat=True))
    assert flagged == {"chief_x", "office_a"}
    assert "钱办事" in Alert.objects.first().text


def test_the_nightly_rollup_rolls_the_day_counters_up_to_yesterday_once(hall, passport):
    # given a case accepted in November
    accept(hall.user("clerk_x"), passport, at(2016, 11, 15, 9, 0))
    # when the job runs in the night of 2016-12-07, and again later that night
    first = run("rollup", hall.a, at(2016, 12, 7, 1, 30))
    again = run("rollup", hall.a, at(2016, 12, 7, 3, 0))
    # then the counters hold up to 12-06, November is read from them, and nothing is redone
    assert RollupState.objects.get(center=hall.a).rolled_through == dt.date(2016, 12, 6)
    month = month_counts(hall.a, dt.date(2016, 11, 1))
    assert month is not None
    assert month.total("accepted") == 1
    assert "2016-12-06" in first.summary
    assert "2016-12-06" in again.summary
