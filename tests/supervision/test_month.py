"""The month's figures per unit, on cases handled in the test at frozen moments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from govhall.cases import services as cases
from govhall.supervision import services
from govhall.supervision.selectors import month_totals, month_unit_stats, overdue_cases
from tests.supervision.conftest import accept, at, complete

DECEMBER = dt.date(2016, 12, 1)


@pytest.fixture
def december(hall, passport, on_the_spot, permit, forestry):
    """December 2016 at unit X (passport: 7 working days) and unit Y (permit: 3 days)."""
    clerk, office = hall.user("clerk_x"), hall.user("office_a")
    c = {}
    # accepted Thu 12-01, due Mon 12-12 17:30
    for key in ("early", "last_day", "late", "open"):
        c[key] = accept(clerk, passport, at(2016, 12, 1, 9, 0))
    complete(clerk, c["early"], at(2016, 12, 9, 10, 0))  # 6 working days, before the due day
    complete(clerk, c["last_day"], at(2016, 12, 12, 16, 0))  # 7, on time, not early
    complete(clerk, c["late"], at(2016, 12, 13, 9, 0))  # 8, overdue
    with time_machine.travel(at(2016, 12, 5, 9, 0), tick=False):
        received = cases.case_receive(by=clerk, item=passport, applicant_name="王五")
        c["rejected"] = cases.case_reject(by=clerk, case=received, reason="不属于本机关职权")
    c["immediate"] = accept(clerk, on_the_spot, at(2016, 12, 8, 10, 0))
    complete(clerk, c["immediate"], at(2016, 12, 8, 10, 20))
    c["november"] = accept(clerk, passport, at(2016, 11, 28, 9, 0))  # due 12-07
    complete(clerk, c["november"], at(2016, 12, 2, 15, 0))  # 4 working days, early
    old = accept(clerk, passport, at(2016, 11, 10, 9, 0))
    complete(clerk, old, at(2016, 11, 15, 9, 0))  # all in November
    c["year_end"] = accept(clerk, passport, at(2016, 12, 30, 9, 0))  # due 2017-01-11
    voided = accept(clerk, passport, at(2016, 12, 6, 9, 0))
    with time_machine.travel(at(2016, 12, 6, 9, 5), tick=False):
        cases.case_void(by=clerk, case=voided, reason="误登记")
    c["permit"] = accept(office, permit, at(2016, 12, 5, 9, 0))  # due 12-08
    complete(office, c["permit"], at(2016, 12, 7, 11, 0))  # 2 working days, early
    accept(hall.user("clerk_z"), forestry, at(2016, 12, 5, 9, 0))  # the other center
    # the open case: yellow on Friday 12-09, red on 12-13
    for day in (dt.date(2016, 12, 9), dt.date(2016, 12, 13)):
        services.supervise_day(by=None, center=hall.a, on=day)
    return c


def figures(row):
    return {
        "accepted": row.accepted, "completed": row.completed,
        "immediate": row.completed_immediate, "promised": row.completed_promised,
        "rejected": row.rejected, "on_time_rate": row.on_time_rate, "early_rate": row.early_rate,
        "average_workdays": row.average_workdays, "yellow": row.yellow, "red": row.red,
        "overdue": row.overdue,
    }  # fmt: skip


@time_machine.travel(at(2017, 1, 5, 9, 0), tick=False)
def test_the_month_figures_match_a_hand_count(hall, december):
    rows = month_unit_stats(user=hall.user("office_a"), center=hall.a, month=DECEMBER)
    assert [r.unit for r in rows] == ["公安局", "住建局"]
    x, y = rows
    assert figures(x) == {
        "accepted": 6, "completed": 5, "immediate": 1, "promised": 4, "rejected": 1,
        "on_time_rate": Decimal("75.0"), "early_rate": Decimal("50.0"),
        "average_workdays": Decimal("6.3"),  # (6 + 7 + 8 + 4) / 4
        "yellow": 1, "red": 1, "overdue": 2,
    }  # fmt: skip
    assert figures(y) == {
        "accepted": 1, "completed": 1, "immediate": 0, "promised": 1, "rejected": 0,
        "on_time_rate": Decimal("100.0"), "early_rate": Decimal("100.0"),
        "average_workdays": Decimal("2.0"), "yellow": 0, "red": 0, "overdue": 0,
    }  # fmt: skip
    total = month_totals(rows)
    assert (total.accepted, total.completed, total.completed_promised) == (7, 6, 5)
    assert (total.on_time_rate, total.early_rate, total.average_workdays) == (
        Decimal("80.0"),
        Decimal("60.0"),
        Decimal("5.4"),
    )


@time_machine.travel(at(2017, 1, 5, 9, 0), tick=False)
def test_the_overdue_list_holds_late_and_unfinished_cases(hall, december):
    listed = list(overdue_cases(user=hall.user("office_a"), center=hall.a, month=DECEMBER))
    assert listed == [december["late"], december["open"]]
    november = list(overdue_cases(user=None, center=hall.a, month=dt.date(2016, 11, 1)))
    assert november == []


def test_during_the_month_an_open_case_is_overdue_only_once_its_deadline_has_passed(hall, december):
    with time_machine.travel(at(2016, 12, 12, 12, 0), tick=False):
        assert december["open"] not in overdue_cases(user=None, center=hall.a, month=DECEMBER)
    with time_machine.travel(at(2016, 12, 12, 18, 0), tick=False):  # due at 17:30
        assert december["open"] in overdue_cases(user=None, center=hall.a, month=DECEMBER)


@time_machine.travel(at(2017, 1, 5, 9, 0), tick=False)
def test_unit_roles_see_their_own_unit_and_the_other_center_sees_nothing(hall, december):
    assert [
        r.unit for r in month_unit_stats(user=hall.user("chief_x"), center=hall.a, month=DECEMBER)
    ] == ["公安局"]
    assert month_unit_stats(user=hall.user("clerk_z"), center=hall.a, month=DECEMBER) == []
    (z,) = month_unit_stats(user=None, center=hall.b, month=DECEMBER)
    assert (z.unit, z.accepted, z.completed) == ("林业局", 1, 0)


@time_machine.travel(at(2017, 1, 5, 9, 0), tick=False)
def test_the_month_figures_take_a_fixed_number_of_queries(
    hall, december, django_assert_num_queries
):
    office = hall.user("office_a")
    month_unit_stats(user=office, center=hall.a, month=DECEMBER)  # scope and calendar cached
    with django_assert_num_queries(8):
        month_unit_stats(user=office, center=hall.a, month=DECEMBER)
