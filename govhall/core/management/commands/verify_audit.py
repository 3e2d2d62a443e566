"""manage.py verify_audit: prove that no audit entry was edited or removed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from govhall.core.audit import verify_all


class Command(BaseCommand):
    help = "Check the hash chains of the audit trail; exits non-zero when any entry was altered."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--center", help="check only this center's chain (default: all chains)")

    def handle(self, *args: Any, center: str | None, **options: Any) -> None:
        chains = None
        if center:
            from govhall.org.models import Center

            found = Center.objects.filter(name=center).first()
            if found is None:
                raise CommandError(_("No center named “{name}”.").format(name=center))
            chains = [found.pk]
        checked, problems = verify_all(chains)
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(
                _("The audit trail is broken: {count} problem(s).").format(count=len(problems))
            )
        self.stdout.write(_("Audit trail intact: {count} entries checked.").format(count=checked))
