"""Rate limits hold across server processes: two gunicorn workers share one allowance.

A second process is simulated by dropping every piece of in-process state a limit could hide in
(Django's local-memory cache, the API's token cache) and, where threads are used, by a separate
database connection.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.cache import caches
from django.core.cache.backends import locmem
from django.db import connection
from django.urls import reverse

from govhall.api import auth
from govhall.cases.public_services import RateLimited
from govhall.core import ratelimit
from govhall.core.models import RateCounter
from govhall.feedback import services as feedback
from tests.cases.conftest import at


@pytest.fixture
def new_process(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Call to continue as if in another server process: no memory shared with the first."""

    def switch() -> None:
        monkeypatch.setattr(locmem, "_caches", {})
        monkeypatch.setattr(locmem, "_expire_info", {})
        monkeypatch.setattr(locmem, "_locks", {})
        for alias in list(caches.settings):
            if hasattr(caches._connections, alias):
                delattr(caches._connections, alias)
        auth._known.clear()

    return switch


def _in_thread(work: Callable[[], Any]) -> Any:
    """Run `work` in a thread of its own (its own database connection), and return its result."""
    result: list[Any] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(work())
        except BaseException as exc:  # re-raised in the caller
            failure.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    if failure:
        raise failure[0]
    return result[0]


@pytest.mark.django_db(transaction=True)
def test_two_processes_share_one_allowance(new_process: Callable[[], None]) -> None:
    with time_machine.travel(at(2016, 12, 8, 9, 0), tick=False):
        # given a limit of 3 a minute, of which the first process uses 2
        assert ratelimit.hit("shared", 3, 60)
        assert ratelimit.hit("shared", 3, 60)
        # when a second process, with its own memory and connection, counts on
        new_process()
        allowed = _in_thread(lambda: [ratelimit.hit("shared", 3, 60) for _ in range(2)])
    # then it has one attempt left, not three
    assert allowed == [True, False]


@pytest.mark.django_db(transaction=True)
def test_concurrent_attempts_are_each_counted_once() -> None:
    # given two processes hitting the same key at the same time, 10 attempts each
    start = threading.Barrier(2)

    def attempts() -> list[bool]:
        start.wait(timeout=30)
        return [ratelimit.hit("race", 12, 3600) for _ in range(10)]

    threads_results: list[list[bool]] = []
    lock = threading.Lock()

    def run() -> None:
        outcome = attempts()
        with lock:
            threads_results.append(outcome)
        connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then exactly the limit got through, and the counter holds every attempt
    allowed = sum(ok for outcome in threads_results for ok in outcome)
    assert allowed == 12
    assert ratelimit.count("race") == 20


def test_a_case_lookup_limit_holds_across_processes(
    client: Any, hall: Any, new_process: Callable[[], None]
) -> None:
    url = reverse("service:progress")
    with time_machine.travel(at(2016, 12, 8, 9, 1), tick=False):
        # given one process answered an address's 10 lookups of the window
        for n in range(10):
            response = client.post(url, {"number": f"2016120500000{n:02d}", "digits": "1234"})
            assert response.status_code == 200
        # when the same address asks another process
        new_process()
        response = client.post(url, {"number": "201612050000099", "digits": "1234"})
    # then it is refused there too
    assert response.status_code == 429


def test_a_complaint_limit_holds_across_processes(
    hall: Any, new_process: Callable[[], None]
) -> None:
    with time_machine.travel(at(2016, 12, 8, 10, 0), tick=False):
        for n in range(5):
            feedback.feedback_submit(
                center=hall.a,
                kind="message",
                content=f"第{n}条留言：大厅空调太冷",
                client="10.9.9.9",
            )
        new_process()
        with pytest.raises(RateLimited):
            feedback.feedback_submit(
                center=hall.a, kind="message", content="第六条留言：大厅空调太冷", client="10.9.9.9"
            )


def test_an_appointment_cancel_limit_holds_across_processes(
    client: Any, hall: Any, new_process: Callable[[], None]
) -> None:
    url = reverse("service:appointment_cancel")
    form = {"code": "ABCDEFGH", "phone": "13900001234"}
    with time_machine.travel(at(2016, 12, 8, 10, 0), tick=False):
        for _ in range(10):
            assert client.post(url, form).status_code != 429
        new_process()
        response = client.post(url, form)
    assert response.status_code == 429


@pytest.mark.django_db(transaction=True)
def test_expired_windows_are_pruned_when_a_new_one_opens() -> None:
    with time_machine.travel(at(2016, 12, 8, 9, 0), tick=False) as clock:
        ratelimit.hit("old", 5, 60)
        ratelimit.hit("long", 5, 3600)
        clock.shift(120)
        ratelimit.hit("new", 5, 60)
    assert sorted(RateCounter.objects.values_list("key", flat=True)) == ["long", "new"]


def test_a_very_long_key_is_counted_under_a_short_stored_one(db: Any) -> None:
    key = "feedback:code:" + "9" * 500
    assert ratelimit.hit(key, 1, 60)
    assert not ratelimit.hit(key, 1, 60)
    assert ratelimit.exceeded(key, 1)
    assert len(RateCounter.objects.get().key) <= 200
