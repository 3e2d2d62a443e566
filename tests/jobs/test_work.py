"""What the jobs do: reminders to the inbox and by SMS, open outings flagged at close."""

from __future__ import annotations

import datetime as dt

import time_machine

from govhall.jobs.registry import JOBS
from govhall.jobs.services import job_run
from govhall.staffing import services as staffing
from govhall.staffing.choices import LeaveKind
from govhall.supervision.models import Alert
from tests.supervision.conftest import at


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
