"""The queue benchmark's hall on tiny numbers (its timings are not tests: docs/performance.md):
the hall it builds works through the same doors the load uses, and its latency arithmetic."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from bench.queue_load import CENTER, Hall, Plan, Round, queue_setup, screen_latencies, top_up
from bench.scale.management.commands import generate_scale
from govhall.queueing.choices import TicketStatus
from govhall.queueing.models import Ticket


class _Quiet:
    def write(self, *_args: Any, **_kwargs: Any) -> None:
        pass

    def flush(self) -> None:
        pass


@pytest.fixture
def hall(db: None) -> Iterator[Hall]:
    # 10:00 on Monday 2026-12-07, a working day.
    at = dt.datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(at, tick=False):
        call_command(
            generate_scale.Command(),
            cases=200,
            units=2,
            items=10,
            staff=12,
            months=1,
            center=CENTER,
            stdout=_Quiet(),
        )
        yield queue_setup(Plan(tickets=12, windows=6, screens=2))


def _clerk(hall: Hall) -> Client:
    client = Client()
    name, _sep, value = hall.cookie.partition("=")
    client.cookies[name] = value
    return client


def test_the_bench_hall_has_its_windows_categories_and_waiting_numbers(hall: Hall) -> None:
    # given the hall the benchmark builds: 2 units of 3 windows
    # when it tops the waiting numbers up
    added = top_up(hall, 10)

    # then every window serves a category, and 10 numbers wait across the categories
    assert len(hall.windows) == 6
    assert hall.letters == ["A", "B"]
    assert added == 10
    waiting = Ticket.objects.filter(status=TicketStatus.WAITING)
    assert sorted({t.series for t in waiting}) == ["A", "B"]
    assert waiting.count() == 10


def test_the_load_takes_calls_and_finishes_numbers_with_the_bench_token(hall: Hall) -> None:
    # given a waiting number
    top_up(hall, 1)
    api = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {hall.token}"}

    # when a ticket machine takes a number and the first window calls and finishes one
    taken = api.post(
        "/api/v1/queue/tickets", json.dumps({"category": "A"}), "application/json", **auth
    )
    called = api.post(
        f"/api/v1/queue/windows/{hall.windows[0]}/call-next", "{}", "application/json", **auth
    )
    ticket = called.json()["ticket"]
    finished = api.post(
        f"/api/v1/queue/tickets/{ticket['id']}/finish", "{}", "application/json", **auth
    )

    # then all three are answered as the load expects, and the screens' feed shows the call
    assert (taken.status_code, called.status_code, finished.status_code) == (201, 200, 200)
    feed = api.get(f"/queue/screen/feed?center={hall.center_id}&after=0").json()
    assert (ticket["number"], hall.windows[0]) in {
        (c["number"], c["window_id"]) for c in feed["calls"]
    }


def test_the_clerks_session_opens_the_measured_staff_pages(hall: Hall) -> None:
    # given the clerk's session cookie, as the load sends it
    clerk = _clerk(hall)

    # when the clerk opens the case list and the queue desk
    pages = [clerk.get(hall.case_list), clerk.get(hall.desk)]

    # then both pages open (not the login page)
    assert [p.status_code for p in pages] == [200, 200]


def test_call_to_screen_latency_is_counted_per_screen_from_the_call_answer() -> None:
    # given one call answered at t=10 s, one screen showing it 0.2 s later, one whose answer
    # held it before the caller's answer arrived, and one that never showed it
    day = Round(loaded=True, seconds=1)
    day.calls = [("A001", 7, 10.0)]
    day.polls = [
        [(9.5, set()), (10.2, {("A001", 7)}), (10.8, {("A001", 7)})],
        [(9.9, {("A001", 7)})],
        [(10.4, {("A001", 8)})],
    ]

    # when the latencies are computed
    latencies, missed = screen_latencies(day)

    # then each screen counts once from its first answer, early is zero, the third is missed
    assert [round(x) for x in latencies] == [200, 0]
    assert missed == 1
