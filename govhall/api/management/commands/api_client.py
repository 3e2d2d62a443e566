"""manage.py api_client: issue, revoke and list API tokens.

manage.py api_client create "省政务服务网" --center 随县政务服务中心 --write   # prints the token once
manage.py api_client list [--center NAME]
manage.py api_client revoke "省政务服务网" [--center NAME]    # or the token's prefix: gh_AbCdEfG
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext as _

from govhall.api import services
from govhall.api.models import ApiClient
from govhall.core.errors import DomainError
from govhall.org.selectors import center_for_command


class Command(BaseCommand):
    help = "Issue (create), revoke or list the tokens of systems calling the JSON API."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="issue a token; it is printed once")
        create.add_argument("name", help="the system's name")
        create.add_argument("--center", metavar="NAME")
        create.add_argument("--write", action="store_true", help="may receive and move cases")
        revoke = sub.add_parser("revoke", help="revoke a token by the system's name or prefix")
        revoke.add_argument("name", help="the system's name, or the token's first characters")
        revoke.add_argument("--center", metavar="NAME")
        listing = sub.add_parser("list", help="the center's tokens")
        listing.add_argument("--center", metavar="NAME")

    def handle(self, *args: Any, **options: Any) -> None:
        center = center_for_command(options["center"])
        action = options["action"]
        if action == "create":
            try:
                client, token = services.api_client_create(
                    by=None, center=center, name=options["name"], can_write=options["write"]
                )
            except DomainError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(token)
            self.stderr.write(
                _("Token for {name} ({access}) in {center}: shown only this once.").format(
                    name=client.name,
                    access=_("read and write") if client.can_write else _("read only"),
                    center=center.name,
                )
            )
        elif action == "revoke":
            name = options["name"].strip()
            matches = list(
                ApiClient.objects.filter(center=center, revoked_at__isnull=True).filter(
                    Q(name=name) | Q(token_prefix=name[: services.PREFIX_SHOWN])
                    if len(name) >= services.PREFIX_SHOWN
                    else Q(name=name)
                )
            )
            if len(matches) != 1:
                raise CommandError(_("No single active token matches “{name}”.").format(name=name))
            services.api_client_revoke(by=None, client=matches[0])
            self.stdout.write(_("Revoked the token of {name}.").format(name=matches[0].name))
        else:
            for client in ApiClient.objects.filter(center=center):
                state = (
                    _("revoked {date}").format(date=f"{client.revoked_at:%Y-%m-%d}")
                    if client.revoked_at
                    else _("active")
                )
                access = "rw" if client.can_write else "r"
                used = f"{client.last_used_at:%Y-%m-%d %H:%M}" if client.last_used_at else "—"
                self.stdout.write(
                    f"{client.token_prefix}…  {access:2}  {state:14}  {used:16}  {client.name}"
                )
