"""Staffing fixtures: A/B posts at unit X, moments in the hall's time, scans to upload."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govhall.org import services as org
from govhall.org.choices import Role
from govhall.staffing import services
from govhall.staffing.choices import LeaveKind
from tests.conftest import PASSWORD

SHANGHAI = ZoneInfo("Asia/Shanghai")
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def at(*args: int) -> dt.datetime:
    """A moment in the hall's local time."""
    return dt.datetime(*args, tzinfo=SHANGHAI)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def scan(name: str = "请假条.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def posts(hall: Any) -> Any:
    """Unit X's window: 赵首席 (A) backed by 钱办事 (B), and the other way round."""
    return (
        org.post_set(by=None, primary=hall.x_chief, backup=hall.x_clerk),
        org.post_set(by=None, primary=hall.x_clerk, backup=hall.x_chief),
    )


@pytest.fixture
def leader(hall: Any) -> Any:
    """The center leader of 甲: an office account named a leader in the attendance settings."""
    user = org.account_create(
        by=None, center=hall.a, username="leader_a", password=PASSWORD, role=Role.OFFICE,
        full_name="中心主任",
    )  # fmt: skip
    services.attendance_settings_update(
        by=None, center=hall.a, networks="127.0.0.0/8", leaders=[user]
    )
    return user


def approved(staff: Any, start: str, end: str | None = None, **kwargs: Any) -> Any:
    """A leave on record as approved (history), whole days."""
    return services.leave_record(
        by=None,
        staff=staff,
        kind=kwargs.pop("kind", LeaveKind.PERSONAL),
        start_date=d(start),
        end_date=d(end or start),
        **kwargs,
    )
