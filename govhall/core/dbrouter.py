"""Reads of reports and public pages from a streaming replica (DATABASE_REPLICA_URL).

Only the pages listed in `REPLICA_VIEWS` (reports, dashboards, region pages, the kiosk) read
from the replica, and only when three things hold: the request only reads (GET/HEAD); the
browser has not written anything in the last `REPLICA_PIN_SECONDS` (every unsafe request sets a
short-lived cookie that pins the next pages to the primary, so a person always sees their own
write); and the replica's lag, checked at most every `LAG_CHECK_SECONDS` per process, is under
`REPLICA_MAX_LAG_SECONDS` (otherwise the page reads the primary, as if there were no replica).
Every write, and every read inside a transaction, goes to the primary. docs/scaling.md, step 4.
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PIN_COOKIE = "govhall_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# How often one process asks the replica how far behind it is.
LAG_CHECK_SECONDS = 2.0
# Pages that only read and tolerate seconds of staleness: "namespace" (every page of it) or
# "namespace:name". Staff lists, the case page and everything a clerk works with are not here:
# they stay on the primary.
REPLICA_VIEWS = (
    "portal",  # the public kiosk
    "regions",  # a region's pages over its centers
    "bulletins:dashboard",
    "bulletins:list",
    "bulletins:detail",
    "bulletins:version",
    "bulletins:download",
    "bulletins:version_download",
    "evaluation:month",
    "evaluation:annual",
    "supervision:dashboard",
    "supervision:month_report",
)

_use_replica: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "govhall_use_replica", default=False
)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def max_lag() -> float:
    return float(getattr(settings, "REPLICA_MAX_LAG_SECONDS", 10))


def pin_seconds() -> int:
    return int(getattr(settings, "REPLICA_PIN_SECONDS", 15))


# --- the replica's lag ------------------------------------------------------------------------

LAG_SQL = (
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
    " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
    " ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
)


def measure_lag() -> float | None:
    """Seconds the replica's data is behind the primary (0 when it has replayed everything it
    received); None when it does not answer. A replica with nothing left to replay is current
    however long ago the last write was."""
    connection = connections[REPLICA]
    try:
        if connection.vendor != "postgresql":
            return 0.0  # the tests' replica is the same SQLite file
        with connection.cursor() as cursor:
            cursor.execute(LAG_SQL)
            row = cursor.fetchone()
    except DatabaseError:
        connection.close()
        return None
    return None if row is None or row[0] is None else max(0.0, float(row[0]))


@dataclass
class _LagCache:
    checked_at: float = float("-inf")
    lag: float | None = None


_cache = _LagCache()
_lock = threading.Lock()


def replica_lag(*, now: Callable[[], float] = time.monotonic) -> float | None:
    """The replica's lag as last measured by this process, measured again when older than
    LAG_CHECK_SECONDS (one thread measures; the others use the previous figure)."""
    if now() - _cache.checked_at >= LAG_CHECK_SECONDS and _lock.acquire(blocking=False):
        try:
            _cache.lag = measure_lag()
            _cache.checked_at = now()
        finally:
            _lock.release()
    return _cache.lag


def forget_lag() -> None:
    """The next replica_lag() measures (tests; after the replica was rebuilt)."""
    _cache.checked_at, _cache.lag = float("-inf"), None


def replica_usable() -> bool:
    lag = replica_lag()
    return lag is not None and lag <= max_lag()


@dataclass(frozen=True)
class ReplicaStatus:
    """What the jobs page and /healthz say about the replica."""

    configured: bool
    lag_seconds: float | None = None
    max_lag_seconds: float = 0.0

    @property
    def answering(self) -> bool:
        return self.lag_seconds is not None

    @property
    def in_use(self) -> bool:
        return self.lag_seconds is not None and self.lag_seconds <= self.max_lag_seconds

    def as_json(self) -> dict[str, Any]:
        return {
            "configured": self.configured,
            "lag_seconds": None if self.lag_seconds is None else round(self.lag_seconds, 3),
            "max_lag_seconds": self.max_lag_seconds,
            "in_use": self.in_use,
        }


def replica_status() -> ReplicaStatus:
    if not replica_configured():
        return ReplicaStatus(configured=False)
    return ReplicaStatus(configured=True, lag_seconds=replica_lag(), max_lag_seconds=max_lag())


# --- which reads go where ----------------------------------------------------------------------


@contextmanager
def reading_replica() -> Iterator[None]:
    """Reads in this block go to the replica (when one is configured and current)."""
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


class ReplicaRouter:
    """DATABASE_ROUTERS entry: reads to the replica inside `reading_replica()` only."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if not _use_replica.get() or connections["default"].in_atomic_block:
            return None  # a read inside a write's transaction must see that transaction
        return REPLICA

    def db_for_write(self, model: type, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two copies of it

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA  # the replica follows the primary's schema by itself


def view_reads_replica(namespace: str, url_name: str | None) -> bool:
    listed = set(getattr(settings, "REPLICA_VIEWS", REPLICA_VIEWS))
    names = namespace.split(":") if namespace else []
    return any(
        ns in listed or f"{ns}:{url_name}" in listed or f"{namespace}:{url_name}" in listed
        for ns in names
    )


def pinned(request: HttpRequest) -> bool:
    """The browser wrote something in the last REPLICA_PIN_SECONDS."""
    return PIN_COOKIE in request.COOKIES


class ReplicaReadsMiddleware:
    """Runs a listed page's reads on the replica; pins a browser to the primary after a write.
    Last in MIDDLEWARE: its process_view decides once the URL is resolved, and the reads of the
    view and of its template (rendered before this middleware's __call__ returns) follow."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        finally:
            token = request.__dict__.pop("_replica_token", None)
            if token is not None:
                _use_replica.reset(token)
        if request.method not in SAFE_METHODS and replica_configured():
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=pin_seconds(),
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        match = request.resolver_match
        if (
            match is not None
            and "_replica_token" not in request.__dict__
            and request.method in SAFE_METHODS
            and replica_configured()
            and not pinned(request)
            and view_reads_replica(match.namespace, match.url_name)
            and replica_usable()
        ):
            request.__dict__["_replica_token"] = _use_replica.set(True)
