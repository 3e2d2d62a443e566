"""Scale-out on real parts (issue 20.4): one port (nginx) in front of one, then two gunicorn
servers; the kiosk and a report read from a streaming replica; sessions and the token cache in
Redis. Measures intake and reads for each, and the replica's lag while intake runs.

    scripts/system-packages.sh --bench      # nginx, redis-server
    scripts/pg-replica.sh up                # the replica on 127.0.0.1:5433
    BENCH_DB=postgres://postgres@127.0.0.1:5432/govhall_bench .venv/bin/python bench/scaleout.py

Each gunicorn server is one worker × 2 threads: the share of one app-server core, so the second
server is a second core's worth (this machine has two, which PostgreSQL, nginx, the load
generator and — on a shared machine — everybody else share too). Environment: BENCH_DB,
BENCH_REPLICA (postgres://…:5433/same name), REDIS_URL (redis://127.0.0.1:6379/0),
BENCH_RUNS (3), BENCH_HTTP_SECONDS (10), BENCH_OUT (var/bench). Writes scaleout.json.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = Path(os.environ.get("BENCH_OUT") or ROOT / "var" / "bench")
NGINX_CONF = """
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {prefix}/body;
  proxy_temp_path {prefix}/proxy;
  fastcgi_temp_path {prefix}/fastcgi;
  uwsgi_temp_path {prefix}/uwsgi;
  scgi_temp_path {prefix}/scgi;
  upstream app {{
{servers}
    keepalive 32;
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
    }}
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(port: int, path: str = "/bench/ping") -> None:
    for _ in range(150):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"nothing answers on port {port}")


class Stack:
    """nginx on one port in front of `servers` gunicorn servers (1 worker × 2 threads each)."""

    def __init__(self, servers: int, environment: dict[str, str]) -> None:
        self.servers = servers
        self.environment = environment
        self.port = free_port()
        self.prefix = Path(tempfile.mkdtemp(prefix="govhall-nginx-"))
        self.processes: list[subprocess.Popen[bytes]] = []

    def __enter__(self) -> Stack:
        ports = [free_port() for _ in range(self.servers)]
        for port in ports:
            self.processes.append(
                subprocess.Popen(  # noqa: S603 — our own command
                    [
                        str(ROOT / ".venv" / "bin" / "gunicorn"),
                        "govhall.wsgi",
                        "--workers=1",
                        "--threads=2",
                        f"--bind=127.0.0.1:{port}",
                        "--log-level=warning",
                    ],
                    cwd=ROOT,
                    env={**self.environment, "GUNICORN_WORKERS": "1"},
                )
            )
        for port in ports:
            wait_ready(port)
        self.prefix.chmod(0o755)
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.prefix / sub).mkdir(mode=0o777)
            (self.prefix / sub).chmod(0o777)  # nginx's workers run as nobody when started by root
        servers = "\n".join(f"    server 127.0.0.1:{p};" for p in ports)
        conf = self.prefix / "nginx.conf"
        conf.write_text(NGINX_CONF.format(prefix=self.prefix, servers=servers, port=self.port))
        self.processes.append(
            subprocess.Popen(  # noqa: S603 — our own command
                ["/usr/sbin/nginx", "-p", str(self.prefix), "-c", str(conf), "-g", "daemon off;"]
            )
        )
        wait_ready(self.port)
        return self

    def __exit__(self, *exc: object) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            process.wait(timeout=30)
        shutil.rmtree(self.prefix, ignore_errors=True)


