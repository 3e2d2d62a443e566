"""Counting attempts in Django's cache, to slow down guessing on the public pages.

A window starts at a key's first hit and lasts `window_seconds`; the counter expires with it.
With the default local-memory cache each server process counts on its own: deployments with
several processes or machines point CACHES at a shared cache (Redis) so the limits hold.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

PREFIX = "govhall:rl:"


def _key(key: str) -> str:
    return PREFIX + key


def count(key: str) -> int:
    """Hits of `key` in its current window (0 when none)."""
    return int(cache.get(_key(key), 0))


def exceeded(key: str, limit: int) -> bool:
    """True when `key` has already used up its `limit` in the current window (no hit counted)."""
    return count(key) >= limit


def hit(key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt; True while the attempts in the window are within `limit`."""
    full = _key(key)
    # add() only sets a missing key, so the window keeps the expiry of its first hit.
    cache.add(full, 0, timeout=window_seconds)
    try:
        current = cache.incr(full)
    except ValueError:  # expired between add() and incr()
        cache.set(full, 1, timeout=window_seconds)
        current = 1
    return current <= limit


def reset(key: str) -> None:
    cache.delete(_key(key))


def client_ip(request: HttpRequest) -> str:
    """The address the request came from. Behind a reverse proxy, the proxy must pass the
    client's address as REMOTE_ADDR (X-Forwarded-For is not trusted: anyone can send it)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")
