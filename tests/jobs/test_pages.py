"""The office's jobs page, "run now", and the dashboard's warning about failed or late jobs."""

from __future__ import annotations

import time_machine

from govhall.jobs.choices import Outcome, Trigger
from govhall.jobs.models import JobRun
from govhall.jobs.services import jobs_tick
from tests.supervision.conftest import at


def test_the_office_sees_each_job_with_its_last_and_next_run(login, hall):
    with time_machine.travel(at(2016, 9, 28, 8, 1), tick=False):
        jobs_tick()
        page = login("office_a").get("/jobs/")
    assert page.status_code == 200
    rows = page.context["rows"]
    assert {row.job.name for row in rows} >= {"supervise", "reminders", "backup"}
    assert {row.center for row in rows if row.center} == {hall.a}
    supervise = next(row for row in rows if row.job.name == "supervise")
    assert supervise.last_run.outcome == Outcome.OK
    assert supervise.next_run == at(2016, 9, 29, 8, 0)
    html = page.content.decode()
    assert "运行中" in html or "任务运行器" in html  # the runner's state is shown
    assert 'name="name" value="supervise"' in html


def test_a_window_clerk_may_not_see_the_jobs(login, hall):
    assert login("clerk_x").get("/jobs/").status_code == 403
    assert login("clerk_x").post("/jobs/run/", {"name": "supervise"}).status_code == 403


def test_run_now_runs_the_job_for_the_office_center_and_says_so(login, hall):
    client = login("office_a")
    with time_machine.travel(at(2016, 9, 28, 11, 0), tick=False):
        response = client.post(
            "/jobs/run/", {"name": "supervise", "center": hall.a.pk}, follow=True
        )
    run = JobRun.objects.get()
    assert (run.job, run.center, run.trigger, run.started_by) == (
        "supervise", hall.a, Trigger.MANUAL, hall.user("office_a"),
    )  # fmt: skip
    assert any("电子监察" in str(m) or "supervis" in str(m) for m in response.context["messages"])


def test_run_now_refuses_another_centers_job(login, hall):
    response = login("office_a").post(
        "/jobs/run/", {"name": "supervise", "center": hall.b.pk}, follow=True
    )
    assert not JobRun.objects.exists()
    assert any("中心" in str(m) for m in response.context["messages"])


def test_the_office_may_not_run_the_deployments_backup_but_the_administrator_may(login, hall):
    assert login("office_a").post("/jobs/run/", {"name": "backup"}).status_code == 403
    assert not JobRun.objects.exists()
    login("admin").post("/jobs/run/", {"name": "backup"})
    assert JobRun.objects.get().outcome == Outcome.OK


def test_the_administrator_sees_every_center(login, hall):
    rows = login("admin").get("/jobs/").context["rows"]
    assert {row.center for row in rows if row.center} == {hall.a, hall.b}


def test_the_dashboard_warns_the_office_of_a_failed_job(login, hall):
    # given: today's supervision failed
    with time_machine.travel(at(2016, 9, 28, 8, 1), tick=False):
        jobs_tick()
        JobRun.objects.filter(job="supervise", center=hall.a).update(
            outcome=Outcome.FAILED, error="database is locked"
        )
        home = login("office_a").get("/")
    # then
    warning = home.context["job_warnings"]
    assert [job.name for job in warning.failed] == ["supervise"]
    assert warning.runner_down is False
    assert "电子监察（黄牌、红牌）" in home.content.decode()


def test_the_dashboard_warns_when_the_runner_is_not_running(login, hall):
    # given: the worker ticked at 08:01, then stopped
    with time_machine.travel(at(2016, 9, 28, 8, 1), tick=False):
        jobs_tick()
    # when: the office looks at 08:30
    with time_machine.travel(at(2016, 9, 28, 8, 30), tick=False):
        home = login("office_a").get("/")
    # then
    assert home.context["job_warnings"].runner_down is True
    assert "任务运行器没有运行" in home.content.decode()


def test_no_warning_when_every_job_ran(login, hall):
    with time_machine.travel(at(2016, 9, 28, 8, 1), tick=False):
        jobs_tick()
        home = login("office_a").get("/")
    assert not home.context["job_warnings"]
    assert "任务运行器没有运行" not in home.content.decode()


def test_the_history_shows_a_failures_error(login, hall):
    with time_machine.travel(at(2016, 9, 28, 8, 1), tick=False):
        jobs_tick()
    JobRun.objects.filter(job="supervise", center=hall.a).update(
        outcome=Outcome.FAILED, error="database is locked"
    )
    page = login("office_a").get(f"/jobs/supervise/?center={hall.a.pk}")
    assert page.status_code == 200
    assert "database is locked" in page.content.decode()


def test_the_jobs_page_marks_a_slot_not_run_as_late(login, hall):
    # given: no worker ran this morning
    with time_machine.travel(at(2016, 9, 28, 8, 30), tick=False):
        page = login("office_a").get("/jobs/")
    # then
    supervise = next(row for row in page.context["rows"] if row.job.name == "supervise")
    assert supervise.late_since == at(2016, 9, 28, 8, 0)
    assert "已延误" in page.content.decode()
