"""Items, cases and extra accounts for the supervision tests, made through the real services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from govhall.cases import services as cases
from govhall.catalog import services as catalog
from govhall.org import services as org
from govhall.org.choices import Role, StaffRole
from tests.cases.conftest import at
from tests.catalog.builders import complete_basic, complete_rows, publish_item
from tests.conftest import PASSWORD
from tests.factories import StaffFactory

__all__ = ["accept", "at", "complete"]


@pytest.fixture
def passport(hall: Any) -> Any:
    """普通护照签发: promised 7 working days, at unit X (公安局)."""
    with time_machine.travel(at(2016, 9, 1, 9, 0)):
        return publish_item(hall.a, hall.x, code="P001", name="普通护照签发")


@pytest.fixture
def on_the_spot(hall: Any) -> Any:
    """An immediate item (即办件) at unit X."""
    with time_machine.travel(at(2016, 9, 1, 9, 0)):
        return publish_item(
            hall.a, hall.x, code="I001", name="户籍证明开具", handling_type="immediate",
            legal_days=0, promised_days=0, fee_mode="free",
        )  # fmt: skip


def publish_promised(center: Any, unit: Any, code: str, name: str, days: int) -> Any:
    """A published promised item of `days` working days, with one step of that length."""
    rows = complete_rows()
    rows["steps"] = [{"name": "审批", "role": "窗口", "limit_days": days}]
    basic = complete_basic(name, legal_days=20, promised_days=days)
    with time_machine.travel(at(2016, 9, 1, 9, 0)):
        item, _created = catalog.item_import_published(
            by=None, center=center, unit=unit, code=code, basic=basic, rows=rows
        )
    return item


@pytest.fixture
def permit(hall: Any) -> Any:
    """商品房预售许可: promised 3 working days, at unit Y (住建局)."""
    return publish_promised(hall.a, hall.y, "Y001", "商品房预售许可", 3)


@pytest.fixture
def forestry(hall: Any) -> Any:
    """林木采伐许可: promised 5 working days, at unit Z of the other center."""
    return publish_promised(hall.b, hall.z, "Z001", "林木采伐许可", 5)


@pytest.fixture
def clerk_y(hall: Any) -> Any:
    """A login for unit Y's window clerk (孙房产), so Y's staff can be alerted."""
    return org.account_create(
        by=None, center=hall.a, username="clerk_y", password=PASSWORD,
        role=Role.WINDOW_STAFF, unit=hall.y, staff=hall.y_clerk,
    )  # fmt: skip


@pytest.fixture
def chief_y(hall: Any) -> Any:
    """The chief representative of unit Y, who must not appeal unit X's cards."""
    staff = StaffFactory(window=hall.y_window, name="周首席", role=StaffRole.CHIEF)
    return org.account_create(
        by=None, center=hall.a, username="chief_y", password=PASSWORD,
        role=Role.CHIEF, unit=hall.y, staff=staff,
    )  # fmt: skip


def accept(by: Any, item: Any, when: dt.datetime, name: str = "张三") -> Any:
    """Receive and accept a case at the moment `when`."""
    with time_machine.travel(when, tick=False):
        case = cases.case_receive(
            by=by, item=item, applicant_name=name, applicant_phone="13900001234"
        )
        return cases.case_accept(by=by, case=case)


def complete(by: Any, case: Any, when: dt.datetime) -> Any:
    with time_machine.travel(when, tick=False):
        return cases.case_complete(by=by, case=case, result="granted")
