"""Running the hall's jobs: a slot is claimed once (the unique JobRun row), run, and recorded.

`jobs_tick` is what the runner calls every minute: it records the heartbeat, then runs every
slot due since each job's last run (catch-up after downtime comes from the same rule).
"""

from __future__ import annotations

import datetime as dt
import logging
import socket
import traceback

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.access import Actor, require
from govhall.core.audit import audit_record
from govhall.core.calendar import get_calendar
from govhall.core.errors import DomainError, NotAllowed
from govhall.core.worktime import DayHours
from govhall.jobs.choices import JobName, Outcome, Trigger
from govhall.jobs.models import Heartbeat, JobRun
from govhall.jobs.registry import JOBS, Job
from govhall.jobs.schedule import due_slots
from govhall.jobs.work import Context, JobFailed
from govhall.org.hours import hours_of
from govhall.org.models import Center

logger = logging.getLogger("govhall.jobs")

RUNNER = "worker"
RUN_PERM = "org.change_center"
# A run still "running" after this long died with its worker.
STALE = dt.timedelta(hours=2)
# Successful runs are kept this long (the newest of each job is what catch-up reads).
KEEP_RUNS = dt.timedelta(days=30)
# Jobs that run every few minutes and record their own work (the outbox): their scheduled runs
# are not audited one by one, or the trail would hold a line a minute.
QUIET = frozenset({JobName.PROVINCE_PUSH, JobName.PROVINCE_PULL})


def local(moment: dt.datetime) -> dt.datetime:
    """Aware → naive hall time (the schedule's clock)."""
    return timezone.localtime(moment).replace(tzinfo=None)


def aware(moment: dt.datetime) -> dt.datetime:
    return timezone.make_aware(moment)


def job_get(name: str) -> Job:
    try:
        return JOBS[name]
    except KeyError:
        raise DomainError(
            _("There is no job named “{name}” (jobs: {names}).").format(
                name=name, names=", ".join(JOBS)
            ),
            field="name",
        ) from None


def _claim(
    job: Job, center: Center | None, slot: dt.datetime, trigger: str, by: Actor
) -> JobRun | None:
    try:
        with transaction.atomic():
            return JobRun.objects.create(
                job=job.name,
                center=center if job.per_center else None,
                slot=slot,
                trigger=trigger,
                started_at=timezone.now(),
                started_by=by if getattr(by, "pk", None) else None,
            )
    except IntegrityError:  # another worker (or an earlier tick) has this slot
        return None


def job_run(
    *,
    job: Job,
    center: Center | None,
    slot: dt.datetime,
    trigger: str = Trigger.SCHEDULE,
    by: Actor = None,
) -> JobRun | None:
    """Run `job` for one due slot, once: None when the slot already ran (or is running)."""
    run = _claim(job, center, slot, trigger, by)
    if run is None:
        return None
    try:
        summary = job.body(Context(center=center if job.per_center else None, slot=slot, by=by))
    except (JobFailed, DomainError) as error:
        run.outcome, run.error = Outcome.FAILED, str(error)
    except Exception as error:  # any failure is recorded and shown; the runner goes on
        logger.exception("job %s failed", job.name)
        run.outcome = Outcome.FAILED
        run.error = f"{type(error).__name__}: {error}\n\n{traceback.format_exc()}"[-8000:]
    else:
        run.outcome, run.summary = Outcome.OK, summary[:300]
    run.finished_at = timezone.now()
    if run.outcome == Outcome.FAILED and not run.summary:
        run.summary = run.error.splitlines()[0][:300] if run.error else ""
    run.save(update_fields=["outcome", "summary", "error", "finished_at"])
    if trigger == Trigger.MANUAL or job.name not in QUIET or run.outcome == Outcome.FAILED:
        audit_record(
            by=by,
            action="job.run",
            obj=run,
            center_id=run.center_id,
            after={
                "job": job.name,
                "slot": run.slot.isoformat(),
                "trigger": trigger,
                "outcome": run.outcome,
                "summary": run.summary,
            },
        )
    return run


def job_run_now(*, by: Actor, name: str, center: Center | None) -> JobRun:
    """The office's "run now" (and `manage.py jobs run`): one extra run at this moment."""
    job = job_get(name)
    if job.per_center:
        if center is None:
            raise DomainError(_("Name the center to run this job for."), field="center")
        require(by, RUN_PERM, center_id=center.pk)
    elif by is not None and not by.is_superuser:
        raise NotAllowed(_("Only the system administrator runs the deployment's jobs."))
    run = job_run(job=job, center=center, slot=timezone.now(), trigger=Trigger.MANUAL, by=by)
    if run is None:
        raise DomainError(_("This job is already running: try again in a moment."))
    return run


def heartbeat_beat(*, now: dt.datetime) -> Heartbeat:
    beat, _created = Heartbeat.objects.update_or_create(
        name=RUNNER, defaults={"beat_at": now, "host": socket.gethostname()[:100]}
    )
    return beat


def _default_hours(_day: dt.date) -> DayHours:
    return DayHours()


def _close_stale(now: dt.datetime) -> int:
    return JobRun.objects.filter(outcome=Outcome.RUNNING, started_at__lt=now - STALE).update(
        outcome=Outcome.FAILED,
        finished_at=now,
        error=_("Interrupted: the worker stopped while this run was going on."),
        summary=_("Interrupted: the worker stopped while this run was going on."),
    )


def last_scheduled_slot(job: Job, center: Center | None) -> dt.datetime | None:
    runs = JobRun.objects.filter(job=job.name, trigger=Trigger.SCHEDULE)
    runs = runs.filter(center=center) if job.per_center else runs.filter(center__isnull=True)
    last: dt.datetime | None = runs.aggregate(last=Max("slot"))["last"]
    return last


def jobs_tick(*, now: dt.datetime | None = None) -> list[JobRun]:
    """One beat of the runner: heartbeat, then every slot due (missed ones included), once."""
    now = now or timezone.now()
    heartbeat_beat(now=now)
    _close_stale(now)
    JobRun.objects.filter(outcome=Outcome.OK, slot__lt=now - KEEP_RUNS).delete()
    national = get_calendar()
    centers = list(Center.objects.filter(is_active=True).order_by("pk"))
    hours = {center.pk: hours_of(center) for center in centers}
    calendars = {center.pk: get_calendar(center) for center in centers}
    done = []
    for job in JOBS.values():
        targets: list[Center | None] = [*centers] if job.per_center else [None]
        for center in targets:
            last = last_scheduled_slot(job, center)
            slots = due_slots(
                job.spec,
                last=local(last) if last else None,
                now=local(now),
                calendar=calendars[center.pk] if center else national,
                hours_of=hours[center.pk] if center else _default_hours,
            )
            for slot in slots:
                run = job_run(job=job, center=center, slot=aware(slot))
                if run is not None:
                    done.append(run)
    return done
