"""Signals of the cases app for readers that keep derived figures (the bulletin's day counters)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.dispatch import Signal
from django.utils import timezone

# Sent after records were written in bulk, without model signals (history imports, the day's
# cards), with `center_id` and `first`: the earliest local day they count on (None: nothing).
history_written = Signal()


def earliest_day(rows: Iterable[dict[str, Any]]) -> dt.date | None:
    """The earliest local day of any time in `rows` (dicts of field values)."""
    times = [v for row in rows for v in row.values() if isinstance(v, dt.datetime)]
    return timezone.localtime(min(times)).date() if times else None
