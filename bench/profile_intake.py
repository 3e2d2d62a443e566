"""Where an intake's milliseconds go: `POST /api/v1/cases` run in-process through Django's WSGI
handler (the code gunicorn runs, without the socket), timed whole, per SQL statement, and under
cProfile. Issue 20.3; the figures are in docs/performance.md.

    BENCH_DB=postgres://postgres@127.0.0.1:5432/govhall_bench .venv/bin/python bench/profile_intake.py
    … --requests 2000 --profile var/bench/intake.prof --top 40
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def environ(path: str, body: bytes, token: str) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_AUTHORIZATION": f"Bearer {token}",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def backend_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a PostgreSQL backend on this machine, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--profile", default=str(ROOT / "var" / "bench" / "intake.prof"))
    parser.add_argument("--top", type=int, default=35)
    args = parser.parse_args()
    os.environ.setdefault(
        "DATABASE_URL",
        os.environ.get("BENCH_DB", "postgres://postgres@127.0.0.1:5432/govhall_bench"),
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("CONN_MAX_AGE", "600")
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    from bench.run import CENTER, make_token
    from bench.urls import WRITE_TABLE
    from govhall.catalog.models import ServiceItem
    from govhall.org.models import Center

    center = Center.objects.get(name=CENTER)
    token = make_token(center)
    codes = list(
        ServiceItem.objects.filter(center=center, status="published")
        .order_by("pk")
        .values_list("code", flat=True)[:400]
    )
    handler = WSGIHandler()

    def body(n: int) -> bytes:
        return json.dumps(
            {
                "item_code": codes[(n * 104729) % len(codes)],
                "applicant_name": f"剖析申请人{n}",
                "applicant_phone": f"139{n % 100_000_000:08d}",
            },
            ensure_ascii=False,
        ).encode()

    def one(n: int) -> None:
        status: list[str] = []
        result = handler(
            environ("/api/v1/cases", body(n), token), lambda s, h, e=None: status.append(s)
        )
        b"".join(result)
        if not status[0].startswith("201"):
            raise RuntimeError(f"intake answered {status[0]}")

    for n in range(50):  # warm-up: prepared statements, caches
        one(n)

    def cpu_per_request(call: Any, count: int) -> tuple[float, float]:
        """(Python ms, PostgreSQL ms) of CPU per request (user + kernel)."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
        server0, python0 = backend_cpu(pid), os.times()
        for n in range(count):
            call(n)
        python1 = os.times()
        python = (python1.user + python1.system - python0.user - python0.system) * 1000
        return python / count, (backend_cpu(pid) - server0) * 1000 / count

    def write_one(n: int) -> None:
        status: list[str] = []
        result = handler(environ("/bench/write", b"", ""), lambda s, h, e=None: status.append(s))
        b"".join(result)
        if not status[0].startswith("201"):
            raise RuntimeError(f"/bench/write answered {status[0]}")

    # The ceiling beside it: the view that commits one INSERT, alternating with intake batches.
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {WRITE_TABLE} (id bigserial PRIMARY KEY)")
    intake_cpu: list[tuple[float, float]] = []
    write_cpu: list[tuple[float, float]] = []
    base = int(time.time()) * 10
    try:
        for round_ in range(5):
            write_cpu.append(cpu_per_request(write_one, 200))
            intake_cpu.append(cpu_per_request(lambda n, r=round_: one(base + r * 1000 + n), 200))
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {WRITE_TABLE}")
    i_py, i_pg = (statistics.median(x[k] for x in intake_cpu) for k in (0, 1))
    w_py, w_pg = (statistics.median(x[k] for x in write_cpu) for k in (0, 1))
    print(
        f"CPU per request, medians of 5 alternating rounds of 200 (load {os.getloadavg()[0]:.1f}):"
    )
    print(f"  intake        Python {i_py:.2f} ms + PostgreSQL {i_pg:.2f} ms = {i_py + i_pg:.2f} ms")
    print(f"  one INSERT    Python {w_py:.2f} ms + PostgreSQL {w_pg:.2f} ms = {w_py + w_pg:.2f} ms")
    print(f"  ratio (what CPU-bound throughput would be): {(w_py + w_pg) / (i_py + i_pg):.2f}×")

    sql: list[tuple[str, float]] = []

    def recorder(execute: Any, query: str, params: Any, many: bool, context: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            sql.append((query, (time.perf_counter() - t0) * 1000))

    whole: list[float] = []
    offset = int(time.time())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    # CPU seconds, not wall time: on a shared machine the wall clock measures the neighbours.
    server0, python0 = backend_cpu(backend), os.times()
    for n in range(args.requests):
        one(offset + n)
    server_ms = (backend_cpu(backend) - server0) * 1000 / args.requests
    python1 = os.times()
    user_ms = (python1.user - python0.user) * 1000 / args.requests
    system_ms = (python1.system - python0.system) * 1000 / args.requests
    python_ms = user_ms + system_ms
    with connection.execute_wrapper(recorder):
        for n in range(args.requests):
            t0 = time.perf_counter()
            one(offset + args.requests + n)
            whole.append((time.perf_counter() - t0) * 1000)
    offset += args.requests
    per = len(sql) / args.requests
    sql_ms = sum(ms for _q, ms in sql) / args.requests
    print(f"{args.requests} intakes in-process (load average {os.getloadavg()[0]:.1f}):")
    print(
        f"  CPU per intake: Python (this process) {python_ms:.2f} ms (user {user_ms:.2f},"
        f" kernel {system_ms:.2f}), PostgreSQL {server_ms:.2f} ms"
    )
    print(f"  wall: median {statistics.median(whole):.2f} ms, mean {statistics.mean(whole):.2f} ms")
    print(f"  of which waiting for SQL round trips {sql_ms:.2f} ms")
    print(f"  {per:.1f} statements per intake:")
    by_statement: dict[str, list[float]] = {}
    for query, ms in sql:
        by_statement.setdefault(" ".join(query.split())[:110], []).append(ms)
    for query, times in sorted(by_statement.items(), key=lambda kv: -sum(kv[1])):
        print(f"  {sum(times) / args.requests:6.3f} ms  ×{len(times) / args.requests:.2f}  {query}")

    profiler = cProfile.Profile(time.process_time)  # CPU time, not the neighbours' share
    profiler.enable()
    for n in range(args.requests):
        one(offset + args.requests + n)
    profiler.disable()
    Path(args.profile).parent.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(args.profile)
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
