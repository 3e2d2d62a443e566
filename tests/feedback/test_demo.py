"""The demo's feedback: December 2016 without complaints or messages, as the bulletin says; ratings
on the demo's completed cases, mostly satisfied; a bad rating rectified and one found invalid."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest

from govhall.cases.choices import CaseStatus
from govhall.cases.models import Case
from govhall.demo.loaders.feedback import load_feedback_demo
from govhall.feedback.choices import FeedbackStatus, RatingReview, RectificationStatus
from govhall.feedback.models import Feedback, Rating, Rectification
from govhall.feedback.selectors import (
    complaint_counts,
    complaint_sentence,
    overdue_feedback,
    satisfaction_total,
)

DEC, NOV, OCT = dt.date(2016, 12, 1), dt.date(2016, 11, 1), dt.date(2016, 10, 1)


@pytest.fixture
def center(demo_center):
    """The shared demo hall (tests/shared_demo.py), built once for all the tests reading it."""
    return demo_center


def test_december_2016_has_no_complaints_or_messages(center):
    counts = complaint_counts(center=center, month=DEC)
    assert (counts["complaints"], counts["messages"]) == (0, 0)
    assert complaint_sentence(counts) == "本月未收到投诉及留言"


def test_october_and_november_have_a_few_handled_to_the_end(center):
    october, november = (
        complaint_counts(center=center, month=OCT),
        complaint_counts(center=center, month=NOV),
    )
    assert october["complaints"] + october["messages"] >= 1
    assert november["complaints"] >= 1
    assert november["dismissed"] == 1
    assert october["reopened"] == 1
    # 2016's feedback is all handled (the demo's present weeks keep one waiting on purpose)
    assert not Feedback.objects.filter(
        center=center, status__in=FeedbackStatus.waiting(), submitted_at__year=2016
    ).exists()


def test_ratings_cover_the_demo_months_and_are_mostly_satisfied(center):
    if not Case.objects.filter(center=center, status=CaseStatus.COMPLETED).exists():
        pytest.skip("the cases demo step built no completed cases")
    for month in (OCT, NOV, DEC):
        total = satisfaction_total(center=center, month=month)
        assert total.total >= 20, month
        assert total.rate >= 90, month


def test_novembers_bad_rating_was_rectified_and_followed_up(center):
    if not Case.objects.filter(center=center, status=CaseStatus.COMPLETED).exists():
        pytest.skip("the cases demo step built no completed cases")
    closed = Rectification.objects.get(
        center=center, status=RectificationStatus.CLOSED, opened_at__year=2016
    )
    assert closed.outcome
    assert closed.contacted_at <= closed.contact_due
    assert closed.closed_at <= closed.rectify_due
    assert closed.follow_ups.count() == 1
    invalid = Rating.objects.get(center=center, review=RatingReview.INVALID, rated_at__year=2016)
    assert invalid.rectification.status == RectificationStatus.CANCELLED
    assert overdue_feedback(center=center, on=dt.date(2016, 12, 30)) == []


def test_loading_again_changes_nothing(center):
    before = (Rating.objects.count(), Feedback.objects.count(), Rectification.objects.count())
    out = StringIO()
    load_feedback_demo(out)
    assert (
        Rating.objects.count(),
        Feedback.objects.count(),
        Rectification.objects.count(),
    ) == before
