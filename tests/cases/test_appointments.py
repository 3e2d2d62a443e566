"""Appointments (预约): slots the units open (after-hours ones too), public booking up to the
seats, cancelling, and the window's list for a day."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from govhall.cases import appointments
from govhall.cases.models import Appointment, AppointmentStatus
from govhall.core.audit import verify_all
from govhall.core.errors import DomainError, NotAllowed
from tests.cases.conftest import at
from tests.catalog.builders import publish_item


@pytest.fixture(autouse=True)
def _english_messages():
    # Assertions below match the services' English source messages.
    with translation.override("en"):
        yield


# Monday 2016-12-05, 09:00: the clock of every test here.
NOW = at(2016, 12, 5, 9, 0)
TUESDAY = dt.date(2016, 12, 6)
SATURDAY = dt.date(2016, 12, 10)


def t(hh: int, mm: int = 0) -> dt.time:
    return dt.time(hh, mm)


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


def english(client):
    client.cookies["django_language"] = "en"
    return client


NINE, TEN = dt.time(9), dt.time(10)


def open_slot(hall, persona="chief_x", unit=None, day=TUESDAY, start=NINE, end=TEN, **kw):
    kw.setdefault("capacity", 2)
    return appointments.slot_open(
        by=hall.user(persona), unit=unit or hall.x, date=day, start=start, end=end, **kw
    )


def book(slot, item, phone="13900001234", name="张三", **kw):
    return appointments.appointment_book(
        slot=slot, item=item, applicant_name=name, phone=phone, **kw
    )


# --- opening slots --------------------------------------------------------------------------


def test_the_chief_opens_a_slot_within_the_halls_hours(hall, passport):
    slot = open_slot(hall)
    assert (slot.center, slot.unit, slot.capacity, slot.is_open) == (hall.a, hall.x, 2, True)
    assert verify_all()[1] == []


def test_the_office_opens_a_slot_for_any_unit_of_its_center(hall):
    assert open_slot(hall, persona="office_a", unit=hall.y).unit == hall.y


@pytest.mark.parametrize("persona", ["clerk_x", "leader_y", "office_b"])
def test_others_cannot_open_slots_for_the_unit(hall, persona):
    with pytest.raises(NotAllowed):
        open_slot(hall, persona=persona)


def test_a_normal_slot_outside_the_halls_hours_is_refused(hall):
    # lunchtime (12:00–14:30), the evening, and across the lunch break
    for start, end in ((t(12), t(14, 30)), (t(17, 30), t(19)), (t(11), t(15))):
        with pytest.raises(DomainError) as refused:
            open_slot(hall, start=start, end=end)
        assert refused.value.field == "start"


def test_a_normal_slot_on_a_day_off_is_refused(hall):
    with pytest.raises(DomainError, match="not a working day") as refused:
        open_slot(hall, day=SATURDAY)
    assert refused.value.field == "date"


def test_an_after_hours_slot_may_lie_outside_the_halls_hours_and_on_a_day_off(hall):
    lunch = open_slot(hall, start=t(12), end=t(14, 30), after_hours=True)
    evening = open_slot(hall, start=t(17, 30), end=t(19), after_hours=True)
    weekend = open_slot(hall, day=SATURDAY, after_hours=True)
    assert all(s.after_hours for s in (lunch, evening, weekend))


def test_slots_in_the_past_are_refused(hall):
    with pytest.raises(DomainError, match="past"):
        open_slot(hall, day=dt.date(2016, 12, 2))
    with pytest.raises(DomainError, match="past"):
        open_slot(hall, day=dt.date(2016, 12, 5), start=t(8, 30), end=t(9, 30))  # began today


def test_overlapping_slots_of_one_unit_are_refused_but_other_units_may_overlap(hall):
    open_slot(hall, start=t(9), end=t(10))
    with pytest.raises(DomainError, match="overlaps"):
        open_slot(hall, start=t(9, 30), end=t(10, 30))
    open_slot(hall, start=t(10), end=t(11))  # touching is fine
    open_slot(hall, persona="office_a", unit=hall.y, start=t(9), end=t(10))


def test_a_closed_slot_no_longer_blocks_its_time(hall):
    slot = open_slot(hall)
    appointments.slot_close(by=hall.user("chief_x"), slot=slot)
    assert open_slot(hall).is_open


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"capacity": 0}, "capacity"),
        ({"start": t(10), "end": t(9)}, "end"),
        ({"start": t(9), "end": t(9)}, "end"),
    ],
)
def test_bad_capacity_or_times_are_refused_naming_the_field(hall, kw, field):
    with pytest.raises(DomainError) as refused:
        open_slot(hall, **kw)
    assert refused.value.field == field


def test_a_slot_for_another_units_item_is_refused(hall, passport):
    with pytest.raises(DomainError) as refused:
        open_slot(hall, persona="office_a", unit=hall.y, item=passport)
    assert refused.value.field == "item"


# --- booking --------------------------------------------------------------------------------


def test_bookings_fill_the_slot_up_to_its_seats_then_it_is_full(hall, passport):
    slot = open_slot(hall, capacity=2)
    first = book(slot, passport, phone="13900000001")
    book(slot, passport, phone="13900000002")
    with pytest.raises(DomainError, match="fully booked") as refused:
        book(slot, passport, phone="13900000003")
    assert refused.value.field == "slot"
    assert len(first.code) == 8
    assert Appointment.objects.filter(slot=slot).count() == 2


def test_the_same_phone_cannot_book_one_slot_twice(hall, passport):
    slot = open_slot(hall, capacity=5)
    book(slot, passport)
    with pytest.raises(DomainError) as refused:
        book(slot, passport, name="张三的家属")
    assert refused.value.field == "phone"


def test_cancelling_frees_the_seat_and_the_phone_may_book_again(hall, passport):
    slot = open_slot(hall, capacity=1)
    first = book(slot, passport)
    # when
    cancelled = appointments.appointment_cancel(code=first.code.lower(), phone="139 0000 1234")
    # then
    assert cancelled.status == AppointmentStatus.CANCELLED
    assert cancelled.cancelled_at is not None
    assert book(slot, passport, phone="13900009999").status == AppointmentStatus.BOOKED
    with pytest.raises(DomainError, match="fully booked"):
        book(slot, passport)


def test_cancel_needs_the_code_and_the_phone_it_was_booked_with(hall, passport):
    booked = book(open_slot(hall), passport)
    with pytest.raises(DomainError) as wrong_phone:
        appointments.appointment_cancel(code=booked.code, phone="13900005678")
    with pytest.raises(DomainError) as wrong_code:
        appointments.appointment_cancel(code="ZZZZZZZZ", phone="13900001234")
    assert wrong_phone.value.message == wrong_code.value.message
    assert Appointment.objects.get(pk=booked.pk).status == AppointmentStatus.BOOKED


def test_a_closed_or_begun_slot_cannot_be_booked(hall, passport):
    closed = open_slot(hall)
    appointments.slot_close(by=hall.user("chief_x"), slot=closed)
    with pytest.raises(DomainError, match="closed"):
        book(closed, passport)
    later = open_slot(hall, start=t(10), end=t(11))
    with (
        time_machine.travel(at(2016, 12, 6, 10, 5), tick=False),
        pytest.raises(DomainError, match="begun"),
    ):
        book(later, passport)


def test_an_item_of_another_unit_or_not_the_slots_item_is_refused(hall, passport, on_the_spot):
    with time_machine.travel(at(2016, 9, 1, 9, 0)):
        housing = publish_item(hall.a, hall.y, code="H001", name="商品房预售许可")
    slot = open_slot(hall, item=passport)
    for item in (housing, on_the_spot):
        with pytest.raises(DomainError) as refused:
            book(slot, item)
        assert refused.value.field == "item"


def test_an_unpublished_item_cannot_be_booked(hall, passport):
    slot = open_slot(hall)
    type(passport).objects.filter(pk=passport.pk).update(status="suspended")
    passport.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        book(slot, passport)
    assert refused.value.field == "item"


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"phone": "0722-4321000"}, "phone"),
        ({"phone": "1390000123"}, "phone"),
        ({"name": "  "}, "applicant_name"),
        ({"id_number": "12345"}, "id_number"),
    ],
)
def test_bad_booking_details_are_refused_naming_the_field(hall, passport, kw, field):
    slot = open_slot(hall)
    with pytest.raises(DomainError) as refused:
        book(slot, passport, **kw)
    assert refused.value.field == field


@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_seat_at_once_get_one_booking(hall, passport):
    slot = open_slot(hall, capacity=1)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def take(phone: str) -> None:
        try:
            barrier.wait()
            book(slot, passport, phone=phone)
            outcomes.append("booked")
        except DomainError:
            outcomes.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(p,)) for p in ("13900000001", "13900000002")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["booked", "full"]
    assert Appointment.objects.filter(slot=slot).count() == 1


# --- marking --------------------------------------------------------------------------------


def test_the_window_marks_arrived_or_missed_on_the_day(hall, passport):
    booked = book(open_slot(hall), passport)
    with pytest.raises(DomainError, match="later day"):
        appointments.appointment_mark(by=hall.user("clerk_x"), appointment=booked, status="arrived")
    with time_machine.travel(at(2016, 12, 6, 9, 10), tick=False):
        marked = appointments.appointment_mark(
            by=hall.user("clerk_x"), appointment=booked, status="arrived"
        )
    assert marked.status == AppointmentStatus.ARRIVED
    with pytest.raises(NotAllowed):
        appointments.appointment_mark(by=hall.user("clerk_z"), appointment=booked, status="missed")


# --- public pages ---------------------------------------------------------------------------


def test_the_public_chooses_unit_item_and_day_and_sees_seats_left(client, hall, passport):
    slot = open_slot(hall, capacity=3)
    full = open_slot(hall, start=t(10), end=t(11), capacity=1)
    book(slot, passport)
    book(full, passport)
    url = reverse("service:appointments")
    # when
    units_page = english(client).get(url)
    items_page = client.get(url, {"unit": hall.x.pk})
    slots_page = client.get(url, {"unit": hall.x.pk, "item": passport.pk})
    # then
    assert [u.name for u in units_page.context["units"]] == ["公安局"]
    assert [i.name for i in items_page.context["items"]] == ["普通护照签发"]
    assert slots_page.context["day"] == TUESDAY
    assert [(s.pk, s.seats_left) for s in slots_page.context["slots"]] == [
        (slot.pk, 2),
        (full.pk, 0),
    ]
    page = slots_page.content.decode()
    assert reverse("service:appointment_book", args=[slot.pk]) in page
    assert reverse("service:appointment_book", args=[full.pk]) not in page
    assert "Fully booked" in page


def test_slots_beyond_fourteen_days_are_not_offered(client, hall, passport):
    open_slot(hall, day=dt.date(2016, 12, 19))  # the 15th day from today
    response = english(client).get(
        reverse("service:appointments"), {"unit": hall.x.pk, "item": passport.pk}
    )
    assert response.context["days"] == []


def test_booking_on_the_page_shows_the_code_once_to_the_booker(client, hall, passport):
    slot = open_slot(hall)
    url = reverse("service:appointment_book", args=[slot.pk]) + f"?item={passport.pk}"
    # when
    response = english(client).post(
        url, {"applicant_name": "张三丰", "phone": "13900001234", "id_number": ""}
    )
    # then
    booked = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("service:appointment_done", args=[booked.code])
    page = client.get(response["Location"]).content.decode()
    assert booked.code in page
    assert "张**" in page
    assert "139****1234" in page
    assert "13900001234" not in page
    # another browser cannot read it
    client.cookies.clear()
    assert client.get(reverse("service:appointment_done", args=[booked.code])).status_code == 404


def test_booking_a_full_slot_on_the_page_says_so_on_the_form(client, hall, passport):
    slot = open_slot(hall, capacity=1)
    book(slot, passport)
    url = reverse("service:appointment_book", args=[slot.pk]) + f"?item={passport.pk}"
    response = english(client).post(url, {"applicant_name": "李四", "phone": "13900005678"})
    assert response.status_code == 400
    assert "fully booked" in response.content.decode()
    assert Appointment.objects.count() == 1


def test_cancelling_on_the_page(client, hall, passport):
    booked = book(open_slot(hall), passport)
    response = english(client).post(
        reverse("service:appointment_cancel"), {"code": booked.code, "phone": "13900001234"}
    )
    assert response.context["cancelled"] == booked
    assert Appointment.objects.get(pk=booked.pk).status == AppointmentStatus.CANCELLED


def test_cancel_attempts_are_limited_per_address(client, hall):
    for _i in range(10):
        client.post(
            reverse("service:appointment_cancel"), {"code": "AAAAAAAA", "phone": "13900001234"}
        )
    response = client.post(
        reverse("service:appointment_cancel"), {"code": "AAAAAAAA", "phone": "13900001234"}
    )
    assert response.status_code == 429


# --- staff pages ----------------------------------------------------------------------------


def test_the_windows_day_list_shows_the_days_bookings_of_its_unit_only(login, hall, passport):
    # given bookings at X on Tuesday and Wednesday, and at Y on Tuesday
    with time_machine.travel(at(2016, 9, 1, 9, 0)):
        housing = publish_item(hall.a, hall.y, code="H001", name="商品房预售许可")
    book(open_slot(hall), passport, name="张三")
    book(open_slot(hall, day=dt.date(2016, 12, 7)), passport, name="王五")
    book(open_slot(hall, persona="office_a", unit=hall.y), housing, name="李四")
    # when the clerk of X opens Tuesday's list
    response = login("clerk_x").get(reverse("cases:appointments_today"), {"date": "2016-12-06"})
    # then
    assert response.status_code == 200
    assert [a.applicant_name for a in response.context["rows"]] == ["张三"]
    # and the office sees both units' bookings that day
    office = login("office_a").get(reverse("cases:appointments_today"), {"date": "2016-12-06"})
    assert sorted(a.applicant_name for a in office.context["rows"]) == ["张三", "李四"]


def test_the_day_list_defaults_to_today(login, hall, passport):
    response = login("clerk_x").get(reverse("cases:appointments_today"))
    assert response.context["day"] == dt.date(2016, 12, 5)


def test_the_day_list_needs_a_login(client, hall):
    assert client.get(reverse("cases:appointments_today")).status_code == 302


def test_the_window_marks_an_arrival_from_the_list(login, hall, passport):
    booked = book(open_slot(hall, day=dt.date(2016, 12, 5), start=t(10), end=t(11)), passport)
    client = login("clerk_x")
    response = client.post(
        reverse("cases:appointment_mark", args=[booked.pk]), {"status": "arrived"}
    )
    assert response.status_code == 302
    assert Appointment.objects.get(pk=booked.pk).status == AppointmentStatus.ARRIVED


def test_the_chief_opens_an_after_hours_slot_on_the_slots_page(login, hall):
    client = login("chief_x")
    response = client.post(
        reverse("cases:appointment_slots"),
        {
            "unit": hall.x.pk,
            "date": "2016-12-10",
            "start": "09:00",
            "end": "11:30",
            "capacity": "10",
            "after_hours": "on",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("cases:appointment_slots"))
    assert [(s.date, s.after_hours) for s in page.context["slots"]] == [(SATURDAY, True)]


def test_a_normal_slot_outside_hours_on_the_slots_page_is_refused_on_the_form(login, hall):
    response = english(login("chief_x")).post(
        reverse("cases:appointment_slots"),
        {
            "unit": hall.x.pk,
            "date": "2016-12-06",
            "start": "12:00",
            "end": "14:00",
            "capacity": "5",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["start"]


def test_window_staff_see_the_slots_but_cannot_open_or_close_them(login, hall):
    slot = open_slot(hall)
    client = login("clerk_x")
    page = client.get(reverse("cases:appointment_slots"))
    assert page.status_code == 200
    assert page.context["form"] is None
    assert client.post(reverse("cases:appointment_slot_close", args=[slot.pk])).status_code == 403


def test_another_units_chief_cannot_close_the_slot(login, hall):
    slot = open_slot(hall, persona="office_a", unit=hall.y)
    response = login("chief_x").post(reverse("cases:appointment_slot_close", args=[slot.pk]))
    assert response.status_code == 404


def test_every_public_page_renders_in_the_default_language_with_local_assets_only(
    client, hall, passport
):
    # given a booking made on the page, so its code page can be shown
    slot = open_slot(hall)
    client.post(
        reverse("service:appointment_book", args=[slot.pk]) + f"?item={passport.pk}",
        {"applicant_name": "张三", "phone": "13900001234"},
    )
    code = Appointment.objects.get().code
    urls = [
        reverse("service:home"),
        reverse("service:appointments"),
        reverse("service:appointments") + f"?unit={hall.x.pk}",
        reverse("service:appointments") + f"?unit={hall.x.pk}&item={passport.pk}",
        reverse("service:appointment_book", args=[slot.pk]) + f"?item={passport.pk}",
        reverse("service:appointment_done", args=[code]),
        reverse("service:appointment_cancel"),
        reverse("service:progress"),
    ]
    for url in urls:
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 200, url
        assert 'lang="zh-CN"' in page, url
        assert "/static/cases/public.css" in page, url
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), url
        assert not re.search(r"\son[a-z]+=", page), url
        assert "http://" not in page.replace("http://testserver", ""), url


def test_the_day_list_costs_the_same_queries_for_one_booking_or_many(login, hall, passport):
    slot = open_slot(hall, capacity=10)
    book(slot, passport, phone="13900000000")
    client = login("clerk_x")
    url = reverse("cases:appointments_today")
    client.get(url, {"date": "2016-12-06"})  # warm the session and the calendar
    with CaptureQueriesContext(connection) as one:
        client.get(url, {"date": "2016-12-06"})
    for i in range(1, 6):
        book(slot, passport, phone=f"1390000000{i}")
    with CaptureQueriesContext(connection) as six:
        response = client.get(url, {"date": "2016-12-06"})
    assert len(response.context["rows"]) == 6
    assert len(six) == len(one)


def test_a_booking_with_a_missing_name_or_bad_phone_gets_400_and_the_form_with_errors(
    client, hall, passport
):
    slot = open_slot(hall)
    url = reverse("service:appointment_book", args=[slot.pk]) + f"?item={passport.pk}"
    response = client.post(url, {"applicant_name": "", "phone": "12"})
    page = response.content.decode()
    assert response.status_code == 400
    assert response.context["form"].errors["applicant_name"]
    assert 'name="applicant_name"' in page
    assert Appointment.objects.count() == 0


def test_a_cancel_with_a_wrong_code_gets_400_and_the_form(client, hall):
    response = client.post(
        reverse("service:appointment_cancel"), {"code": "AAAAAAAA", "phone": "13900001234"}
    )
    assert response.status_code == 400
    assert 'name="code"' in response.content.decode()


def test_a_slot_with_a_missing_date_gets_400_and_the_form(login, hall):
    response = login("chief_x").post(
        reverse("cases:appointment_slots"),
        {"unit": hall.x.pk, "start": "09:00", "end": "10:00", "capacity": "5"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["date"]
