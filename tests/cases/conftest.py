"""Items to apply for in case tests."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.catalog.builders import publish_item

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> dt.datetime:
    """A moment in the hall's local time."""
    return dt.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def passport(hall):
    """普通护照签发: promised 7 working days (steps 1+4+2), at unit X (公安局)."""
    with time_machine.travel(at(2016, 9, 1, 9, 0)):
        return publish_item(hall.a, hall.x, code="P001", name="普通护照签发")


@pytest.fixture
def on_the_spot(hall):
    """An immediate item (即办件) at unit X."""
    with time_machine.travel(at(2016, 9, 1, 9, 0)):
        return publish_item(
            hall.a,
            hall.x,
            code="I001",
            name="户籍证明开具",
            handling_type="immediate",
            legal_days=0,
            promised_days=0,
            fee_mode="free",
        )
