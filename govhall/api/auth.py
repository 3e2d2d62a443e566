"""Who is calling: a system with a bearer token, or a staff member's browser session.

A token acts as its client's system account (a member of the client's center with a read or a
work role), so the services check permissions and write the audit trail as for a person.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import Throttled
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from govhall.api.errors import ApiError, forbidden, unauthorized
from govhall.api.models import ApiClient
from govhall.api.services import token_hash
from govhall.cases import ratelimit
from govhall.core import clock
from govhall.org.models import Center
from govhall.org.scoping import Scope, scope_for
from govhall.org.selectors import current_center

# last_used_at is a hint for the office, not a log: write it at most once a minute.
TOUCH_EVERY = dt.timedelta(minutes=1)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# A client's account is a system account whose role is set when its token is issued, so its
# permissions and scope are read at most once a minute per process instead of on every request
# (three queries on intake's path). The token, its revocation and the account's and center's
# being active are still read on every request.
RIGHTS_TTL = dt.timedelta(minutes=1)
_rights: dict[str, tuple[dt.datetime, frozenset[str], Scope]] = {}


@dataclass(frozen=True)
class Actor:
    """The caller: the account services act as, its center, and the token (None: a session)."""

    user: Any
    center: Center
    client: ApiClient | None = None

    @property
    def can_write(self) -> bool:
        return self.client is None or self.client.can_write

    def require_write(self) -> None:
        if not self.can_write:
            raise forbidden(
                _("This token may only read; ask the center office for one that writes.")
            )


def _load_rights(client: ApiClient, now: dt.datetime) -> None:
    user = client.user
    cached = _rights.get(client.token_hash)  # one per issued token, never reused
    if cached is None or not cached[0] <= now < cached[0] + RIGHTS_TTL:
        cached = (now, frozenset(user.get_all_permissions()), scope_for(user))
        _rights[client.token_hash] = cached
    # The caches Django's ModelBackend and org.scoping keep on the user object themselves.
    user._perm_cache = cached[1]
    user._govhall_scope = cached[2]


def _throttle(key: str) -> None:
    limit = int(getattr(settings, "API_RATE_LIMIT", 0) or 0)
    if limit > 0 and not ratelimit.hit(f"api:{key}", limit, 60):
        raise Throttled(wait=60)


class TokenAuth(HttpBearer):
    """Authorization: Bearer <token>."""

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        token = token.strip()
        client = None
        if 0 < len(token) <= 200:
            # get(), not first(): a unique key needs no ORDER BY
            with contextlib.suppress(ApiClient.DoesNotExist):
                client = ApiClient.objects.select_related("user__staff", "center").get(
                    token_hash=token_hash(token), revoked_at__isnull=True
                )
        if client is None or not client.user.is_active or not client.center.is_active:
            # A token was sent and is wrong: say so rather than fall back to a session.
            raise unauthorized(_("The token is not valid or has been revoked."))
        _throttle(f"client:{client.pk}")
        now = clock.now()
        _load_rights(client, now)
        if client.last_used_at is None or now - client.last_used_at > TOUCH_EVERY:
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        return Actor(user=client.user, center=client.center, client=client)


def _csrf_failure(request: HttpRequest) -> ApiError | None:
    if check_csrf(request) is None:
        return None
    return forbidden(
        _("The CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken header.")
    )


class SessionAuth(APIKeyCookie):
    """A logged-in staff member; unsafe methods need the CSRF token, as on the staff pages."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # The CSRF check runs below, only once a session is found; `csrf` stays True so the
        # docs page sends the token with the requests it tries out.
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS:
            failure = _csrf_failure(request)
            if failure is not None:
                raise failure
        center = current_center(request)
        if center is None:
            raise forbidden(_("Your account does not belong to any service center."))
        _throttle(f"user:{user.pk}")
        return Actor(user=user, center=center)


def actor_of(request: HttpRequest) -> Actor:
    actor = getattr(request, "auth", None)
    if not isinstance(actor, Actor):
        raise unauthorized()
    return actor
