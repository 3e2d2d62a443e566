"""The public's one-line inputs for cases — booking an appointment, looking up a case — are read
without bidirectional control characters."""

from __future__ import annotations

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from govhall.cases import appointments, public_services, services
from govhall.cases.models import Appointment
from govhall.core.errors import DomainError
from tests.cases.conftest import at


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def test_a_booking_stores_the_name_and_phone_without_bidi_controls(client, hall, passport):
    # given a slot on Tuesday, booked on Monday
    with time_machine.travel(at(2016, 12, 5, 9, 0), tick=False):
        slot = appointments.slot_open(
            by=hall.user("chief_x"),
            unit=hall.x,
            date=at(2016, 12, 6, 9, 0).date(),
            start=at(2016, 12, 6, 9, 0).time(),
            end=at(2016, 12, 6, 10, 0).time(),
            capacity=2,
        )
        url = reverse("service:appointment_book", args=[slot.pk]) + f"?item={passport.pk}"
        # when the name carries a right-to-left override
        response = client.post(
            url,
            {"applicant_name": "张\u202e三丰", "phone": "139\u202a00001234", "id_number": ""},
        )
    # then
    assert response.status_code == 302
    booked = Appointment.objects.get()
    assert (booked.applicant_name, booked.phone) == ("张三丰", "13900001234")


def test_a_case_number_wrapped_in_isolates_is_still_found(client, hall, passport):
    # given a case received on Monday
    with time_machine.travel(at(2016, 12, 5, 9, 0)):
        case = services.case_receive(
            by=hall.user("clerk_x"),
            item=passport,
            applicant_name="张三丰",
            applicant_phone="13900001234",
        )
    # when the number is pasted with bidi isolates around it
    response = client.post(
        reverse("service:progress"),
        {"number": f"\u2068{case.number}\u2069", "digits": "\u202d1234\u202c"},
    )
    # then the timeline is shown
    assert response.status_code == 200
    assert response.context["result"].number == case.number


def test_a_refused_upload_names_the_file_in_its_real_order(hall, passport, settings, tmp_path):
    # given a supplement notice
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(at(2016, 12, 5, 9, 0)):
        case = services.case_receive(
            by=hall.user("clerk_x"),
            item=passport,
            applicant_name="张三丰",
            applicant_phone="13900001234",
        )
        notice = services.case_request_supplement(
            by=hall.user("clerk_x"), case=case, materials=["户口簿"]
        )
    # when a program is sent under a name that displays as "hukouexe.jpg"
    with pytest.raises(DomainError) as refused:
        public_services.supplement_upload_add(
            notice=notice,
            material="户口簿",
            file=SimpleUploadedFile("hukou\u202egpj.exe", b"MZ\x90\x00" + b"\x00" * 64),
        )
    # then the message names it as it really is
    assert "hukougpj.exe" in refused.value.message
    assert "\u202e" not in refused.value.message
