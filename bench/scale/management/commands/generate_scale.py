"""Fill the database with a large, realistic center for performance work (issue #9).

    manage.py generate_scale --cases 10000000 --months 24 --end 2026-10
    manage.py generate_scale --cases 36000000 --months 24 --centers 100   # a region

The bulletin's day counters are rolled up to yesterday at the end (as the nightly job would).

PostgreSQL loads with COPY; SQLite with batched INSERTs (default 200,000 cases there).
"""

from __future__ import annotations

import datetime as dt
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from bench.scale.generator import ScalePlan, generate
from govhall.bulletins.rollup import rollup_through
from govhall.org.models import Center

DEFAULT_CASES = {"postgresql": 1_000_000, "sqlite": 200_000}


def _month(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{value}-01")
    except ValueError:
        raise CommandError(
            _("--end “{value}” is not a month: use YYYY-MM.").format(value=value)
        ) from None


class Command(BaseCommand):
    help = "Generate a large center with cases, consultations, ratings, warnings and leave."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--cases", type=int, help="cases (default 200,000 on SQLite, 1,000,000 on PostgreSQL)"
        )
        parser.add_argument("--units", type=int, default=22)
        parser.add_argument("--items", type=int, default=600)
        parser.add_argument("--staff", type=int, default=120)
        parser.add_argument("--months", type=int, default=24)
        parser.add_argument(
            "--end",
            type=_month,
            help="last month with cases, YYYY-MM (default: this month, up to yesterday)",
        )
        parser.add_argument(
            "--center", default="规模测试政务服务中心", help="name of the center to create"
        )
        parser.add_argument("--seed", type=int, default=20161208)
        parser.add_argument(
            "--centers",
            type=int,
            default=1,
            help="a region: this many centers share --cases evenly (the first keeps --center)",
        )
        parser.add_argument(
            "--consultations", type=float, default=0.2, help="consultation records per case"
        )
        parser.add_argument(
            "--ratings", type=float, default=0.15, help="share of completed cases rated"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cases = options["cases"] or DEFAULT_CASES.get(connection.vendor, 200_000)
        for name in ("units", "items", "staff", "months", "centers"):
            if options[name] < 1:
                raise CommandError(_("--{name} must be at least 1.").format(name=name))
        if cases < 1:
            raise CommandError(_("--cases must be at least 1."))
        if options["staff"] < options["units"]:
            raise CommandError(_("--staff must be at least --units: every unit needs its chief."))
        plan = ScalePlan(
            cases=cases,
            units=options["units"],
            items=options["items"],
            staff=options["staff"],
            months=options["months"],
            end_month=options["end"],
            center=options["center"],
            seed=options["seed"],
            consultation_share=options["consultations"],
            rating_share=options["ratings"],
            centers=options["centers"],
        )
        started = time.perf_counter()
        self.stdout.write(
            f"generating {cases:,} cases over {plan.months} months on {connection.vendor} "
            f"(seed {plan.seed})"
        )
        try:
            result = generate(plan, progress=lambda line: self.stdout.write(f"  {line}"))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        counts = result.counts
        self.stdout.write(
            f"center {plan.center} (id {result.center_id}), working days "
            f"{result.first_day} to {result.last_day}"
        )
        self.stdout.write("  ".join(f"{key} {value:,}" for key, value in counts.items()))
        # The bulletin's day counters up to yesterday, as the nightly job would have left them.
        rolled = time.perf_counter()
        through = timezone.localdate() - dt.timedelta(days=1)
        for center in Center.objects.filter(pk__in=result.center_ids).order_by("pk"):
            rollup_through(center=center, through=through)
        self.stdout.write(
            f"day counters of {len(result.center_ids)} center(s) rolled up to {through} "
            f"({time.perf_counter() - rolled:.1f} s)"
        )
        self.stdout.write(self.style.SUCCESS(f"done in {time.perf_counter() - started:.1f} s"))
