"""A case's deadline counts on its own center's calendar (issue 15, point 3)."""

from __future__ import annotations

import datetime as dt

import time_machine

from govhall.cases import services
from govhall.core.calendar import calendar_day_set
from govhall.staffing.services import plan_leave_parts
from tests.cases.conftest import at
from tests.catalog.builders import publish_item

LOCAL_CLOSING = dt.date(2016, 12, 5)  # Monday


def _accepted(hall, item, persona):
    with time_machine.travel(at(2016, 12, 1, 9, 0)):
        case = services.case_receive(
            by=hall.user(persona), item=item, applicant_name="张三", applicant_phone="13900001234"
        )
        return services.case_accept(by=hall.user(persona), case=case)


def test_a_local_closing_day_moves_its_centers_deadlines_and_not_anothers(hall, passport):
    # given the same promised item (7 working days) in A and in B, and A closed on Monday 12-05
    with time_machine.travel(at(2016, 9, 1, 9, 0)):
        forestry = publish_item(hall.b, hall.z, code="Z001", name="林木采伐许可")
    calendar_day_set(
        by=hall.user("office_a"), center=hall.a, date=LOCAL_CLOSING, is_workday=False, name="停电"
    )
    # when both accept an application on Thursday 12-01
    in_a = _accepted(hall, passport, "clerk_x")
    in_b = _accepted(hall, forestry, "clerk_z")
    # then A's case is due a working day later
    assert in_a.due_date == dt.date(2016, 12, 13)
    assert in_b.due_date == dt.date(2016, 12, 12)


def test_a_centers_extra_working_saturday_shortens_its_deadlines(hall, passport):
    # given A works on Saturday 12-03
    calendar_day_set(
        by=hall.user("office_a"), center=hall.a, date=dt.date(2016, 12, 3), is_workday=True
    )
    # when
    case = _accepted(hall, passport, "clerk_x")
    # then
    assert case.due_date == dt.date(2016, 12, 9)


def test_leave_over_a_local_closing_day_takes_no_working_day_for_it(hall):
    # given A closed on Monday 12-05
    calendar_day_set(by=hall.user("office_a"), center=hall.a, date=LOCAL_CLOSING, is_workday=False)
    # when a leave from Monday to Tuesday is planned in A and in B
    in_a = plan_leave_parts(staff=hall.x_clerk, span="days", start_date=LOCAL_CLOSING,
                            end_date=dt.date(2016, 12, 6))  # fmt: skip
    in_b = plan_leave_parts(staff=hall.z_clerk, span="days", start_date=LOCAL_CLOSING,
                            end_date=dt.date(2016, 12, 6))  # fmt: skip
    # then
    assert [part.date for part in in_a] == [dt.date(2016, 12, 6)]
    assert [part.date for part in in_b] == [LOCAL_CLOSING, dt.date(2016, 12, 6)]
