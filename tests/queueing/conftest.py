"""A queue in center A: category A (公安局, its window) and B (住建局, its window), on a
working Tuesday morning."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from govhall.queueing.models import QueueCategory
from tests.conftest import Hall

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A working Tuesday; the default hall hours are 8:30–12:00 and 14:30–17:30.
DAY = dt.date(2026, 12, 8)


def at(hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, 8, hour, minute, second, tzinfo=SHANGHAI)


@dataclass
class Queue:
    hall: Hall
    a: QueueCategory
    b: QueueCategory


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(at(9, 0), tick=False) as traveller:
        yield traveller


@pytest.fixture
def queue(hall: Hall, clock: Any) -> Queue:
    a = QueueCategory.objects.create(center=hall.a, code="A", name="户籍出入境", position=1)
    a.units.add(hall.x)
    a.windows.add(hall.x_window)
    b = QueueCategory.objects.create(center=hall.a, code="B", name="不动产", position=2)
    b.units.add(hall.y)
    b.windows.add(hall.y_window)
    return Queue(hall, a, b)
