"""The queue API for devices (DESIGN.md §5): categories, tickets, calls, the display."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from govhall.queueing.models import QueueCategory, Ticket
from tests.api.conftest import Api

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def morning() -> Iterator[Any]:
    # A working Tuesday, 9:00 in the hall.
    with time_machine.travel(dt.datetime(2026, 12, 8, 9, 0, tzinfo=SHANGHAI), tick=False) as t:
        yield t


@pytest.fixture
def categories(hall: Any, morning: Any) -> dict[str, QueueCategory]:
    a = QueueCategory.objects.create(center=hall.a, code="A", name="户籍出入境")
    a.windows.add(hall.x_window)
    b = QueueCategory.objects.create(center=hall.a, code="B", name="不动产")
    b.windows.add(hall.y_window)
    QueueCategory.objects.create(center=hall.b, code="A", name="林业")
    return {"A": a, "B": b}


def test_categories_list_their_windows(api: Api, categories: Any, hall: Any) -> None:
    response = api.get("/queue/categories")
    assert response.status_code == 200
    body = response.json()
    assert [c["code"] for c in body] == ["A", "B"]
    assert body[0]["windows"] == [{"id": hall.x_window.pk, "name": str(hall.x_window)}]


def test_a_device_takes_numbers_and_sees_people_ahead(api: Api, categories: Any) -> None:
    # when
    first = api.post("/queue/tickets", {"category": "A"})
    second = api.post("/queue/tickets", {"category": "a", "phone": "13800000000"})
    # then
    assert first.status_code == 201, first.content
    assert first.json()["number"] == "A001"
    body = second.json()
    assert body["number"] == "A002"
    assert body["category"] == "A"
    assert body["ahead"] == 1
    assert body["estimated_wait_minutes"] >= 1


def test_an_idempotency_key_gives_the_first_ticket_again(api: Api, categories: Any) -> None:
    key = {"Idempotency-Key": "3f1c-ticket-1"}
    one = api.post("/queue/tickets", {"category": "A"}, headers=key)
    two = api.post("/queue/tickets", {"category": "A"}, headers=key)
    assert one.json() == two.json()
    assert Ticket.objects.count() == 1


def test_outside_ticketing_hours_the_refusal_names_the_hours(
    api: Api, categories: Any, morning: Any
) -> None:
    morning.move_to(dt.datetime(2026, 12, 8, 7, 0, tzinfo=SHANGHAI))
    response = api.post("/queue/tickets", {"category": "A"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert "08:30" in error["message"]
    assert "category" in error["fields"]


def test_a_read_token_cannot_take_a_number(
    api: Api, categories: Any, tokens: dict[str, str]
) -> None:
    response = api.post("/queue/tickets", {"category": "A"}, token=tokens["a_read"])
    assert response.status_code == 403


def test_call_next_takes_the_oldest_then_answers_204(api: Api, categories: Any, hall: Any) -> None:
    # given
    api.post("/queue/tickets", {"category": "B"})
    first = api.post("/queue/tickets", {"category": "A"}).json()
    api.post("/queue/tickets", {"category": "A"})
    window = hall.x_window.pk
    # when
    called = api.post(f"/queue/windows/{window}/call-next", {})
    # then
    assert called.status_code == 200
    assert called.json() == {"ticket": {"id": first["id"], "number": "A001"}}
    assert api.post(f"/queue/windows/{window}/call-next", {}).status_code == 200
    assert api.post(f"/queue/windows/{window}/call-next", {}).status_code == 204


def test_recall_skip_and_finish_move_the_ticket(api: Api, categories: Any, hall: Any) -> None:
    api.post("/queue/tickets", {"category": "A"})
    ticket = api.post(f"/queue/windows/{hall.x_window.pk}/call-next", {}).json()["ticket"]
    recalled = api.post(f"/queue/tickets/{ticket['id']}/recall", {})
    assert recalled.json()["status"] == "called"
    skipped = api.post(f"/queue/tickets/{ticket['id']}/skip", {})
    assert skipped.json()["status"] == "waiting"
    assert skipped.json()["skips"] == 1
    api.post(f"/queue/windows/{hall.x_window.pk}/call-next", {})
    unknown = api.post(f"/queue/tickets/{ticket['id']}/finish", {"case_no": "NOPE"})
    assert unknown.status_code == 422
    assert "case_no" in unknown.json()["error"]["fields"]
    done = api.post(f"/queue/tickets/{ticket['id']}/finish", {})
    assert done.json()["status"] == "done"


def test_another_centers_window_and_ticket_are_not_found(
    api: Api, categories: Any, hall: Any, tokens: dict[str, str]
) -> None:
    ticket = api.post("/queue/tickets", {"category": "A"}).json()
    other = tokens["b_write"]
    assert (
        api.post(f"/queue/windows/{hall.x_window.pk}/call-next", {}, token=other).status_code == 404
    )
    assert api.post(f"/queue/tickets/{ticket['id']}/skip", {}, token=other).status_code == 404


def test_the_display_lists_calls_newest_first_and_waiting_counts(
    api: Api, categories: Any, hall: Any, morning: Any
) -> None:
    hall.x_window.number = "5"
    hall.x_window.save()
    for _ in range(3):
        api.post("/queue/tickets", {"category": "A"})
    api.post(f"/queue/windows/{hall.x_window.pk}/call-next", {})
    morning.shift(dt.timedelta(minutes=1))
    api.post(f"/queue/windows/{hall.x_window.pk}/call-next", {})
    body = api.get("/queue/display").json()
    assert [c["number"] for c in body["calls"]] == ["A002", "A001"]
    assert body["calls"][0]["window"] == "5号窗口"
    assert body["waiting"] == {"A": 1, "B": 0}
    assert "phone" not in str(body)
