"""Attendance: clocking in from the hall's network only, office entries, terminal imports, the
monthly sheet (page, XLSX, print) and who may see it."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import time_machine
from openpyxl import load_workbook

from govhall.core.errors import DomainError, NotAllowed
from govhall.core.imports import ImportFailed, run_import
from govhall.core.models import AuditEntry
from govhall.staffing import selectors, services
from govhall.staffing.choices import DayStatus, PunchKind, PunchSource
from govhall.staffing.models import AttendanceRecord
from tests.staffing.conftest import approved, at

OUTSIDE = "203.0.113.9"
DECEMBER = dt.date(2016, 12, 1)


@pytest.fixture
def hall_network(hall):
    services.attendance_settings_update(
        by=hall.user("office_a"), center=hall.a, networks="192.168.10.0/24"
    )


# --- clocking in and out -----------------------------------------------------------------------


def test_a_clerk_clocks_in_from_the_halls_network(hall, hall_network):
    with time_machine.travel(at(2016, 12, 8, 8, 21), tick=False):
        record = services.attendance_clock(
            by=hall.user("clerk_x"), kind=PunchKind.CLOCK_IN, remote_addr="192.168.10.31"
        )
    assert (record.staff, record.source, record.date) == (
        hall.x_clerk,
        PunchSource.SELF,
        dt.date(2016, 12, 8),
    )
    assert AuditEntry.objects.filter(action="attendance.punch", object_id=str(record.pk)).exists()


def test_clocking_in_from_outside_the_halls_network_is_refused_with_the_address(hall, hall_network):
    with (
        time_machine.travel(at(2016, 12, 8, 8, 21), tick=False),
        pytest.raises(DomainError, match=OUTSIDE),
    ):
        services.attendance_clock(
            by=hall.user("clerk_x"), kind=PunchKind.CLOCK_IN, remote_addr=OUTSIDE
        )
    assert not AttendanceRecord.objects.exists()


def test_the_page_refuses_a_clock_in_from_outside_and_says_why(login, hall):
    client = login("clerk_x")
    with time_machine.travel(at(2016, 12, 8, 8, 21), tick=False):
        page = client.get("/staffing/me/", REMOTE_ADDR=OUTSIDE)
        assert OUTSIDE in page.content.decode()
        response = client.post(
            "/staffing/me/clock/", {"kind": "clock_in"}, REMOTE_ADDR=OUTSIDE, follow=True
        )
    assert OUTSIDE in response.content.decode()
    assert not AttendanceRecord.objects.exists()
    with time_machine.travel(at(2016, 12, 8, 8, 22), tick=False):
        client.post("/staffing/me/clock/", {"kind": "clock_in"}, REMOTE_ADDR="127.0.0.1")
    assert AttendanceRecord.objects.get().remote_addr == "127.0.0.1"


def test_a_second_clock_in_on_the_same_day_is_refused(hall):
    with time_machine.travel(at(2016, 12, 8, 8, 21), tick=False):
        services.attendance_clock(
            by=hall.user("clerk_x"), kind=PunchKind.CLOCK_IN, remote_addr="127.0.0.1"
        )
    with (
        time_machine.travel(at(2016, 12, 8, 9, 0), tick=False),
        pytest.raises(DomainError, match="08:21"),
    ):
        services.attendance_clock(
            by=hall.user("clerk_x"), kind=PunchKind.CLOCK_IN, remote_addr="127.0.0.1"
        )


def test_an_account_without_a_staff_record_cannot_clock(hall):
    with pytest.raises(DomainError):
        services.attendance_clock(
            by=hall.user("office_a"), kind=PunchKind.CLOCK_IN, remote_addr="127.0.0.1"
        )


def test_the_settings_refuse_a_malformed_network(hall):
    with pytest.raises(DomainError, match="192.168.300.0") as refused:
        services.attendance_settings_update(
            by=hall.user("office_a"), center=hall.a, networks="192.168.300.0/24"
        )
    assert refused.value.field == "networks"
    with pytest.raises(NotAllowed):
        services.attendance_settings_update(
            by=hall.user("chief_x"), center=hall.a, networks="10.0.0.0/8"
        )


# --- office entries ----------------------------------------------------------------------------


def test_the_office_records_a_punch_for_someone_with_a_reason(hall):
    with time_machine.travel(at(2016, 12, 8, 12, 0), tick=False):
        with pytest.raises(DomainError) as refused:
            services.attendance_record_add(
                by=hall.user("office_a"), staff=hall.x_clerk, kind=PunchKind.CLOCK_IN,
                at=at(2016, 12, 8, 8, 25), note="",
            )  # fmt: skip
        assert refused.value.field == "note"
        record = services.attendance_record_add(
            by=hall.user("office_a"), staff=hall.x_clerk, kind=PunchKind.CLOCK_IN,
            at=at(2016, 12, 8, 8, 25), note="考勤机故障",
        )  # fmt: skip
    assert record.source == PunchSource.OFFICE
    with pytest.raises(NotAllowed):
        services.attendance_record_add(
            by=hall.user("office_b"), staff=hall.x_clerk, kind=PunchKind.CLOCK_IN,
            at=at(2016, 12, 8, 8, 26), note="乙中心",
        )  # fmt: skip


# --- terminal import -------------------------------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "terminal.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    return path


@pytest.fixture
def numbered(hall):
    hall.x_clerk.staff_no = "A0102"
    hall.x_clerk.save()
    return hall.x_clerk


def test_a_terminal_export_is_imported_by_staff_number_or_name(hall, numbered, tmp_path):
    path = write(
        tmp_path,
        "工号,姓名,时间\nA0102,,2016-12-08 08:21:07\n,孙房产,2016/12/08 08:29\nA0102,,2016-12-08 17:36\n",
    )
    result = run_import(kind="attendance", path=path, center=hall.a)
    assert result.created == 3
    kinds = list(
        AttendanceRecord.objects.order_by("at").values_list("staff__name", "kind", "source")
    )
    assert kinds == [
        ("钱办事", "clock_in", "terminal"),
        ("孙房产", "clock_in", "terminal"),
        ("钱办事", "clock_out", "terminal"),
    ]
    # the same export again adds nothing
    assert run_import(kind="attendance", path=path, center=hall.a).created == 0


def test_a_terminal_export_with_bad_rows_imports_nothing_and_names_each_row(
    hall, numbered, tmp_path
):
    path = write(
        tmp_path,
        "工号,姓名,时间\nA0102,,2016-12-08 08:21\nZ9999,,2016-12-08 08:22\n,无此人,2016-12-08 08:23\n"
        "A0102,,昨天早上\n",
    )
    with pytest.raises(ImportFailed) as failed:
        run_import(kind="attendance", path=path, center=hall.a)
    problems = [(p.row, p.column) for p in failed.value.problems]
    assert problems == [(3, "工号"), (4, "姓名"), (5, "时间")]
    assert not AttendanceRecord.objects.exists()


def test_staff_of_another_center_are_unknown_to_an_import(hall, tmp_path):
    path = write(tmp_path, "姓名,时间\n李林业,2016-12-08 08:21\n")
    with pytest.raises(ImportFailed):
        run_import(kind="attendance", path=path, center=hall.a)


# --- the monthly sheet ----------------------------------------------------------------------------


@pytest.fixture
def december(hall):
    """A few days of unit X in December 2016."""
    punches = [
        (hall.x_clerk, at(2016, 12, 1, 8, 25), "clock_in"),
        (hall.x_clerk, at(2016, 12, 1, 17, 31), "clock_out"),
        (hall.x_clerk, at(2016, 12, 2, 8, 47), "clock_in"),  # 17 minutes late
        (hall.x_clerk, at(2016, 12, 2, 17, 40), "clock_out"),
        (hall.x_chief, at(2016, 12, 1, 8, 10), "clock_in"),
        (hall.x_chief, at(2016, 12, 1, 17, 5), "clock_out"),  # 25 minutes early
        (hall.y_clerk, at(2016, 12, 5, 8, 20), "clock_in"),  # unit Y kept 12-05's record
    ]
    services.attendance_punches_import(by=None, center=hall.a, punches=punches)
    approved(hall.x_chief, "2016-12-02")


def test_each_day_resolves_for_each_person(hall, december):
    with time_machine.travel(at(2016, 12, 5, 20, 0), tick=False):
        sheet = selectors.attendance_sheet(center=hall.a, unit=hall.x, month=DECEMBER)
    rows = {row.staff.name: row for row in sheet.rows}
    clerk, chief = rows["钱办事"], rows["赵首席"]
    assert [c.result.status for c in clerk.cells[:5]] == [
        DayStatus.ON_TIME, DayStatus.LATE, DayStatus.OFF, DayStatus.OFF, DayStatus.ABSENT,
    ]  # fmt: skip
    assert clerk.cells[1].result.late_minutes == 17
    assert (clerk.totals.late, clerk.totals.late_minutes, clerk.totals.absent) == (1, 17, 1)
    assert [c.result.status for c in chief.cells[:2]] == [DayStatus.LEFT_EARLY, DayStatus.LEAVE]
    assert chief.totals.leave_days == 1
    assert clerk.cells[10].result.status == DayStatus.PENDING  # after today


def test_a_day_nobody_in_the_hall_punched_was_not_recorded_and_nobody_is_absent(hall, december):
    with time_machine.travel(at(2016, 12, 7, 20, 0), tick=False):
        sheet = selectors.attendance_sheet(center=hall.a, unit=hall.x, month=DECEMBER)
    clerk = next(row for row in sheet.rows if row.staff == hall.x_clerk)
    assert clerk.cells[4].result.status == DayStatus.ABSENT  # 12-05: others punched
    assert clerk.cells[5].result.status == DayStatus.PENDING  # 12-06: no record at all
    assert clerk.totals.absent == 1


def test_the_sheet_page_prints_and_exports_xlsx(login, hall, december):
    client = login("office_a")
    with time_machine.travel(at(2016, 12, 5, 20, 0), tick=False):
        page = client.get(f"/staffing/attendance/?unit={hall.x.pk}&month=2016-12")
        export = client.get(f"/staffing/attendance/sheet.xlsx?unit={hall.x.pk}&month=2016-12")
    text = page.content.decode()
    assert page.status_code == 200
    assert "钱办事" in text
    assert "data-print" in text
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(export.content)).active
    names = [sheet.cell(row=r, column=1).value for r in range(3, 5)]
    assert set(names) == {"钱办事", "赵首席"}
    assert sheet.cell(row=2, column=2).value == "1"
    assert sheet.page_setup.orientation == "landscape"


def test_a_unit_leader_sees_only_their_units_sheet(login, hall, december):
    client = login("leader_y")
    assert client.get(f"/staffing/attendance/?unit={hall.x.pk}&month=2016-12").status_code == 404
    assert client.get(f"/staffing/attendance/?unit={hall.y.pk}&month=2016-12").status_code == 200
    assert login("office_b").get(f"/staffing/attendance/?unit={hall.x.pk}").status_code == 404


def test_a_window_clerk_has_their_own_page_but_not_the_units_sheet(login, hall):
    client = login("clerk_x")
    assert client.get("/staffing/me/").status_code == 200
    assert client.get("/staffing/attendance/").status_code == 403
    assert client.get("/staffing/attendance/?month=nonsense").status_code == 403


def test_the_sheet_refuses_a_malformed_month(login, hall):
    assert login("office_a").get("/staffing/attendance/?month=2016-13").status_code == 400


def test_the_office_records_a_punch_on_the_page(login, hall):
    client = login("office_a")
    with time_machine.travel(at(2016, 12, 8, 12, 0), tick=False):
        response = client.post(
            "/staffing/attendance/add/",
            {
                "staff": hall.x_clerk.pk, "kind": "clock_in", "date": "2016-12-08",
                "time": "08:25", "note": "考勤机故障",
            },
        )  # fmt: skip
    assert response.status_code == 302
    assert AttendanceRecord.objects.get().note == "考勤机故障"
