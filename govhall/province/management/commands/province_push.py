"""manage.py province_push [--center NAME]: deliver the due outbox messages once."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from govhall.org.models import Center
from govhall.org.selectors import center_for_command
from govhall.province.services import province_push


def center_option(name: str | None) -> Center | None:
    return center_for_command(name) if name else None


class Command(BaseCommand):
    help = (
        "Deliver the provincial outbox's due messages (every enabled link, or one center's): "
        "acknowledgements are recorded, failures retried later with backoff, and a message "
        "that fails its link's maximum attempts is marked failed."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--center", metavar="NAME", help="only this center (default: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        result = province_push(center=center_option(options["center"]))
        self.stdout.write(
            _("{ack} acknowledged, {retry} to retry later, {failed} failed.").format(
                ack=result.acknowledged, retry=result.retrying, failed=result.failed
            )
        )
        for error in result.errors:
            self.stderr.write(error)