class LagSampler:
    """The replica's replay lag as the primary sees it (pg_stat_replication), every 0.2 s."""

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psycopg

        with psycopg.connect(self.db_url, autocommit=True) as db:
            while not self._stop.wait(0.2):
                row = db.execute(
                    "SELECT coalesce(max(extract(epoch FROM replay_lag)), 0)"
                    " FROM pg_stat_replication"
                ).fetchone()
                self.samples.append(float(row[0]) if row else 0.0)

    def __enter__(self) -> LagSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def session_cookie(user: Any) -> str:
    """A logged-in session of `user` in the configured session store (Redis + database)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.base import SessionBase
    from django.utils.module_loading import import_string

    store: SessionBase = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def main() -> int:
    db_url = os.environ.get("BENCH_DB", "postgres://postgres@127.0.0.1:5432/govhall_bench")
    name = urlparse(db_url).path.lstrip("/")
    replica_url = os.environ.get("BENCH_REPLICA", f"postgres://postgres@127.0.0.1:5433/{name}")
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    seconds = float(os.environ.get("BENCH_HTTP_SECONDS", "10"))
    os.environ.update(
        DATABASE_URL=db_url,
        DATABASE_REPLICA_URL=replica_url,
        REDIS_URL=redis_url,
        DJANGO_SETTINGS_MODULE="bench.settings",
        CONN_MAX_AGE="600",
    )
    import django

    django.setup()
    from bench.http_load import Target, run
    from bench.run import CENTER, bench_user, make_token
    from govhall.catalog.models import ServiceItem
    from govhall.core import dbrouter
    from govhall.org.models import Center

    if dbrouter.measure_lag() is None:
        raise SystemExit(f"the replica {replica_url} does not answer: scripts/pg-replica.sh up")
    center = Center.objects.get(name=CENTER)
    token = make_token(center)
    cookie = session_cookie(bench_user(center))
    codes = list(
        ServiceItem.objects.filter(center=center, status="published")
        .order_by("pk")
        .values_list("code", flat=True)[:400]
    )
    environment = {**os.environ}
    results: dict[str, dict[str, list[dict[str, float]]]] = {}
    lags: list[float] = []
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    load_before = os.getloadavg()
    for servers in (1, 2):
        with Stack(servers, environment) as stack:
            port = stack.port
            targets = {
                "intake": Target(
                    "127.0.0.1",
                    port,
                    "POST",
                    "/api/v1/cases",
                    {"Authorization": f"Bearer {token}"},
                    "intake:" + json.dumps({"codes": codes}),
                    expect=201,
                ),
                "kiosk": Target("127.0.0.1", port, "GET", f"/kiosk/?center={center.pk}", {}),
                "report": Target(
                    "127.0.0.1", port, "GET", "/supervision/month/", {"Cookie": cookie}
                ),
                "ping": Target("127.0.0.1", port, "GET", "/bench/ping", {}),
            }
            for key, target in targets.items():
                probe = run(target, seconds=1, processes=1, threads=1)
                if probe.requests == 0:
                    raise RuntimeError(f"{key} did not answer {target.expect} through nginx")
            for _ in range(runs):
                for key, target in targets.items():
                    sampler = LagSampler(db_url)
                    with sampler:
                        r = run(target, seconds=seconds, processes=2, threads=4)
                    if key == "intake":
                        lags += sampler.samples
                    results.setdefault(f"{servers}", {}).setdefault(key, []).append(
                        {
                            "per_second": r.per_second,
                            "p50_ms": r.percentile(50),
                            "p99_ms": r.percentile(99),
                            "errors": r.errors,
                            "load_average": os.getloadavg()[0],
                        }
                    )
                    print(
                        f"{servers} server(s) {key:7s} {r.per_second:7.0f} req/s"
                        f"  p50 {r.percentile(50):6.1f} ms  p99 {r.percentile(99):6.1f} ms"
                        f"  errors {r.errors}  load {os.getloadavg()[0]:.1f}",
                        flush=True,
                    )
    summary = {
        key: {
            servers: round(statistics.median(x["per_second"] for x in results[servers][key]))
            for servers in results
        }
        for key in ("intake", "kiosk", "report", "ping")
    }
    out = {
        "command": "bench/scaleout.py",
        "started": started,
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "runs": runs,
        "seconds": seconds,
        "median_per_second": summary,
        "replica_lag_during_intake_s": {
            "max": max(lags, default=0.0),
            "median": statistics.median(lags) if lags else 0.0,
        },
        "results": results,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "scaleout.json").write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps({"median_per_second": summary, "lag": out["replica_lag_during_intake_s"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
