"""The rating pad (评价器) paired to a window: a number finished there is rated by its
applicant into 好差评, on the case, the staff member and the number."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from govhall.cases import services as cases
from govhall.feedback.models import Rating
from govhall.org.services import staff_photo_set
from govhall.queueing.models import Ticket
from govhall.queueing.services import ticket_call_next, ticket_finish, ticket_issue
from tests.catalog.builders import publish_item
from tests.queueing.conftest import Queue, at


def served(queue: Queue, *, immediate: bool) -> tuple[Ticket, Any]:
    """A number of A called and finished at X's window into a case: a completed 即办件, or an
    accepted 承诺件 still open."""
    user = queue.hall.user("clerk_x")
    basic: dict[str, Any] = (
        {"handling_type": "immediate", "legal_days": 1, "promised_days": 0} if immediate else {}
    )
    item = publish_item(queue.hall.a, queue.hall.x, code="P001", **basic)
    ticket = ticket_issue(center=queue.hall.a, category="A", channel="kiosk")
    ticket_call_next(window=queue.hall.x_window, by=user)
    case = cases.case_accept(
        by=user, case=cases.case_receive(by=user, item=item, applicant_name="王五")
    )
    if immediate:
        case = cases.case_complete(by=user, case=case, result="granted")
    return ticket_finish(ticket=ticket, by=user, case=case), case


def state(client: Any, window: Any, after: int) -> dict[str, Any]:
    response = client.get(reverse("queueing:pad_state", args=[window.pk]), {"after": after})
    assert response.status_code == 200
    return response.json()


def test_the_pad_asks_for_a_finished_immediate_case_and_stores_the_rating(
    queue: Queue, login: Any, clock: Any
) -> None:
    # given the pad of X's window opened by its clerk, showing their card
    client = login("clerk_x")
    window = queue.hall.x_window
    pad = client.get(reverse("queueing:pad", args=[window.pk]))
    assert pad.status_code == 200
    assert "钱办事" in pad.content.decode()
    after = pad.context["after"]
    assert state(client, window, after)["ask"] is None
    # when a number is finished at the window into a completed 即办件
    clock.move_to(at(9, 10))
    ticket, case = served(queue, immediate=True)
    # then the pad's next poll asks its applicant to rate it
    seen = state(client, window, after)
    assert seen["ask"]["ticket"] == ticket.pk
    assert seen["ask"]["number"] == "A001"
    assert seen["ask"]["ratable"] is True
    # when the applicant taps 非常满意
    answer = client.post(
        reverse("queueing:pad_rate", args=[window.pk]),
        {"ticket": ticket.pk, "level": "5"},
        HTTP_ACCEPT="application/json",
    )
    # then the rating is on the case, its staff member and the number; nothing is asked again
    assert answer.json()["ok"] is True
    rating = Rating.objects.get()
    assert (rating.case, rating.staff, rating.level, rating.channel) == (
        case,
        queue.hall.x_clerk,
        5,
        "window",
    )
    ticket.refresh_from_db()
    assert ticket.rating == rating
    assert state(client, window, seen["after"])["ask"] is None
    assert state(client, window, after)["ask"] is None


def test_an_open_promised_case_is_rated_later_by_the_receipt(
    queue: Queue, login: Any, clock: Any
) -> None:
    client = login("clerk_x")
    window = queue.hall.x_window
    after = client.get(reverse("queueing:pad", args=[window.pk])).context["after"]
    # given a number that became a promised case, accepted and still open
    ticket, _case = served(queue, immediate=False)
    # then the pad does not offer the levels but says how to rate later
    ask = state(client, window, after)["ask"]
    assert ask["ratable"] is False
    assert "回执二维码" in ask["message"]
    # and a rating sent anyway is refused with the same words, storing nothing
    answer = client.post(
        reverse("queueing:pad_rate", args=[window.pk]),
        {"ticket": ticket.pk, "level": "4"},
        HTTP_ACCEPT="application/json",
    )
    assert answer.status_code == 409
    assert "回执二维码" in answer.json()["message"]
    assert not Rating.objects.exists()


def test_a_rating_without_a_level_is_refused(queue: Queue, login: Any) -> None:
    ticket, _case = served(queue, immediate=True)
    answer = login("clerk_x").post(
        reverse("queueing:pad_rate", args=[queue.hall.x_window.pk]),
        {"ticket": ticket.pk, "level": "9"},
        HTTP_ACCEPT="application/json",
    )
    assert answer.status_code == 400
    assert not Rating.objects.exists()


def test_a_number_of_another_window_cannot_be_rated_on_this_pad(queue: Queue, login: Any) -> None:
    ticket, _case = served(queue, immediate=True)
    # the chief of X may call at X's window only; Y's pad refuses them
    client = login("chief_x")
    assert client.get(reverse("queueing:pad", args=[queue.hall.y_window.pk])).status_code == 403
    answer = client.post(
        reverse("queueing:pad_rate", args=[queue.hall.y_window.pk]),
        {"ticket": ticket.pk, "level": "5"},
    )
    assert answer.status_code == 403
    assert not Rating.objects.exists()


def test_the_pad_shows_the_staff_members_photo_when_there_is_one(queue: Queue, login: Any) -> None:
    # given the clerk has a photo
    staff_photo_set(
        by=None,
        staff=queue.hall.x_clerk,
        photo=SimpleUploadedFile("p.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
    )
    # when the clerk opens the pad of their window
    page = login("clerk_x").get(reverse("queueing:pad", args=[queue.hall.x_window.pk]))
    # then the card shows the photo, name and role
    photo_url = reverse("org:staff_photo", args=[queue.hall.x_clerk.pk])
    assert page.context["photo_url"] == photo_url
    assert photo_url in page.content.decode()
