"""The runner's plumbing: huey calls `jobs_tick` every minute (`manage.py run_huey`)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from govhall.jobs.services import jobs_tick


@db_periodic_task(crontab(minute="*"))
def tick() -> int:
    """Heartbeat, then every due slot (missed ones included) once."""
    return len(jobs_tick())
