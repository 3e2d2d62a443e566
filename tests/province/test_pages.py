"""The staff pages: outbox by status, a message's detail, retry now, warnings; scoping."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from govhall.province.choices import MessageStatus
from govhall.province.models import OutboxMessage, ProvincialWarning
from govhall.province.services import province_push
from tests.province.conftest import accepted, at, completed, link

LIST = reverse("province:outbox_list")


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.cookies["django_language"] = "en"


def failed_message(hall, passport, platform):
    link(hall, hall.a, platform, max_attempts=1)
    platform.fail(1, status=500)
    with time_machine.travel(at(2016, 12, 8, 9, 30), tick=False):
        case = accepted(hall, passport)
        province_push()
    return case, OutboxMessage.objects.get()


def test_a_given_up_message_shows_on_the_failed_filter_with_its_error(
    hall, passport, platform, login
):
    case, message = failed_message(hall, passport, platform)
    page = login("office_a").get(LIST, {"status": "failed"}).content.decode()
    assert case.number in page
    assert "HTTP 500" in page
    assert "Failed (1)" in page
    assert (
        case.number not in login("office_a").get(LIST, {"status": "acknowledged"}).content.decode()
    )
    detail = login("office_a").get(reverse("province:outbox_detail", args=[message.pk]))
    body = detail.content.decode()
    assert "Retry now" in body
    assert "420321********1234" in body  # the payload, masked
    assert "HTTP 500" in body


def test_retry_asks_first_then_sends_again_and_shows_the_acknowledgement(
    hall, passport, platform, login
):
    _case, message = failed_message(hall, passport, platform)
    retry = reverse("province:outbox_retry", args=[message.pk])
    client = login("office_a")
    assert "Please confirm" in client.get(retry).content.decode()
    assert OutboxMessage.objects.get().status == MessageStatus.FAILED  # GET changed nothing
    response = client.post(retry, follow=True)
    message.refresh_from_db()
    assert message.status == MessageStatus.ACKNOWLEDGED
    assert "Delivered: acknowledged as ACK-1" in response.content.decode()
    assert len(platform.pushes()) == 2
    # Only a failed message can be retried.
    again = client.post(retry, follow=True).content.decode()
    assert "Only a failed message can be retried" in again
    assert len(platform.pushes()) == 2


def test_supervisors_read_but_do_not_retry_and_window_staff_see_nothing(
    hall, passport, platform, login
):
    _case, message = failed_message(hall, passport, platform)
    supervisor = login("supervisor_a")
    assert supervisor.get(LIST).status_code == 200
    detail = supervisor.get(reverse("province:outbox_detail", args=[message.pk]))
    assert "Retry now" not in detail.content.decode()
    assert supervisor.post(reverse("province:outbox_retry", args=[message.pk])).status_code == 403
    assert login("clerk_x").get(LIST).status_code == 403
    assert login("chief_x").get(reverse("province:warning_list")).status_code == 403


def test_center_b_office_does_not_see_center_a_outbox(hall, passport, platform, login):
    case, message = failed_message(hall, passport, platform)
    client = login("office_b")
    assert case.number not in client.get(LIST).content.decode()
    assert client.get(reverse("province:outbox_detail", args=[message.pk])).status_code == 404
    assert client.post(reverse("province:outbox_retry", args=[message.pk])).status_code == 404
    assert OutboxMessage.objects.get().status == MessageStatus.FAILED


def test_the_outbox_is_paginated_and_in_the_menu(hall, passport, login):
    link(hall, hall.a)
    with time_machine.travel(at(2016, 12, 8, 9, 30)):
        numbers = [completed(hall, passport).number for _ in range(13)]
    client = login("office_a")
    first = client.get(LIST).content.decode()
    second = client.get(LIST, {"page": 2}).content.decode()
    assert "Page 1 of 2 (26 in all)" in first
    assert numbers[-1] in first
    assert numbers[-1] not in second
    # Newest first: the first case's acceptance, the oldest message, is alone on page 2.
    assert numbers[0] in second
    assert numbers[1] not in second
    assert f'href="{LIST}"' in client.get(reverse("home")).content.decode()
    assert client.get(LIST, {"status": "bogus"}).status_code == 400


def test_warnings_list_links_known_cases(hall, passport, login):
    link(hall, hall.a)
    with time_machine.travel(at(2016, 12, 8, 9, 30)):
        case = accepted(hall, passport)
    ProvincialWarning.objects.create(
        center=hall.a, warning_id="W1", case_number=case.number, case=case, level="red",
        message="已超期", received_at=at(2016, 12, 9, 8, 0),
    )  # fmt: skip
    ProvincialWarning.objects.create(
        center=hall.b, warning_id="W2", case_number="B-0001", level="yellow",
        message="乙中心的预警", received_at=at(2016, 12, 9, 8, 0),
    )  # fmt: skip
    page = login("supervisor_a").get(reverse("province:warning_list")).content.decode()
    assert reverse("cases:case_detail", args=[case.pk]) in page
    assert "已超期" in page
    assert "乙中心的预警" not in page
