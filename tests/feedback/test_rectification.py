"""A bad rating opens a task for the unit: contact within 1 working day, rectify within 15, call
back; the office may find the rating invalid; what is late is listed for supervision."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from govhall.core.errors import DomainError, NotAllowed
from govhall.feedback import services
from govhall.feedback.choices import (
    FollowUpResult,
    RatingLevel,
    RatingReview,
    RectificationStatus,
)
from govhall.feedback.models import Rectification
from govhall.feedback.selectors import overdue_feedback, satisfaction_total
from tests.feedback.conftest import at, finished_case, rate


def _bad(hall, item, when, persona="clerk_x"):
    case = finished_case(hall, item, when, persona)
    return rate(case, RatingLevel.DISSATISFIED, when + dt.timedelta(minutes=30))


def test_a_bad_rating_before_national_day_is_due_after_the_holiday(hall, passport):
    # when: 不满意 on Friday 2016-09-30; 10-01..07 are holidays, 10-08 and 10-09 adjusted workdays
    rating = _bad(hall, passport, at(2016, 9, 30, 15, 0))
    task = rating.rectification
    # then: contact by the close of the next working day, rectify within 15 working days
    assert task.status == RectificationStatus.OPEN
    assert task.unit == hall.x
    assert task.contact_due == at(2016, 10, 8, 17, 30)
    # 10-08, 09, 10 … 14 (7), 17 … 21 (12), 24, 25, 26 (15)
    assert task.rectify_due == at(2016, 10, 26, 17, 30)


def test_a_very_bad_rating_on_a_holiday_counts_from_the_next_working_day(hall, passport):
    case = finished_case(hall, passport, at(2016, 9, 30, 15, 0))
    rating = rate(case, RatingLevel.VERY_DISSATISFIED, at(2016, 10, 3, 20, 0))
    assert rating.rectification.contact_due == at(2016, 10, 8, 17, 30)


def test_the_limits_follow_the_centers_settings(hall, passport):
    # given
    services.feedback_settings_update(
        by=hall.user("office_a"), center=hall.a, contact_days=2, rectify_days=5,
        complaint_days=10, message_days=5, max_reopens=1,
    )  # fmt: skip
    # when
    task = _bad(hall, passport, at(2016, 9, 30, 15, 0)).rectification
    # then
    assert task.contact_due == at(2016, 10, 9, 17, 30)
    assert task.rectify_due == at(2016, 10, 12, 17, 30)


def test_settings_outside_their_range_are_refused(hall):
    with pytest.raises(DomainError) as refused:
        services.feedback_settings_update(
            by=hall.user("office_a"), center=hall.a, contact_days=0, rectify_days=15,
            complaint_days=10, message_days=10, max_reopens=1,
        )  # fmt: skip
    assert refused.value.field == "contact_days"
    with pytest.raises(NotAllowed):
        services.feedback_settings_update(
            by=hall.user("chief_x"), center=hall.a, contact_days=1, rectify_days=15,
            complaint_days=10, message_days=10, max_reopens=1,
        )  # fmt: skip


def test_the_unit_closes_the_task_on_its_pages(login, hall, passport):
    # given
    task = _bad(hall, passport, at(2016, 12, 8, 9, 0)).rectification
    client = login("chief_x")
    url = f"/feedback/manage/tasks/{task.pk}/"
    # when
    with time_machine.travel(at(2016, 12, 9, 10, 0), tick=False):
        assert client.get(url).status_code == 200
        client.post(url + "contact/", {"note": "调阅记录，已电话致歉"})
    with time_machine.travel(at(2016, 12, 15, 10, 0), tick=False):
        client.post(url + "rectify/", {"outcome": "张贴一次性告知清单"})
        client.post(url + "follow_up/", {"result": "satisfied", "note": "认可"})
    # then
    task.refresh_from_db()
    assert task.status == RectificationStatus.CLOSED
    assert task.contacted_at == at(2016, 12, 9, 10, 0)
    assert task.outcome == "张贴一次性告知清单"
    assert task.follow_ups.get().result == FollowUpResult.SATISFIED
    assert task.closed_at <= task.rectify_due


def test_steps_out_of_order_are_refused_and_change_nothing(hall, passport):
    task = _bad(hall, passport, at(2016, 12, 8, 9, 0)).rectification
    chief = hall.user("chief_x")
    with pytest.raises(DomainError) as refused:
        services.rectification_rectify(by=chief, task=task, outcome="已整改")
    assert refused.value.field == "status"
    with pytest.raises(DomainError):
        services.rectification_follow_up(by=chief, task=task, result=FollowUpResult.SATISFIED)
    with pytest.raises(DomainError) as empty:
        services.rectification_contact(by=chief, task=task, note="  ")
    assert empty.value.field == "note"
    task.refresh_from_db()
    assert task.status == RectificationStatus.OPEN


def test_another_unit_cannot_touch_the_task(login, hall, passport, permit):
    # given: a bad rating of unit Y's case
    task = _bad(hall, permit, at(2016, 12, 8, 9, 0), persona="office_a").rectification
    assert task.unit == hall.y
    # when / then
    with pytest.raises(NotAllowed):
        services.rectification_contact(by=hall.user("chief_x"), task=task, note="越权")
    client = login("chief_x")
    assert client.get(f"/feedback/manage/tasks/{task.pk}/").status_code == 404
    assert (
        client.post(f"/feedback/manage/tasks/{task.pk}/contact/", {"note": "x"}).status_code == 404
    )
    assert login("clerk_z").get(f"/feedback/manage/tasks/{task.pk}/").status_code == 404


def test_a_call_nobody_answers_keeps_the_task_open_until_the_third(hall, passport):
    task = _bad(hall, passport, at(2016, 12, 8, 9, 0)).rectification
    chief = hall.user("chief_x")
    services.rectification_contact(by=chief, task=task, note="已联系")
    services.rectification_rectify(by=chief, task=task, outcome="已整改")
    for attempt in range(1, 4):
        services.rectification_follow_up(by=chief, task=task, result=FollowUpResult.UNREACHABLE)
        task.refresh_from_db()
        expected = RectificationStatus.CLOSED if attempt == 3 else RectificationStatus.RECTIFIED
        assert task.status == expected


def test_the_office_finds_a_malicious_rating_invalid_and_it_counts_nowhere(hall, passport):
    # given
    good = rate(finished_case(hall, passport, at(2016, 12, 8, 9, 0)), 5, at(2016, 12, 8, 9, 30))
    rating = _bad(hall, passport, at(2016, 12, 8, 10, 0))
    assert satisfaction_total(center=hall.a, month=dt.date(2016, 12, 1)).rate == 50
    # when: the unit asks, the office decides
    services.rating_review_request(by=hall.user("chief_x"), rating=rating, reason="恶意差评")
    with pytest.raises(NotAllowed):  # the unit cannot decide on its own rating
        services.rating_review(by=hall.user("chief_x"), rating=rating, valid=False, reason="x")
    with pytest.raises(DomainError) as no_reason:
        services.rating_review(by=hall.user("office_a"), rating=rating, valid=False)
    assert no_reason.value.field == "reason"
    with time_machine.travel(at(2016, 12, 9, 10, 0), tick=False):
        services.rating_review(
            by=hall.user("office_a"), rating=rating, valid=False, reason="调取录像，服务规范"
        )
    # then
    rating.refresh_from_db()
    assert rating.review == RatingReview.INVALID
    assert Rectification.objects.get(rating=rating).status == RectificationStatus.CANCELLED
    assert satisfaction_total(center=hall.a, month=dt.date(2016, 12, 1)).total == 1
    assert satisfaction_total(center=hall.a, month=dt.date(2016, 12, 1)).rate == 100
    assert overdue_feedback(center=hall.a, on=dt.date(2016, 12, 30)) == []
    with pytest.raises(DomainError) as again:
        services.rating_review(by=hall.user("office_a"), rating=rating, valid=True)
    assert again.value.field == "status"
    assert good.review == RatingReview.NONE


def test_a_good_rating_cannot_be_sent_for_review_by_the_unit(hall, passport):
    rating = rate(finished_case(hall, passport, at(2016, 12, 8, 9, 0)), 5, at(2016, 12, 8, 9, 30))
    with pytest.raises(DomainError) as refused:
        services.rating_review_request(by=hall.user("chief_x"), rating=rating, reason="x")
    assert refused.value.field == "rating"


def test_late_tasks_are_listed_for_supervision_day_by_day(hall, passport):
    # given: a bad rating on Thursday 2016-12-08 — contact due Friday 12-09 at 17:30
    task = _bad(hall, passport, at(2016, 12, 8, 9, 0)).rectification
    # then
    assert overdue_feedback(center=hall.a, on=dt.date(2016, 12, 9)) == []  # due today: not late
    late = overdue_feedback(center=hall.a, on=dt.date(2016, 12, 12))
    assert [(i.kind, i.pk, i.unit) for i in late] == [("contact", task.pk, "公安局")]
    # when: contacted late, on Monday at 10:00
    with time_machine.travel(at(2016, 12, 12, 10, 0), tick=False):
        services.rectification_contact(by=hall.user("chief_x"), task=task, note="已联系")
    # then: history stays as it was; the next day it is no longer late to contact
    assert [i.kind for i in overdue_feedback(center=hall.a, on=dt.date(2016, 12, 12))] == [
        "contact"
    ]
    assert overdue_feedback(center=hall.a, on=dt.date(2016, 12, 13)) == []
    # 15 working days after 12-08 is 12-29: late to rectify from 12-30
    assert [i.kind for i in overdue_feedback(center=hall.a, on=dt.date(2016, 12, 30))] == [
        "rectify"
    ]
    assert overdue_feedback(center=hall.b, on=dt.date(2016, 12, 30)) == []


def test_the_overdue_page_shows_the_late_tasks_of_the_persons_scope(login, hall, passport):
    _bad(hall, passport, at(2016, 12, 8, 9, 0))
    office = login("office_a").get("/feedback/manage/overdue/?on=2016-12-30").content.decode()
    assert "差评未按时核实联系" in office  # never contacted, the first thing late
    leader = login("leader_y").get("/feedback/manage/overdue/?on=2016-12-30").content.decode()
    assert "差评未按时核实联系" not in leader
