"""The month's patrol report (units signed / not signed), the quotas with who is behind, entry
from the paper sheet, and `import_data patrols`."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command

from govhall.core.errors import DomainError, NotAllowed
from govhall.core.imports import ImportFailed, run_import
from govhall.oversight import selectors, services
from govhall.oversight.choices import LeaderRole, PatrolMethod, QuotaPeriod
from govhall.oversight.models import PatrolSignIn, UnitLeader
from tests.factories import UnitFactory
from tests.oversight.conftest import at

TODAY = at(2016, 12, 20, 12, 0)


def visit(leader, start, end=None):
    with time_machine.travel(TODAY):
        return services.patrol_record(by=None, leader=leader, signed_in_at=start, signed_out_at=end)


# --- the month report -----------------------------------------------------------------------


def test_a_unit_is_signed_when_one_of_its_leaders_signed_in_during_the_month(hall, leaders):
    # given
    visit(leaders.y_head, at(2016, 12, 1, 0, 5))  # 住建局, first minutes of December, never out
    visit(leaders.x_deputy, at(2016, 11, 30, 23, 30))  # 公安局, November only
    visit(leaders.z_deputy, at(2016, 12, 5, 9, 0))  # center B
    idle = UnitFactory(center=hall.a, name="已撤出单位", is_active=False)
    # when
    signed, unsigned = selectors.patrol_units(center=hall.a, month=dt.date(2016, 12, 1))
    # then
    assert [u.name for u in signed] == ["住建局"]
    assert [u.name for u in unsigned] == ["公安局"]
    assert idle not in unsigned
    assert selectors.patrol_units(center=hall.a, month="2016-11")[0] == [hall.x]


def test_the_month_leader_table_counts_visits_and_minutes(hall, leaders):
    visit(leaders.y_deputy, at(2016, 12, 5, 9, 0), at(2016, 12, 5, 10, 30))
    visit(leaders.y_deputy, at(2016, 12, 12, 9, 0), at(2016, 12, 12, 9, 45))
    rows = selectors.patrol_month_leaders(
        user=hall.user("office_a"), center=hall.a, month="2016-12"
    )
    assert [(r.name, r.visits, r.minutes) for r in rows] == [("吴分管", 2, 135)]


# --- quotas ---------------------------------------------------------------------------------


def status(hall, persona="office_a", on=dt.date(2016, 12, 20)):
    return {
        r.leader.name: r
        for r in selectors.patrol_quota_status(user=hall.user(persona), center=hall.a, on=on)
    }


def test_by_default_the_deputy_owes_half_a_day_a_month_and_the_head_half_a_day_a_quarter(
    hall, leaders
):
    # given
    visit(leaders.y_deputy, at(2016, 12, 13, 9, 0), at(2016, 12, 13, 12, 0))  # 180 minutes
    visit(leaders.y_head, at(2016, 11, 10, 9, 0), at(2016, 11, 10, 10, 30))  # 90, same quarter
    visit(leaders.y_head, at(2016, 12, 1, 9, 0), at(2016, 12, 1, 10, 0))  # 60
    visit(leaders.x_deputy, at(2016, 11, 20, 9, 0), at(2016, 11, 20, 13, 0))  # last month
    visit(leaders.x_deputy, at(2016, 12, 19, 9, 0))  # never signed out: no time
    # when
    rows = status(hall)
    # then
    assert (rows["吴分管"].done, rows["吴分管"].behind) == (180, False)
    assert (rows["郑局长"].done, rows["郑局长"].behind, rows["郑局长"].short) == (150, True, 30)
    assert (rows["郑局长"].period_start, rows["郑局长"].period_end) == (
        dt.date(2016, 10, 1),
        dt.date(2016, 12, 31),
    )
    assert (rows["王分管"].done, rows["王分管"].visits, rows["王分管"].open_visits) == (0, 1, 1)
    assert rows["王分管"].behind
    # the leaders behind come first
    ordered = [r.leader.name for r in selectors.patrol_quota_status(
        user=hall.user("office_a"), center=hall.a, on=dt.date(2016, 12, 20)
    )]  # fmt: skip
    assert ordered.index("吴分管") > max(ordered.index("郑局长"), ordered.index("王分管"))


def test_a_center_sets_its_own_quotas(hall, leaders):
    # given
    visit(leaders.y_head, at(2016, 12, 1, 9, 0), at(2016, 12, 1, 11, 0))  # 120
    assert status(hall)["郑局长"].behind
    # when
    services.patrol_quota_set(
        by=hall.user("office_a"), center=hall.a, role=LeaderRole.HEAD,
        period=QuotaPeriod.MONTH, minutes=120,
    )  # fmt: skip
    # then
    row = status(hall)["郑局长"]
    assert (row.required, row.behind, row.period_start) == (120, False, dt.date(2016, 12, 1))
    assert selectors.quotas_of(hall.b)[LeaderRole.HEAD].minutes == 180


@pytest.mark.parametrize("persona", ["chief_x", "leader_y", "office_b"])
def test_only_the_centers_office_sets_quotas(hall, persona):
    with pytest.raises(NotAllowed):
        services.patrol_quota_set(
            by=hall.user(persona), center=hall.a, role=LeaderRole.HEAD,
            period=QuotaPeriod.MONTH, minutes=60,
        )  # fmt: skip


def test_a_quota_of_no_time_is_refused(hall):
    with pytest.raises(DomainError):
        services.patrol_quota_set(
            by=hall.user("office_a"), center=hall.a, role=LeaderRole.HEAD,
            period=QuotaPeriod.MONTH, minutes=0,
        )  # fmt: skip


def test_a_unit_leader_sees_only_the_quotas_of_their_unit(hall, leaders):
    assert set(status(hall, "leader_y")) == {"吴分管", "郑局长"}
    assert status(hall, "office_b") == {}


# --- entry from the paper sheet ----------------------------------------------------------------


def test_the_office_enters_a_visit_from_the_paper_sheet(hall, leaders):
    with time_machine.travel(TODAY):
        entered = services.patrol_record(
            by=hall.user("office_a"),
            leader=leaders.x_deputy,
            signed_in_at=at(2016, 12, 2, 9, 0),
            signed_out_at=at(2016, 12, 2, 11, 0),
        )
    assert (entered.minutes, entered.method) == (120, PatrolMethod.RECORDED)


def test_entries_in_the_future_out_before_in_or_twice_are_refused(hall, leaders):
    office = hall.user("office_a")
    with time_machine.travel(TODAY):
        for start, end in [
            (at(2016, 12, 21, 9, 0), None),
            (at(2016, 12, 2, 9, 0), at(2016, 12, 2, 8, 0)),
        ]:
            with pytest.raises(DomainError):
                services.patrol_record(
                    by=office, leader=leaders.x_deputy, signed_in_at=start, signed_out_at=end
                )
        services.patrol_record(by=office, leader=leaders.x_deputy, signed_in_at=at(2016, 12, 2, 9))
        with pytest.raises(DomainError):
            services.patrol_record(
                by=office, leader=leaders.x_deputy, signed_in_at=at(2016, 12, 2, 9)
            )


@pytest.mark.parametrize("persona", ["chief_x", "leader_y", "office_b", "supervisor_a"])
def test_only_the_office_enters_visits(hall, leaders, persona):
    with time_machine.travel(TODAY), pytest.raises(NotAllowed):
        services.patrol_record(
            by=hall.user(persona), leader=leaders.y_deputy, signed_in_at=at(2016, 12, 2, 9)
        )


# --- leaders ---------------------------------------------------------------------------------


def test_a_login_linked_to_a_leader_must_be_that_units_leader(hall, leaders):
    with pytest.raises(DomainError) as refused:
        services.unit_leader_create(by=None, unit=hall.x, name="新领导", user=hall.user("clerk_x"))
    assert refused.value.field == "user"
    with pytest.raises(DomainError):  # leader_y leads 住建局, not 公安局
        services.unit_leader_update(by=None, leader=leaders.x_deputy, user=hall.user("leader_y"))


def test_a_unit_has_one_leader_of_a_name_and_phones_are_checked(hall, leaders):
    with pytest.raises(DomainError):
        services.unit_leader_create(by=None, unit=hall.y, name="吴分管")
    with pytest.raises(DomainError) as refused:
        services.unit_leader_create(by=None, unit=hall.y, name="新人", phone="12345")
    assert refused.value.field == "phone"


def test_only_the_office_registers_leaders(hall):
    with pytest.raises(NotAllowed):
        services.unit_leader_create(by=hall.user("chief_x"), unit=hall.x, name="新领导")
    leader = services.unit_leader_create(by=hall.user("office_a"), unit=hall.x, name="新领导")
    assert leader.role == LeaderRole.DEPUTY


# --- import_data patrols ------------------------------------------------------------------------


def write(tmp_path, text, name="patrols.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


GOOD = (
    "单位,领导姓名,签到时间,签退时间,职务,领导类别\n"
    "住建局,吴分管,2016-12-13 09:00,2016-12-13 11:30,,\n"
    "公安局,陈新来,2016-12-14 15:00,,副局长,\n"
    "公安局,周一把手,2016-12-15 09:00,2016-12-15 10:00,局长,主要领导\n"
)


def test_import_records_the_paper_sheet_and_registers_new_leaders(hall, leaders, tmp_path):
    # when
    out = StringIO()
    call_command(
        "import_data", "patrols", write(tmp_path, GOOD), "--center", hall.a.name, stdout=out
    )
    # then
    assert PatrolSignIn.objects.filter(method=PatrolMethod.IMPORTED).count() == 3
    assert PatrolSignIn.objects.get(leader=leaders.y_deputy).minutes == 150
    new = UnitLeader.objects.get(unit=hall.x, name="陈新来")
    assert (new.role, new.title) == (LeaderRole.DEPUTY, "副局长")
    assert UnitLeader.objects.get(name="周一把手").role == LeaderRole.HEAD
    signed, _unsigned = selectors.patrol_units(center=hall.a, month="2016-12")
    assert {u.name for u in signed} == {"公安局", "住建局"}
    # and importing the same sheet again changes nothing
    call_command(
        "import_data", "patrols", write(tmp_path, GOOD), "--center", hall.a.name, stdout=out
    )
    assert PatrolSignIn.objects.count() == 3


def test_import_refuses_every_bad_row_and_writes_nothing(hall, leaders, tmp_path):
    bad = (
        "单位,领导姓名,签到时间,签退时间,领导类别\n"
        "住建局,吴分管,2016-12-13 09:00,,\n"  # fine
        "水务局,某领导,2016-12-13 09:00,,\n"  # unknown unit
        "住建局,吴分管,2016/12/13 9点,,\n"  # bad time
        "住建局,吴分管,2099-01-01 09:00,,\n"  # future
        "住建局,郑局长,2016-12-13 09:00,2016-12-13 08:00,\n"  # out before in
        "住建局,吴分管,2016-12-13 09:00,,\n"  # repeats row 2
        "住建局,新人,2016-12-13 09:00,,一把手\n"  # unknown role
        ",,2016-12-13 09:00,,\n"  # names missing
    )
    with pytest.raises(ImportFailed) as refused:
        run_import(kind="patrols", path=Path(write(tmp_path, bad)), center=hall.a)
    rows = {(p.row, p.column) for p in refused.value.problems}
    assert {row for row, _column in rows} == {3, 4, 5, 6, 7, 8, 9}
    assert (3, "单位") in rows
    assert (4, "签到时间") in rows
    assert (6, "签退时间") in rows
    assert (8, "领导类别") in rows
    assert not PatrolSignIn.objects.exists()
    assert not UnitLeader.objects.filter(name="新人").exists()


def test_import_needs_the_three_columns(hall, tmp_path):
    with pytest.raises(CommandError):
        call_command(
            "import_data", "patrols", write(tmp_path, "单位,领导姓名\n住建局,吴分管\n"),
            "--center", hall.a.name, stderr=StringIO(),
        )  # fmt: skip
