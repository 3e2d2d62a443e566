"""The hall's queue under a day's load (issue 18, point 9): `make bench-queue`.

    .venv/bin/python -m bench.queue_load                      # SQLite, then PostgreSQL
    .venv/bin/python -m bench.queue_load --db sqlite --tickets 300 --day-seconds 60 --rounds 2

For each database a fresh hall is built — `generate_scale` (20 units with 3 windows each = 60
windows, 120 staff, a few months of cases for the staff pages), one queue category per unit
served by the unit's windows, through the queue's services — and served by gunicorn as
`make serve` runs it (2 workers × 2 threads, bench/settings.py: no API rate limit). Then:

1. **Issuance**: `POST /api/v1/queue/tickets` with a token at full speed from 8 clients, in
   runs alternating with `GET /bench/ping` (the same server without the database).
2. **The day, compressed**: the day's tickets are called by 60 window callers (the caller
   devices' API: `call-next`, a service time, `finish`), at the pace that calls them all in
   `--rounds` × `--day-seconds`; a ticket machine keeps issuing at the same pace; 10 screens
   poll `/queue/screen/feed` as the real screen page does (the next poll 500 ms after an
   answer, `after` = the newest call seen). Call-to-screen latency = from the `call-next`
   answer to the first feed answer holding that call, for every screen.
3. **Staff pages**: a logged-in clerk (session cookie) opens the case list and the queue desk
   in turn, during each loaded round and during idle rounds (no caller, no screen, no ticket
   machine) alternating with them; each page's p95 under load against the idle p95.

Prints the table and writes var/bench/queue.json (`--out`). Exit status 1 when a bar is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import Figure, machine, say, table  # noqa: E402

PY = str(ROOT / ".venv" / "bin" / "python")
OUT = Path(os.environ.get("BENCH_OUT") or ROOT / "var" / "bench")
CENTER = "排队压测政务服务中心"
SQLITE_URL = f"sqlite:///{OUT / 'queue.sqlite3'}"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/queue_bench"
WINDOWS_PER_UNIT = 3  # generate_scale gives a unit of 6 staff 3 windows
POLL_SECONDS = 0.5  # govhall.queueing.views.screens.POLL_MS
ISSUE_CLIENTS = (2, 4)  # load processes × threads, as bench/run.py drives the intake


@dataclass
class Plan:
    tickets: int = 3000
    windows: int = 60
    screens: int = 10
    day_seconds: float = 100.0  # one loaded round
    rounds: int = 3
    calls_per_second: float = 2.0  # the hall's calls: 60 windows, one every 30 s each
    issue_seconds: float = 5.0
    issue_runs: int = 3
    cases: int = 30_000
    seed: int = 20161208

    @property
    def units(self) -> int:
        return max(1, self.windows // WINDOWS_PER_UNIT)


@dataclass
class Hall:
    center_id: int
    token: str
    windows: list[int]
    letters: list[str]
    cookie: str
    case_list: str
    desk: str


# --- the database and the hall -----------------------------------------------------------


def vendor_of(db_url: str) -> str:
    return "sqlite" if db_url.startswith("sqlite") else "postgresql"


def fresh_database(db_url: str) -> None:
    """An empty database, migrated (the hall is rebuilt on every run)."""
    if vendor_of(db_url) == "sqlite":
        path = Path(urlparse(db_url).path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        import psycopg

        parsed = urlparse(db_url)
        name = parsed.path.lstrip("/")
        admin = parsed._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    manage(["migrate", "--no-input", "-v", "0"], db_url)


def manage(args: list[str], db_url: str) -> None:
    environment = {**os.environ, "DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    command = [PY, "manage.py", *args, "--skip-checks"]
    subprocess.run(command, cwd=ROOT, env=environment, check=True, stdout=subprocess.DEVNULL)  # noqa: S603 — our own command


def build_hall(plan: Plan, db_url: str) -> Hall:
    """generate_scale's center, then the queue as an office sets it up: a category per unit
    served by its windows; a write token for the callers and ticket machines; a clerk."""
    manage(
        [
            "generate_scale",
            "--cases", str(plan.cases), "--months", "2", "--units", str(plan.units),
            "--staff", str(plan.units * 2 * WINDOWS_PER_UNIT), "--center", CENTER,
            "--seed", str(plan.seed),
        ],
        db_url,
    )  # fmt: skip
    django_setup(db_url)
    return queue_setup(plan)


def django_setup(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()


def queue_setup(plan: Plan) -> Hall:
    """The queue of the generated center (Django is set up on its database)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.urls import reverse
    from django.utils import timezone

    from govhall.accounts import sessions
    from govhall.api.services import api_client_create
    from govhall.core.calendar import get_calendar
    from govhall.core.models import CalendarDay
    from govhall.org import services as org
    from govhall.org.choices import Role
    from govhall.org.models import Center, HallHours, Staff, Unit, Window
    from govhall.queueing.services import queue_category_save

    center = Center.objects.get(name=CENTER)
    # The run may fall on any hour or day: the bench hall is open all day, and today works.
    HallHours.objects.filter(center=center).update(
        morning_start=dt.time(0, 0),
        morning_end=dt.time(12, 0),
        afternoon_start=dt.time(12, 0),
        afternoon_end=dt.time(23, 59, 59),
    )
    today = timezone.localdate()
    if not get_calendar(center).is_workday(today):
        CalendarDay.objects.create(center=center, date=today, is_workday=True, name="压测")
    office = org.account_create(
        by=None,
        center=center,
        username="qbench-office",
        password=secrets.token_urlsafe(16),
        role=Role.OFFICE,
    )
    letters = []
    windows: list[int] = []
    units = list(Unit.objects.filter(center=center).order_by("position"))
    for index, unit in enumerate(units):
        code = chr(ord("A") + index % 26) * (1 + index // 26)
        unit_windows = list(Window.objects.filter(unit=unit).order_by("pk"))
        queue_category_save(
            center=center,
            by=office,
            code=code,
            name=unit.name[:60],
            units=[unit],
            windows=unit_windows,
            position=index + 1,
        )
        letters.append(code)
        windows += [w.pk for w in unit_windows]
    if len(windows) != plan.windows:
        raise RuntimeError(f"the generated hall has {len(windows)} windows, not {plan.windows}")
    _client, token = api_client_create(by=None, center=center, name="queue-bench", can_write=True)
    clerk_staff = Staff.objects.filter(window_id=windows[0], user__isnull=True).order_by("pk")[0]
    clerk = org.account_create(
        by=None,
        center=center,
        username="qbench-clerk",
        password=secrets.token_urlsafe(16),
        role=Role.WINDOW_STAFF,
        staff=clerk_staff,
    )
    # A logged-in session, as the login view leaves it (the server reads it from the database).
    store = SessionStore()
    store[SESSION_KEY] = str(clerk.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = clerk.get_session_auth_hash()
    store[sessions.LOGIN_AT] = store[sessions.SEEN_AT] = sessions.now_seconds()
    store.create()
    return Hall(
        center_id=center.pk,
        token=token,
        windows=windows,
        letters=letters,
        cookie=f"{settings.SESSION_COOKIE_NAME}={store.session_key}",
        case_list=reverse("cases:case_list"),
        desk=reverse("queueing:desk") + f"?window={windows[0]}",
    )


def top_up(hall: Hall, count: int) -> int:
    """`count` more numbers, through the service (categories in turn)."""
    from govhall.org.models import Center
    from govhall.queueing.choices import TicketChannel
    from govhall.queueing.services import ticket_issue

    center = Center.objects.get(pk=hall.center_id)
    for n in range(max(0, count)):
        ticket_issue(
            center=center, category=hall.letters[n % len(hall.letters)], channel=TicketChannel.KIOSK
        )
    return max(0, count)


# --- the server ------------------------------------------------------------------------------


class Server:
    """gunicorn with the app's gunicorn.conf.py (2 workers × 2 threads) on a free port."""

    def __init__(self, db_url: str) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        environment = {
            **os.environ,
            "DATABASE_URL": db_url,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "CONN_MAX_AGE": "600",
        }
        self.process = subprocess.Popen(  # noqa: S603 — our own command
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "govhall.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=environment,
        )
        for _ in range(150):
            try:
                if request(self.port, "GET", "/bench/ping")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer /bench/ping")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


_local = threading.local()


def request(
    port: int, method: str, path: str, headers: dict[str, str] | None = None, body: Any = None
) -> tuple[int, bytes]:
    """One request on this thread's kept-alive connection. gunicorn closes a connection idle for
    2 s (its keepalive), so a request that finds its connection closed is sent again on a new
    one, as browsers do."""
    payload = None if body is None else json.dumps(body).encode()
    sent = dict(headers or {})
    if payload is not None:
        sent["Content-Type"] = "application/json"
    for attempt in (1, 2):
        conn = getattr(_local, "conn", None)
        reused = conn is not None and getattr(_local, "port", None) == port
        if not reused:
            conn = _local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            _local.port = port
        try:
            conn.request(method, path, body=payload, headers=sent)
            response = conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            _local.conn = None
            if reused and attempt == 1:
                continue
            raise
        if response.getheader("Connection", "").lower() == "close":
            conn.close()
            _local.conn = None
        return response.status, data
    raise AssertionError("unreachable")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(p) - 1]


# --- 1. issuance -----------------------------------------------------------------------------


def issuance(plan: Plan, hall: Hall, port: int) -> tuple[list[Figure], int]:
    from bench.http_load import Target, run

    auth = {"Authorization": f"Bearer {hall.token}"}
    body = "ticket:" + json.dumps({"categories": hall.letters})
    tickets = Target("127.0.0.1", port, "POST", "/api/v1/queue/tickets", auth, body, expect=201)
    ping = Target("127.0.0.1", port, "GET", "/bench/ping", {})
    probe = run(tickets, seconds=0.5, processes=1, threads=1)
    if probe.requests == 0:
        raise RuntimeError("POST /api/v1/queue/tickets did not answer 201 to the bench's token")
    processes, threads = ISSUE_CLIENTS
    issued = probe.requests
    for target in (tickets, ping):  # warm-up
        issued += run(target, seconds=1, processes=processes, threads=threads).requests * (
            target is tickets
        )
    results: dict[str, list[Any]] = {"tickets": [], "ping": []}
    for _ in range(plan.issue_runs):
        for key, target in (("tickets", tickets), ("ping", ping)):
            result = run(target, seconds=plan.issue_seconds, processes=processes, threads=threads)
            results[key].append(result)
            if key == "tickets":
                issued += result.requests

    def median(key: str, value: Any) -> float:
        return statistics.median(value(r) for r in results[key])

    rate = median("tickets", lambda r: r.per_second)
    errors = sum(r.errors for r in results["tickets"])
    notes = {
        "p50_ms": round(median("tickets", lambda r: r.percentile(50)), 1),
        "p99_ms": round(median("tickets", lambda r: r.percentile(99)), 1),
        "errors": errors,
        "clients": processes * threads,
        "runs": [round(r.per_second, 1) for r in results["tickets"]],
    }
    figure = Figure(
        f"issuance: POST /api/v1/queue/tickets (token), {processes * threads} clients",
        rate,
        "tickets/s",
        median("ping", lambda r: r.per_second),
        "GET /bench/ping",
        "≥ 50/s",
        rate >= 50 and errors == 0,
        notes,
    )
    return [figure], issued


# --- 2. and 3. the day and the staff pages ---------------------------------------------------


@dataclass
class Round:
    loaded: bool
    seconds: float
    pages: dict[str, list[float]] = field(default_factory=dict)
    calls: list[tuple[str, int, float]] = field(default_factory=list)  # number, window, t
    polls: list[list[tuple[float, set[tuple[str, int]]]]] = field(default_factory=list)
    call_ms: list[float] = field(default_factory=list)
    finish_ms: list[float] = field(default_factory=list)
    feed_ms: list[float] = field(default_factory=list)
    issue_ms: list[float] = field(default_factory=list)
    empty_calls: int = 0
    errors: dict[str, int] = field(default_factory=dict)


def _error(result: Round, what: str, lock: threading.Lock) -> None:
    with lock:
        result.errors[what] = result.errors.get(what, 0) + 1


def _staff(
    hall: Hall, port: int, stop: threading.Event, result: Round, lock: threading.Lock
) -> None:
    """A clerk opening the case list and the desk in turn, a quarter second apart."""
    headers = {"Cookie": hall.cookie, "Accept": "text/html"}
    pages = {"case list": hall.case_list, "queue desk": hall.desk}
    while not stop.is_set():
        for name, path in pages.items():
            t0 = time.perf_counter()
            try:
                status, _body = request(port, "GET", path, headers)
            except (OSError, http.client.HTTPException):
                status = 0
            ms = (time.perf_counter() - t0) * 1000
            if status == 200:
                result.pages.setdefault(name, []).append(ms)
            else:
                _error(result, f"{name} {status}", lock)
            stop.wait(0.25)


def _caller(
    hall: Hall,
    port: int,
    window: int,
    period: float,
    deadline: float,
    rng: random.Random,
    result: Round,
    lock: threading.Lock,
) -> None:
    """A window: 下一位, serve, 办结, again — one cycle every `period` seconds on average."""
    auth = {"Authorization": f"Bearer {hall.token}"}
    time.sleep(rng.uniform(0, period))
    while time.perf_counter() < deadline:
        cycle = period * rng.uniform(0.5, 1.5)
        started = time.perf_counter()
        try:
            status, body = request(
                port, "POST", f"/api/v1/queue/windows/{window}/call-next", auth, {}
            )
        except (OSError, http.client.HTTPException):
            status, body = 0, b""
        answered = time.perf_counter()
        if status == 200:
            ticket = json.loads(body)["ticket"]
            with lock:
                result.calls.append((ticket["number"], window, answered))
                result.call_ms.append((answered - started) * 1000)
            # Service, then 办结 (a moment before the next call).
            time.sleep(max(0.0, cycle * 0.9 - (time.perf_counter() - started)))
            t0 = time.perf_counter()
            try:
                status, _body = request(
                    port, "POST", f"/api/v1/queue/tickets/{ticket['id']}/finish", auth, {}
                )
            except (OSError, http.client.HTTPException):
                status = 0
            if status == 200:
                with lock:
                    result.finish_ms.append((time.perf_counter() - t0) * 1000)
            else:
                _error(result, f"finish {status}", lock)
        elif status == 204:
            with lock:
                result.empty_calls += 1
        else:
            _error(result, f"call-next {status}", lock)
        time.sleep(max(0.0, cycle - (time.perf_counter() - started)))


def _screen(
    hall: Hall,
    port: int,
    stop: threading.Event,
    polls: list[Any],
    result: Round,
    lock: threading.Lock,
) -> None:
    """A hall screen: asks for the calls after the newest it has seen, 500 ms after each answer."""
    path = f"/queue/screen/feed?center={hall.center_id}"
    headers = {"Accept": "application/json"}
    after = json.loads(request(port, "GET", f"{path}&after=0", headers)[1])["last"]
    while not stop.is_set():
        t0 = time.perf_counter()
        try:
            status, body = request(port, "GET", f"{path}&after={after}", headers)
        except (OSError, http.client.HTTPException):
            status, body = 0, b""
        answered = time.perf_counter()
        if status == 200:
            data = json.loads(body)
            calls = data["calls"]
            if calls:
                after = max(after, data["last"], *(c["id"] for c in calls))
            polls.append((answered, {(c["number"], c["window_id"]) for c in calls}))
            with lock:
                result.feed_ms.append((answered - t0) * 1000)
        else:
            _error(result, f"feed {status}", lock)
        stop.wait(POLL_SECONDS)


def _machine(
    hall: Hall, port: int, rate: float, deadline: float, result: Round, lock: threading.Lock
) -> None:
    """The ticket machines: numbers at the pace they are called."""
    auth = {"Authorization": f"Bearer {hall.token}"}
    n = 0
    started = time.perf_counter()
    while time.perf_counter() < deadline:
        letter = hall.letters[n % len(hall.letters)]
        t0 = time.perf_counter()
        try:
            status, _body = request(
                port, "POST", "/api/v1/queue/tickets", auth, {"category": letter}
            )
        except (OSError, http.client.HTTPException):
            status = 0
        if status == 201:
            with lock:
                result.issue_ms.append((time.perf_counter() - t0) * 1000)
        else:
            _error(result, f"ticket {status}", lock)
        n += 1
        time.sleep(max(0.0, started + n / rate - time.perf_counter()))


def day_round(plan: Plan, hall: Hall, port: int, *, loaded: bool, seconds: float) -> Round:
    result = Round(loaded=loaded, seconds=seconds)
    lock = threading.Lock()
    stop, screens_stop = threading.Event(), threading.Event()
    deadline = time.perf_counter() + seconds
    threads = [threading.Thread(target=_staff, args=(hall, port, stop, result, lock))]
    if loaded:
        rng = random.Random(plan.seed + len(hall.windows))  # noqa: S311 — a reproducible load
        period = len(hall.windows) / plan.calls_per_second
        threads += [
            threading.Thread(
                target=_caller,
                args=(hall, port, w, period, deadline, random.Random(rng.random()), result, lock),  # noqa: S311
            )
            for w in hall.windows
        ]
        threads.append(
            threading.Thread(
                target=_machine, args=(hall, port, plan.calls_per_second, deadline, result, lock)
            )
        )
        result.polls = [[] for _ in range(plan.screens)]
        screen_threads = [
            threading.Thread(target=_screen, args=(hall, port, screens_stop, polls, result, lock))
            for polls in result.polls
        ]
    else:
        screen_threads = []
    for t in (*threads, *screen_threads):
        t.start()
    time.sleep(max(0.0, deadline - time.perf_counter()))
    stop.set()
    for t in threads:
        t.join()
    # The screens keep asking a little longer: the last calls must reach them too.
    time.sleep(2 * POLL_SECONDS + 0.5)
    screens_stop.set()
    for t in screen_threads:
        t.join()
    return result


def screen_latencies(result: Round) -> tuple[list[float], int]:
    """For every call and every screen: from the call-next answer to the first feed answer that
    holds the call (0 when a screen had it before the caller's answer arrived); and how many
    (call, screen) pairs never showed it."""
    latencies: list[float] = []
    missed = 0
    for polls in result.polls:
        first: dict[tuple[str, int], float] = {}
        for answered, keys in polls:
            for key in keys:
                first.setdefault(key, answered)
        for number, window, called in result.calls:
            seen = first.get((number, window))
            if seen is None:
                missed += 1
            else:
                latencies.append(max(0.0, seen - called) * 1000)
    return latencies, missed


def the_day(plan: Plan, hall: Hall, port: int) -> tuple[list[Figure], dict[str, Any]]:
    idle_seconds = max(10.0, plan.day_seconds / 2)
    day_round(plan, hall, port, loaded=False, seconds=3)  # warm-up: the pages' first requests
    rounds: list[Round] = []
    for n in range(plan.rounds):
        say(f"  round {n + 1}/{plan.rounds}: idle hall {idle_seconds:.0f} s, then the day's load")
        rounds.append(day_round(plan, hall, port, loaded=False, seconds=idle_seconds))
        rounds.append(day_round(plan, hall, port, loaded=True, seconds=plan.day_seconds))
    idle = [r for r in rounds if not r.loaded]
    busy = [r for r in rounds if r.loaded]
    latencies: list[float] = []
    missed = 0
    for r in busy:
        part, lost = screen_latencies(r)
        latencies += part
        missed += lost
    calls = sum(len(r.calls) for r in busy)
    errors: dict[str, int] = {}
    for r in rounds:
        for key, n in r.errors.items():
            errors[key] = errors.get(key, 0) + n

    def all_of(name: str) -> list[float]:
        return [x for r in busy for x in getattr(r, name)]

    p95 = percentile(latencies, 95)
    call_errors = sum(n for k, n in errors.items() if not k.startswith(("case list", "queue desk")))
    figures = [
        Figure(
            f"call-to-screen latency p95 ({len(hall.windows)} windows calling, "
            f"{plan.screens} screens polling every {POLL_SECONDS * 1000:.0f} ms)",
            p95,
            "ms",
            None,
            "",
            "p95 ≤ 1000 ms",
            p95 <= 1000 and missed == 0 and call_errors == 0,
            {
                "p50_ms": round(percentile(latencies, 50), 1),
                "p99_ms": round(percentile(latencies, 99), 1),
                "max_ms": round(max(latencies, default=0), 1),
                "calls": calls,
                "calls_per_s": round(calls / (plan.rounds * plan.day_seconds), 2),
                "screen_pairs": len(latencies),
                "missed": missed,
                "call_next_p50_ms": round(percentile(all_of("call_ms"), 50), 1),
                "call_next_p95_ms": round(percentile(all_of("call_ms"), 95), 1),
                "finish_p95_ms": round(percentile(all_of("finish_ms"), 95), 1),
                "feed_p50_ms": round(percentile(all_of("feed_ms"), 50), 1),
                "feed_p95_ms": round(percentile(all_of("feed_ms"), 95), 1),
                "feed_requests": len(all_of("feed_ms")),
                "machine_issue_p95_ms": round(percentile(all_of("issue_ms"), 95), 1),
                "nobody_waiting": sum(r.empty_calls for r in busy),
                "errors": errors,
            },
        )
    ]
    for page in ("case list", "queue desk"):
        loaded_p95 = [percentile(r.pages.get(page, []), 95) for r in busy]
        idle_p95 = [percentile(r.pages.get(page, []), 95) for r in idle]
        measured, reference = statistics.median(loaded_p95), statistics.median(idle_p95)
        figures.append(
            Figure(
                f"staff page p95 during the day's load: {page} (clerk, session)",
                measured,
                "ms",
                reference,
                "the same page, hall idle",
                "≤ 1.2×",
                measured <= 1.2 * reference,
                {
                    "loaded_p95_runs": [round(x, 1) for x in loaded_p95],
                    "idle_p95_runs": [round(x, 1) for x in idle_p95],
                    "loaded_p50_ms": round(
                        statistics.median(percentile(r.pages.get(page, []), 50) for r in busy), 1
                    ),
                    "idle_p50_ms": round(
                        statistics.median(percentile(r.pages.get(page, []), 50) for r in idle), 1
                    ),
                    "samples_per_round": min(len(r.pages.get(page, [])) for r in rounds),
                },
            )
        )
    return figures, {"calls": calls}


# --- one database, and the command ---------------------------------------------------------------


def measure(plan: Plan, db_url: str) -> dict[str, Any]:
    """Everything on one database (run in its own process: Django is set up on that database)."""
    started = time.perf_counter()
    load_before = os.getloadavg()
    vendor = vendor_of(db_url)
    say(f"[{vendor}] a fresh hall: migrate, generate_scale, queue categories …")
    fresh_database(db_url)
    hall = build_hall(plan, db_url)
    server = Server(db_url)
    try:
        say(f"[{vendor}] issuance at full speed …")
        figures, issued = issuance(plan, hall, server.port)
        # The day's numbers: those the ticket machine takes during the calls, and the rest
        # before them.
        during = round(plan.calls_per_second * plan.rounds * plan.day_seconds)
        topped = top_up(hall, plan.tickets - issued - during)
        say(
            f"[{vendor}] the day: {plan.tickets:,} numbers, calls at {plan.calls_per_second:.1f}/s"
            f" for {plan.rounds} × {plan.day_seconds:.0f} s …"
        )
        day, extra = the_day(plan, hall, server.port)
        figures += day
    finally:
        server.stop()
    from django.db import connection

    version = connection.Database.sqlite_version if vendor == "sqlite" else None
    if version is None:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
    return {
        "database": vendor,
        "database_version": version,
        "plan": asdict(plan),
        "issued_by_the_issuance_runs": issued,
        "topped_up": topped,
        **extra,
        "load_average_before": load_before,
        "machine": machine(),
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "seconds": round(time.perf_counter() - started, 1),
        "figures": [{**asdict(f), "ratio": f.ratio} for f in figures],
    }


def figures_of(result: dict[str, Any]) -> list[Figure]:
    label = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[result["database"]]
    keep = {"name", "measured", "unit", "reference", "reference_name", "bar", "passed", "notes"}
    return [
        Figure(**{**{k: v for k, v in f.items() if k in keep}, "name": f"[{label}] {f['name']}"})
        for f in result["figures"]
    ]


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db",
        action="append",
        help=f"sqlite, postgres or a URL; repeatable (default: sqlite, then {POSTGRES_URL})",
    )
    defaults = Plan()
    for name in ("tickets", "windows", "screens", "rounds", "issue_runs", "cases", "seed"):
        parser.add_argument(
            f"--{name.replace('_', '-')}", type=int, default=getattr(defaults, name)
        )
    for name in ("day_seconds", "issue_seconds", "calls_per_second"):
        parser.add_argument(
            f"--{name.replace('_', '-')}", type=float, default=getattr(defaults, name)
        )
    parser.add_argument("--out", type=Path, default=OUT / "queue.json")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a child process: this database only
    return parser.parse_args(argv)


