"""Delivery over real HTTP to the fake platform: acknowledgements, backoff, giving up, no
duplicates, ratings, and each center's own adapter."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from govhall.core.models import AuditEntry
from govhall.feedback.services import rating_submit
from govhall.province.choices import MessageStatus
from govhall.province.models import OutboxMessage, ProvinceLink
from govhall.province.services import province_push
from tests.province.conftest import accepted, at, completed, link


def test_an_accepted_and_completed_case_is_pushed_and_acknowledged(
    hall, passport, platform, monkeypatch
):
    monkeypatch.setenv("PROVINCE_TOKEN_A", "s3cret")
    link(hall, hall.a, platform, credentials_env="PROVINCE_TOKEN_A")
    with time_machine.travel(at(2016, 12, 8, 9, 30), tick=False):
        case = completed(hall, passport)
        result = province_push()
    assert (result.acknowledged, result.retrying, result.failed) == (2, 0, 0)
    posts = platform.pushes("/cases")
    assert [p.body["event"] for p in posts] == ["accepted", "completed"]
    assert {p.body["data"]["case_number"] for p in posts} == {case.number}
    assert all(p.headers["Authorization"] == "Bearer s3cret" for p in posts)
    messages = list(OutboxMessage.objects.order_by("pk"))
    assert [m.status for m in messages] == [MessageStatus.ACKNOWLEDGED] * 2
    assert [m.ack_reference for m in messages] == ["ACK-1", "ACK-2"]
    assert [p.body["message_id"] for p in posts] == [str(m.message_id) for m in messages]
    assert messages[0].acknowledged_at == at(2016, 12, 8, 9, 30)
    # The token lives in the environment only.
    assert "s3cret" not in str(ProvinceLink.objects.values().get())


def test_a_platform_that_is_down_is_retried_with_backoff_until_it_answers(hall, passport, platform):
    link(hall, hall.a, platform)
    platform.fail(2)
    with time_machine.travel(at(2016, 12, 8, 9, 30), tick=False) as clock:
        accepted(hall, passport)
        assert province_push().retrying == 1
        message = OutboxMessage.objects.get()
        assert message.status == MessageStatus.PENDING
        assert message.next_attempt_at == at(2016, 12, 8, 9, 31)
        assert "HTTP 503" in message.last_error
        assert province_push().tried == 0  # not due yet: nothing sent
        clock.move_to(at(2016, 12, 8, 9, 31))
        assert province_push().retrying == 1
        message.refresh_from_db()
        assert message.next_attempt_at == at(2016, 12, 8, 9, 33)  # waited 1, then 2 minutes
        clock.move_to(at(2016, 12, 8, 9, 33))
        assert province_push().acknowledged == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("acknowledged", 3, "")
    assert len(platform.pushes()) == 3
    assert [t.ok for t in message.tries.all()] == [False, False, True]


def test_a_refused_connection_is_a_failed_try_with_a_readable_reason(hall, passport):
    link(hall, hall.a, adapter="http", base_url="http://127.0.0.1:9/api", timeout_seconds=2)
    with time_machine.travel(at(2016, 12, 8, 9, 30), tick=False):
        accepted(hall, passport)
        province_push()
    message = OutboxMessage.objects.get()
    assert message.status == MessageStatus.PENDING
    assert message.last_error.startswith("cannot reach http://127.0.0.1:9/api/cases")


def test_a_message_that_keeps_failing_is_given_up_after_the_maximum(hall, passport, platform):
    link(hall, hall.a, platform, max_attempts=3)
    platform.fail(100, status=500)
    with time_machine.travel(at(2016, 12, 8, 9, 30), tick=False) as clock:
        case = accepted(hall, passport)
        for _ in range(5):
            province_push()
            clock.shift(dt.timedelta(hours=1))
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 3)
    assert len(platform.pushes()) == 3
    assert "HTTP 500" in message.last_error
    assert AuditEntry.objects.filter(action="province.give_up", object_id=str(message.pk)).exists()
    assert case.number == message.reference


def test_pushing_twice_sends_each_message_once(hall, passport, platform):
    link(hall, hall.a, platform)
    with time_machine.travel(at(2016, 12, 8, 9, 30), tick=False):
        completed(hall, passport)
        call_command("province_push", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("province_push", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(platform.pushes()) == 2


@pytest.mark.django_db(transaction=True)
def test_two_pushers_at_once_never_send_one_message_twice(hall, passport, platform):
    link(hall, hall.a, platform)
    platform.delay = 0.05  # keep both pushers busy at the same time
    with time_machine.travel(at(2016, 12, 8, 9, 30), tick=False):
        for _ in range(6):
            completed(hall, passport)
    barrier = threading.Barrier(2)

    def push() -> None:
        barrier.wait()
        try:
            with time_machine.travel(at(2016, 12, 8, 9, 35), tick=False):
                province_push()
        finally:
            connection.close()

    threads = [threading.Thread(target=push) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = [p.body["message_id"] for p in platform.pushes()]
    assert len(ids) == 12
    assert len(set(ids)) == 12
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"acknowledged"}


def test_a_rating_is_pushed_to_the_ratings_endpoint(hall, passport, platform):
    link(hall, hall.a, platform)
    with time_machine.travel(at(2016, 12, 8, 9, 30), tick=False):
        case = completed(hall, passport)
        rating_submit(by=None, case=case, level=1, comment="等了很久", channel="web")
        province_push()
    (posted,) = platform.pushes("/ratings")
    assert posted.body["kind"] == "rating"
    assert posted.body["data"]["case_number"] == case.number
    assert (posted.body["data"]["level"], posted.body["data"]["level_name"]) == (1, "非常不满意")
    assert posted.body["data"]["comment"] == "等了很久"


def test_each_center_uses_its_own_adapter_and_can_switch(hall, passport, forestry, platform):
    link(hall, hall.a, platform)
    link(hall, hall.b)  # the disabled adapter: logged and acknowledged locally
    with time_machine.travel(at(2016, 12, 8, 9, 30), tick=False):
        a_case = accepted(hall, passport)
        b_case = accepted(hall, forestry, persona="clerk_z")
        province_push()
        assert {p.body["data"]["case_number"] for p in platform.pushes()} == {a_case.number}
        b_message = OutboxMessage.objects.get(center=hall.b)
        assert b_message.status == MessageStatus.ACKNOWLEDGED
        assert b_message.ack_reference == f"local:{b_message.message_id}"
        # Center B moves to the HTTP platform, center A is switched to the log adapter.
        link(hall, hall.b, platform, adapter="http")
        link(hall, hall.a, adapter="disabled")
        accepted(hall, passport)
        accepted(hall, forestry, persona="clerk_z")
        province_push()
    numbers = [p.body["data"]["case_number"] for p in platform.pushes()]
    assert len(numbers) == 2
    assert numbers[0] == a_case.number
    assert numbers[1] != b_case.number
    assert numbers[1].startswith(f"20161208{hall.z.pk % 1000:03d}")


def test_a_switched_off_link_keeps_its_messages_waiting(hall, passport, platform):
    link(hall, hall.a, platform, enabled=False)
    with time_machine.travel(at(2016, 12, 8, 9, 30), tick=False):
        accepted(hall, passport)
        assert province_push().tried == 0
        assert OutboxMessage.objects.get().status == MessageStatus.PENDING
        link(hall, hall.a, platform, enabled=True)
        assert province_push().acknowledged == 1
    assert len(platform.pushes()) == 1


def test_a_malformed_answer_is_a_failure(hall, passport, platform):
    link(hall, hall.a, platform)
    platform.malformed = True
    with time_machine.travel(at(2016, 12, 8, 9, 30), tick=False):
        accepted(hall, passport)
        province_push()
    message = OutboxMessage.objects.get()
    assert message.status == MessageStatus.PENDING
    assert message.last_error.startswith("malformed answer")


def test_missing_credentials_name_the_variable(hall, passport, platform, monkeypatch):
    monkeypatch.delenv("PROVINCE_TOKEN_MISSING", raising=False)
    link(hall, hall.a, platform, credentials_env="PROVINCE_TOKEN_MISSING")
    with time_machine.travel(at(2016, 12, 8, 9, 30), tick=False):
        accepted(hall, passport)
        province_push()
    assert "PROVINCE_TOKEN_MISSING" in OutboxMessage.objects.get().last_error
    assert platform.pushes() == []
