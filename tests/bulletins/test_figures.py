"""figures(center, month): every figure against a hand count of the records built in conftest,
and the JSON keys of DESIGN.md §5."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from govhall.bulletins import figures as figures_module
from govhall.bulletins.figures import figures
from govhall.bulletins.services import bulletin_create
from govhall.bulletins.types import CONTRACT_KEYS, JSON_KEYS, MonthFigures, UnitCases
from govhall.core.months import month_bounds, shift_month
from tests.bulletins.conftest import DECEMBER

pytestmark = pytest.mark.usefixtures("after_the_month")


def test_cases_are_counted_over_the_halls_local_month(hall, december):
    # given the month's cases (hand count in conftest)
    # when
    found = figures(hall.a, DECEMBER)
    # then: 4 accepted at 公安局 (07:30 on 12-01 counts, the voided and the refused do not,
    # 23:50 on 12-31 counts, 00:10 on 01-01 does not), 2 at 住建局; center B's case is elsewhere
    assert found.cases.accepted == 6
    # completed: 12-09 and 11-30's case (promised), two on the spot, 住建局's permit
    assert (found.cases.completed, found.cases.completed_immediate) == (5, 2)
    assert found.cases.completed_promised == 3
    assert found.cases.rejected == 1


def test_top_units_and_units_without_cases(hall, december):
    found = figures(hall.a, DECEMBER)
    assert [(u.unit, u.accepted) for u in found.top_units] == [("公安局", 4), ("住建局", 2)]
    assert found.units_without_cases == ("经信局",)
    assert found.active_units == 3


def test_consultations_rank_units_by_person_times(hall, december):
    found = figures(hall.a, DECEMBER)
    assert [(u.unit, u.person_times) for u in found.top_consultation_units] == [
        ("经信局", 6),
        ("住建局", 5),
        ("公安局", 2),
    ]


def test_leave_outings_vacancies(hall, december):
    found = figures(hall.a, DECEMBER)
    # 事假 2 + 病假 1 + 公休 2 (of 4, two in November); the cancelled leave is not counted
    assert (found.leave.person_times, found.leave.days) == (3, Decimal(5))
    assert found.leave_kinds == ("事假", "病假", "公休")
    assert found.outings == 2
    assert [(v.unit, v.count) for v in found.vacancies] == [("公安局", 1)]


def test_patrol_violations_journal_feedback(hall, december):
    found = figures(hall.a, DECEMBER)
    assert found.patrol.signed_units == ("住建局",)
    assert found.patrol.unsigned_units == ("公安局", "经信局")
    # the withdrawn inspection and November's are not named
    assert [(v.date, v.staff, v.kind) for v in found.violations] == [
        (dt.date(2016, 12, 12), "钱办事", "late_or_early")
    ]
    assert found.info_submission_units == ("公安局",)
    assert [s.submitter for s in found.info_submissions] == ["公安局出入境窗口"]
    assert [n.person for n in found.leader_visits] == ["县人大常委会副主任某某一行"]
    assert [n.outlet for n in found.media_reports] == ["湖北日报"]
    assert len(found.other_work) == 1
    assert [(g.staff, g.window) for g in found.good_deeds] == [("孙房产", "住建局房产窗口")]
    assert (found.complaints, found.messages) == (1, 1)


def test_the_trend_covers_twelve_months_ending_with_the_month(hall, december):
    found = figures(hall.a, DECEMBER)
    assert [p.month for p in found.trend][0] == dt.date(2016, 1, 1)
    assert [p.month for p in found.trend][-1] == DECEMBER
    by_month = {p.month: (p.accepted, p.completed) for p in found.trend}
    assert by_month[DECEMBER] == (6, 5)
    assert by_month[dt.date(2016, 11, 1)] == (1, 0)


def test_the_json_has_the_design_keys(hall, december):
    data = figures(hall.a, DECEMBER).as_json()
    assert tuple(data)[: len(CONTRACT_KEYS)] == CONTRACT_KEYS
    assert set(data) == set(JSON_KEYS)
    assert data["month"] == "2016-12"
    assert data["issue"] == "测试政务服务【2016】第1期"
    assert set(data["cases"]) == {
        "accepted", "completed", "completed_immediate", "completed_promised", "rejected"
    }  # fmt: skip
    assert data["top_units"] == [
        {"unit": "公安局", "accepted": 4},
        {"unit": "住建局", "accepted": 2},
    ]
    assert data["top_consultation_units"][0] == {"unit": "经信局", "person_times": 6}
    assert data["leave"] == {"person_times": 3, "days": 5}
    assert data["patrol"] == {"signed_units": ["住建局"], "unsigned_units": ["公安局", "经信局"]}
    assert data["awards"] == {"red_flag_units": [], "star_chiefs": [], "service_stars": []}
    assert data["unavailable"] == []


def test_the_json_round_trips(hall, december):
    found = figures(hall.a, DECEMBER)
    assert MonthFigures.from_json(found.as_json()).as_json() == found.as_json()


def test_the_issue_number_is_the_bulletins_or_the_next_of_the_year(hall, december):
    assert figures(hall.a, DECEMBER).number == 1
    bulletin_create(by=None, center=hall.a, month="2016-11", number=7)
    assert figures(hall.a, DECEMBER).number == 8
    bulletin_create(by=None, center=hall.a, month=DECEMBER, number=12)
    assert figures(hall.a, DECEMBER).issue == "测试政务服务【2016】第12期"
    assert figures(hall.a, "2017-01").number == 1  # numbering restarts each year


def test_awards_come_from_the_evaluation_app_when_confirmed(hall, december, monkeypatch):
    import govhall.evaluation.selectors as evaluation

    monkeypatch.setattr(
        evaluation,
        "awards_for",
        lambda *, center, month: {
            "red_flag_units": ["公安局"],
            "star_chiefs": ["赵首席"],
            "service_stars": ["钱办事", "孙房产"],
        },
    )
    found = figures(hall.a, DECEMBER)
    assert found.awards.red_flag_units == ("公安局",)
    assert found.awards.service_stars == ("钱办事", "孙房产")


def test_unconfirmed_awards_are_empty(hall, december, monkeypatch):
    import govhall.evaluation.selectors as evaluation

    class Pending:
        confirmed = False
        red_flag_units = ("公安局",)

    monkeypatch.setattr(evaluation, "awards_for", lambda *, center, month: Pending())
    assert figures(hall.a, DECEMBER).awards.red_flag_units == ()


def test_top_units_break_ties_by_the_halls_order_and_stop_at_five():
    rows = [UnitCases(f"单位{i}", i, accepted=n) for i, n in enumerate((3, 9, 3, 1, 5, 2, 7))]
    ranked = figures_module.rank_units(rows, order_of={i: 10 - i for i in range(7)})
    assert [u.unit for u in ranked] == ["单位1", "单位6", "单位4", "单位2", "单位0"]


def test_month_bounds_are_local_midnights():
    start, end = month_bounds(DECEMBER)
    assert start.isoformat() == "2016-12-01T00:00:00+08:00"
    assert end.isoformat() == "2017-01-01T00:00:00+08:00"
    assert shift_month(DECEMBER, -11) == dt.date(2016, 1, 1)


def test_the_figures_take_as_many_queries_for_more_records(hall, december, passport):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from govhall.cases import services as cases
    from govhall.journal import services as journal
    from tests.bulletins.conftest import accept, at, d

    figures(hall.a, DECEMBER)  # the working-day calendar is loaded once per process
    with CaptureQueriesContext(connection) as before:
        figures(hall.a, DECEMBER)
    # given more records of every kind the figures read
    for day in (13, 14, 15):
        accept(hall.user("clerk_x"), passport, at(2016, 12, day, 9, 0))
    cases.consultation_log(by=None, unit=hall.y, person_times=3)
    journal.journal_entry_create(
        by=None, center=hall.a, kind="info_submission", date=d("2016-12-20"), unit=hall.y,
        person="孙房产", title="第二条信息",
    )  # fmt: skip
    with CaptureQueriesContext(connection) as after:
        found = figures(hall.a, DECEMBER)
    assert found.cases.accepted == 9
    assert len(after) == len(before) <= 35
