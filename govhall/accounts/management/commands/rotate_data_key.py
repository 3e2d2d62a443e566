"""manage.py rotate_data_key: re-encrypt every encrypted column under the first data key.

Rotation: put the new key first in GOVHALL_DATA_KEY (new,old), restart, run this command,
then remove the old key. Clear values left from before encryption are encrypted too.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.db.models import Q

from govhall.core.crypto import EncryptedTextField


class Command(BaseCommand):
    help = "Re-encrypt personal data (ID numbers, authenticator keys) under the first data key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--center", help="ignored: every center's rows are re-encrypted")
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size = options["batch"]
        for model in apps.get_models():
            fields = [
                f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
            ]
            if not fields:
                continue
            rows = model._base_manager.filter(
                Q(*[~Q(**{name: ""}) for name in fields], _connector=Q.OR)
            ).only("pk", *fields)
            done = 0
            batch: list[Any] = []
            for row in rows.iterator(chunk_size=batch_size):
                batch.append(row)
                if len(batch) >= batch_size:
                    done += self._save(model, batch, fields)
                    batch = []
            done += self._save(model, batch, fields)
            self.stdout.write(
                f"{model._meta.label}: {done} rows re-encrypted ({', '.join(fields)})"
            )

    @staticmethod
    def _save(model: Any, batch: list[Any], fields: list[str]) -> int:
        if batch:
            with transaction.atomic():
                # Loading decrypted them with whichever key fits; saving encrypts with the first.
                model._base_manager.bulk_update(batch, fields)
        return len(batch)
