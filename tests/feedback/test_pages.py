"""Staff pages: who sees what (another unit and another center see nothing), filters, figures
and settings."""

from __future__ import annotations

import pytest

from govhall.feedback import services
from govhall.feedback.choices import RatingLevel
from tests.feedback.conftest import at, finished_case, rate, submit


@pytest.fixture
def records(hall, passport, permit):
    """A bad rating at X and one at Y; a complaint routed to Y; an unrouted message."""
    x = rate(finished_case(hall, passport, at(2016, 12, 8, 9, 0)), 2, at(2016, 12, 8, 9, 30))
    y = rate(
        finished_case(hall, permit, at(2016, 12, 8, 9, 0), "office_a"),
        RatingLevel.VERY_DISSATISFIED,
        at(2016, 12, 8, 9, 40),
        comment="住建局的差评",
    )
    complaint = submit(hall.a, at(2016, 12, 8, 10, 0), subject="住建投诉")
    services.feedback_route(by=hall.user("office_a"), feedback=complaint, unit=hall.y)
    message = submit(hall.a, at(2016, 12, 8, 11, 0), kind="message", subject="未分派留言")
    return {"x": x, "y": y, "complaint": complaint, "message": message}


@pytest.mark.parametrize(
    ("persona", "ratings", "tasks", "inbox"),
    [
        ("office_a", {"x", "y"}, {"x", "y"}, {"complaint", "message"}),
        ("supervisor_a", {"x", "y"}, {"x", "y"}, {"complaint", "message"}),
        ("chief_x", {"x"}, {"x"}, set()),
        ("clerk_x", {"x"}, {"x"}, set()),
        ("leader_y", {"y"}, {"y"}, {"complaint"}),
        ("office_b", set(), set(), set()),
        ("clerk_z", set(), set(), set()),
    ],
)
def test_each_person_sees_exactly_their_units_records(
    login, records, persona, ratings, tasks, inbox
):
    client = login(persona)
    for name, rating in (("x", records["x"]), ("y", records["y"])):
        detail = client.get(f"/feedback/manage/ratings/{rating.pk}/")
        assert detail.status_code == (200 if name in ratings else 404), (persona, name)
        task = client.get(f"/feedback/manage/tasks/{rating.rectification.pk}/")
        assert task.status_code == (200 if name in tasks else 404), (persona, name)
    for name in ("complaint", "message"):
        page = client.get(f"/feedback/manage/inbox/{records[name].pk}/")
        assert page.status_code == (200 if name in inbox else 404), (persona, name)
    listing = client.get("/feedback/manage/ratings/").content.decode()
    assert ("住建局" in listing) == ("y" in ratings)
    inbox_page = client.get("/feedback/manage/inbox/").content.decode()
    assert ("住建投诉" in inbox_page) == ("complaint" in inbox)
    assert ("未分派留言" in inbox_page) == ("message" in inbox)


@pytest.mark.parametrize(
    ("url", "persona", "status"),
    [
        ("/feedback/manage/ratings/", "clerk_x", 200),
        ("/feedback/manage/tasks/", "leader_y", 200),
        ("/feedback/manage/inbox/", "supervisor_a", 200),
        ("/feedback/manage/figures/?month=2016-12", "chief_x", 200),
        ("/feedback/manage/overdue/", "supervisor_a", 200),
        ("/feedback/manage/settings/", "office_a", 200),
        ("/feedback/manage/settings/", "chief_x", 403),
        ("/feedback/manage/ratings/?level=9", "office_a", 400),
        ("/feedback/manage/inbox/?status=lost", "office_a", 400),
        ("/feedback/manage/tasks/?unit=abc", "office_a", 400),
        ("/feedback/manage/figures/?month=2016-13", "office_a", 400),
        ("/feedback/manage/overdue/?on=yesterday", "office_a", 400),
    ],
)
def test_pages_answer_each_role_and_reject_malformed_filters(login, url, persona, status):
    assert login(persona).get(url).status_code == status


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.get("/feedback/manage/ratings/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_supervisor_reads_but_cannot_route_or_answer(login, records):
    client = login("supervisor_a")
    item = records["message"]
    page = client.get(f"/feedback/manage/inbox/{item.pk}/").content.decode()
    assert "/route/" not in page
    assert "/answer/" not in page
    assert (
        client.post(f"/feedback/manage/inbox/{item.pk}/answer/", {"answer": "x"}).status_code == 403
    )


def test_the_office_routes_from_its_inbox(login, hall, records):
    item = records["message"]
    client = login("office_a")
    response = client.post(f"/feedback/manage/inbox/{item.pk}/route/", {"unit": hall.x.pk})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.unit == hall.x
    refused = client.post(f"/feedback/manage/inbox/{item.pk}/route/", {"unit": hall.z.pk})
    assert refused.status_code == 400  # another center's unit is no choice


def test_the_figures_page_shows_the_rates_and_the_bulletins_sentence(login, hall, records):
    page = login("office_a").get("/feedback/manage/figures/?month=2016-12").content.decode()
    assert "0.0%" in page  # two bad ratings: nobody satisfied
    assert "本月收到投诉1件、留言1件" in page
    november = login("office_a").get("/feedback/manage/figures/?month=2016-11").content.decode()
    assert "本月未收到投诉及留言" in november


def test_the_office_reviews_a_rating_on_its_page(login, records):
    rating = records["x"]
    client = login("office_a")
    client.post(
        f"/feedback/manage/ratings/{rating.pk}/review/",
        {"decision": "invalid", "reason": "恶意差评"},
    )
    rating.refresh_from_db()
    assert rating.review == "invalid"
    unit = login("chief_x").post(
        f"/feedback/manage/ratings/{records['x'].pk}/review/", {"decision": "valid"}
    )
    assert unit.status_code == 403


def test_the_settings_page_saves_the_limits(login, hall):
    client = login("office_a")
    data = {
        "contact_days": 2,
        "rectify_days": 10,
        "complaint_days": 8,
        "message_days": 5,
        "max_reopens": 2,
    }
    assert client.post("/feedback/manage/settings/", data).status_code == 302
    assert client.post("/feedback/manage/settings/", {**data, "rectify_days": 0}).status_code == 400
    hall.a.feedback_settings.refresh_from_db()
    assert hall.a.feedback_settings.max_reopens == 2


def test_the_rating_list_costs_a_fixed_number_of_queries(
    login, hall, passport, django_assert_max_num_queries
):
    for minute in range(8):
        case = finished_case(hall, passport, at(2016, 12, 8, 9, minute))
        rate(case, 5 - minute % 5, at(2016, 12, 8, 10, minute))
    client = login("office_a")
    client.get("/feedback/manage/ratings/")  # warm the per-user caches
    with django_assert_max_num_queries(15):
        assert client.get("/feedback/manage/ratings/").status_code == 200


def test_the_public_pages_load_nothing_from_outside(client, hall):
    for url in ["/feedback/", "/feedback/rate/", "/feedback/write/", "/feedback/answer/"]:
        response = client.get(f"{url}?center={hall.a.pk}")
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "http://" not in page.replace("http://testserver", "")
        assert "https://" not in page
        assert "<script>" not in page
        assert " onclick=" not in page
