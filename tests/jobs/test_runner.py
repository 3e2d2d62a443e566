"""The runner: a slot runs once, missed days are caught up once, `manage.py jobs` reports."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command

from govhall.jobs.choices import Outcome, Trigger
from govhall.jobs.models import JobRun
from govhall.jobs.registry import JOBS
from govhall.jobs.services import job_run, jobs_tick
from govhall.jobs.work import prune_backups
from govhall.supervision.models import Warning
from tests.supervision.conftest import accept, at

NAMES = {
    "supervise", "province_push", "province_pull", "record_vacancies", "backup", "month_close",
    "reminders", "rollup", "queue_watch",
}  # fmt: skip


@pytest.fixture
def national_day(hall, passport):
    """Passport cases due Fri 2016-09-30 and Sat 2016-10-08 (after the National Day week)."""
    clerk = hall.user("clerk_x")
    before = accept(clerk, passport, at(2016, 9, 21, 10, 0))
    after = accept(clerk, passport, at(2016, 9, 22, 10, 0))
    return before, after


def supervise_slots(center):
    return [
        run.slot.astimezone(at(2016, 1, 1).tzinfo).date().isoformat()
        for run in JobRun.objects.filter(job="supervise", center=center).order_by("slot")
    ]


def cards():
    return sorted((w.case_id, w.level) for w in Warning.objects.all())


def test_a_slot_runs_once_even_when_triggered_twice(hall, national_day):
    # given
    slot = at(2016, 9, 29, 8, 0)
    with time_machine.travel(at(2016, 9, 29, 8, 0, 5), tick=False):
        # when: two workers reach the same slot
        first = job_run(job=JOBS["supervise"], center=hall.a, slot=slot)
        second = job_run(job=JOBS["supervise"], center=hall.a, slot=slot)
    # then
    assert first is not None
    assert first.outcome == Outcome.OK
    assert second is None
    assert JobRun.objects.filter(job="supervise", center=hall.a).count() == 1
    assert len(cards()) == 1


def test_after_downtime_each_missed_supervision_day_runs_once_and_no_card_is_doubled(
    hall, national_day
):
    before, after = national_day
    # given: the worker ran on Wednesday 2016-09-28, then was stopped
    with time_machine.travel(at(2016, 9, 28, 8, 1), tick=False):
        jobs_tick()
    assert supervise_slots(hall.a) == ["2016-09-28"]
    # when: it is started again on Saturday 10-08 (a working day after the holiday) and ticks on
    with time_machine.travel(at(2016, 10, 8, 10, 0), tick=False):
        jobs_tick()
        jobs_tick()
    with time_machine.travel(at(2016, 10, 8, 10, 1), tick=False):
        jobs_tick()
    # then: Thursday, Friday and Saturday are supervised once each, the holiday not at all
    assert supervise_slots(hall.a) == ["2016-09-28", "2016-09-29", "2016-09-30", "2016-10-08"]
    assert cards() == sorted([(before.pk, "yellow"), (before.pk, "red"), (after.pk, "yellow")])
    assert all(run.outcome == Outcome.OK for run in JobRun.objects.filter(job="supervise"))


def test_the_tick_records_a_heartbeat_shown_by_healthz(client, hall):
    # given: no runner yet
    assert client.get("/healthz").json()["runner"]["last_heartbeat"] is None
    # when
    with time_machine.travel(at(2016, 9, 28, 7, 0), tick=False):
        jobs_tick()
        body = client.get("/healthz").json()
    # then
    assert body["status"] == "ok"
    assert body["runner"]["alive"] is True
    assert body["runner"]["last_heartbeat"].startswith("2016-09-28T07:00")


def test_jobs_status_json_lists_every_job_with_a_next_run(hall):
    out = io.StringIO()
    with time_machine.travel(at(2016, 9, 28, 7, 0), tick=False):
        call_command("jobs", "status", "--format", "json", "--center", hall.a.name, stdout=out)
    rows = json.loads(out.getvalue())
    assert {row["name"] for row in rows} == NAMES
    for row in rows:
        assert set(row) == {"name", "center", "schedule", "last_run", "last_outcome", "next_run"}
        assert row["next_run"]
    supervise = next(row for row in rows if row["name"] == "supervise")
    assert supervise["center"] == hall.a.name
    assert supervise["next_run"] == "2016-09-28T08:00:00+08:00"
    assert supervise["last_run"] is None


def test_jobs_run_runs_one_job_now_and_status_shows_it(hall, national_day):
    with time_machine.travel(at(2016, 9, 29, 11, 0), tick=False):
        out = io.StringIO()
        call_command("jobs", "run", "supervise", "--center", hall.a.name, stdout=out)
        status = io.StringIO()
        call_command("jobs", "status", "--format", "json", stdout=status)
    run = JobRun.objects.get(job="supervise")
    assert (run.trigger, run.outcome, run.center) == (Trigger.MANUAL, Outcome.OK, hall.a)
    assert "1" in run.summary
    assert hall.a.name in out.getvalue()
    row = next(
        r
        for r in json.loads(status.getvalue())
        if (r["name"], r["center"]) == ("supervise", hall.a.name)
    )
    assert (row["last_outcome"], row["last_run"]) == ("ok", "2016-09-29T11:00:00+08:00")


def test_jobs_run_refuses_an_unknown_job_or_center(hall):
    with pytest.raises(CommandError, match="supervise"):
        call_command("jobs", "run", "nonsense", stdout=io.StringIO())
    with pytest.raises(CommandError, match="不存在名为不存在的政务服务中心"):
        call_command("jobs", "run", "supervise", "--center", "不存在", stdout=io.StringIO())


def test_a_failing_job_is_recorded_with_its_error_and_the_runner_goes_on(hall, monkeypatch):
    def broken(ctx):
        raise RuntimeError("disk full")

    job = JOBS["reminders"]
    monkeypatch.setitem(JOBS, "reminders", type(job)(job.name, job.spec, broken))
    with time_machine.travel(at(2016, 9, 28, 9, 31), tick=False):
        jobs_tick()
    failed = JobRun.objects.get(job="reminders", center=hall.a)
    assert failed.outcome == Outcome.FAILED
    assert "disk full" in failed.error
    assert JobRun.objects.get(job="supervise", center=hall.a).outcome == Outcome.OK


def test_old_backups_are_removed_after_the_retention_period(tmp_path):
    now = dt.datetime(2016, 12, 31, 2, 0, tzinfo=dt.UTC)
    for name in ["backup-20161130-020000", "backup-20161202-020000", "backup-20161230-020000"]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "manifest.json").write_text("{}")
    (tmp_path / "backup-20160101-020000").mkdir()  # not a finished backup: left alone
    removed = prune_backups(tmp_path, keep_days=30, now=now)
    assert [p.name for p in removed] == ["backup-20161130-020000"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "backup-20160101-020000", "backup-20161202-020000", "backup-20161230-020000",
    ]  # fmt: skip
