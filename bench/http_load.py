"""A small HTTP load generator: processes × threads, each with its own http.client connection
(kept alive when the server allows it; gunicorn's sync workers close it after each answer, and
http.client then reconnects by itself). Reports requests per second and latency percentiles."""

from __future__ import annotations

import http.client
import json
import multiprocessing
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

BodyFactory = Callable[[int, int], bytes | None]  # (worker, request number) → body


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    method: str
    path: str
    headers: dict[str, str]
    # "" for none; "intake:<json of choices>" for varied case intake bodies; "ticket:<json with
    # the category letters>" for queue tickets of every category in turn
    body: str = ""
    expect: int = 200


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: int) -> float:
        if len(self.latencies_ms) < 2:
            return self.latencies_ms[0] if self.latencies_ms else 0.0
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[p - 1]


def _body(target: Target, worker: int, n: int) -> bytes | None:
    if not target.body:
        return None
    kind, _sep, payload = target.body.partition(":")
    if kind == "intake":
        choices = json.loads(payload)
        codes = choices["codes"]
        body = {
            **choices.get("extra", {}),
            "item_code": codes[(worker * 7919 + n * 104729) % len(codes)],
            "applicant_name": f"压测申请人{worker}-{n}",
            "applicant_phone": f"139{(worker * 1_000_000 + n) % 100_000_000:08d}",
        }
        return json.dumps(body, ensure_ascii=False).encode()
    if kind == "ticket":
        # A number of each queue category in turn, as a hall's ticket machines give them.
        letters = json.loads(payload)["categories"]
        return json.dumps({"category": letters[(worker * 7 + n) % len(letters)]}).encode()
    return payload.encode()


def _thread(
    target: Target, worker: int, deadline: float, out: list[float], counts: list[int]
) -> None:
    conn = http.client.HTTPConnection(target.host, target.port, timeout=30)
    n = 0
    while time.perf_counter() < deadline:
        body = _body(target, worker, n)
        headers = dict(target.headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        t0 = time.perf_counter()
        try:
            conn.request(target.method, target.path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            ok = response.status == target.expect
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
        elapsed = (time.perf_counter() - t0) * 1000
        if ok:
            out.append(elapsed)
        else:
            counts[0] += 1
        n += 1
    conn.close()


def _process(target: Target, worker: int, threads: int, seconds: float, queue: Any) -> None:
    deadline = time.perf_counter() + seconds
    latencies: list[list[float]] = [[] for _ in range(threads)]
    errors = [[0] for _ in range(threads)]
    pool = [
        threading.Thread(
            target=_thread, args=(target, worker * threads + i, deadline, latencies[i], errors[i])
        )
        for i in range(threads)
    ]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    queue.put(([x for part in latencies for x in part], sum(e[0] for e in errors)))


def run(target: Target, *, seconds: float, processes: int = 2, threads: int = 2) -> LoadResult:
    """Drive `target` for `seconds` with processes × threads connections."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    started = time.perf_counter()
    workers = [
        context.Process(target=_process, args=(target, w, threads, seconds, queue))
        for w in range(processes)
    ]
    for w in workers:
        w.start()
    latencies: list[float] = []
    errors = 0
    for _ in workers:
        part, failed = queue.get()
        latencies += part
        errors += failed
    for w in workers:
        w.join()
    # Each thread stops sending at its deadline; the last answers land just after it.
    elapsed = max(seconds, min(time.perf_counter() - started, seconds + 0.2))
    return LoadResult(len(latencies), errors, elapsed, latencies)
