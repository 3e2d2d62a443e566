"""Messages are written with the change they report, once, masked, or not at all."""

from __future__ import annotations

import pytest
import time_machine

from govhall.cases import services as cases
from govhall.core.errors import DomainError
from govhall.feedback.services import rating_submit
from govhall.province.choices import MessageEvent, MessageKind, MessageStatus
from govhall.province.models import OutboxMessage, ProvinceLink
from tests.province.conftest import accepted, at, completed, link, receive


def test_acceptance_and_completion_each_queue_one_message(hall, passport):
    link(hall, hall.a)
    with time_machine.travel(at(2016, 12, 8, 9, 30), tick=False):
        case = completed(hall, passport)
    rows = list(OutboxMessage.objects.order_by("pk"))
    assert [(m.kind, m.event, m.reference) for m in rows] == [
        (MessageKind.CASE, MessageEvent.ACCEPTED, case.number),
        (MessageKind.CASE, MessageEvent.COMPLETED, case.number),
    ]
    assert all(m.status == MessageStatus.PENDING and m.case_id == case.pk for m in rows)
    accepted_payload, completed_payload = rows[0].payload, rows[1].payload
    assert accepted_payload["status"] == "accepted"
    assert accepted_payload["accepted_at"] == "2016-12-08T09:30:00+08:00"
    assert completed_payload["status"] == "completed"
    assert completed_payload["result"] == "granted"
    assert completed_payload["item_code"] == "P001"


def test_later_saves_of_an_accepted_case_queue_nothing_more(hall, passport):
    link(hall, hall.a)
    with time_machine.travel(at(2016, 12, 8, 9, 30)):
        case = accepted(hall, passport)
        cases.case_extend(by=hall.user("clerk_x"), case=case, reason="专家评审", approved_by="局长")
        cases.case_record_step(by=hall.user("clerk_x"), case=case, name="审查")
    assert OutboxMessage.objects.count() == 1


def test_closing_without_completion_is_reported(hall, passport):
    link(hall, hall.a)
    with time_machine.travel(at(2016, 12, 8, 9, 30)):
        rejected = cases.case_reject(
            by=hall.user("clerk_x"), case=receive(hall, passport), reason="不属于本机关职权"
        )
        returned = cases.case_return(
            by=hall.user("clerk_x"), case=accepted(hall, passport), reason="应向市局申请"
        )
    closed = OutboxMessage.objects.filter(event=MessageEvent.CLOSED)
    assert {m.reference: m.payload["status"] for m in closed} == {
        rejected.number: "rejected",
        returned.number: "returned",
    }
    assert closed.get(reference=rejected.number).payload["reason"] == "不属于本机关职权"


def test_id_numbers_and_phones_leave_masked_unless_the_link_sends_them(hall, passport):
    link(hall, hall.a)
    with time_machine.travel(at(2016, 12, 8, 9, 30)):
        accepted(hall, passport)
        ProvinceLink.objects.filter(center=hall.a).update(send_personal_data=True)
        accepted(hall, passport)
    masked, full = (m.payload["applicant"] for m in OutboxMessage.objects.order_by("pk"))
    assert masked == {"name": "张三", "id_number": "420321********1234", "phone": "139****1234"}
    assert full == {"name": "张三", "id_number": "420321198001011234", "phone": "13900001234"}


def test_a_center_without_a_link_queues_nothing(hall, passport):
    with time_machine.travel(at(2016, 12, 8, 9, 30)):
        completed(hall, passport)
    assert not OutboxMessage.objects.exists()


def test_outbox_rows_roll_back_with_the_failed_service(hall, passport, monkeypatch):
    link(hall, hall.a)
    with time_machine.travel(at(2016, 12, 8, 9, 30)):
        case = receive(hall, passport)

        def broken_log(*args, **kwargs):
            raise DomainError("the timeline is unavailable", field="status")

        # The case is saved (and the receiver runs) before the timeline line fails.
        monkeypatch.setattr(cases, "_log", broken_log)
        with pytest.raises(DomainError):
            cases.case_accept(by=hall.user("clerk_x"), case=case)
    case.refresh_from_db()
    assert case.status == "received"
    assert not OutboxMessage.objects.exists()


def test_a_rating_is_queued_once_and_its_review_is_not(hall, passport):
    link(hall, hall.a)
    with time_machine.travel(at(2016, 12, 8, 9, 30)):
        case = completed(hall, passport)
        rating = rating_submit(
            by=hall.user("clerk_x"), case=case, level=4, tags=["warm"], channel="window"
        )
        rating.comment = "edited"
        rating.save()
    message = OutboxMessage.objects.get(kind=MessageKind.RATING)
    assert message.reference == case.number
    assert message.rating_id == rating.pk
    assert message.payload["level"] == 4
    assert message.payload["level_name"] == "满意"
    assert message.payload["tags"] == ["warm"]
