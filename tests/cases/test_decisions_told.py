"""The applicant is told why: the reason of a 不予受理 and of a file asked for again; and files
accepted with the supplement no longer wait "to review"."""

from __future__ import annotations

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from govhall.cases import public_services, services
from govhall.cases.upload_review import supplement_upload_review
from tests.cases.conftest import at

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 64
PROGRESS = reverse("service:progress")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def received(hall, passport):
    with time_machine.travel(at(2016, 12, 5, 9, 0)):
        return services.case_receive(
            by=hall.user("clerk_x"),
            item=passport,
            applicant_name="张三丰",
            applicant_phone="13900001234",
        )


@pytest.fixture
def notice(hall, received):
    with time_machine.travel(at(2016, 12, 5, 9, 5)):
        return services.case_request_supplement(
            by=hall.user("clerk_x"), case=received, materials=["户口簿", "近期照片"]
        )


def _send(notice, material):
    return public_services.supplement_upload_add(
        notice=notice, material=material, file=SimpleUploadedFile("a.jpg", JPEG)
    )


def _progress(client, case):
    return client.post(PROGRESS, {"number": case.number, "digits": "1234"}).content.decode()


def test_the_applicant_reads_why_the_application_was_not_accepted(client, hall, received):
    # given the window refused the application with a reason
    services.case_reject(by=hall.user("clerk_x"), case=received, reason="不属于本部门职权范围")
    # when the applicant looks the case up
    page = _progress(client, received)
    # then the reason is on the timeline
    assert "不属于本部门职权范围" in page


def test_the_applicant_reads_why_a_file_is_asked_for_again(client, hall, notice):
    # given a photo sent online that the window asks for again
    upload = _send(notice, "近期照片")
    supplement_upload_review(
        by=hall.user("clerk_x"), upload=upload, accepted=False, note="照片不清晰"
    )
    # when the applicant looks the case up
    page = _progress(client, notice.case)
    # then the file and what is wrong with it are shown
    assert "近期照片：照片不清晰" in page


def test_files_accepted_with_the_supplement_no_longer_wait_to_be_reviewed(login, hall, notice):
    # given two files sent online, never reviewed one by one
    first, second = _send(notice, "户口簿"), _send(notice, "近期照片")
    # when the window accepts the case, the materials being complete
    case = services.case_supplement_complete(by=hall.user("clerk_x"), case=notice.case)
    # then both files count as accepted and the case page shows none "to review"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.accepted, second.accepted) == (True, True)
    page = login("clerk_x").get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "待审核" not in page
