"""manage.py export_cases YYYY-MM --out FILE.jsonl [--cursor C] [--center NAME]"""

from __future__ import annotations

import os
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from govhall.core.errors import DomainError
from govhall.core.keyset import MAX_PAGE_SIZE
from govhall.org.selectors import center_for_command
from govhall.province.export import export_month


class Command(BaseCommand):
    help = (
        "Write the cases accepted in a month as JSON lines (ordered by acceptance time and id, "
        "personal data masked). After each batch the cursor is printed and kept in FILE.cursor; "
        "an interrupted export resumes with --cursor and appends exactly the missing lines."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("month", metavar="YYYY-MM")
        parser.add_argument("--out", metavar="FILE", required=True, help="the .jsonl file")
        parser.add_argument("--cursor", help="resume after the line this cursor names")
        parser.add_argument(
            "--center", metavar="NAME", help="the center (default: the only one in the database)"
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=MAX_PAGE_SIZE,
            help=f"rows per batch (≤ {MAX_PAGE_SIZE})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        center = center_for_command(options["center"])
        out = Path(options["out"])
        mark = out.with_name(out.name + ".cursor")

        def record(cursor: str, lines: int) -> None:
            # Written beside the file and swapped in whole, so it always names a written line.
            partial = mark.with_name(mark.name + ".tmp")
            partial.write_text(cursor + "\n", encoding="utf-8")
            os.replace(partial, mark)
            self.stdout.write(f"cursor {cursor} ({lines} lines)")

        try:
            result = export_month(
                center=center,
                month=options["month"],
                out=out,
                cursor=options["cursor"],
                batch_size=options["batch_size"],
                on_batch=record,
            )
        except DomainError as exc:
            raise CommandError(
                f"--{exc.field}: {exc.message}" if exc.field else exc.message
            ) from exc
        mark.unlink(missing_ok=True)
        self.stdout.write(
            _("{center} {month}: wrote {n} lines to {file}.").format(
                center=center.name, month=options["month"], n=result.lines, file=out
            )
        )
