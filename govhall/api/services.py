"""Issuing and revoking API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from govhall.api.models import ApiClient
from govhall.core import clock
from govhall.core.access import Actor, require
from govhall.core.audit import audit_record
from govhall.core.errors import DomainError
from govhall.org.choices import Role
from govhall.org.models import Center
from govhall.org.services import membership_grant

TOKEN_PREFIX = "gh_"  # noqa: S105 — a marker that makes leaked tokens easy to grep for
PREFIX_SHOWN = 10  # "gh_" and 7 random characters: enough to tell tokens apart in a list

# Reading needs a center-wide read-only role, writing the role that works every unit's cases.
READ_ROLE = Role.SUPERVISOR
WRITE_ROLE = Role.OFFICE


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


@transaction.atomic
def api_client_create(
    *, by: Actor, center: Center, name: str, can_write: bool = False
) -> tuple[ApiClient, str]:
    """Issue a token for a system: returns the client and the token, which is never shown again."""
    require(by, "org.add_membership", center_id=center.pk)
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Enter the name of the system."), field="name")
    if len(name) > 100:
        raise DomainError(_("The name is too long (at most 100 characters)."), field="name")
    if ApiClient.objects.filter(center=center, name=name, revoked_at__isnull=True).exists():
        raise DomainError(
            _("A client named “{name}” already has a token in this center.").format(name=name),
            field="name",
        )
    user = get_user_model().objects.create_user(
        username=f"api-{secrets.token_hex(6)}", first_name=name[:150]
    )
    user.set_unusable_password()  # a system account: it never logs in
    user.save(update_fields=["password"])
    membership_grant(by=by, user=user, center=center, role=WRITE_ROLE if can_write else READ_ROLE)
    token = new_token()
    client = ApiClient.objects.create(
        name=name,
        center=center,
        can_write=can_write,
        user=user,
        token_hash=token_hash(token),
        token_prefix=token[:PREFIX_SHOWN],
        created_by=by,
    )
    audit_record(
        by=by,
        action="api_client.create",
        obj=client,
        center_id=center.pk,
        after={"name": name, "can_write": can_write, "token_prefix": client.token_prefix},
    )
    return client, token


@transaction.atomic
def api_client_revoke(*, by: Actor, client: ApiClient) -> ApiClient:
    """Revoke a token at once: its next request is refused."""
    require(by, "org.add_membership", center_id=client.center_id)
    client = ApiClient.objects.select_for_update().select_related("user").get(pk=client.pk)
    if client.revoked_at is not None:
        raise DomainError(_("This token is already revoked."), field="client")
    client.revoked_at = clock.now()
    client.save(update_fields=["revoked_at"])
    client.user.is_active = False
    client.user.save(update_fields=["is_active"])
    audit_record(
        by=by,
        action="api_client.revoke",
        obj=client,
        center_id=client.center_id,
        before={"revoked_at": None},
        after={"revoked_at": client.revoked_at},
    )
    return client
