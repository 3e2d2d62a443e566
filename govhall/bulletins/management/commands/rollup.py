"""manage.py rollup: the bulletin's day counters (docs/performance.md) up to yesterday.

    manage.py rollup                  # every center: the days after each one's mark
    manage.py rollup --center NAME    # one center
    manage.py rollup --again          # count every day again (after a restore, say)

The nightly `rollup` job does the same for each center; a backfill is the first run.
"""

from __future__ import annotations

import datetime as dt
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from govhall.bulletins import rollup
from govhall.bulletins.models import RollupState
from govhall.org.models import Center
from govhall.org.selectors import center_for_command


class Command(BaseCommand):
    help = "Roll the bulletin's day counters up to yesterday."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--center", metavar="NAME", help="one center (default: every one)")
        parser.add_argument("--again", action="store_true", help="count every day again")

    def handle(self, *args: Any, **options: Any) -> None:
        centers = (
            [center_for_command(options["center"])]
            if options["center"]
            else list(Center.objects.order_by("pk"))
        )
        through = timezone.localdate() - dt.timedelta(days=1)
        for center in centers:
            started = time.perf_counter()
            if options["again"]:
                RollupState.objects.filter(center=center).update(rolled_through=None)
            first, written = rollup.rollup_through(center=center, through=through)
            if first is not None and first > through:
                self.stdout.write(f"{center.name}: already rolled up to {through.isoformat()}")
                continue
            since = first.isoformat() if first else "the beginning"
            self.stdout.write(
                f"{center.name}: {since} to {through.isoformat()}, {written:,} unit-days "
                f"({time.perf_counter() - started:.1f} s)"
            )