def plan_of(options: argparse.Namespace) -> Plan:
    return Plan(
        **{name: getattr(options, name) for name in Plan.__dataclass_fields__}  # type: ignore[arg-type]
    )


def main(argv: list[str] | None = None) -> int:
    options = arguments(argv)
    plan = plan_of(options)
    if options.windows % WINDOWS_PER_UNIT:
        raise SystemExit(f"--windows must be a multiple of {WINDOWS_PER_UNIT}")
    if options.one:
        result = measure(plan, options.one)
        Path(f"{options.out}.part").write_text(json.dumps(result, ensure_ascii=False) + "\n")
        return 0
    urls = [
        SQLITE_URL if db == "sqlite" else POSTGRES_URL if db in ("postgres", "postgresql") else db
        for db in (options.db or ["sqlite", "postgres"])
    ]
    results = []
    for url in urls:
        # Each database in its own process: Django is set up once per process.
        subprocess.run(  # noqa: S603 — our own command
            [
                PY,
                "-m",
                "bench.queue_load",
                *(argv if argv is not None else sys.argv[1:]),
                "--one",
                url,
            ],
            cwd=ROOT,
            check=True,
        )
        part = Path(f"{options.out}.part")
        results.append(json.loads(part.read_text()))
        part.unlink()
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(
        json.dumps(
            {
                "command": " ".join(["python -m bench.queue_load", *(argv or sys.argv[1:])]),
                "results": results,
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )
    figures = [f for r in results for f in figures_of(r)]
    say("")
    say(
        f"queue: {plan.windows} windows, {plan.screens} screens, a day of {plan.tickets:,} "
        f"tickets in {plan.rounds} × {plan.day_seconds:.0f} s · load average "
        + " ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    say(table(figures))
    for f in figures:
        if f.notes:
            say(f"  {f.name}: " + ", ".join(f"{k} {v}" for k, v in f.notes.items()))
    say(f"written to {options.out}")
    failed = [f.name for f in figures if f.passed is False]
    if failed:
        say("FAIL: " + "; ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
