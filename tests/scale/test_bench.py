"""The benchmark driver: its load generator and table on their own, and (with a PostgreSQL
database to spare, BENCH_TEST_DB=postgres://…) its quick mode end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bench.http_load import Target, run
from bench.run import Figure, table

ROOT = Path(__file__).resolve().parents[2]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        status = 500 if self.path == "/broken" else 200
        body = b'{"ok": true}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[int]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()


def test_load_generator_counts_answers_and_errors(server: int) -> None:
    ok = run(Target("127.0.0.1", server, "GET", "/", {}), seconds=0.5, processes=1, threads=2)
    assert ok.requests > 10
    assert ok.errors == 0
    assert ok.per_second > 0
    assert 0 < ok.percentile(50) <= ok.percentile(99)
    broken = run(Target("127.0.0.1", server, "GET", "/broken", {}), seconds=0.3, processes=1)
    assert broken.requests == 0
    assert broken.errors > 0


def test_table_shows_ratio_and_verdict() -> None:
    figures = [
        Figure("fast", 10.0, "ms", 5.0, "ref", "≤ 2×", True),
        Figure("slow", 300.0, "ms", 10.0, "ref", "≤ 2×", False),
        Figure("info only", 4.0, "ms"),
    ]
    text = table(figures)
    lines = text.splitlines()
    assert "2.00×" in lines[2]
    assert "PASS" in lines[2]
    assert "30.00×" in lines[3]
    assert "FAIL" in lines[3]
    assert "—" in lines[4]
    assert figures[2].ratio is None


@pytest.mark.skipif(
    not os.environ.get("BENCH_TEST_DB"),
    reason="needs a PostgreSQL database to build: BENCH_TEST_DB=postgres://…/govhall_h5",
)
def test_quick_mode_runs_end_to_end(tmp_path: Path) -> None:
    environment = {
        **os.environ,
        "BENCH_DB": os.environ["BENCH_TEST_DB"],
        "BENCH_CASES": "20000",
        "BENCH_RUNS": "1",
        "BENCH_SKIP": "http,kiosk",
        "BENCH_OUT": str(tmp_path),
    }
    environment.pop("DATABASE_URL", None)
    done = subprocess.run(  # noqa: S603 — our own script
        [sys.executable, "bench/run.py"], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    results = json.loads((tmp_path / "results.json").read_text())
    names = [f["name"] for f in results["figures"]]
    assert any(n.startswith("bulletin: month case counts") for n in names)
    assert any(n.startswith("supervision: warnings_for_day") for n in names)
    assert sum(n.startswith("case list") for n in names) == 2
    assert results["cases"] >= 20000
    assert all(f["measured"] > 0 for f in results["figures"])
    assert (tmp_path / "explain.txt").read_text().count("Execution Time") >= 5
