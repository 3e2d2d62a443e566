"""What the office sees of the schedule: each job's last run, next run, failures and lateness."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q
from django.utils import timezone

from govhall.core.calendar import get_calendar
from govhall.core.worktime import DayHours
from govhall.jobs.choices import Outcome, Trigger
from govhall.jobs.models import Heartbeat, JobRun
from govhall.jobs.registry import JOBS, Job
from govhall.jobs.schedule import describe, due_slots, next_slot
from govhall.org.hours import hours_of
from govhall.org.models import Center

RUNNER = "worker"
# A slot not run this long after it fell due makes its job late (the runner ticks each minute).
GRACE = dt.timedelta(minutes=5)
# A heartbeat older than this means the worker is not running.
HEARTBEAT_STALE = dt.timedelta(minutes=3)


@dataclass(frozen=True)
class JobStatus:
    job: Job
    center: Center | None
    schedule: str
    last_run: JobRun | None
    last_failure: JobRun | None
    next_run: dt.datetime | None
    late_since: dt.datetime | None  # the oldest slot due and not run, beyond the grace
    failed: bool  # the newest run failed

    @property
    def needs_attention(self) -> bool:
        return self.failed or self.late_since is not None

    def as_json(self) -> dict[str, Any]:
        """The contract of `manage.py jobs status --format json`."""
        return {
            "name": self.job.name,
            "center": self.center.name if self.center else None,
            "schedule": self.schedule,
            "last_run": _iso(self.last_run.started_at) if self.last_run else None,
            "last_outcome": self.last_run.outcome if self.last_run else None,
            "next_run": _iso(self.next_run) if self.next_run else None,
        }


def _iso(moment: dt.datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _default_hours(_day: dt.date) -> DayHours:
    return DayHours()


def job_status(
    *, centers: Iterable[Center], now: dt.datetime | None = None, with_runs: bool = True
) -> list[JobStatus]:
    """Every job for each center (and the deployment's own jobs once), in the schedule's order.
    One aggregate query for the state of every job, one for the runs themselves (`with_runs`),
    one per center for its hours, whatever the number of runs."""
    now = now or timezone.now()
    centers = list(centers)
    national = get_calendar()
    calendars = {center.pk: get_calendar(center) for center in centers}
    here = timezone.localtime(now).replace(tzinfo=None)
    # Per job and center: the newest run (ids grow with starts), the newest failure, the newest
    # scheduled slot (what catch-up and lateness count from).
    facts = {
        (row["job"], row["center"]): row
        for row in JobRun.objects.filter(Q(center__in=centers) | Q(center__isnull=True))
        .order_by()
        .values("job", "center")
        .annotate(
            last=Max("pk"),
            failed=Max("pk", filter=Q(outcome=Outcome.FAILED)),
            slot=Max("slot", filter=Q(trigger=Trigger.SCHEDULE)),
        )
    }
    runs: dict[int, JobRun] = {}
    if with_runs:
        wanted = {pk for row in facts.values() for pk in (row["last"], row["failed"]) if pk}
        runs = JobRun.objects.in_bulk(wanted)
    hours_by_center = {center.pk: hours_of(center) for center in centers}
    rows = []
    for job in JOBS.values():
        targets: list[Center | None] = [*centers] if job.per_center else [None]
        for center in targets:
            fact = facts.get((job.name, center.pk if center else None), {})
            hours = hours_by_center[center.pk] if center else _default_hours
            calendar = calendars[center.pk] if center else national
            following = next_slot(job.spec, after=here, calendar=calendar, hours_of=hours)
            latest = fact.get("slot")
            missed = due_slots(
                job.spec,
                last=timezone.localtime(latest).replace(tzinfo=None) if latest else None,
                now=here - GRACE,
                calendar=calendar,
                hours_of=hours,
            )
            rows.append(
                JobStatus(
                    job=job,
                    center=center,
                    schedule=describe(job.spec),
                    last_run=runs.get(fact.get("last") or 0),
                    last_failure=runs.get(fact.get("failed") or 0),
                    next_run=timezone.make_aware(following) if following else None,
                    late_since=timezone.make_aware(missed[0]) if missed else None,
                    failed=bool(fact) and fact["failed"] == fact["last"],
                )
            )
    return rows


def job_runs(*, name: str, center: Center | None, limit: int = 20) -> list[JobRun]:
    runs = JobRun.objects.filter(job=name)
    runs = runs.filter(center=center) if center else runs.filter(center__isnull=True)
    return list(runs.order_by("-started_at", "-pk")[:limit])


def heartbeat() -> Heartbeat | None:
    return Heartbeat.objects.filter(name=RUNNER).first()


def runner_alive(beat: Heartbeat | None, now: dt.datetime | None = None) -> bool:
    return beat is not None and (now or timezone.now()) - beat.beat_at <= HEARTBEAT_STALE


def runner_health() -> dict[str, Any]:
    """For /healthz: the runner's last heartbeat (informative: the probe stays 200)."""
    beat = heartbeat()
    now = timezone.now()
    return {
        "last_heartbeat": (
            timezone.localtime(beat.beat_at).isoformat(timespec="seconds") if beat else None
        ),
        "seconds_ago": int((now - beat.beat_at).total_seconds()) if beat else None,
        "alive": runner_alive(beat, now),
    }


@dataclass(frozen=True)
class Attention:
    """What the office dashboard warns of: jobs whose newest run failed, a runner not running
    (then every job is late)."""

    failed: list[Job]
    runner_down: bool

    def __bool__(self) -> bool:
        return bool(self.failed) or self.runner_down


def jobs_needing_attention(*, center: Center) -> Attention:
    """Two queries, no calendar: the dashboard is on every office home page."""
    newest = (
        JobRun.objects.filter(Q(center=center) | Q(center__isnull=True))
        .order_by()
        .values("job")
        .annotate(last=Max("pk"), failed=Max("pk", filter=Q(outcome=Outcome.FAILED)))
    )
    failed = [JOBS[row["job"]] for row in newest if row["failed"] and row["failed"] == row["last"]]
    failed.sort(key=lambda job: list(JOBS).index(job.name))
    return Attention(failed=failed, runner_down=not runner_alive(heartbeat()))
