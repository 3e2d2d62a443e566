"""manage.py accounts: open accounts and grant or revoke their roles, center by center.

manage.py accounts create USERNAME --name 姓名 [--password-stdin]
manage.py accounts grant USERNAME ROLE --center NAME [--unit NAME]
manage.py accounts revoke USERNAME ROLE --center NAME [--unit NAME]
manage.py accounts grant USERNAME region_supervisor --region NAME
manage.py accounts revoke USERNAME region_supervisor --region NAME
manage.py accounts list --center NAME [--format text|json]

ROLE is one of office, chief, window_staff, unit_leader, supervisor. A role held in one center
grants nothing in another. region_supervisor (区域监管) is held in a region instead: it reads
every center under the region and writes nowhere. Every change is written to the audit trail.
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from govhall.core.errors import DomainError
from govhall.org import services
from govhall.org.choices import RegionRole, Role, role_label
from govhall.org.models import Center, Unit
from govhall.org.selectors import center_for_command, center_members, region_for_command


def _user(username: str) -> Any:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(_("No account is named {name}.").format(name=username))
    return user


ROLES = (*Role.values, *RegionRole.values)


def _role(code: str) -> str:
    if code not in ROLES:
        raise CommandError(
            _("Unknown role “{role}”: use one of {roles}.").format(
                role=code, roles=", ".join(ROLES)
            )
        )
    return code


def _unit(center: Center, name: str | None) -> Unit | None:
    if not name:
        return None
    unit = Unit.objects.filter(center=center, name=name).first()
    if unit is None:
        raise CommandError(
            _("{center} has no unit named {name}.").format(center=center.name, name=name)
        )
    return unit


class Command(BaseCommand):
    help = "Open login accounts and grant or revoke their roles per center (and unit)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="open an account (it holds no role yet)")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="the person's name (姓名)")
        create.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from standard input (else set one later: changepassword)",
        )
        for verb, text in (("grant", "give a role in a center"), ("revoke", "end a role")):
            change = sub.add_parser(verb, help=text)
            change.add_argument("username")
            change.add_argument("role", help=", ".join(ROLES))
            change.add_argument("--center", metavar="NAME")
            change.add_argument("--region", metavar="NAME", help="for region_supervisor")
            change.add_argument(
                "--unit", metavar="NAME", help="for chief, window_staff, unit_leader"
            )
        listing = sub.add_parser("list", help="the accounts working in a center, with their roles")
        listing.add_argument("--center", metavar="NAME")
        listing.add_argument("--format", choices=("text", "json"), default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except DomainError as error:
            raise CommandError(str(error)) from None

    def _create(self, options: dict[str, Any]) -> None:
        password = sys.stdin.readline().rstrip("\r\n") if options["password_stdin"] else None
        user = services.account_register(
            by=None, username=options["username"], full_name=options["name"], password=password
        )
        self.stdout.write(_("Account {name} created.").format(name=user.get_username()))
        if password is None:
            self.stdout.write(
                _("It has no password yet: set one with `manage.py changepassword {name}`.").format(
                    name=user.get_username()
                )
            )

    def _grant(self, options: dict[str, Any]) -> None:
        if self._regional(
            options, services.region_membership_grant, _("{name} is now {role} of {region}.")
        ):
            return
        self._change(options, services.membership_grant, _("{name} is now {role} in {center}."))

    def _revoke(self, options: dict[str, Any]) -> None:
        if self._regional(
            options, services.region_membership_revoke, _("{name} is no longer {role} of {region}.")
        ):
            return
        self._change(
            options, services.membership_revoke, _("{name} is no longer {role} in {center}.")
        )

    def _regional(self, options: dict[str, Any], service: Any, done: str) -> bool:
        """Grant or revoke a regional role (False: the role is a center's)."""
        role = _role(options["role"])
        if role not in RegionRole.values:
            if options["region"]:
                raise CommandError(_("--region is for regional roles: use --center."))
            return False
        if options["center"] or options["unit"]:
            raise CommandError(_("A regional role is held in a region: use --region NAME."))
        region, user = region_for_command(options["region"]), _user(options["username"])
        service(by=None, user=user, region=region, role=role)
        self.stdout.write(
            done.format(name=user.get_username(), role=role_label(role), region=region.name)
        )
        return True

    def _change(self, options: dict[str, Any], service: Any, done: str) -> None:
        center = center_for_command(options["center"])
        user, role = _user(options["username"]), _role(options["role"])
        service(by=None, user=user, center=center, role=role, unit=_unit(center, options["unit"]))
        self.stdout.write(
            done.format(name=user.get_username(), role=Role(role).label, center=center.name)
        )

    def _list(self, options: dict[str, Any]) -> None:
        members = center_members(center=center_for_command(options["center"]))
        if options["format"] == "json":
            self.stdout.write(json.dumps(members, ensure_ascii=False, indent=2))
            return
        for member in members:
            roles = "、".join(
                f"{r['role']}({r['unit']})" if r["unit"] else r["role"] for r in member["roles"]
            )
            state = "" if member["active"] else _(" (suspended)")
            self.stdout.write(f"{member['username']}\t{member['name']}\t{roles}{state}")
