"""Who is calling: a system with a bearer token, or a staff member's browser session.

A token acts as its client's system account (a member of the client's center with a read or a
work role), so the services check permissions and write the audit trail as for a person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import Throttled
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from govhall.api.errors import ApiError, forbidden, unauthorized
from govhall.api.models import ApiClient
from govhall.api.services import token_hash
from govhall.core import clock, ratelimit
from govhall.org.models import Center
from govhall.org.scoping import scope_for, set_acting_center
from govhall.org.selectors import current_center

# last_used_at is a hint for the office, not a log: write it at most once a minute.
TOUCH_EVERY = dt.timedelta(minutes=1)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# A client's account is a system account whose role is set when its token is issued. Its client
# row, account and center, with the account's permissions and scope, are loaded at most once a
# minute per process (the ORM's joins cost more than the rest of a read); every request still
# checks in one plain statement that the token is not revoked and that its account and center
# are active, so revoking or deactivating refuses the very next request. With REDIS_URL the
# loaded client is shared by every app server for the same minute.
KNOWN_FOR = dt.timedelta(minutes=1)
_known: dict[str, tuple[dt.datetime, ApiClient]] = {}


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


def _usable(digest: str, now: dt.datetime) -> tuple[int, bool] | None:
    """(client id, whether last_used_at is due a write) when the token is not revoked and its
    account and center are active; None otherwise."""
    quote = connection.ops.quote_name
    clients = quote(ApiClient._meta.db_table)
    users = quote(get_user_model()._meta.db_table)
    centers = quote(Center._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.id, (a.last_used_at IS NULL OR a.last_used_at < %s)"  # noqa: S608
            f" FROM {clients} a JOIN {users} u ON u.id = a.user_id"
            f" JOIN {centers} c ON c.id = a.center_id"
            " WHERE a.token_hash = %s AND a.revoked_at IS NULL AND u.is_active AND c.is_active",
            [connection.ops.adapt_datetimefield_value(now - TOUCH_EVERY), digest],
        )
        row = cursor.fetchone()
    return None if row is None else (row[0], bool(row[1]))


def _shared_cache() -> bool:
    """Several app servers share Redis (REDIS_URL): a client loaded by one is read by all."""
    return "redis" in settings.CACHES["default"]["BACKEND"].lower()


def _load_client(digest: str) -> ApiClient:
    key = f"api:client:{digest}"
    if _shared_cache():
        client = cache.get(key)
        if isinstance(client, ApiClient):
            return client
    client = ApiClient.objects.select_related("user__staff", "center").get(token_hash=digest)
    # The token acts in its client's center only; the scope is kept on the account object.
    set_acting_center(client.user, client.center_id)
    scope_for(client.user)
    if _shared_cache():
        cache.set(key, client, timeout=KNOWN_FOR.total_seconds())
    return client


def _client(digest: str, now: dt.datetime) -> ApiClient:
    known = _known.get(digest)  # one per issued token, never reused
    if known is None or not known[0] <= now < known[0] + KNOWN_FOR:
        known = (now, _load_client(digest))
        _known[digest] = known
    return known[1]


def _throttle(key: str) -> None:
    limit = int(getattr(settings, "API_RATE_LIMIT", 0) or 0)
    if limit > 0 and not ratelimit.hit(f"api:{key}", limit, 60):
        raise Throttled(wait=60)


class TokenAuth(HttpBearer):
    """Authorization: Bearer <token>."""

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        token = token.strip()
        now = clock.now()
        digest = token_hash(token) if 0 < len(token) <= 200 else ""
        usable = _usable(digest, now) if digest else None
        if usable is None:
            # A token was sent and is wrong: say so rather than fall back to a session.
            raise unauthorized(_("The token is not valid or has been revoked."))
        client_id, touch = usable
        _throttle(f"client:{client_id}")
        client = _client(digest, now)
        if touch:
            ApiClient.objects.filter(pk=client_id).update(last_used_at=now)
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
