"""Staffing pages: asking for leave, signing it, the stamped note, who sees what, imports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine

from govhall.core.imports import ImportFailed, run_import
from govhall.staffing import selectors, services
from govhall.staffing.choices import LeaveKind, LeaveStatus
from govhall.staffing.models import Leave
from tests.staffing.conftest import at, scan


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(at(2016, 12, 5, 10, 0), tick=False):
        yield


def request_two_days(client, **extra):
    return client.post(
        "/staffing/leave/new/",
        {
            "kind": LeaveKind.PERSONAL, "mode": "days", "start_date": "2016-12-12",
            "end_date": "2016-12-13", "reason": "家中有事", **extra,
        },
    )  # fmt: skip


def test_a_clerk_asks_for_leave_with_the_stamped_note_and_the_chief_signs(login, hall):
    clerk = login("clerk_x")
    response = request_two_days(clerk, staff=hall.x_clerk.pk, note_scan=scan())
    leave = Leave.objects.get()
    assert response.status_code == 302
    assert (leave.staff, leave.days, bool(leave.note_scan)) == (hall.x_clerk, 2, True)
    assert clerk.get(f"/staffing/leave/{leave.pk}/note/file/")["Content-Type"] == "application/pdf"
    chief = login("chief_x")
    page = chief.get(f"/staffing/leave/{leave.pk}/")
    assert page.context["signing"].allowed
    assert [t.total for t in page.context["totals"]] == [Decimal(2)]
    chief.post(f"/staffing/leave/{leave.pk}/approve/", {"note": "同意"})
    leave.refresh_from_db()
    assert leave.step == "office"


def test_a_clerk_cannot_ask_for_a_colleague(login, hall):
    request_two_days(login("clerk_x"), staff=hall.x_chief.pk)
    assert not Leave.objects.exists()


def test_a_bad_note_file_refuses_the_whole_request_on_the_form(login, hall):
    response = request_two_days(
        login("clerk_x"), staff=hall.x_clerk.pk, note_scan=scan("x.pdf", b"not a pdf")
    )
    assert response.status_code == 200
    assert "note_scan" in response.context["form"].errors
    assert not Leave.objects.exists()


def test_approving_without_the_note_shows_why_on_the_page(login, hall):
    request_two_days(login("clerk_x"), staff=hall.x_clerk.pk)
    leave = Leave.objects.get()
    chief = login("chief_x")
    response = chief.post(f"/staffing/leave/{leave.pk}/approve/", {"note": ""}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("钱办事" in m for m in messages)
    assert Leave.objects.get().status == LeaveStatus.PENDING


def test_the_office_sees_what_awaits_its_signature(login, hall):
    leave = services.leave_request(
        by=hall.user("chief_x"), staff=hall.x_chief, kind=LeaveKind.SICK,
        start_date=dt.date(2016, 12, 12),
    )  # fmt: skip
    page = login("office_a").get("/staffing/leave/")
    assert [item.pk for item in page.context["awaiting"]] == [leave.pk]
    assert login("chief_x").get("/staffing/leave/").context["awaiting"] == []


def test_leave_of_another_unit_or_center_is_invisible(login, hall):
    leave = services.leave_request(
        by=hall.user("office_a"), staff=hall.y_clerk, kind=LeaveKind.PERSONAL,
        start_date=dt.date(2016, 12, 12),
    )  # fmt: skip
    assert login("chief_x").get(f"/staffing/leave/{leave.pk}/").status_code == 404
    assert login("clerk_x").get(f"/staffing/leave/{leave.pk}/").status_code == 404
    assert login("office_b").get(f"/staffing/leave/{leave.pk}/").status_code == 404
    assert login("leader_y").get(f"/staffing/leave/{leave.pk}/").status_code == 200
    listed = login("chief_x").get("/staffing/leave/").context["page"].paginator.count
    assert listed == 0
    assert login("clerk_z").get("/staffing/leave/").status_code == 403


def test_my_page_shows_my_month_and_the_clock_buttons(login, hall):
    page = login("clerk_x").get("/staffing/me/?month=2016-12")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'value="clock_in"' in text
    assert len(page.context["row"].cells) == 31
    assert login("office_a").get("/staffing/me/").status_code == 404  # no staff record


@pytest.mark.parametrize(
    "url",
    [
        "/staffing/leave/",
        "/staffing/leave/new/",
        "/staffing/outings/",
        "/staffing/outings/new/",
        "/staffing/vacancies/",
        "/staffing/hours/",
        "/staffing/hours/new/",
        "/staffing/leave/rules/",
        "/staffing/leave/rules/new/",
        "/staffing/settings/",
        "/staffing/attendance/",
        "/staffing/attendance/add/",
    ],
)
def test_the_office_opens_every_page(login, hall, url):
    assert login("office_a").get(url).status_code == 200


def test_the_settings_page_names_the_leaders_among_office_accounts(login, hall):
    client = login("office_a")
    office = hall.user("office_a")
    response = client.post(
        "/staffing/settings/", {"networks": "192.168.10.0/24", "leaders": [office.pk]}
    )
    assert response.status_code == 302
    assert selectors.leader_ids(hall.a) == {office.pk}
    assert not selectors.address_in_hall(hall.a, "127.0.0.1")


# --- leave imports ------------------------------------------------------------------------------


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "leaves.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_imported_leaves_are_approved_with_the_paper_note_on_file(hall, tmp_path):
    path = write(
        tmp_path,
        "姓名,请假类型,开始日期,结束日期,状态\n钱办事,事假,2016-12-05,2016-12-07,\n"
        "孙房产,公休,2016-12-09,2016-12-12,已批准\n赵首席,病假,2016-12-14,2016-12-14,待审批\n",
    )
    assert run_import(kind="leaves", path=path, center=hall.a).created == 3
    leaves = {leave.staff.name: leave for leave in Leave.objects.all()}
    assert leaves["钱办事"].status == LeaveStatus.APPROVED
    assert leaves["钱办事"].note_on_file
    assert leaves["孙房产"].days == 2
    assert leaves["赵首席"].status == LeaveStatus.PENDING
    assert selectors.leave_figures(center=hall.a, month=dt.date(2016, 12, 1)) == (2, Decimal(5))
    assert run_import(kind="leaves", path=path, center=hall.a).created == 0


def test_a_leaves_file_with_bad_rows_imports_nothing(hall, tmp_path):
    path = write(
        tmp_path,
        "姓名,请假类型,开始日期,结束日期\n钱办事,事假,2016-12-05,2016-12-07\n"
        "钱办事,旅游假,2016-12-12,2016-12-12\n孙房产,事假,2016-12-12,2016-12-09\n"
        "李林业,事假,2016-12-12,2016-12-12\n孙房产,病假,2016-12-32,2016-12-12\n",
    )
    with pytest.raises(ImportFailed) as failed:
        run_import(kind="leaves", path=path, center=hall.a)
    assert [(p.row, p.column) for p in failed.value.problems] == [
        (3, "请假类型"),
        (4, "结束日期"),
        (5, "姓名"),
        (6, "开始日期"),
    ]
    assert not Leave.objects.exists()
