"""Reads of reports and the kiosk from a replica (govhall/core/dbrouter.py).

On SQLite the "replica" is a second connection to the same file: the tests see which
connection answered a page. The last test runs against a real streaming replica when
DATABASE_REPLICA_URL names one (scripts/pg-replica.sh up).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

import dj_database_url
import pytest
from django.db import connections, transaction
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext

from govhall.core import dbrouter
from govhall.core.dbrouter import PIN_COOKIE, REPLICA, ReplicaRouter, view_reads_replica
from govhall.org.models import Center
from tests.factories import CenterFactory

ROUTER = "govhall.core.dbrouter.ReplicaRouter"
MIDDLEWARE = "govhall.core.dbrouter.ReplicaReadsMiddleware"
LIVE_URL = os.environ.get("DATABASE_REPLICA_URL", "")
# With DATABASE_REPLICA_URL the settings define the alias, and Django's test case then guards it.
ALIASES = ["default", REPLICA] if LIVE_URL else ["default"]
pytestmark = [
    pytest.mark.filterwarnings(
        "ignore:Overriding setting DATABASES"
    ),  # added for a test, knowingly
    pytest.mark.django_db(transaction=True, databases=ALIASES),
]


def _with_replica(settings: Any, replica_settings: dict[str, Any]) -> Iterator[None]:
    # A connection made here, not through DATABASES at startup: Django's test case allows
    # such a connection (it only guards the aliases it was set up with).
    settings.DATABASES = {**settings.DATABASES, REPLICA: replica_settings}
    settings.DATABASE_ROUTERS = [ROUTER]
    if MIDDLEWARE not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE]
    backend = load_backend(replica_settings["ENGINE"])
    setattr(connections._connections, REPLICA, backend.DatabaseWrapper(replica_settings, REPLICA))
    dbrouter.forget_lag()
    try:
        yield
    finally:
        dbrouter.forget_lag()
        connections[REPLICA].close()
        delattr(connections._connections, REPLICA)


@pytest.fixture
def replica(settings: Any) -> Iterator[None]:
    """A "replica" alias on the test database's own file, the router and its middleware."""
    yield from _with_replica(settings, dict(connections["default"].settings_dict))


@pytest.fixture
def lag(monkeypatch: pytest.MonkeyPatch) -> Any:
    """lag(seconds or None) sets what the replica answers when asked how far behind it is."""

    def _set(seconds: float | None) -> None:
        monkeypatch.setattr(dbrouter, "measure_lag", lambda: seconds)
        dbrouter.forget_lag()

    return _set


def _queries_on_each(get: Any) -> tuple[Any, int, int]:
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        page = get()
    return page, len(primary.captured_queries), len(replica.captured_queries)


def test_the_kiosk_reads_the_replica_when_it_is_current(client, replica, lag):
    # given a center and a replica 0.4 s behind
    CenterFactory(name="随县政务服务中心")
    lag(0.4)
    # when a citizen opens the kiosk
    page, on_primary, on_replica = _queries_on_each(lambda: client.get("/kiosk/"))
    # then the page shows the hall, read from the replica alone
    assert page.status_code == 200
    assert "随县政务服务中心" in page.content.decode()
    assert on_replica > 0
    assert on_primary == 0


def test_the_kiosk_reads_the_primary_when_the_replica_lags_past_the_limit(
    client, replica, lag, settings
):
    # given a replica 30 s behind, over the 10 s limit
    CenterFactory(name="随县政务服务中心")
    settings.REPLICA_MAX_LAG_SECONDS = 10
    lag(30.0)
    # when the kiosk is opened
    page, on_primary, on_replica = _queries_on_each(lambda: client.get("/kiosk/"))
    # then the primary answers
    assert "随县政务服务中心" in page.content.decode()
    assert (on_primary > 0, on_replica) == (True, 0)


def test_the_kiosk_reads_the_primary_when_the_replica_does_not_answer(client, replica, lag):
    # given a replica that is down
    CenterFactory(name="随县政务服务中心")
    lag(None)
    # when the kiosk is opened
    page, on_primary, on_replica = _queries_on_each(lambda: client.get("/kiosk/"))
    # then the page still works, from the primary
    assert page.status_code == 200
    assert (on_primary > 0, on_replica) == (True, 0)


