"""December 2016 in center A, built through every app's services at frozen moments, so each
sentence of the bulletin can be checked against a hand count.

Units: 公安局 (X, position 1, window 出入境窗口), 住建局 (Y, position 2, window 房产窗口),
经信局 (W, position 3: consultations, never a case). Center B holds a case that must not count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine

from govhall.cases import services as cases
from govhall.feedback import services as feedback
from govhall.journal import services as journal
from govhall.journal.choices import EntryKind
from govhall.org import services as org
from govhall.oversight import services as oversight
from govhall.oversight.choices import LeaderRole, ViolationKind
from govhall.staffing import services as staffing
from govhall.staffing.choices import LeaveKind, LeaveStatus
from tests.factories import StaffFactory, UnitFactory, WindowFactory
from tests.supervision import conftest as supervision
from tests.supervision.conftest import accept, at, complete

# The supervision tests' published items, shared as fixtures here.
passport = supervision.passport
on_the_spot = supervision.on_the_spot
permit = supervision.permit
forestry = supervision.forestry

DECEMBER = dt.date(2016, 12, 1)
AFTER = at(2017, 1, 5, 9, 0)  # when the bulletin is written


@dataclass
class Month:
    """What the fixture built, for the tests to refer to."""

    w: Any  # 经信局
    w_clerk: Any
    cases: dict[str, Any]


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture
def quiet_unit(hall: Any) -> Any:
    """经信局 (position 3) with its window and one clerk; 公安局 and 住建局 come first."""
    hall.x.position, hall.y.position = 1, 2
    hall.x.save()
    hall.y.save()
    w = UnitFactory(center=hall.a, name="经信局", position=3)
    window = WindowFactory(unit=w, name="经信窗口")
    return w, StaffFactory(window=window, name="冯经信")


def _cases(
    hall: Any, passport: Any, on_the_spot: Any, permit: Any, forestry: Any
) -> dict[str, Any]:
    clerk, office = hall.user("clerk_x"), hall.user("office_a")
    c: dict[str, Any] = {}
    # 07:30 on 12-01 in Shanghai is 23:30 on 11-30 in UTC: December by the hall's clock.
    c["dawn"] = accept(clerk, passport, at(2016, 12, 1, 7, 30))
    complete(clerk, c["dawn"], at(2016, 12, 9, 10, 0))  # promised, completed in December
    # 23:30 on 11-30 in Shanghai: November, though completed in December.
    c["november"] = accept(clerk, passport, at(2016, 11, 30, 23, 30))
    complete(clerk, c["november"], at(2016, 12, 5, 15, 0))
    for key in ("spot1", "spot2"):
        c[key] = accept(clerk, on_the_spot, at(2016, 12, 8, 10, 0))
        complete(clerk, c[key], at(2016, 12, 8, 10, 20))  # immediate
    c["year_end"] = accept(clerk, on_the_spot, at(2016, 12, 31, 23, 50))  # still December
    c["new_year"] = accept(clerk, on_the_spot, at(2017, 1, 1, 0, 10))  # January
    with time_machine.travel(at(2016, 12, 5, 9, 0), tick=False):
        received = cases.case_receive(by=clerk, item=passport, applicant_name="王五")
        c["rejected"] = cases.case_reject(by=clerk, case=received, reason="不属于本机关职权")
    c["voided"] = accept(clerk, passport, at(2016, 12, 6, 9, 0))
    with time_machine.travel(at(2016, 12, 6, 9, 5), tick=False):
        cases.case_void(by=clerk, case=c["voided"], reason="误登记")
    c["permit"] = accept(office, permit, at(2016, 12, 5, 9, 0))
    complete(office, c["permit"], at(2016, 12, 7, 11, 0))  # promised
    c["permit_open"] = accept(office, permit, at(2016, 12, 12, 9, 0))
    c["other_center"] = accept(hall.user("clerk_z"), forestry, at(2016, 12, 5, 9, 0))
    return c


def _consultations(hall: Any, w: Any) -> None:
    for when, unit, n in (
        (at(2016, 12, 6, 9, 0), w, 4),
        (at(2016, 12, 6, 15, 0), w, 2),  # 经信局: 6 in December
        (at(2016, 12, 8, 10, 0), hall.y, 5),  # 住建局: 5
        (at(2016, 12, 7, 10, 0), hall.x, 2),  # 公安局: 2
        (at(2016, 11, 29, 10, 0), w, 10),  # November
    ):
        with time_machine.travel(when, tick=False):
            cases.consultation_log(by=None, unit=unit, person_times=n, topic="办理流程")


def _staffing(hall: Any) -> None:
    # 事假 2 days, 病假 1 day, 公休 from 11-29: 2 of its 4 working days in December → 3 and 5.
    staffing.leave_record(by=None, staff=hall.x_clerk, kind=LeaveKind.PERSONAL,
                          start_date=d("2016-12-05"), end_date=d("2016-12-06"))  # fmt: skip
    staffing.leave_record(by=None, staff=hall.y_clerk, kind=LeaveKind.SICK,
                          start_date=d("2016-12-08"), end_date=d("2016-12-08"))  # fmt: skip
    staffing.leave_record(by=None, staff=hall.x_chief, kind=LeaveKind.ANNUAL,
                          start_date=d("2016-11-29"), end_date=d("2016-12-02"))  # fmt: skip
    staffing.leave_record(by=None, staff=hall.y_clerk, kind=LeaveKind.PERSONAL,
                          start_date=d("2016-12-20"), end_date=d("2016-12-20"),
                          status=LeaveStatus.CANCELLED)  # fmt: skip
    for staff, out, back in (
        (hall.x_chief, at(2016, 12, 7, 9, 30), at(2016, 12, 7, 11, 0)),
        (hall.y_clerk, at(2016, 12, 14, 14, 30), at(2016, 12, 14, 15, 30)),
        (hall.y_clerk, at(2016, 11, 14, 14, 30), at(2016, 11, 14, 15, 30)),  # November
    ):
        staffing.outing_record(by=None, staff=staff, out_at=out, back_at=back, reason="送审材料")
    # 12-05: 钱办事 (A) on leave, 赵首席 (his B) never clocks in: 公安局's window is empty.
    org.post_set(by=None, primary=hall.x_clerk, backup=hall.x_chief)
    staffing.attendance_punches_import(
        by=None, center=hall.a, punches=[(hall.y_clerk, at(2016, 12, 5, 8, 20), "clock_in")]
    )
    with time_machine.travel(at(2016, 12, 5, 20, 0), tick=False):
        staffing.vacancies_record(center=hall.a, date=d("2016-12-05"))


def _oversight(hall: Any) -> None:
    y_leader = oversight.unit_leader_create(
        by=None, unit=hall.y, name="吴分管", title="副局长", role=LeaderRole.DEPUTY
    )
    x_leader = oversight.unit_leader_create(
        by=None, unit=hall.x, name="郑分管", title="副局长", role=LeaderRole.DEPUTY
    )
    oversight.patrol_record(
        by=None, leader=y_leader, signed_in_at=at(2016, 12, 13, 9, 0),
        signed_out_at=at(2016, 12, 13, 11, 0),
    )  # fmt: skip
    oversight.patrol_record(  # November: 公安局 did not sign in in December
        by=None, leader=x_leader, signed_in_at=at(2016, 11, 20, 9, 0)
    )
    oversight.inspection_create(
        by=None, center=hall.a, kind=ViolationKind.LATE_OR_EARLY,
        occurred_at=at(2016, 12, 12, 9, 5), description="上午九点零五分才到岗。", points="1",
        staff=hall.x_clerk,
    )  # fmt: skip
    withdrawn = oversight.inspection_create(
        by=None, center=hall.a, kind=ViolationKind.OFF_POST,
        occurred_at=at(2016, 12, 13, 15, 0), description="离岗。", points="2", staff=hall.y_clerk,
    )  # fmt: skip
    oversight.inspection_withdraw(by=None, inspection=withdrawn, reason="已办理外出登记")
    oversight.inspection_create(
        by=None, center=hall.a, kind=ViolationKind.TV_OR_CHAT,
        occurred_at=at(2016, 11, 28, 10, 0), description="聊天。", points="1", staff=hall.y_clerk,
    )  # fmt: skip


def _journal(hall: Any) -> None:
    def add(**fields: Any) -> None:
        journal.journal_entry_create(by=None, center=hall.a, **fields)

    add(kind=EntryKind.LEADER_VISIT, date=d("2016-12-02"), person="县人大常委会副主任某某一行",
        content="到县政务服务中心大厅巡视，对大厅内部环境提出了意见。")  # fmt: skip
    add(kind=EntryKind.MEDIA_REPORT, date=d("2016-12-08"), outlet="湖北日报", section="第三版",
        title="服务群众的“最后一公里”", content="以图文形式报道了中心优化服务的情况。")  # fmt: skip
    add(kind=EntryKind.OTHER_WORK, date=d("2016-12-15"),
        content="12月中旬，中心大厅电子政务公开触摸屏投入运行。")  # fmt: skip
    add(kind=EntryKind.INFO_SUBMISSION, date=d("2016-12-09"), unit=hall.x, person="钱办事",
        title="出入境窗口信息简报")  # fmt: skip
    add(kind=EntryKind.INFO_SUBMISSION, date=d("2016-11-09"), unit=hall.y, person="孙房产",
        title="十一月的信息")  # fmt: skip
    add(kind=EntryKind.GOOD_DEED, date=d("2016-12-14"), staff=hall.y_clerk,
        content="利用午休时间为群众办理房产交易手续。")  # fmt: skip


def _feedback(hall: Any) -> None:
    feedback.feedback_submit(
        center=hall.a, kind="complaint", content="窗口人员态度不好，等了很久。", name="李四",
        phone="13900002222", unit=hall.x, at=at(2016, 12, 10, 10, 0),
    )  # fmt: skip
    feedback.feedback_submit(
        center=hall.a, kind="message", content="建议增加停车位，方便办事群众。",
        at=at(2016, 12, 11, 10, 0),
    )  # fmt: skip
    feedback.feedback_submit(
        center=hall.a, kind="message", content="十一月份的一条留言内容。",
        at=at(2016, 11, 11, 10, 0),
    )  # fmt: skip


@pytest.fixture
def december(
    hall: Any, quiet_unit: Any, passport: Any, on_the_spot: Any, permit: Any, forestry: Any
) -> Month:
    """The month as the table in test_sentences.py counts it by hand."""
    w, w_clerk = quiet_unit
    built = _cases(hall, passport, on_the_spot, permit, forestry)
    _consultations(hall, w)
    _staffing(hall)
    with time_machine.travel(AFTER, tick=False):
        _oversight(hall)
        _journal(hall)
    _feedback(hall)
    return Month(w=w, w_clerk=w_clerk, cases=built)


@pytest.fixture
def after_the_month() -> Any:
    with time_machine.travel(AFTER, tick=False):
        yield
