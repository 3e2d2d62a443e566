"""The benchmark suite (issue #9): `make bench`.

Prepares (or reuses) the PostgreSQL database `govhall_bench`, filled by `generate_scale` when it
is absent or holds fewer cases than asked, then measures each figure beside its reference on
the same data and server, prints a table and writes var/bench/results.json.

Environment (all optional):
    BENCH_CASES=10000000   cases of the scale center (a quick run: BENCH_CASES=200000)
    BENCH_MONTHS=22        months they spread over, ending last month
    BENCH_DB=postgres://postgres@127.0.0.1:5432/govhall_bench  (govhall_bench_N for N cases
                           other than 10 million: a quick run keeps a database of its own)
    BENCH_RUNS=7           timed runs per figure (medians), after two warm-up runs
    BENCH_HTTP_SECONDS=10  length of one HTTP load run (5 below a million cases)
    BENCH_SKIP=http,kiosk  figures to leave out (figures,warnings,lists,http,kiosk,region,queue)
    BENCH_LIVE_RUNS=3      runs of the whole figures() from the records (seconds at 10M)
    BENCH_REGION_DB=postgres://postgres@127.0.0.1:5432/govhall_bench_region  (…_region_N likewise)
    BENCH_REGION_CENTERS=100, BENCH_REGION_CASES=3.6 × BENCH_CASES, BENCH_REGION_MONTHS=24
    BENCH_OUT=var/bench    where results.json and explain.txt go
Exit status 1 when a figure misses its bar.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CENTER = "规模测试政务服务中心"
FULL_CASES = 10_000_000
PY = str(ROOT / ".venv" / "bin" / "python")
OUT = Path(os.environ.get("BENCH_OUT") or ROOT / "var" / "bench")


@dataclass
class Figure:
    name: str
    measured: float
    unit: str
    reference: float | None = None
    reference_name: str = ""
    bar: str = ""
    passed: bool | None = None
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.reference is None or not self.reference:
            return None
        return self.measured / self.reference


def env(name: str, default: str) -> str:
    return os.environ.get(name, default) or default


def say(line: str) -> None:
    print(line, flush=True)


# --- the database ---------------------------------------------------------------------------


def prepare(db_url: str, cases: int, months: int, extra: tuple[str, ...] = ()) -> None:
    """Create, migrate and fill the benchmark database unless it holds enough cases already;
    the day counters are rolled up to yesterday either way (the nightly job's work)."""
    import psycopg

    parsed = urlparse(db_url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        have = 0
        if exists:
            with psycopg.connect(db_url) as db:
                try:
                    row = db.execute(
                        "SELECT count(*) FROM cases_case c JOIN org_center o ON o.id = c.center_id"
                        " WHERE o.name LIKE %s",
                        [CENTER + "%"],
                    ).fetchone()
                    have = int(row[0]) if row else 0
                except psycopg.Error:
                    have = 0
        if exists and have >= cases:
            say(f"database {name}: reusing {have:,} cases (asked {cases:,})")
            run_manage(["migrate", "--no-input", "-v", "0"], db_url)
            run_manage(["rollup"], db_url)
            return
        if exists:
            say(f"database {name}: {have:,} cases < {cases:,} asked: rebuilding it")
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    run_manage(["migrate", "--no-input", "-v", "0"], db_url)
    started = time.perf_counter()
    # Cases up to yesterday, so today's open cases and warnings are as in a working hall.
    run_manage(["generate_scale", "--cases", str(cases), "--months", str(months), *extra], db_url)
    say(f"generated in {time.perf_counter() - started:.0f} s; VACUUM ANALYZE …")
    with psycopg.connect(db_url, autocommit=True) as db:
        db.execute("VACUUM ANALYZE")


def database_name(cases: int, name: str = "govhall_bench") -> str:
    """The benchmark's database for `cases`: govhall_bench at the full 10 million, a database
    of its own for any other size (govhall_bench_200000), so that a quick run neither reuses
    nor rebuilds the full one."""
    return name if cases == FULL_CASES else f"{name}_{cases}"


def local_today() -> dt.date:
    """Today in the hall's time zone (the app's TIME_ZONE)."""
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def run_manage(args: list[str], db_url: str) -> None:
    environment = {**os.environ, "DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    command = [PY, "manage.py", *args, "--skip-checks"]
    subprocess.run(command, cwd=ROOT, env=environment, check=True)  # noqa: S603 — our own command


# --- timing ---------------------------------------------------------------------------------


def paired(
    app: Callable[[], Any], reference: Callable[[], Any], runs: int, warmup: int = 2
) -> tuple[list[float], list[float]]:
    """Milliseconds of `app` and `reference`, run alternately so both see the same noise."""
    for _ in range(warmup):
        app()
        reference()
    a: list[float] = []
    r: list[float] = []
    for _ in range(runs):
        t0 = time.perf_counter()
        app()
        a.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        reference()
        r.append((time.perf_counter() - t0) * 1000)
    return a, r


def sql_rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def explain(sql: str, params: Any) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


class Recorder:
    """Times every SQL statement the app sends (execute_wrapper), to split a call's cost."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any, float]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.calls.append((sql, params, (time.perf_counter() - t0) * 1000))


# --- the figures ----------------------------------------------------------------------------


def month_figures(center: Any, month: dt.date, runs: int, plans: list[str]) -> list[Figure]:
    """figures(center, month): its case queries against hand-written SQL for the same numbers."""
    from django.db import connection

    from govhall.bulletins.figures import figures
    from govhall.cases.selectors import month_unit_counts
    from govhall.core.months import month_bounds, shift_month

    start, end = month_bounds(month)
    first, _ = month_bounds(shift_month(month, -11))
    # The same numbers by hand: one range query per family, as an expert would write them.
    by_unit_sql = """
        SELECT unit_id, count(*), 0, 0, 0, 0 FROM cases_case
        WHERE center_id = %(c)s AND accepted_at >= %(s)s AND accepted_at < %(e)s
          AND status NOT IN ('rejected', 'voided') GROUP BY unit_id
        UNION ALL
        SELECT unit_id, 0, count(*), count(*) FILTER (WHERE handling_type = 'immediate'),
          count(*) FILTER (WHERE handling_type = 'promised'), 0 FROM cases_case
        WHERE center_id = %(c)s AND completed_at >= %(s)s AND completed_at < %(e)s
        GROUP BY unit_id
        UNION ALL
        SELECT unit_id, 0, 0, 0, 0, count(*) FROM cases_case
        WHERE center_id = %(c)s AND closed_at >= %(s)s AND closed_at < %(e)s
          AND status = 'rejected' GROUP BY unit_id"""
    trend_sql = """
        SELECT 'a', to_char(accepted_at AT TIME ZONE %(tz)s, 'YYYY-MM'), count(*)
        FROM cases_case WHERE center_id = %(c)s AND accepted_at >= %(f)s AND accepted_at < %(e)s
          AND status NOT IN ('rejected', 'voided') GROUP BY 2
        UNION ALL
        SELECT 'c', to_char(completed_at AT TIME ZONE %(tz)s, 'YYYY-MM'), count(*)
        FROM cases_case WHERE center_id = %(c)s AND completed_at >= %(f)s AND completed_at < %(e)s
        GROUP BY 2"""
    from django.conf import settings

    params = {"s": start, "e": end, "f": first, "c": center.pk, "tz": settings.TIME_ZONE}

    from govhall.bulletins.figures import _trend

    # Every figure beside its reference, alternating: the whole figures() (a closed month: read
    # from the day counters) beside the same figures counted from the records (live=True); the
    # month's case counts by unit (`month_unit_counts`, what the live path and the current month
    # use) beside hand-written SQL; the 12-month trend beside a hand-written GROUP BY month.
    whole_ms: list[float] = []
    live_ms: list[float] = []
    month_ms: list[float] = []
    ref_month: list[float] = []
    trend_ms: list[float] = []
    ref_trend: list[float] = []
    result: Any = None
    live: Any = None
    trend: Any = None
    captured: dict[str, tuple[str, Any]] = {}
    live_runs = max(1, min(runs, int(env("BENCH_LIVE_RUNS", "3"))))
    for i in range(runs + 2):
        t0 = time.perf_counter()
        result = figures(center, month)
        whole = (time.perf_counter() - t0) * 1000
        if i < 1 or i >= runs + 2 - live_runs:  # the live whole: seconds at scale, fewer runs
            t0 = time.perf_counter()
            live = figures(center, month, live=True)
            if i >= 2:
                live_ms.append((time.perf_counter() - t0) * 1000)
        counts_recorder = Recorder()
        t0 = time.perf_counter()
        with connection.execute_wrapper(counts_recorder):
            month_unit_counts(center=center, month=month)
        counts = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        reference_rows = sql_rows(by_unit_sql, params)  # type: ignore[arg-type]
        r_month = (time.perf_counter() - t0) * 1000
        trend_recorder = Recorder()
        t0 = time.perf_counter()
        with connection.execute_wrapper(trend_recorder):
            trend = _trend(center, month)
        t_trend = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        trend_rows = sql_rows(trend_sql, params)  # type: ignore[arg-type]
        r_trend = (time.perf_counter() - t0) * 1000
        if i < 2:
            continue  # warm-up
        whole_ms.append(whole)
        month_ms.append(counts)
        trend_ms.append(t_trend)
        ref_month.append(r_month)
        ref_trend.append(r_trend)
        for index, (sql, p, _ms) in enumerate(counts_recorder.calls):
            captured[f"month counts, query {index + 1}"] = (sql, p)
        for index, (sql, p, _ms) in enumerate(trend_recorder.calls):
            captured[f"trend, query {index + 1}"] = (sql, p)

    # The numbers must be the same: every figure, and the counts beside the SQL's.
    if result != live:
        differing = [
            k for k in result.__dataclass_fields__ if getattr(result, k) != getattr(live, k)
        ]
        raise AssertionError(f"figures from the day counters differ from the records: {differing}")
    totals = [sum(row[k] for row in reference_rows) for k in range(1, 6)]
    app_totals = [
        result.cases.accepted,
        result.cases.completed,
        result.cases.completed_immediate,
        result.cases.completed_promised,
        result.cases.rejected,
    ]
    if totals != app_totals:
        raise AssertionError(f"bulletin case counts differ: app {app_totals}, SQL {totals}")
    by_month: dict[tuple[str, str], int] = {(k, m): n for k, m, n in trend_rows}
    for point in trend:
        key = point.month.strftime("%Y-%m")
        if (point.accepted, point.completed) != (
            by_month.get(("a", key), 0),
            by_month.get(("c", key), 0),
        ):
            raise AssertionError(f"trend differs in {key}")
    if tuple(trend) != tuple(result.trend):
        raise AssertionError("trend differs from figures()'s")
    for name, (sql, p) in captured.items():
        plans.append(f"-- figures(): {name}\n{sql}\n{explain(sql, p)}\n")
    counted = {
        "accepted": result.cases.accepted,
        "completed": result.cases.completed,
        "rejected": result.cases.rejected,
        "overdue": result.timeliness.overdue,
        "month": month.strftime("%Y-%m"),
    }
    w, lw = statistics.median(whole_ms), statistics.median(live_ms)
    m, rm = statistics.median(month_ms), statistics.median(ref_month)
    t, rt = statistics.median(trend_ms), statistics.median(ref_trend)
    return [
        Figure(
            "bulletin: whole figures(center, month), closed month (day counters)",
            w,
            "ms",
            lw,
            f"the same figures from the records (live=True, {len(live_ms)} runs), all equal",
            "≤ 1000 ms",
            w <= 1000,
            counted,
        ),
        Figure(
            "bulletin: 12-month trend (day counters)",
            t,
            "ms",
            rt,
            "hand-written SQL, GROUP BY month over the cases",
            "≤ 300 ms",
            t <= 300,
        ),
        Figure(
            "bulletin: month case counts from the records (month_unit_counts)",
            m,
            "ms",
            rm,
            "hand-written SQL, one range query per family",
            "≤ 1000 ms, ≤ 2×",
            m <= 1000 and m <= 2 * rm,
        ),
    ]


def region_ranking(db_url: str, month: dt.date, runs: int, plans: list[str]) -> list[Figure]:
    """A region's centers ranked for one month: `centers_month_counts` over every center of
    the region database, beside hand-written SQL over the cases for the same numbers."""
    import psycopg

    from govhall.bulletins.selectors import centers_month_counts
    from govhall.core.months import month_bounds

    with psycopg.connect(db_url) as db:
        ids = [r[0] for r in db.execute("SELECT id FROM org_center ORDER BY id").fetchall()]
        total = db.execute("SELECT count(*) FROM cases_case").fetchone()[0]
    start, end = month_bounds(month)
    reference_sql = """
        SELECT center_id, count(*), 0 FROM cases_case
        WHERE center_id = ANY(%(ids)s) AND accepted_at >= %(s)s AND accepted_at < %(e)s
          AND status NOT IN ('rejected', 'voided') GROUP BY center_id
        UNION ALL
        SELECT center_id, 0, count(*) FROM cases_case
        WHERE center_id = ANY(%(ids)s) AND completed_at >= %(s)s AND completed_at < %(e)s
        GROUP BY center_id"""
    params = {"ids": ids, "s": start, "e": end}
    found: dict[int, Any] = {}
    reference: list[tuple[Any, ...]] = []
    with psycopg.connect(db_url, autocommit=True) as db:
        db.execute("SET jit = off")

        def app() -> None:
            found.update(centers_month_counts(ids, month))
            ranked = sorted(found.values(), key=lambda r: (-r.accepted, r.center_id))
            assert len(ranked) == len(ids)

        def ref() -> None:
            reference[:] = db.execute(reference_sql, params).fetchall()

        a, r = paired(app, ref, runs)
    by_center: dict[int, list[int]] = {}
    for center_id, accepted, completed in reference:
        row = by_center.setdefault(center_id, [0, 0])
        row[0] += accepted
        row[1] += completed
    for center_id in ids:
        got = found[center_id]
        if [got.accepted, got.completed] != by_center.get(center_id, [0, 0]):
            raise AssertionError(f"region ranking differs for center {center_id}")
    if not all(r.from_counters for r in found.values()):
        raise AssertionError("region ranking: a center was counted from its records")
    m = statistics.median(a)
    page, page_reference = region_page(ids, month, runs, reference_sql, params)
    return [
        Figure(
            f"region: the overview page of {len(ids)} centers (`/regions/<id>/`: this month and"
            " last, patrol, vacancies, queue wait, the bulletin's preview)",
            page,
            "ms",
            page_reference,
            "hand-written SQL over the cases: accepted and completed per center",
            "≤ 2000 ms",
            page <= 2000,
            {"centers": len(ids), "cases": total, "month": month.strftime("%Y-%m")},
        ),
        Figure(
            f"region: {len(ids)} centers ranked for a month (centers_month_counts)",
            m,
            "ms",
            statistics.median(r),
            "hand-written SQL over the cases: accepted and completed per center",
            "≤ 2000 ms",
            m <= 2000,
            {"centers": len(ids), "cases": total, "month": month.strftime("%Y-%m")},
        ),
    ]


def supervision_warnings(center: Any, runs: int, plans: list[str]) -> Figure:
    """warnings_for_day(center, on=today): the selector the daily supervision run uses."""
    from django.db import connection
    from django.utils import timezone

    from govhall.cases.choices import CaseStatus
    from govhall.core.calendar import get_calendar
    from govhall.core.deadlines import last_yellow_date
    from govhall.supervision.selectors import warnings_for_day

    today = timezone.localdate()
    calendar = get_calendar(center)
    cutoff = last_yellow_date(on=today, calendar=calendar, yellow_days=1)
    open_cases = sql_rows(
        "SELECT count(*) FROM cases_case WHERE center_id = %s AND status = ANY(%s)",
        [center.pk, sorted(CaseStatus.open())],
    )[0][0]
    reference_sql = """
        SELECT c.id, c.number, c.unit_id, u.name, i.name, c.due_date
        FROM cases_case c JOIN org_unit u ON u.id = c.unit_id
        JOIN catalog_serviceitem i ON i.id = c.item_id
        WHERE c.center_id = %s AND c.status IN ('accepted', 'in_progress', 'suspended')
          AND c.due_date <= %s AND c.handling_type = 'promised' AND c.paused_since IS NULL
          AND c.accepted_at < %s"""
    tomorrow = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time()))
    rows: list[Any] = []

    def app() -> None:
        rows[:] = warnings_for_day(center=center, on=today, calendar=calendar, yellow_days=1)

    reference_rows: list[Any] = []

    def reference() -> None:
        reference_rows[:] = sql_rows(reference_sql, [center.pk, cutoff, tomorrow])

    a, r = paired(app, reference, runs)
    if len(rows) != len(reference_rows):
        raise AssertionError(f"warnings: app {len(rows)}, SQL {len(reference_rows)}")
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        warnings_for_day(center=center, on=today, calendar=calendar, yellow_days=1)
    sql, params, _ms = next(c for c in recorder.calls if '"cases_case"' in c[0])
    plans.append(f"-- warnings_for_day\n{sql}\n{explain(sql, params)}\n")
    m = statistics.median(a)
    return Figure(
        "supervision: warnings_for_day (today)",
        m,
        "ms",
        statistics.median(r),
        "hand-written SQL, same rows",
        "≤ 100 ms",
        m <= 100,
        {"open_cases": open_cases, "warned": len(rows)},
    )


def keyset_lists(center: Any, user: Any, runs: int, plans: list[str]) -> list[Figure]:
    """The staff case list and the supervision list: first page and a page deep in the list,
    through the selectors the pages use and keyset_page."""
    from django.db import connection
    from django.db.models import Q

    from govhall.cases import selectors as case_selectors
    from govhall.core.keyset import encode_cursor, keyset_page
    from govhall.supervision import selectors as sup_selectors

    case_order = getattr(case_selectors, "CASE_LIST_ORDER", ("-received_at", "-pk"))
    warning_order = getattr(
        sup_selectors, "WARNING_LIST_ORDER", ("-issued_on", "level", "deadline", "-pk")
    )
    lists = [
        (
            "case list",
            lambda: case_selectors.case_list(
                user=user, center=center, filters=case_selectors.CaseFilters()
            ),
            case_order,
            "cases_case",
        ),
        (
            "supervision list",
            lambda: sup_selectors.warning_list(user=user, center=center),
            warning_order,
            "supervision_warning",
        ),
    ]
    figures: list[Figure] = []
    for label, queryset, order, table in lists:
        total = sql_rows(f"SELECT count(*) FROM {table} WHERE center_id = %s", [center.pk])[0][0]  # noqa: S608
        depth = min(1_000_000, max(0, total - 100))
        columns = ", ".join(f.lstrip("-").replace("pk", "id") for f in order)
        directions = ", ".join(
            f"{f.lstrip('-').replace('pk', 'id')} {'DESC' if f.startswith('-') else 'ASC'}"
            for f in order
        )
        key = sql_rows(
            f"SELECT {columns} FROM {table} WHERE center_id = %s ORDER BY {directions} "  # noqa: S608
            "OFFSET %s LIMIT 1",
            [center.pk, depth - 1],
        )[0]
        cursor = encode_cursor(list(key))
        lead = order[0].lstrip("-")
        bound = Q(**{f"{lead}__{'lte' if order[0].startswith('-') else 'gte'}": key[0]})
        for where, page_cursor in (("first page", None), (f"after {depth:,} rows", cursor)):

            def app(qs: Any = queryset, c: str | None = page_cursor, o: Any = order) -> None:
                page = keyset_page(qs(), o, c, size=50)
                assert len(page.rows) == 50

            def reference(
                qs: Any = queryset, c: str | None = page_cursor, o: Any = order, b: Q = bound
            ) -> None:
                base = qs().filter(b) if c else qs()
                page = keyset_page(base, o, c, size=50)
                assert len(page.rows) == 50

            a, r = paired(app, reference, runs)
            recorder = Recorder()
            with connection.execute_wrapper(recorder):
                keyset_page(queryset(), order, page_cursor, size=50)
            sql, params, _ms = recorder.calls[-1]
            plans.append(f"-- {label}, {where}\n{sql}\n{explain(sql, params)}\n")
            m = statistics.median(a)
            figures.append(
                Figure(
                    f"{label}: keyset page, {where}",
                    m,
                    "ms",
                    statistics.median(r),
                    "same query + bound on the leading column",
                    "≤ 50 ms",
                    m <= 50,
                    {"rows_in_list": total},
                )
            )
    return figures


# --- HTTP -----------------------------------------------------------------------------------


CLIENTS = (2, 4)  # load processes × threads: twice the server's 2 workers × 2 threads, never idle


def http_intake(center: Any, db_url: str, seconds: float, runs: int) -> list[Figure]:
    """POST /api/v1/cases with a token on gunicorn (2 workers), beside a minimal JSON view and
    a view that commits one INSERT, in alternating runs on the same server."""
    import http.client
    import socket

    import psycopg

    from bench.http_load import Target, run
    from bench.urls import WRITE_TABLE
    from govhall.catalog.models import ServiceItem

    codes = list(
        ServiceItem.objects.filter(center=center, status="published")
        .order_by("pk")
        .values_list("code", flat=True)[:400]
    )
    token = make_token(center)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    environment = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "CONN_MAX_AGE": "600",
    }
    with psycopg.connect(db_url, autocommit=True) as db:
        db.execute(f"CREATE TABLE IF NOT EXISTS {WRITE_TABLE} (id bigserial PRIMARY KEY)")
    server = subprocess.Popen(  # noqa: S603 — our own command
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "govhall.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environment,
    )
    processes, threads = CLIENTS
    try:
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/bench/ping")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        ping = Target("127.0.0.1", port, "GET", "/bench/ping", {})
        write = Target("127.0.0.1", port, "POST", "/bench/write", {}, expect=201)
        api = Target(
            "127.0.0.1",
            port,
            "POST",
            "/api/v1/cases",
            {"Authorization": f"Bearer {token}"},
            "intake:" + json.dumps({"codes": codes}),
            expect=201,
        )
        probe = run(api, seconds=0.5, processes=1, threads=1)
        if probe.requests == 0:
            raise RuntimeError("POST /api/v1/cases did not answer 201 to the benchmark's token")
        results: dict[str, list[Any]] = {"api": [], "ping": [], "write": []}
        targets = {"api": api, "ping": ping, "write": write}
        for target in targets.values():  # warm-up
            run(target, seconds=2, processes=processes, threads=threads)
        for _ in range(runs):
            for key, target in targets.items():
                results[key].append(
                    run(target, seconds=seconds, processes=processes, threads=threads)
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
        with psycopg.connect(db_url, autocommit=True) as db:
            db.execute(f"DROP TABLE IF EXISTS {WRITE_TABLE}")

    def median(key: str, value: Callable[[Any], float]) -> float:
        return statistics.median(value(r) for r in results[key])

    rps, ref, one_write = (median(k, lambda r: r.per_second) for k in ("api", "ping", "write"))
    errors = sum(r.errors for r in results["api"])
    clients = processes * threads
    name = f"intake over HTTP: POST /api/v1/cases (token), {clients} clients"
    notes = {
        "p50_ms": round(median("api", lambda r: r.percentile(50)), 1),
        "p99_ms": round(median("api", lambda r: r.percentile(99)), 1),
        "errors": errors,
        "clients": clients,
        "workers": 2,
    }
    return [
        Figure(name, rps, "req/s", None, "", "≥ 300 req/s", rps >= 300 and errors == 0, notes),
        Figure(
            "intake beside the minimal JSON view (no database), same stack",
            rps,
            "req/s",
            ref,
            "GET /bench/ping",
            "≥ 0.5×",
            rps >= 0.5 * ref,
            {"ping_p99_ms": round(median("ping", lambda r: r.percentile(99)), 1)},
        ),
        Figure(
            "the ceiling of any write: one INSERT committed per request, same stack",
            one_write,
            "req/s",
            ref,
            "GET /bench/ping",
            "info",
            None,
            {"write_p99_ms": round(median("write", lambda r: r.percentile(99)), 1)},
        ),
    ]


def make_token(center: Any) -> str:
    """A write token for the benchmark's client (a new one each run; old ones are revoked)."""
    try:
        from govhall.api.models import ApiClient
        from govhall.api.services import api_client_create
    except ImportError:
        return ""
    ApiClient.objects.filter(center=center, name="bench", revoked_at__isnull=True).update(
        revoked_at=dt.datetime.now(dt.UTC)
    )
    _client, token = api_client_create(by=None, center=center, name="bench", can_write=True)
    return token


def bench_user(center: Any) -> Any:
    """The office account the benchmark reads and writes as."""
    from django.contrib.auth import get_user_model

    from govhall.org import services
    from govhall.org.choices import Role

    user = get_user_model().objects.filter(username="bench-office").first()
    if user is None:
        user = services.account_create(
            by=None,
            center=center,
            username="bench-office",
            password=secrets.token_urlsafe(16),
            role=Role.OFFICE,
        )
    return user


def queue(quick: bool) -> list[Figure]:
    """The hall's queue under a day's load (bench/queue_load.py): its own fresh hall on SQLite
    and on PostgreSQL, run in a child process; its figures join the table. A quick run plays
    two 20-second days on PostgreSQL only, instead of three of 100 seconds on both databases."""
    from bench.queue_load import figures_of

    out = OUT / "queue.json"
    shorter = ["--db", "postgres", "--rounds", "2", "--day-seconds", "20"] if quick else []
    subprocess.run(  # noqa: S603 — our own command
        [PY, "-m", "bench.queue_load", "--out", str(out), *shorter], cwd=ROOT, check=False
    )
    return [f for result in json.loads(out.read_text())["results"] for f in figures_of(result)]


def kiosk(db_url: str) -> Figure:
    out = OUT / "kiosk_search.json"
    environment = {**os.environ, "DATABASE_URL": db_url}
    subprocess.run(  # noqa: S603 — our own command
        [PY, "bench/kiosk_search.py", "--out", str(out)], cwd=ROOT, env=environment, check=False
    )
    data = json.loads(out.read_text())
    p95 = data["first_page_ms"]["p95"]
    raw = data.get("raw_sql_ms", {}).get("p95")
    return Figure(
        "kiosk search, 3,000 items: p95",
        p95,
        "ms",
        raw,
        "the same SQL, raw",
        "p95 ≤ 20 ms",
        p95 <= 20,
        {"p50_ms": data["first_page_ms"]["p50"], "database": data["database"]},
    )


# --- output ---------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = platform.processor()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "load_average": os.getloadavg(),
    }


def show(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    text = f"{value:,.0f}" if value >= 100 else f"{value:,.1f}" if value >= 10 else f"{value:.2f}"
    return f"{text} {unit}".strip()


def table(figures: list[Figure]) -> str:
    header = ("figure", "measured", "reference", "ratio", "bar", "result")
    rows = [
        (
            f.name,
            show(f.measured, f.unit),
            show(f.reference, f.unit),
            "—" if f.ratio is None else f"{f.ratio:.2f}×",
            f.bar,
            "info" if f.passed is None else "PASS" if f.passed else "FAIL",
        )
        for f in figures
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def region_page(
    ids: list[int], month: dt.date, runs: int, reference_sql: str, params: dict[str, Any]
) -> tuple[float, float]:
    """Median milliseconds of the region overview page as its supervisor opens it (the whole
    request: region_figures over every center for two months, the ranking, the preview), and
    of the reference; the page's ranking must agree with the reference's numbers."""
    import psycopg
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import override_settings

    from govhall.org import services
    from govhall.org.models import Center, Region

    region = Region.objects.filter(name="规模测试市").first()
    if region is None:
        region = services.region_create(by=None, name="规模测试市", kind="city")
    Center.objects.filter(pk__in=ids).update(region=region)
    user = get_user_model().objects.filter(username="bench-region").first()
    if user is None:
        user = get_user_model().objects.create_user("bench-region", password=secrets.token_hex(8))
    services.region_membership_grant(by=None, user=user, region=region)
    client = Client()
    client.force_login(user)
    url = f"/regions/{region.pk}/?month={month:%Y-%m}"
    pages: list[bytes] = []
    rows: list[tuple[Any, ...]] = []
    with (
        override_settings(ALLOWED_HOSTS=["testserver"]),
        psycopg.connect(os.environ["BENCH_REGION_DB"], autocommit=True) as db,
    ):
        db.execute("SET jit = off")

        def app() -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            pages[:] = [response.content]

        def ref() -> None:
            rows[:] = db.execute(reference_sql, params).fetchall()

        a, r = paired(app, ref, runs)
    accepted: dict[int, int] = {}
    for center_id, n, _completed in rows:
        accepted[center_id] = accepted.get(center_id, 0) + n
    html = pages[0].decode()
    top = max(ids, key=lambda pk: (accepted.get(pk, 0), -pk))
    if f">{accepted.get(top, 0)}</td>" not in html:
        raise AssertionError("region page: the busiest center's accepted cases are not shown")
    return statistics.median(a), statistics.median(r)


def region(cases: int, runs: int, plans: list[str]) -> list[Figure]:
    """The region's database (built when absent or too small) and its ranking, measured in a
    process of its own, since Django's connection there points at the region's database."""
    db_url = env(
        "BENCH_REGION_DB",
        f"postgres://postgres@127.0.0.1:5432/{database_name(cases, 'govhall_bench_region')}",
    )
    centers = int(env("BENCH_REGION_CENTERS", "100"))
    region_cases = int(env("BENCH_REGION_CASES", str(round(cases * 3.6))))
    months = int(env("BENCH_REGION_MONTHS", "24"))
    # A region's ranking reads cases and counters, not the catalog: smaller organisations.
    extra = ("--centers", str(centers), "--items", "100", "--staff", "40")
    prepare(db_url, region_cases, months, extra)
    environment = {**os.environ, "DATABASE_URL": db_url, "BENCH_REGION_DB": db_url}
    out = subprocess.run(  # noqa: S603 — our own command
        [PY, str(Path(__file__).resolve()), "--region-worker", str(runs)],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    plans.extend(data["plans"])
    return [Figure(**f) for f in data["figures"]]


def region_worker(runs: int) -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    today = local_today()
    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    plans: list[str] = []
    found = region_ranking(os.environ["BENCH_REGION_DB"], month, runs, plans)
    print(json.dumps({"figures": [asdict(f) for f in found], "plans": plans}))
    return 0


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--region-worker":
        return region_worker(int(sys.argv[2]))
    cases = int(env("BENCH_CASES", str(FULL_CASES)))
    months = int(env("BENCH_MONTHS", "22"))
    runs = int(env("BENCH_RUNS", "7"))
    # A quick run (fewer than a million cases) loads the server 5 s a run instead of 10.
    seconds = float(env("BENCH_HTTP_SECONDS", "10" if cases >= 1_000_000 else "5"))
    skip = set(filter(None, env("BENCH_SKIP", "-").split(",")))
    db_url = env("BENCH_DB", f"postgres://postgres@127.0.0.1:5432/{database_name(cases)}")
    started = time.perf_counter()
    prepare(db_url, cases, months)

    os.environ["DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.db import connection

    from govhall.org.models import Center

    center = Center.objects.get(name=CENTER)
    user = bench_user(center)
    today = local_today()
    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    plans: list[str] = []
    figures: list[Figure] = []
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("figures", lambda: month_figures(center, month, runs, plans)),
        ("warnings", lambda: [supervision_warnings(center, runs, plans)]),
        ("lists", lambda: keyset_lists(center, user, runs, plans)),
        ("http", lambda: http_intake(center, db_url, seconds, max(3, runs // 2))),
        ("kiosk", lambda: [kiosk(db_url)]),
        ("region", lambda: region(cases, runs, plans)),
        ("queue", lambda: queue(quick=cases < 1_000_000)),
    ]
    for key, step in steps:
        if key in skip:
            continue
        say(f"measuring {key} …")
        figures += step()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM cases_case WHERE center_id = %s", [center.pk])
        total_cases = cursor.fetchone()[0]
    result = {
        "command": "make bench",
        "cases": total_cases,
        "months": months,
        "runs": runs,
        "postgresql": server,
        "machine": machine(),
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "seconds": round(time.perf_counter() - started, 1),
        "figures": [{**asdict(f), "ratio": f.ratio} for f in figures],
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    (OUT / "explain.txt").write_text("\n".join(plans))
    say("")
    say(
        f"{total_cases:,} cases · PostgreSQL {server} · {os.cpu_count()} cores · medians of {runs} runs"
    )
    say(table(figures))
    for f in figures:
        if f.notes:
            say(f"  {f.name}: " + ", ".join(f"{k} {v}" for k, v in f.notes.items()))
    say(f"written to {OUT / 'results.json'} (EXPLAIN ANALYZE plans: {OUT / 'explain.txt'})")
    failed = [f.name for f in figures if f.passed is False]
    if failed:
        say("FAIL: " + "; ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
