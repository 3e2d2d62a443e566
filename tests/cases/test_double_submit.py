"""Two quick sendings of the window's intake form register one case, not two; of the public
booking form, one booking."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.urls import reverse

from govhall.cases import appointments
from govhall.cases.models import Appointment, Case
from tests.cases.conftest import at
from tests.cases.test_window_pages import DESK, INTAKE, case_url, intake_data

ONCE = re.compile(r'name="once" value="([^"]+)"')


def token_on(page: str) -> str:
    found = ONCE.search(page)
    assert found, "the form carries no one-time token"
    return found.group(1)


def test_intake_sent_twice_from_one_form_registers_one_case(hall, login, passport):
    # given the desk's intake form for the passport item
    client = login("clerk_x")
    page = client.get(DESK, {"item": passport.pk}).content.decode()
    data = intake_data(passport, ["居民身份证", "近期免冠照片"], once=token_on(page))
    # when the clerk double-clicks 受理
    with time_machine.travel(at(2016, 12, 8, 9, 30)):
        first = client.post(INTAKE, data)
        second = client.post(INTAKE, data)
    # then one case, and the second click shows that case
    case = Case.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == case_url(case)


def test_a_refused_intake_keeps_the_form_usable_and_registers_once_when_corrected(
    hall, login, passport
):
    # given an intake refused for a malformed ID number
    client = login("clerk_x")
    token = token_on(client.get(DESK, {"item": passport.pk}).content.decode())
    ticked = ["居民身份证", "近期免冠照片"]
    with time_machine.travel(at(2016, 12, 8, 9, 30)):
        refused = client.post(
            INTAKE, intake_data(passport, ticked, applicant_id_number="42-03", once=token)
        )
        # when the corrected form is sent (the same token, as the page had it) twice
        data = intake_data(passport, ticked, once=token_on(refused.content.decode()))
        client.post(INTAKE, data)
        client.post(INTAKE, data)
    # then the refusal stored nothing and the correction one case
    assert refused.status_code == 400
    assert Case.objects.count() == 1


def test_two_intakes_from_two_forms_register_two_cases(hall, login, passport):
    client = login("clerk_x")
    with time_machine.travel(at(2016, 12, 8, 9, 30)):
        for _ in range(2):
            page = client.get(DESK, {"item": passport.pk}).content.decode()
            data = intake_data(passport, ["居民身份证", "近期免冠照片"], once=token_on(page))
            assert client.post(INTAKE, data).status_code == 302
    assert Case.objects.count() == 2


def test_a_booking_sent_twice_from_one_page_takes_one_seat_and_shows_one_code(
    client, hall, passport
):
    # given the booking page of a slot with two seats
    with time_machine.travel(at(2016, 12, 5, 9, 0), tick=False):
        slot = appointments.slot_open(
            by=hall.user("chief_x"),
            unit=hall.x,
            date=dt.date(2016, 12, 6),
            start=dt.time(9),
            end=dt.time(10),
            capacity=2,
        )
        url = reverse("service:appointment_book", args=[slot.pk]) + f"?item={passport.pk}"
        page = client.get(url).content.decode()
        data = {"applicant_name": "张三", "phone": "13900001234", "once": token_on(page)}
        # when Book is pressed twice
        first = client.post(url, data)
        second = client.post(url, data)
    # then one booking, and both presses show its code
    booked = Appointment.objects.get()
    assert first.status_code == second.status_code == 302
    assert second["Location"] == reverse("service:appointment_done", args=[booked.code])
