"""The backoff between attempts."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from govhall.province.rules import BACKOFF_CAP, backoff, gives_up


def test_the_wait_doubles_from_one_minute():
    assert [backoff(n).total_seconds() for n in range(1, 6)] == [60, 120, 240, 480, 960]


@given(st.integers(min_value=1, max_value=10_000))
def test_the_wait_never_shrinks_and_never_passes_the_cap(attempts):
    assert dt.timedelta(minutes=1) <= backoff(attempts) <= backoff(attempts + 1) <= BACKOFF_CAP


@given(st.integers(min_value=0, max_value=100), st.integers(min_value=1, max_value=50))
def test_a_message_is_given_up_exactly_at_the_maximum(attempts, maximum):
    assert gives_up(attempts, maximum) == (attempts >= maximum)
