"""Complaints and messages: submitted by the public within limits, routed by the office, answered
by the unit by the deadline, read back with the reference code, reopened as often as allowed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from govhall.cases.public_services import RateLimited
from govhall.core.errors import DomainError, NotAllowed
from govhall.feedback import services
from govhall.feedback.choices import FeedbackKind, FeedbackStatus, Finding
from govhall.feedback.models import Feedback
from govhall.feedback.selectors import overdue_feedback
from tests.feedback.conftest import at, submit

COMPLAINT = {
    "kind": "complaint",
    "subject": "窗口态度",
    "content": "11月8日在出入境窗口办理护照，工作人员态度生硬。",
    "name": "王先生",
    "phone": "13812345678",
    "website": "",
}


def test_a_complaint_is_routed_answered_and_read_back_with_its_code(client, login, hall):
    # given: the public sends a complaint naming unit X
    with time_machine.travel(at(2016, 11, 8, 10, 0)):
        sent = client.post(f"/feedback/write/?center={hall.a.pk}", {**COMPLAINT, "unit": hall.x.pk})
        assert sent.status_code == 302
        done = client.get(sent["Location"]).content.decode()
    item = Feedback.objects.get()
    assert item.code in done
    assert item.status == FeedbackStatus.NEW
    assert item.named_unit == hall.x
    assert item.unit is None
    # when: the office routes it to X, X's chief answers
    office = login("office_a")
    with time_machine.travel(at(2016, 11, 8, 14, 0)):
        office.post(
            f"/feedback/manage/inbox/{item.pk}/route/", {"unit": hall.x.pk, "note": "请核实"}
        )
    chief = login("chief_x")
    inbox = chief.get("/feedback/manage/inbox/").content.decode()
    assert "窗口态度" in inbox
    with time_machine.travel(at(2016, 11, 10, 9, 0)):
        answered = chief.post(
            f"/feedback/manage/inbox/{item.pk}/answer/",
            {"answer": "经核实，已对工作人员批评教育。", "finding": "substantiated"},
        )
    assert answered.status_code == 302
    # then: the submitter reads the answer with the code, and is satisfied
    client.logout()
    read = client.post("/feedback/answer/", {"code": item.code.lower(), "action": "read"})
    page = read.content.decode()
    assert read.status_code == 200
    assert "经核实，已对工作人员批评教育。" in page
    assert "请核实" not in page  # the office's internal note
    assert "王*" in page
    client.post("/feedback/answer/", {"code": item.code, "action": "accept"})
    item.refresh_from_db()
    assert item.status == FeedbackStatus.CLOSED
    assert item.finding == Finding.SUBSTANTIATED
    assert item.first_answer_on_time is True


def test_a_complaint_is_due_in_ten_working_days_across_national_day(hall):
    item = submit(hall.a, at(2016, 9, 30, 16, 0))
    # 10-08 … 10-14 (7), 10-17, 18, 19 (10)
    assert item.answer_due == at(2016, 10, 19, 17, 30)


def test_a_message_is_due_in_the_centers_message_days(hall):
    services.feedback_settings_update(
        by=hall.user("office_a"), center=hall.a, contact_days=1, rectify_days=15,
        complaint_days=10, message_days=3, max_reopens=1,
    )  # fmt: skip
    item = submit(hall.a, at(2016, 12, 8, 10, 0), kind=FeedbackKind.MESSAGE, name="", phone="")
    assert item.answer_due == at(2016, 12, 13, 17, 30)


def test_a_complaint_needs_name_and_phone_a_message_needs_neither(hall):
    with pytest.raises(DomainError) as no_phone:
        submit(hall.a, at(2016, 12, 8, 10, 0), phone="")
    assert no_phone.value.field == "phone"
    with pytest.raises(DomainError) as no_name:
        submit(hall.a, at(2016, 12, 8, 10, 0), name="")
    assert no_name.value.field == "name"
    message = submit(hall.a, at(2016, 12, 8, 10, 0), kind=FeedbackKind.MESSAGE, name="", phone="")
    assert message.status == FeedbackStatus.NEW


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"content": "好" * 1001}, "content"),
        ({"content": "差"}, "content"),
        ({"subject": "标" * 61}, "subject"),
        ({"name": "名" * 51}, "name"),
        ({"phone": "12345"}, "phone"),
        ({"kind": "praise"}, "kind"),
    ],
)
def test_length_and_format_limits_are_enforced_by_the_service(hall, kwargs, field):
    with pytest.raises(DomainError) as refused:
        submit(hall.a, at(2016, 12, 8, 10, 0), **kwargs)
    assert refused.value.field == field
    assert not Feedback.objects.exists()


def test_a_unit_of_another_center_cannot_be_named(hall):
    with pytest.raises(DomainError) as refused:
        submit(hall.a, at(2016, 12, 8, 10, 0), unit=hall.z)
    assert refused.value.field == "unit"


def test_the_page_refuses_a_too_long_text_naming_the_field(client, hall):
    response = client.post(
        f"/feedback/write/?center={hall.a.pk}", {**COMPLAINT, "content": "长" * 1001}
    )
    assert response.status_code == 400
    assert "1000" in response.content.decode()
    assert not Feedback.objects.exists()


def test_the_robot_trap_stores_nothing(client, hall):
    response = client.post(
        f"/feedback/write/?center={hall.a.pk}", {**COMPLAINT, "website": "http://spam.example"}
    )
    assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_an_address_may_send_five_an_hour_then_gets_429(client, hall):
    statuses = [
        client.post(f"/feedback/write/?center={hall.a.pk}", COMPLAINT).status_code for _ in range(6)
    ]
    assert statuses == [302] * 5 + [429]
    assert Feedback.objects.count() == 5
    # the service refuses the same way whatever face calls it
    with pytest.raises(RateLimited):
        services.feedback_submit(
            center=hall.a, kind="message", content="再来一条留言", client="127.0.0.1"
        )


def test_code_lookups_beyond_the_limit_get_429(client, hall):
    statuses = [
        client.post("/feedback/answer/", {"code": f"ABCDEFGH{n:02d}"}).status_code
        for n in range(11)
    ]
    assert statuses == [400] * 10 + [429]


def test_an_unknown_code_finds_nothing(client, hall):
    submit(hall.a, at(2016, 12, 8, 10, 0))
    response = client.post("/feedback/answer/", {"code": "ZZZZZZZZZZ", "action": "read"})
    assert response.status_code == 400
    assert "ZZZZZZZZZZ" not in re.sub(r'value="[^"]*"', "", response.content.decode())


def test_answering_another_units_complaint_is_refused(login, hall):
    # given: routed to unit Y
    item = submit(hall.a, at(2016, 12, 8, 10, 0))
    services.feedback_route(by=hall.user("office_a"), feedback=item, unit=hall.y)
    # when / then
    with pytest.raises(NotAllowed):
        services.feedback_answer(
            by=hall.user("chief_x"), feedback=item, answer="越权答复", finding=Finding.PARTLY
        )
    client = login("chief_x")
    assert client.get(f"/feedback/manage/inbox/{item.pk}/").status_code == 404
    posted = client.post(
        f"/feedback/manage/inbox/{item.pk}/answer/", {"answer": "x", "finding": "partly"}
    )
    assert posted.status_code == 404
    item.refresh_from_db()
    assert item.status == FeedbackStatus.ROUTED


def test_a_unit_cannot_answer_or_route_what_the_office_has_not_routed(hall):
    item = submit(hall.a, at(2016, 12, 8, 10, 0), unit=hall.x)
    with pytest.raises(NotAllowed):
        services.feedback_answer(
            by=hall.user("chief_x"), feedback=item, answer="x", finding=Finding.PARTLY
        )
    with pytest.raises(NotAllowed):
        services.feedback_route(by=hall.user("chief_x"), feedback=item, unit=hall.x)
    with pytest.raises(NotAllowed):  # another center's office
        services.feedback_route(by=hall.user("office_b"), feedback=item, unit=hall.x)


def test_a_complaints_answer_states_a_finding(hall):
    item = submit(hall.a, at(2016, 12, 8, 10, 0))
    with pytest.raises(DomainError) as refused:
        services.feedback_answer(by=hall.user("office_a"), feedback=item, answer="已处理")
    assert refused.value.field == "finding"


def _answered(hall, when):
    item = submit(hall.a, when)
    services.feedback_route(by=hall.user("office_a"), feedback=item, unit=hall.x)
    return services.feedback_answer(
        by=hall.user("chief_x"), feedback=item, answer="已处理", finding=Finding.PARTLY
    )


def test_reopening_once_is_allowed_and_a_second_time_refused(hall):
    # given
    with time_machine.travel(at(2016, 12, 8, 10, 0), tick=False):
        item = _answered(hall, at(2016, 12, 8, 10, 0))
    # when: reopened on 12-12 — a fresh 10 working days
    with time_machine.travel(at(2016, 12, 12, 9, 0), tick=False):
        item = services.feedback_reopen(feedback=item, reason="问题没有解决")
    assert (item.status, item.reopen_count) == (FeedbackStatus.REOPENED, 1)
    assert item.answer_due == at(2016, 12, 26, 17, 30)
    assert item.unit == hall.x  # the same unit answers again
    services.feedback_answer(
        by=hall.user("chief_x"), feedback=item, answer="再次答复", finding=Finding.PARTLY
    )
    # then
    with pytest.raises(DomainError) as refused:
        services.feedback_reopen(feedback=item, reason="还是不满意")
    assert refused.value.field == "status"
    item.refresh_from_db()
    assert (item.status, item.reopen_count) == (FeedbackStatus.ANSWERED, 1)


def test_the_page_offers_reopening_only_while_reopens_are_left(client, hall):
    item = _answered(hall, at(2016, 12, 8, 10, 0))
    first = client.post(
        "/feedback/answer/", {"code": item.code, "action": "reopen", "reason": "没有解决"}
    )
    assert first.status_code == 200
    services.feedback_answer(
        by=hall.user("chief_x"), feedback=item, answer="再次答复", finding=Finding.PARTLY
    )
    page = client.post("/feedback/answer/", {"code": item.code, "action": "read"}).content.decode()
    assert 'value="reopen"' not in page
    assert 'value="accept"' in page
    refused = client.post(
        "/feedback/answer/", {"code": item.code, "action": "reopen", "reason": "仍不满意"}
    )
    assert refused.status_code == 409


def test_the_number_of_reopens_is_configurable(hall):
    services.feedback_settings_update(
        by=hall.user("office_a"), center=hall.a, contact_days=1, rectify_days=15,
        complaint_days=10, message_days=10, max_reopens=2,
    )  # fmt: skip
    item = _answered(hall, at(2016, 12, 8, 10, 0))
    for _round in range(2):
        services.feedback_reopen(feedback=item, reason="没有解决")
        services.feedback_answer(
            by=hall.user("chief_x"), feedback=item, answer="再答复", finding=Finding.PARTLY
        )
    with pytest.raises(DomainError):
        services.feedback_reopen(feedback=item, reason="没有解决")


def test_a_waiting_item_cannot_be_accepted_or_reopened(hall):
    item = submit(hall.a, at(2016, 12, 8, 10, 0))
    with pytest.raises(DomainError):
        services.feedback_accept(feedback=item)
    with pytest.raises(DomainError):
        services.feedback_reopen(feedback=item, reason="x")


def test_unanswered_complaints_are_listed_when_late(hall):
    item = submit(hall.a, at(2016, 12, 8, 10, 0))  # due 12-22
    assert overdue_feedback(center=hall.a, on=dt.date(2016, 12, 22)) == []
    late = overdue_feedback(center=hall.a, on=dt.date(2016, 12, 23))
    assert [(i.kind, i.pk) for i in late] == [("complaint", item.pk)]
    with time_machine.travel(at(2016, 12, 27, 9, 0), tick=False):
        services.feedback_answer(
            by=hall.user("office_a"), feedback=item, answer="迟复", finding=Finding.UNSUBSTANTIATED
        )
    item.refresh_from_db()
    assert item.first_answer_on_time is False
    assert len(overdue_feedback(center=hall.a, on=dt.date(2016, 12, 23))) == 1  # history kept
    assert overdue_feedback(center=hall.a, on=dt.date(2016, 12, 28)) == []


def test_the_office_dismisses_abuse_with_a_reason(hall):
    item = submit(hall.a, at(2016, 12, 8, 10, 0), kind=FeedbackKind.MESSAGE, content="广告广告广告")
    with pytest.raises(DomainError):
        services.feedback_dismiss(by=hall.user("office_a"), feedback=item, reason="")
    services.feedback_dismiss(by=hall.user("office_a"), feedback=item, reason="广告")
    item.refresh_from_db()
    assert item.status == FeedbackStatus.DISMISSED
    assert overdue_feedback(center=hall.a, on=dt.date(2017, 1, 30)) == []
