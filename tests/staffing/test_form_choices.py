"""Forms that do not lose work: dependent choices filtered, chosen files named again."""

from __future__ import annotations

import pytest
import time_machine

from govhall.org.models import Staff
from govhall.staffing.choices import LeaveKind
from govhall.staffing.models import Leave
from tests.factories import StaffFactory
from tests.staffing.conftest import at, scan


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(at(2016, 12, 5, 10, 0), tick=False):
        yield


def options(form, name):
    return set(form.fields[name].queryset)


def test_a_clerks_leave_offers_only_colleagues_of_the_unit_as_cover(login, hall):
    # given 钱办事 of 公安局 asks for leave on their own page
    form = login("clerk_x").get("/staffing/leave/new/").context["form"]
    # then the cover is chosen among 公安局's people, never 钱办事 nor 住建局's 孙房产
    assert options(form, "cover") == {hall.x_chief}


def test_the_offices_leave_form_tags_each_cover_with_its_unit_for_the_page(login, hall):
    # given the office chooses the person in the form
    page = login("office_a").get("/staffing/leave/new/").content.decode()
    # then the cover select follows the person select, each option tagged with its unit
    assert 'data-filter-by="id_staff"' in page
    assert f'value="{hall.y_clerk.pk}" data-group="{hall.y.pk}"' in page
    # and 住建局 (one person) shows every colleague for its person
    assert f'value="{hall.y_clerk.pk}" data-group="*"' in page


def test_the_backup_page_offers_only_the_units_people(login, hall):
    # given
    colleague = StaffFactory(window=hall.x_window, name="周同事")
    # when
    form = login("office_a").get(f"/org/posts/{hall.x_clerk.pk}/edit/").context["form"]
    # then
    assert options(form, "backup") == {hall.x_chief, colleague}


def test_a_backup_of_another_unit_posted_anyway_is_refused_with_a_message(login, hall):
    # when the page is bypassed
    response = login("office_a").post(
        f"/org/posts/{hall.x_clerk.pk}/edit/", {"backup": hall.y_clerk.pk}
    )
    # then
    assert response.status_code == 200
    assert response.context["form"].errors["backup"]


def test_the_staff_form_tags_each_window_with_its_unit(login, hall):
    page = login("office_a").get("/org/staff/new/").content.decode()
    assert 'data-filter-by="id_unit"' in page
    assert f'value="{hall.x_window.pk}" data-group="{hall.x.pk}"' in page


def test_a_refused_form_says_the_chosen_file_must_be_chosen_again(login, hall):
    # when the clerk sends the note with a leave whose dates are wrong
    response = login("clerk_x").post(
        "/staffing/leave/new/",
        {
            "staff": hall.x_clerk.pk, "kind": LeaveKind.PERSONAL, "mode": "days",
            "start_date": "2016-12-13", "end_date": "2016-12-12", "note_scan": scan("盖章请假条.pdf"),
        },
    )  # fmt: skip
    # then the page names the file and asks for it again; nothing is saved
    page = response.content.decode()
    assert response.status_code in (200, 400)
    assert "盖章请假条.pdf" in page
    assert "请重新选择该文件" in page
    assert not Leave.objects.exists()
    assert Staff.objects.filter(pk=hall.x_clerk.pk).exists()
