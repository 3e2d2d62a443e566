"""The hall's schedule: each job's name, schedule and body (the one list the runner reads)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from govhall.jobs import work
from govhall.jobs.choices import JobName
from govhall.jobs.schedule import CatchUp, Kind, Spec


@dataclass(frozen=True)
class Job:
    name: str
    spec: Spec
    body: work.Body
    per_center: bool = True

    @property
    def label(self) -> str:
        return str(JobName(self.name).label)


JOBS: dict[str, Job] = {
    job.name: job
    for job in [
        # 08:00, before the hall opens: each missed day is supervised once after downtime.
        Job(
            JobName.SUPERVISE,
            Spec(Kind.DAILY_AT, at=dt.time(8, 0), catch_up=CatchUp.EACH, catch_up_days=7),
            work.supervise,
        ),
        Job(JobName.PROVINCE_PUSH, Spec(Kind.EVERY, minutes=1), work.push),
        Job(JobName.PROVINCE_PULL, Spec(Kind.EVERY, minutes=10), work.pull),
        Job(
            JobName.RECORD_VACANCIES,
            Spec(Kind.AT_CLOSE, catch_up=CatchUp.EACH, catch_up_days=7),
            work.record_vacancies,
        ),
        Job(
            JobName.BACKUP,
            Spec(Kind.NIGHTLY, at=dt.time(2, 0), hall=False),
            work.backup,
            per_center=False,
        ),
        # After the morning's supervision, so the month's last cards are in.
        Job(
            JobName.MONTH_CLOSE, Spec(Kind.MONTH_FIRST_WORKDAY, at=dt.time(9, 0)), work.month_close
        ),
        Job(JobName.REMINDERS, Spec(Kind.DAILY_AT, at=dt.time(9, 30)), work.reminders),
        # Every night: the day counters up to yesterday (one run covers any nights missed),
        # before the month's close reads them.
        Job(JobName.ROLLUP, Spec(Kind.NIGHTLY, at=dt.time(1, 30), hall=False), work.rollup),
        # A window idle for 15 minutes is seen within two more.
        Job(JobName.QUEUE_WATCH, Spec(Kind.EVERY, minutes=2), work.queue_watch),
    ]
}