def test_a_post_pins_the_browser_to_the_primary_for_the_next_pages(client, replica, lag, settings):
    # given a current replica and a pin of 15 s
    CenterFactory(name="随县政务服务中心")
    settings.REPLICA_PIN_SECONDS = 15
    lag(0.0)
    # when the browser posts something (here: the language switch)
    posted = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/kiosk/"})
    # then it carries the pin for 15 s, and its next page reads the primary
    assert posted.cookies[PIN_COOKIE]["max-age"] == 15
    _page, on_primary, on_replica = _queries_on_each(lambda: client.get("/kiosk/"))
    assert (on_primary > 0, on_replica) == (True, 0)
    # and once the pin has expired (the browser drops the cookie) the replica answers again
    del client.cookies[PIN_COOKIE]
    _page, on_primary, on_replica = _queries_on_each(lambda: client.get("/kiosk/"))
    assert (on_primary, on_replica > 0) == (0, True)


def test_a_clerks_page_never_reads_the_replica(login, replica, lag):
    # given a current replica
    lag(0.0)
    clerk = login("clerk_x")
    # when a window clerk opens the case list
    page, on_primary, on_replica = _queries_on_each(lambda: clerk.get("/cases/list/"))
    # then everything comes from the primary: a clerk must see the case just received
    assert page.status_code == 200
    assert (on_primary > 0, on_replica) == (True, 0)


def test_writes_and_reads_inside_a_transaction_stay_on_the_primary(replica):
    router = ReplicaRouter()
    with dbrouter.reading_replica():
        assert router.db_for_read(Center) == REPLICA
        assert router.db_for_write(Center) == "default"
        with transaction.atomic():
            assert router.db_for_read(Center) is None  # None: the default database
    assert router.db_for_read(Center) is None
    assert router.allow_migrate(REPLICA, "cases") is False


@pytest.mark.parametrize(
    ("namespace", "url_name", "expected"),
    [
        ("portal", "search", True),
        ("bulletins", "dashboard", True),
        ("bulletins", "edit", False),
        ("evaluation", "month", True),
        ("supervision", "month_report", True),
        ("supervision", "warning_list", False),
        ("cases", "case_list", False),
        ("regions", "overview", True),
        ("", "healthz", False),
    ],
)
def test_only_reports_dashboards_region_pages_and_the_kiosk_are_listed(
    namespace, url_name, expected
):
    assert view_reads_replica(namespace, url_name) is expected


def test_the_lag_is_measured_at_most_every_two_seconds_per_process(monkeypatch):
    # given a replica whose lag is counted each time it is asked
    asked: list[int] = []
    monkeypatch.setattr(dbrouter, "measure_lag", lambda: asked.append(1) or 1.5)
    dbrouter.forget_lag()
    clock = [100.0]
    # when pages ask for it three times within two seconds, then once after
    for t in (100.0, 100.5, 101.9, 102.1):
        clock[0] = t
        assert dbrouter.replica_lag(now=lambda: clock[0]) == 1.5
    # then the replica was asked twice
    assert len(asked) == 2
    dbrouter.forget_lag()


def test_the_jobs_page_shows_the_replicas_lag(login, replica, lag):
    # given a replica 2.5 s behind
    lag(2.5)
    # when the office opens the jobs page
    page = login("office_a").get("/jobs/")
    # then it says how far behind the replica is
    assert "2.5" in page.content.decode()
    assert page.context["replica"].in_use


def test_the_jobs_page_says_when_reports_fell_back_to_the_primary(login, replica, lag, settings):
    settings.REPLICA_MAX_LAG_SECONDS = 10
    lag(42.0)
    page = login("office_a").get("/jobs/")
    assert "42.0" in page.content.decode()
    assert not page.context["replica"].in_use


@pytest.mark.skipif(
    not LIVE_URL, reason="needs a streaming replica: scripts/pg-replica.sh up, DATABASE_REPLICA_URL"
)
def test_a_real_replica_receives_a_write_and_reports_its_lag(settings):
    # given the real replica, reading the test database's copy
    assert connections["default"].vendor == "postgresql", "the replica test needs PostgreSQL"
    live = dj_database_url.parse(LIVE_URL)
    replica_settings = {**connections["default"].settings_dict}
    replica_settings.update(HOST=live["HOST"], PORT=live["PORT"])
    runner = _with_replica(settings, replica_settings)
    next(runner)
    try:
        # when a center is created on the primary
        CenterFactory(name="复制测试中心")
        # then the replica has it within seconds, and says it is a current standby
        deadline = time.monotonic() + 10
        found = False
        while not found and time.monotonic() < deadline:
            found = Center.objects.using(REPLICA).filter(name="复制测试中心").exists()
            if not found:
                time.sleep(0.05)
        assert found
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            assert cursor.fetchone()[0] is True
        lag = dbrouter.measure_lag()
        assert lag is not None
        assert lag < 5
    finally:
        next(runner, None)
