"""Pure rules of delivery: how long to wait before trying again."""

from __future__ import annotations

import datetime as dt

BACKOFF_BASE = dt.timedelta(minutes=1)
BACKOFF_CAP = dt.timedelta(hours=6)
# A message handed to the adapter and not answered within this time (the pusher died) is due
# again; the platform de-duplicates by message id.
CLAIM_LEASE = dt.timedelta(minutes=15)


def backoff(
    attempts: int, *, base: dt.timedelta = BACKOFF_BASE, cap: dt.timedelta = BACKOFF_CAP
) -> dt.timedelta:
    """The wait after the `attempts`-th failed try: 1, 2, 4, 8 … minutes, never above the cap."""
    if attempts < 1:
        return dt.timedelta(0)
    # 2**30 minutes is far past any cap: stop doubling before the numbers grow silly.
    return min(cap, base * (2 ** min(attempts - 1, 30)))


def gives_up(attempts: int, max_attempts: int) -> bool:
    """After the last allowed try the message is failed and waits for a person."""
    return attempts >= max(1, max_attempts)
