"""The living demo's runner: while `make demo` runs (GOVHALL_DEMO=1), the hall's queue goes on
by itself every minute beside the scheduled jobs (huey finds this module, as it finds
govhall/jobs/tasks.py). Installed with the demo app only, so never on a production server."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from govhall.demo.data.org import DEMO_CENTER
from govhall.demo.queue_motion import queue_motion
from govhall.org.models import Center


@db_periodic_task(crontab(minute="*"))
def demo_queue_motion() -> str:
    """Numbers taken, called and served up to now in the demo hall (the demo server only)."""
    if not settings.DEMO_MODE:
        return "not the demo server"
    center = Center.objects.filter(name=DEMO_CENTER).first()
    if center is None:
        return "no demo hall"
    return queue_motion(center)
