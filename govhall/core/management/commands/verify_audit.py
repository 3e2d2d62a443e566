"""manage.py verify_audit: prove that no audit entry was edited or removed.

Recomputes every chain's keyed hashes and compares each chain with its newest checkpoint (the
checkpoints file, or --checkpoints FILE: another copy of it or a backup's manifest.json).
`--rekey` re-hashes the chains under the current key once, at the upgrade to the keyed chain.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from govhall.core.audit import RekeyRefused, audit_rekey, verify_all
from govhall.core.checkpoints import checkpoints_path, read_checkpoints
from govhall.core.services import audit_checkpoint_write
from govhall.org.models import Center


class Command(BaseCommand):
    help = "Check the hash chains of the audit trail; exits non-zero when any entry was altered."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--center", help="check only this center's chain (default: all chains)")
        parser.add_argument(
            "--checkpoints",
            help="compare with this checkpoints file or backup manifest.json "
            "(default: GOVHALL_AUDIT_CHECKPOINTS)",
        )
        parser.add_argument(
            "--rekey",
            action="store_true",
            help="once, at the upgrade to the keyed chain: re-hash entries written before it "
            "under the current key (refused if anything else is wrong)",
        )

    def handle(
        self,
        *args: Any,
        center: str | None,
        checkpoints: str | None,
        rekey: bool,
        **options: Any,
    ) -> None:
        path = Path(checkpoints) if checkpoints else checkpoints_path()
        if checkpoints and not path.is_file():
            raise CommandError(_("No checkpoints file at {file}.").format(file=path))
        try:
            anchors = read_checkpoints(path)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if anchors:
            self.stdout.write(
                _("Checkpoints read from {file}: {count} chain(s).").format(
                    file=path, count=len(anchors)
                )
            )
        else:
            self.stderr.write(
                _(
                    "No checkpoints in {file}: a chain cut short with its head rolled back, or "
                    "deleted whole, cannot be detected. Run `manage.py audit_checkpoint` daily."
                ).format(file=path)
            )
        if rekey:
            self._rekey(anchors)
            return
        chains = None
        if center:
            found = Center.objects.filter(name=center).first()
            if found is None:
                raise CommandError(_("No center named “{name}”.").format(name=center))
            chains = [found.pk]
        checked, problems = verify_all(chains, checkpoints=anchors)
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(
                _("The audit trail is broken: {count} problem(s).").format(count=len(problems))
            )
        self.stdout.write(_("Audit trail intact: {count} entries checked.").format(count=checked))

    def _rekey(self, anchors: dict[int, Any]) -> None:
        try:
            changed = audit_rekey(checkpoints=anchors)
        except RekeyRefused as refused:
            for problem in refused.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _(
                    "Not re-keyed: {count} problem(s) other than entries hashed before the "
                    "chain was keyed. Nothing was changed."
                ).format(count=len(refused.problems))
            ) from None
        result = audit_checkpoint_write(source="rekey")
        self.stdout.write(
            _("Re-keyed {entries} entries in {chains} chain(s); new checkpoints in {file}.").format(
                entries=sum(changed.values()), chains=len(changed), file=result.path
            )
        )
