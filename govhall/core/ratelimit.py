"""Counting attempts in the database, to slow down guessing on the public pages and the API.

One rule: every limit is counted in the database (table core_ratecounter), never in a process's
memory, so two gunicorn workers or two machines share one allowance instead of each granting it
in full. A window is a fixed slice of time aligned to the epoch (a 10-minute limit counts from
9:00, 9:10, 9:20 …); a key may therefore spend its limit at the end of one window and again at
the start of the next.

Each hit is one atomic statement, INSERT … ON CONFLICT (key, window_start) DO UPDATE SET
hits = hits + 1 RETURNING hits, on SQLite (3.35+) and PostgreSQL alike: concurrent requests
never lose a count. Opening a new window also deletes the expired rows (an index range on
`expires_at`, normally a handful), except inside a transaction, where it waits for a later hit.

A hit made inside a transaction that is rolled back is not counted: the attempt changed nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from govhall.core.models import RateCounter

MAX_KEY = 200
# Only quoted table and column names are formatted in; every value is a parameter.
_UPSERT = (
    "INSERT INTO {table} ({key}, {start}, {expires}, {hits}) VALUES (%s, %s, %s, 1) "
    "ON CONFLICT ({key}, {start}) DO UPDATE SET {hits} = {table}.{hits} + 1 RETURNING {hits}"
)


def _names() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        "table": quote(RateCounter._meta.db_table),
        "key": quote("key"),
        "start": quote("window_start"),
        "expires": quote("expires_at"),
        "hits": quote("hits"),
    }


def _key(key: str) -> str:
    if len(key) <= MAX_KEY:
        return key
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"{key[: MAX_KEY - len(digest) - 1]}#{digest}"


def _window(window_seconds: int, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    seconds = max(1, int(window_seconds))
    start = int(now.timestamp()) // seconds * seconds
    begins = dt.datetime.fromtimestamp(start, tz=dt.UTC)
    return begins, begins + dt.timedelta(seconds=seconds)


def hit(key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt; True while the attempts in the window are within `limit`."""
    now = timezone.now()
    begins, ends = _window(window_seconds, now)
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT.format(**_names()), [_key(key), adapt(begins), adapt(ends)])
        current = int(cursor.fetchone()[0])
    if current == 1 and not connection.in_atomic_block:
        # Deleting inside a caller's transaction would hold row locks other requests' pruning
        # also wants (a deadlock on PostgreSQL); the next hit outside one does it.
        RateCounter.objects.filter(expires_at__lte=now).delete()
    return current <= limit


def count(key: str) -> int:
    """Hits of `key` in its current window (0 when none)."""
    hits = (
        RateCounter.objects.filter(key=_key(key), expires_at__gt=timezone.now())
        .order_by("-window_start")
        .values_list("hits", flat=True)
        .first()
    )
    return int(hits or 0)


def exceeded(key: str, limit: int) -> bool:
    """True when `key` has already used up its `limit` in the current window (no hit counted)."""
    return count(key) >= limit


def reset(key: str) -> None:
    RateCounter.objects.filter(key=_key(key)).delete()


def client_ip(request: HttpRequest) -> str:
    """The address the request came from. Behind a reverse proxy, the proxy must pass the
    client's address as REMOTE_ADDR (X-Forwarded-For is not trusted: anyone can send it)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")
