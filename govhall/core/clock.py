"""The current time, with one sanctioned way to replay history (the demo's December 2016).

Services call `now()`; `replaying(moment)` makes them stamp records with that moment inside
the block only (a context variable, so other threads and requests are unaffected).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_replayed: ContextVar[dt.datetime | None] = ContextVar("govhall_replayed_now", default=None)


def now() -> dt.datetime:
    return _replayed.get() or timezone.now()


@contextmanager
def replaying(moment: dt.datetime) -> Iterator[None]:
    """Services inside the block act as if it were `moment` (aware)."""
    token = _replayed.set(moment)
    try:
        yield
    finally:
        _replayed.reset(token)
