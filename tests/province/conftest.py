"""The fake provincial platform, an item to apply for, and cases moved through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from govhall.cases import services as cases
from govhall.province.services import province_link_save
from tests.catalog.builders import publish_item
from tests.province.fake_platform import FakePlatform

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> dt.datetime:
    """A moment in the hall's local time."""
    return dt.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def platform() -> Iterator[FakePlatform]:
    fake = FakePlatform().start()
    yield fake
    fake.stop()


@pytest.fixture
def passport(hall):
    with time_machine.travel(at(2016, 9, 1, 9, 0)):
        return publish_item(hall.a, hall.x, code="P001", name="普通护照签发")


@pytest.fixture
def forestry(hall):
    """An item of center B (unit Z)."""
    with time_machine.travel(at(2016, 9, 1, 9, 0)):
        return publish_item(hall.b, hall.z, code="L001", name="林木采伐许可")


def link(hall, center, platform=None, **values):
    """Configure the center's link: http to the fake platform, or any other adapter."""
    values.setdefault("adapter", "http" if platform else "disabled")
    if platform is not None:
        values.setdefault("base_url", platform.url)
    values.setdefault("timeout_seconds", 5)
    return province_link_save(by=hall.user("admin"), center=center, **values)


def receive(hall, item, persona="clerk_x", **kw):
    kw.setdefault("applicant_id_number", "420321198001011234")
    return cases.case_receive(
        by=hall.user(persona), item=item, applicant_name="张三", applicant_phone="13900001234", **kw
    )


def accepted(hall, item, persona="clerk_x", **kw):
    return cases.case_accept(by=hall.user(persona), case=receive(hall, item, persona, **kw))


def completed(hall, item, persona="clerk_x"):
    case = accepted(hall, item, persona)
    return cases.case_complete(by=hall.user(persona), case=case, result="granted")
