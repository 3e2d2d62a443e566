"""Ratings: one per case (and per consultation), only of finished cases, with valid input."""

from __future__ import annotations

import threading

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction

from govhall.cases import services as cases
from govhall.core.errors import DomainError, NotAllowed
from govhall.feedback import services
from govhall.feedback.choices import RatingChannel, RatingLevel, RatingTag
from govhall.feedback.models import Rating, Rectification
from tests.feedback.conftest import at, finished_case, open_case, rate


def test_a_finished_case_is_rated_with_its_unit_window_and_staff(hall, passport):
    # given
    case = finished_case(hall, passport, at(2016, 12, 8, 9, 0))
    # when
    rating = rate(
        case, RatingLevel.VERY_SATISFIED, at(2016, 12, 8, 10, 0),
        tags=[RatingTag.EFFICIENT, RatingTag.WARM], comment="  很快  ",
    )  # fmt: skip
    # then
    assert (rating.unit, rating.window, rating.staff) == (hall.x, hall.x_window, hall.x_clerk)
    assert rating.tags == ["warm", "efficient"]  # the list's order
    assert rating.comment == "很快"
    assert not Rectification.objects.exists()  # a good rating opens no task


def test_a_second_rating_of_the_same_case_is_refused_with_a_clear_message(hall, passport):
    # given
    case = finished_case(hall, passport, at(2016, 12, 8, 9, 0))
    rate(case, RatingLevel.SATISFIED, at(2016, 12, 8, 10, 0))
    # when / then
    with pytest.raises(DomainError) as refused:
        rate(case, RatingLevel.VERY_DISSATISFIED, at(2016, 12, 8, 10, 5))
    assert refused.value.field == "rating"
    assert case.number in refused.value.message
    assert Rating.objects.get(case=case).level == RatingLevel.SATISFIED
    assert not Rectification.objects.exists()


def test_the_database_itself_refuses_a_second_rating_of_a_case(hall, passport):
    # given
    case = finished_case(hall, passport, at(2016, 12, 8, 9, 0))
    first = rate(case, RatingLevel.SATISFIED, at(2016, 12, 8, 10, 0))
    # when / then: past the service, the unique constraint still holds
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(
            center=hall.a, unit=hall.x, case=case, level=5, channel="qr", rated_at=first.rated_at
        )


def test_a_rating_names_a_case_or_a_consultation_never_both_nor_neither(hall, passport):
    case = finished_case(hall, passport, at(2016, 12, 8, 9, 0))
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(
            center=hall.a, unit=hall.x, level=5, channel="qr", rated_at=case.completed_at
        )


@pytest.mark.django_db(transaction=True)
def test_two_submits_of_one_case_at_the_same_instant_store_one_rating(hall, passport):
    # given: the pad and the applicant's phone submit at once
    case = finished_case(hall, passport, at(2016, 12, 8, 9, 0))
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def submit(level: int) -> None:
        barrier.wait()
        try:
            services.rating_submit(by=None, case=case, level=level, channel=RatingChannel.QR)
            outcomes.append("rated")
        except DomainError as error:
            outcomes.append("refused" if error.field == "rating" else error.message)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=submit, args=(lvl,)) for lvl in (5, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then
    assert sorted(outcomes) == ["rated", "refused"]
    assert Rating.objects.filter(case=case).count() == 1
    # a task exists exactly when the stored rating is the bad one
    assert Rectification.objects.count() == (1 if Rating.objects.get().level == 1 else 0)


def test_an_open_case_cannot_be_rated(hall, passport):
    case = open_case(hall, passport, at(2016, 12, 8, 9, 0))
    with pytest.raises(DomainError) as refused:
        rate(case, RatingLevel.SATISFIED, at(2016, 12, 8, 10, 0))
    assert refused.value.field == "status"
    assert not Rating.objects.exists()


def test_a_case_refused_at_the_door_may_be_rated(hall, passport):
    by = hall.user("clerk_x")
    with time_machine.travel(at(2016, 12, 8, 9, 0), tick=False):
        case = cases.case_receive(by=by, item=passport, applicant_name="李四")
        case = cases.case_reject(by=by, case=case, reason="不属于本单位职责")
    rating = rate(case, RatingLevel.BASIC, at(2016, 12, 8, 9, 30))
    assert rating.staff == hall.x_clerk  # the one who received it


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"level": 6}, "level"),
        ({"level": "很好"}, "level"),
        ({"level": 5, "tags": ["bribe"]}, "tags"),
        ({"level": 5, "tags": [t.value for t in RatingTag][:6]}, "tags"),
        ({"level": 5, "comment": "好" * 501}, "comment"),
    ],
)
def test_bad_rating_input_is_refused_naming_the_field(hall, passport, kwargs, field):
    case = finished_case(hall, passport, at(2016, 12, 8, 9, 0))
    with pytest.raises(DomainError) as refused:
        rate(case, when=at(2016, 12, 8, 10, 0), **kwargs)
    assert refused.value.field == field
    assert not Rating.objects.exists()


def test_a_consultation_is_rated_once(hall):
    # given
    with time_machine.travel(at(2016, 12, 8, 9, 0), tick=False):
        consultation = cases.consultation_log(by=hall.user("clerk_x"), unit=hall.x, topic="护照")
    # when
    rating = services.rating_submit(
        by=hall.user("clerk_x"), consultation=consultation, level=4, channel=RatingChannel.WINDOW
    )
    # then
    assert (rating.unit, rating.staff, rating.case) == (hall.x, hall.x_clerk, None)
    with pytest.raises(DomainError) as refused:
        services.rating_submit(
            by=None, consultation=consultation, level=1, channel=RatingChannel.WINDOW
        )
    assert refused.value.field == "rating"


def test_the_pad_of_another_units_staff_cannot_rate_the_case(hall, passport):
    case = finished_case(hall, passport, at(2016, 12, 8, 9, 0))
    with pytest.raises(NotAllowed):
        services.rating_submit(
            by=hall.user("clerk_z"), case=case, level=5, channel=RatingChannel.WINDOW
        )
    with pytest.raises(NotAllowed):  # a unit leader reads, never turns the pad
        services.rating_submit(
            by=hall.user("leader_y"), case=case, level=5, channel=RatingChannel.WINDOW
        )
    assert not Rating.objects.exists()
