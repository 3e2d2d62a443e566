"""A center with a month of everything, grown through the real services, to show that no page
runs a query per row: each page is measured with the world small and again ten times larger.

Every `grow` adds per step one unit (window, two staff on an A/B post, a leader, a published
item with a change under review, an appointment slot) and one of each record a page lists: an
item and a booking at 公安局, cases at 公安局 (open, overdue, completed and rated), a case at the
new unit, consultations, a complaint and a message, a leave, an outing, punches, a patrol
visit, an inspection, a journal entry and an old month's bulletin; then the day's supervision
runs and the month's evaluation is recomputed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
import time_machine

from govhall.bulletins import services as bulletins
from govhall.cases import appointments
from govhall.cases import services as cases
from govhall.catalog import services as catalog
from govhall.catalog.choices import ChangeType
from govhall.evaluation import services as evaluation
from govhall.feedback import services as feedback
from govhall.feedback.choices import FeedbackKind, RatingChannel
from govhall.journal import services as journal
from govhall.journal.choices import EntryKind
from govhall.org import services as org
from govhall.org.choices import StaffRole
from govhall.oversight import services as oversight
from govhall.oversight.choices import ViolationKind
from govhall.staffing import services as staffing
from govhall.staffing.choices import LeaveKind, PunchKind
from govhall.supervision import services as supervision
from tests.cases.conftest import at
from tests.catalog.builders import publish_item
from tests.conftest import Hall
from tests.factories import StaffFactory, UnitFactory, WindowFactory

DECEMBER = dt.date(2016, 12, 1)
NOW = at(2016, 12, 28, 10, 0)  # a Wednesday: the pages are read late in the month
# December 2016's working days before NOW, for spreading the records over the month.
WORKDAYS = [1, 2, 5, 6, 7, 8, 9, 12, 13, 14, 15, 16, 19, 20, 21, 22, 23, 26, 27]
SUPERVISION_DAYS = [dt.date(2016, 12, day) for day in (13, 20, 27)]
SMALL, LARGE = 3, 30


def _day(i: int) -> int:
    return WORKDAYS[i % len(WORKDAYS)]


@dataclass
class World:
    """The hall personas' center A, and what `grow` built in it."""

    hall: Hall
    passport: Any = None
    slot: Any = None  # today's afternoon slot at 公安局, booked once per step
    size: int = 0
    cases: list[Any] = field(default_factory=list)
    units: list[Any] = field(default_factory=list)
    items: list[Any] = field(default_factory=list)

    def grow(self, n: int) -> None:
        """Add `n` of everything, then run the month's supervision and scoring again."""
        for i in range(self.size, self.size + n):
            self._step(i)
        self.size += n
        for day in SUPERVISION_DAYS:
            with time_machine.travel(at(day.year, day.month, day.day, 20, 0), tick=False):
                supervision.supervise_day(by=None, center=self.hall.a, on=day)
        with time_machine.travel(NOW, tick=False):
            evaluation.evaluation_compute(by=None, center=self.hall.a, month=DECEMBER)

    def _step(self, i: int) -> None:
        hall = self.hall
        day = _day(i)
        # the organization: a unit with a window, an A/B post and a leader
        unit = UnitFactory(center=hall.a, name=f"扩展局{i:03d}", position=10 + i)
        window = WindowFactory(unit=unit, name=f"扩展窗口{i:03d}")
        holder = StaffFactory(window=window, name=f"甲{i:03d}")
        backup = StaffFactory(window=window, name=f"乙{i:03d}", role=StaffRole.CHIEF)
        org.post_set(by=None, primary=holder, backup=backup)
        leader = oversight.unit_leader_create(by=None, unit=unit, name=f"领导{i:03d}")
        self.units.append(unit)
        # the catalog: a published item per unit, with a change waiting for review, and one
        # more at 公安局
        with time_machine.travel(at(2016, 9, 1, 9, 0), tick=False):
            item = publish_item(hall.a, unit, code=f"W{i:03d}", name=f"扩展事项{i:03d}")
            publish_item(hall.a, hall.x, code=f"X{i:03d}", name=f"公安事项{i:03d}")
        with time_machine.travel(at(2016, 12, day, 8, 0), tick=False):
            draft = catalog.version_start(
                by=None, item=item, change_type=ChangeType.CHANGE,
                decision_document="随县政办发[2016]55号",
            )  # fmt: skip
            catalog.version_submit(by=None, version=draft)
        self.items.append(item)
        # appointments: a booking for this afternoon at 公安局, a slot opened at the new unit
        with time_machine.travel(at(2016, 12, 27, 9, i % 60), tick=False):
            appointments.appointment_book(
                slot=self.slot, item=self.passport, applicant_name=f"预约人{i:03d}",
                phone=f"139{i:08d}",
            )  # fmt: skip
            appointments.slot_open(
                by=None, unit=unit, date=NOW.date(), start=dt.time(14, 30),
                end=dt.time(15, 30), capacity=5,
            )  # fmt: skip
        # cases: at 公安局 by its clerk (two in three completed and rated, every other one badly;
        # the rest open, the older ones overdue),
        # and one at the new unit
        clerk = hall.user("clerk_x")
        with time_machine.travel(at(2016, 12, day, 9, i % 60), tick=False):
            case = cases.case_receive(
                by=clerk, item=self.passport, applicant_name=f"申请人{i:03d}",
                applicant_id_number="420321198001011234", applicant_phone="13900001234",
            )  # fmt: skip
            case = cases.case_accept(by=clerk, case=case)
            other = cases.case_receive(by=None, item=item, applicant_name=f"群众{i:03d}")
            cases.case_accept(by=None, case=other)
            cases.consultation_log(by=None, unit=hall.x, person_times=2, topic="护照办理流程")
            cases.consultation_log(by=None, unit=unit, topic="办理条件")
        if i % 3 != 2:
            with time_machine.travel(at(2016, 12, day, 15, i % 60), tick=False):
                case = cases.case_complete(by=clerk, case=case, result="granted")
                feedback.rating_submit(
                    case=case, level=1 if i % 2 else 5, channel=RatingChannel.QR,
                    comment="等候时间太长" if i % 2 else "",
                )  # fmt: skip
        self.cases.append(case)
        # the public's complaints and messages
        feedback.feedback_submit(
            center=hall.a, kind=FeedbackKind.COMPLAINT, content=f"第{i}号投诉：窗口人员态度生硬。",
            name="王先生", phone="13812345678", unit=hall.x if i % 2 else unit,
            at=at(2016, 12, day, 11, 0),
        )  # fmt: skip
        feedback.feedback_submit(
            center=hall.a, kind=FeedbackKind.MESSAGE, content=f"第{i}号留言：建议增加停车位。",
            at=at(2016, 12, day, 12, 0),
        )  # fmt: skip
        # staffing: a day's leave, an outing, a day's punches
        staffing.leave_record(
            by=None, staff=holder, kind=LeaveKind.PERSONAL,
            start_date=dt.date(2016, 12, day), end_date=dt.date(2016, 12, day),
        )  # fmt: skip
        staffing.outing_record(
            by=None, staff=backup, out_at=at(2016, 12, day, 9, 30),
            back_at=at(2016, 12, day, 10, 30), reason="送审材料",
        )  # fmt: skip
        staffing.attendance_punches_import(
            by=None, center=hall.a,
            punches=[(backup, at(2016, 12, day, 8, 20), PunchKind.CLOCK_IN),
                     (backup, at(2016, 12, day, 17, 40), PunchKind.CLOCK_OUT),
                     (hall.x_clerk, at(2016, 12, day, 8, 25 + i % 5), PunchKind.CLOCK_IN)],
        )  # fmt: skip
        # oversight and the journal, entered afterwards
        with time_machine.travel(NOW, tick=False):
            oversight.patrol_record(
                by=None, leader=leader, signed_in_at=at(2016, 12, day, 9, 0),
                signed_out_at=at(2016, 12, day, 10, 0),
            )  # fmt: skip
            oversight.inspection_create(
                by=None, center=hall.a, kind=ViolationKind.LATE_OR_EARLY,
                occurred_at=at(2016, 12, day, 9, 5), description="上午九点零五分才到岗。",
                points="1", staff=holder,
            )  # fmt: skip
            self._journal(i, dt.date(2016, 12, day), unit, holder)
            # an old month's bulletin, so the list of issues grows too
            month = dt.date(2013 + i // 12, i % 12 + 1, 1)
            bulletins.bulletin_create(by=None, center=hall.a, month=month)

    def _journal(self, i: int, date: dt.date, unit: Any, staff: Any) -> None:
        fields: dict[str, Any] = [
            {"kind": EntryKind.LEADER_VISIT, "person": "县人大常委会副主任某某一行",
             "content": "到中心大厅巡视。"},
            {"kind": EntryKind.MEDIA_REPORT, "outlet": "湖北日报", "section": "第三版",
             "title": f"报道{i}", "content": "报道了中心优化服务的情况。"},
            {"kind": EntryKind.INFO_SUBMISSION, "unit": unit, "person": staff.name,
             "title": f"信息简报{i}"},
            {"kind": EntryKind.OTHER_WORK, "content": f"第{i}项其他工作。"},
            {"kind": EntryKind.GOOD_DEED, "staff": staff, "content": "午休时间为群众办理手续。"},
        ][i % 5]  # fmt: skip
        journal.journal_entry_create(by=None, center=self.hall.a, date=date, **fields)


@pytest.fixture
def world(hall: Hall, settings: Any, tmp_path: Any) -> World:
    """Center A with SMALL of everything; `world.grow(LARGE - SMALL)` makes it ten times larger."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(at(2016, 9, 1, 9, 0), tick=False):
        passport = publish_item(hall.a, hall.x, code="P001", name="普通护照签发")
    with time_machine.travel(at(2016, 12, 20, 9, 0), tick=False):
        slot = appointments.slot_open(
            by=None, unit=hall.x, date=NOW.date(), start=dt.time(14, 30), end=dt.time(17, 0),
            capacity=100, item=passport,
        )  # fmt: skip
    built = World(hall=hall, passport=passport, slot=slot)
    with time_machine.travel(NOW, tick=False):
        bulletins.bulletin_create(by=None, center=hall.a, month=DECEMBER)
    built.grow(SMALL)
    return built
