"""manage.py jobs status|run|tick: the hall's scheduled jobs from the command line."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.errors import DomainError
from govhall.jobs.choices import Outcome
from govhall.jobs.registry import JOBS
from govhall.jobs.selectors import job_status
from govhall.jobs.services import job_get, job_run_now, jobs_tick
from govhall.org.models import Center
from govhall.org.selectors import center_for_command


def _centers(name: str | None) -> list[Center]:
    if name:
        return [center_for_command(name)]
    return list(Center.objects.filter(is_active=True).order_by("pk"))


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


class Command(BaseCommand):
    help = (
        "The scheduled jobs: `status` lists each job with its schedule, last run and next run; "
        "`run NAME` runs one now; `tick` runs whatever is due, as the worker does every minute."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        status = sub.add_parser("status", help="each job's last and next run")
        status.add_argument("--format", choices=["json", "text"], default="text")
        status.add_argument("--center", metavar="NAME", help="only this center")
        run = sub.add_parser("run", help="run one job now")
        run.add_argument("name", help=", ".join(JOBS))
        run.add_argument(
            "--center", metavar="NAME", help="the center (default: the only one; all if several)"
        )
        sub.add_parser("tick", help="run every due slot once (what the worker does each minute)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "status":
            self._status(options)
        elif action == "run":
            self._run(options)
        else:
            runs = jobs_tick()
            for run in runs:
                self.stdout.write(f"{run.job} {run.center or ''} {run.outcome}: {run.summary}")

    def _status(self, options: dict[str, Any]) -> None:
        rows = job_status(centers=_centers(options["center"]))
        if options["format"] == "json":
            document = [row.as_json() for row in rows]
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        for row in rows:
            last = row.last_run
            self.stdout.write(
                "  ".join(
                    [
                        row.job.name.ljust(16),
                        (row.center.name if row.center else "*").ljust(12),
                        row.schedule,
                        _("last") + " " + (_when(last.started_at) if last else "—"),
                        last.get_outcome_display() if last else "",
                        _("next") + " " + _when(row.next_run),
                    ]
                )
            )

    def _run(self, options: dict[str, Any]) -> None:
        try:
            job = job_get(options["name"])
        except DomainError as error:
            raise CommandError(str(error)) from None
        targets: list[Center | None] = _centers(options["center"]) if job.per_center else [None]
        failed = False
        for center in targets:
            try:
                run = job_run_now(by=None, name=job.name, center=center)
            except DomainError as error:
                raise CommandError(str(error)) from None
            where = center.name if center else _("deployment")
            self.stdout.write(f"{job.name} {where}: {run.get_outcome_display()} — {run.summary}")
            if run.outcome == Outcome.FAILED:
                failed = True
                self.stderr.write(run.error)
        if failed:
            raise CommandError(_("The job failed."))
