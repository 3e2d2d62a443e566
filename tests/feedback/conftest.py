"""Items, finished cases and ratings for the feedback tests, made through the real services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from govhall.cases import services as cases
from govhall.feedback import services
from govhall.feedback.choices import FeedbackKind, RatingChannel
from tests.cases.conftest import at
from tests.catalog.builders import publish_item

__all__ = ["at", "finished_case", "rate", "submit"]

PHONE = "13900001234"


@pytest.fixture
def passport(hall: Any) -> Any:
    """普通护照签发 at unit X (公安局)."""
    with time_machine.travel(at(2016, 9, 1, 9, 0)):
        return publish_item(hall.a, hall.x, code="P001", name="普通护照签发")


@pytest.fixture
def permit(hall: Any) -> Any:
    """商品房预售许可 at unit Y (住建局)."""
    with time_machine.travel(at(2016, 9, 1, 9, 0)):
        return publish_item(hall.a, hall.y, code="Y001", name="商品房预售许可")


@pytest.fixture
def forestry(hall: Any) -> Any:
    """林木采伐许可 at unit Z of the other center."""
    with time_machine.travel(at(2016, 9, 1, 9, 0)):
        return publish_item(hall.b, hall.z, code="Z001", name="林木采伐许可")


def open_case(hall: Any, item: Any, when: dt.datetime, persona: str = "clerk_x") -> Any:
    """A case received and accepted at `when`, still open."""
    by = hall.user(persona)
    with time_machine.travel(when, tick=False):
        case = cases.case_receive(by=by, item=item, applicant_name="张三", applicant_phone=PHONE)
        return cases.case_accept(by=by, case=case)


def finished_case(
    hall: Any, item: Any, when: dt.datetime, persona: str = "clerk_x", *, phone: str = PHONE
) -> Any:
    """A case received, accepted and completed at `when` by the persona."""
    by = hall.user(persona)
    with time_machine.travel(when, tick=False):
        case = cases.case_receive(by=by, item=item, applicant_name="张三", applicant_phone=phone)
        case = cases.case_accept(by=by, case=case)
        return cases.case_complete(by=by, case=case, result="granted")


def rate(case: Any, level: int, when: dt.datetime, **kwargs: Any) -> Any:
    """The public rates `case` at `when` (by the receipt's QR code unless told)."""
    kwargs.setdefault("channel", RatingChannel.QR)
    with time_machine.travel(when, tick=False):
        return services.rating_submit(by=None, case=case, level=level, **kwargs)


def submit(
    center: Any, when: dt.datetime, kind: str = FeedbackKind.COMPLAINT, **kwargs: Any
) -> Any:
    """A complaint (or message) from the public at `when`."""
    defaults = {
        "content": "窗口工作人员态度生硬，材料没有一次说清。",
        "name": "王先生",
        "phone": "13812345678",
    }
    with time_machine.travel(when, tick=False):
        return services.feedback_submit(center=center, kind=kind, **{**defaults, **kwargs})
