"""manage.py audit_checkpoint: record every audit chain's head outside the database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from govhall.core.services import audit_checkpoint_write


class Command(BaseCommand):
    help = (
        "Append a checkpoint of every audit chain's head (center, sequence, hash, time) to the "
        "append-only checkpoints file; a head already recorded is not written again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_checkpoint_write(source="command")
        self.stdout.write(
            _("{written} of {chains} audit chain head(s) checkpointed in {file}.").format(
                written=result.written, chains=len(result.checkpoints), file=result.path
            )
        )
