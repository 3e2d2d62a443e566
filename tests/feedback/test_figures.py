"""The month's figures, on records built here: satisfaction per unit, window, staff and month;
complaint and message counts for the bulletin; rectification counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from govhall.feedback import services
from govhall.feedback.choices import FeedbackKind, Finding, FollowUpResult, RatingLevel
from govhall.feedback.selectors import (
    complaint_counts,
    complaint_sentence,
    rectification_counts,
    satisfaction,
    satisfaction_by_month,
    satisfaction_total,
)
from tests.feedback.conftest import at, finished_case, rate, submit

DEC, NOV = dt.date(2016, 12, 1), dt.date(2016, 11, 1)


@pytest.fixture
def december(hall, passport, permit):
    """X: the clerk 5,5,4,2 and the chief 3; Y (the office's desk, no staff): 1, 4 — one in
    November at X; one invalid 1 at X."""
    day = at(2016, 12, 8, 9, 0)
    rows = [
        (passport, "clerk_x", RatingLevel.VERY_SATISFIED),
        (passport, "clerk_x", RatingLevel.VERY_SATISFIED),
        (passport, "clerk_x", RatingLevel.SATISFIED),
        (passport, "clerk_x", RatingLevel.DISSATISFIED),
        (passport, "chief_x", RatingLevel.BASIC),
        (permit, "office_a", RatingLevel.VERY_DISSATISFIED),
        (permit, "office_a", RatingLevel.SATISFIED),
    ]
    ratings = []
    for minute, (item, persona, level) in enumerate(rows):
        case = finished_case(hall, item, day + dt.timedelta(minutes=minute), persona)
        ratings.append(rate(case, level, at(2016, 12, 9, 10, minute)))
    november = finished_case(hall, passport, at(2016, 11, 30, 9, 0))
    rate(november, RatingLevel.VERY_DISSATISFIED, at(2016, 11, 30, 23, 59))
    invalid = rate(
        finished_case(hall, passport, at(2016, 12, 20, 9, 0)), 1, at(2016, 12, 20, 9, 30)
    )
    services.rating_review(by=hall.user("office_a"), rating=invalid, valid=False, reason="恶意")
    return ratings


def test_satisfaction_per_unit_counts_valid_ratings_of_the_month(hall, december):
    rows = {r.name: r for r in satisfaction(center=hall.a, month=DEC, by="unit")}
    x, y = rows["公安局"], rows["住建局"]
    assert (x.very_satisfied, x.satisfied, x.basic, x.dissatisfied, x.total) == (2, 1, 1, 1, 5)
    assert x.satisfied_count == 4
    assert x.rate == Decimal("80.0")
    assert (y.total, y.rate) == (2, Decimal("50.0"))
    assert list(rows) == ["公安局", "住建局"]  # the hall's unit order


def test_satisfaction_per_window_and_staff(hall, december):
    windows = {r.name: r for r in satisfaction(center=hall.a, month=DEC, by="window")}
    assert windows["公安局出入境窗口"].total == 5
    assert "住建局房产窗口" not in windows  # the office's desk gave Y's cases no window
    staff = {r.name: r for r in satisfaction(center=hall.a, month=DEC, by="staff")}
    assert staff["钱办事（公安局）"].rate == Decimal("75.0")
    assert staff["赵首席（公安局）"].rate == Decimal("100.0")
    assert len(staff) == 2


def test_satisfaction_of_the_center_and_by_month(hall, december):
    total = satisfaction_total(center=hall.a, month=DEC)
    assert (total.total, total.satisfied_count) == (7, 5)
    assert total.rate == Decimal("71.4")
    months = satisfaction_by_month(center=hall.a, first=dt.date(2016, 10, 1), last=DEC)
    assert [(m.key, m.total) for m in months] == [
        (dt.date(2016, 10, 1), 0),
        (NOV, 1),  # 11-30 23:59 Beijing time is still November
        (DEC, 7),
    ]
    assert months[0].rate is None  # nothing rated is not 0 %
    assert months[1].rate == Decimal("0.0")


def test_another_center_has_no_figures_of_this_one(hall, december):
    assert satisfaction(center=hall.b, month=DEC) == []
    assert satisfaction_total(center=hall.b, month=DEC).rate is None


def test_a_unit_person_sees_only_the_units_figures(hall, december):
    user = hall.user("leader_y")
    rows = satisfaction(center=hall.a, month=DEC, by="unit", user=user)
    assert [r.name for r in rows] == ["住建局"]


def test_satisfaction_refuses_an_unknown_grouping(hall):
    with pytest.raises(ValueError, match="unit, window or staff"):
        satisfaction(center=hall.a, month=DEC, by="floor")  # type: ignore[arg-type]


def test_complaint_counts_and_how_they_ended(hall):
    # given: December — a closed complaint, a reopened one still waiting, an answered message,
    # a dismissed advert; a November message (another month)
    office, chief = hall.user("office_a"), hall.user("chief_x")
    with time_machine.travel(at(2016, 12, 7, 9, 0), tick=False):  # all answered in time
        closed = submit(hall.a, at(2016, 12, 1, 9, 0))
        services.feedback_route(by=office, feedback=closed, unit=hall.x)
        services.feedback_answer(
            by=chief, feedback=closed, answer="已处理", finding=Finding.SUBSTANTIATED
        )
        services.feedback_accept(feedback=closed)
        reopened = submit(hall.a, at(2016, 12, 2, 9, 0))
        services.feedback_answer(
            by=office, feedback=reopened, answer="不属实", finding=Finding.UNSUBSTANTIATED
        )
        services.feedback_reopen(feedback=reopened, reason="不认可")
        message = submit(hall.a, at(2016, 12, 5, 9, 0), kind=FeedbackKind.MESSAGE)
        services.feedback_answer(by=office, feedback=message, answer="谢谢")
        advert = submit(
            hall.a, at(2016, 12, 6, 9, 0), kind=FeedbackKind.MESSAGE, content="专业代办各类证件"
        )
        services.feedback_dismiss(by=office, feedback=advert, reason="广告")
        submit(hall.a, at(2016, 11, 30, 9, 0), kind=FeedbackKind.MESSAGE)
    # when
    counts = complaint_counts(center=hall.a, month=DEC)
    # then
    assert counts["complaints"] == 2
    assert counts["messages"] == 1
    assert counts["answered"] == 3
    assert counts["answered_on_time"] == 3
    assert counts["closed"] == 1
    assert counts["reopened"] == 1
    assert counts["waiting"] == 1
    assert (counts["substantiated"], counts["unsubstantiated"]) == (1, 1)
    assert counts["dismissed"] == 1
    assert complaint_sentence(counts) == "本月收到投诉2件、留言1件，已答复3件"


def test_a_month_without_complaints_or_messages_says_so(hall):
    submit(hall.b, at(2016, 12, 8, 9, 0))  # another center's
    counts = complaint_counts(center=hall.a, month=DEC)
    assert (counts["complaints"], counts["messages"]) == (0, 0)
    assert complaint_sentence(counts) == "本月未收到投诉及留言"


def test_rectification_counts_of_the_month(hall, december):
    chief = hall.user("chief_x")
    tasks = {r.rectification.unit.name: r.rectification for r in december if r.is_bad}
    task = tasks["公安局"]
    services.rectification_contact(by=chief, task=task, note="已联系")
    services.rectification_rectify(by=chief, task=task, outcome="已整改")
    services.rectification_follow_up(by=chief, task=task, result=FollowUpResult.DISSATISFIED)
    counts = rectification_counts(center=hall.a, month=DEC)
    # X's and Y's bad ratings and X's invalid one (cancelled) opened tasks in December; X's was
    # closed today, long after its 2016 deadline, and the applicant is still dissatisfied
    assert counts == {
        "opened": 3,
        "closed": 1,
        "closed_on_time": 0,
        "active": 1,
        "cancelled": 1,
        "still_dissatisfied": 1,
    }
