"""Unit leaders for the hall personas, the locmem SMS backend and a scratch media folder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from govhall.oversight import codes, services, sms
from govhall.oversight.choices import LeaderRole

SHANGHAI = ZoneInfo("Asia/Shanghai")

# The smallest files whose first bytes say what they are.
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"0" * 64


def at(*args: int) -> dt.datetime:
    """A moment in the hall's local time."""
    return dt.datetime(*args, tzinfo=SHANGHAI)


@dataclass
class Leaders:
    y_deputy: Any  # 住建局's supervising leader, linked to the leader_y login
    y_head: Any  # 住建局's head, no login, with a phone
    x_deputy: Any  # 公安局's supervising leader, no login, with a phone
    z_deputy: Any  # 林业局 in center B


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def outbox(settings: Any) -> Iterator[list[sms.SentMessage]]:
    settings.GOVHALL_SMS_BACKEND = "govhall.oversight.sms.LocmemBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def leaders(hall: Any) -> Leaders:
    return Leaders(
        y_deputy=services.unit_leader_create(
            by=None,
            unit=hall.y,
            name="吴分管",
            title="副局长",
            role=LeaderRole.DEPUTY,
            phone="13900001111",
            user=hall.user("leader_y"),
        ),
        y_head=services.unit_leader_create(
            by=None,
            unit=hall.y,
            name="郑局长",
            title="局长",
            role=LeaderRole.HEAD,
            phone="13900002222",
        ),
        x_deputy=services.unit_leader_create(
            by=None, unit=hall.x, name="王分管", title="副局长", phone="13900003333"
        ),
        z_deputy=services.unit_leader_create(
            by=None, unit=hall.z, name="冯分管", title="副局长", phone="13900004444"
        ),
    )


def fresh_ticket(center: Any) -> str:
    """The ticket a scan of the center's screen right now would give."""
    now = dt.datetime.now(tz=SHANGHAI)
    minute = codes.minute_of(now)
    return services.patrol_scan(
        center_id=center.pk, minute=minute, token=codes.code_for(center.pk, minute)
    )
