"""manage.py import_data KIND FILE [--center NAME]: all rows or none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from govhall.core.imports import KINDS, ImportFailed, run_import
from govhall.org import services
from govhall.org.selectors import center_by_name


class Command(BaseCommand):
    help = (
        "Import a CSV (UTF-8) or XLSX file of units, staff, items, cases … into a center. A file "
        "past the limits (GOVHALL_IMPORT_MAX_* settings: unpacked size, rows, columns) is refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="one of: " + ", ".join(sorted(KINDS)))
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--center", help="center name; created if new (default: the only center)"
        )

    def handle(self, *args: Any, kind: str, file: Path, center: str | None, **options: Any) -> None:
        if kind not in KINDS:
            raise CommandError(
                _("Unknown kind “{kind}”; use one of: {known}.").format(
                    kind=kind, known=", ".join(sorted(KINDS))
                )
            )
        if not file.exists():
            raise CommandError(_("File not found: {path}").format(path=file))
        target = center_by_name(center)
        if target is None and not center:
            raise CommandError(
                _("Name the center with --center (the database holds none or several).")
            )
        try:
            # A new center is created in the same transaction, so a refused file leaves no trace.
            with transaction.atomic():
                if target is None:
                    target = services.center_create(by=None, name=center or "")
                result = run_import(kind=kind, path=file, center=target, by=None)
        except ImportFailed as failed:
            for problem in failed.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("Nothing was imported: {count} problem(s) found.").format(
                    count=len(failed.problems)
                )
            ) from failed
        self.stdout.write(
            _(
                "Imported {rows} rows of {kind} into {center}: {created} created, {updated} updated."
            ).format(
                rows=result.rows,
                kind=kind,
                center=target.name,
                created=result.created,
                updated=result.updated,
            )
        )
