"""manage.py province_pull [--center NAME]: fetch and store the platform's warnings."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from govhall.province.management.commands.province_push import center_option
from govhall.province.services import province_pull


class Command(BaseCommand):
    help = (
        "Fetch the provincial platform's warnings for every enabled link (or one center's) and "
        "store the new ones; a warning the platform repeats is stored once."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--center", metavar="NAME", help="only this center (default: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        result = province_pull(center=center_option(options["center"]))
        self.stdout.write(
            _("{n} new warnings stored, {linked} linked to their cases.").format(
                n=result.stored, linked=result.linked
            )
        )
        for error in result.errors:
            self.stderr.write(error)
        if result.errors:
            raise CommandError(
                _("The platform could not be read for {n} link(s).").format(n=len(result.errors))
            )
