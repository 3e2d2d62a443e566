"""Cache-Control: no-store on every page for a logged-in person and on the public pages that
show personal data, so a shared PC's cache or back button keeps nothing for the next person."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from govhall.cases import appointments
from govhall.cases import services as cases
from tests.cases.conftest import at
from tests.catalog.builders import publish_item


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "url",
    [
        "/cases/desk/",
        "/cases/list/",
        "/cases/appointments/today/",
        "/feedback/manage/inbox/",
        "/org/units/",
    ],
)
def test_every_staff_page_forbids_storing(hall, login, url):
    response = login("office_a").get(url)
    assert response.status_code == 200
    assert no_store(response)
    assert "private" in response["Cache-Control"]


def test_a_staff_page_answered_with_not_found_forbids_storing_too(hall, login):
    response = login("clerk_x").get("/cases/999999/")
    assert response.status_code == 404
    assert no_store(response)


def test_the_public_booking_page_and_the_lookup_result_forbid_storing(client, hall):
    # given a case in progress and a slot to book
    with time_machine.travel(at(2016, 9, 1, 9, 0)):
        item = publish_item(hall.a, hall.x, code="P001", name="普通护照签发")
    clerk = hall.user("clerk_x")
    with time_machine.travel(at(2016, 12, 5, 9, 0), tick=False):
        case = cases.case_receive(
            by=clerk, item=item, applicant_name="张三", applicant_phone="13900001234"
        )
        cases.case_accept(by=clerk, case=case)
        slot = appointments.slot_open(
            by=hall.user("chief_x"),
            unit=hall.x,
            date=dt.date(2016, 12, 6),
            start=dt.time(9),
            end=dt.time(10),
            capacity=2,
        )
        book = reverse("service:appointment_book", args=[slot.pk]) + f"?item={item.pk}"
        # when the public opens the booking form, sends it incomplete, and looks up the case
        pages = [
            client.get(book),
            client.post(book, {"applicant_name": "张三", "phone": ""}),
            client.post("/service/progress/", {"number": case.number, "digits": "1234"}),
        ]
    # then none of them may be stored
    assert [p.status_code for p in pages] == [200, 400, 200]
    assert "张*" in pages[2].content.decode()
    assert all(no_store(p) for p in pages)
    # while the kiosk's public catalog pages may still be cached
    assert not no_store(client.get("/kiosk/"))
