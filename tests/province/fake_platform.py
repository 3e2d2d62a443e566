"""A fake provincial platform: a real threaded HTTP server on 127.0.0.1 (random port) that
speaks the http adapter's format, records what it received, can be told to fail the next N
requests, and serves warnings."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.utils.dateparse import parse_datetime


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class FakePlatform:
    received: list[Received] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    fail_next: int = 0
    fail_status: int = 503
    malformed: bool = False
    delay: float = 0.0
    url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    _acks: int = 0

    def fail(self, times: int, status: int = 503) -> None:
        """The next `times` requests are answered with `status`."""
        with self._lock:
            self.fail_next, self.fail_status = times, status

    def pushes(self, path: str | None = None) -> list[Received]:
        with self._lock:
            return [
                r
                for r in self.received
                if r.method == "POST" and (path is None or r.path.endswith(path))
            ]

    def start(self) -> FakePlatform:
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def _answer(self, status: int, body: Any, raw: bytes | None = None) -> None:
                data = raw if raw is not None else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _record(self, body: Any) -> tuple[int, bool]:
                with platform._lock:
                    platform.received.append(
                        Received(self.command, self.path, dict(self.headers.items()), body)
                    )
                    if platform.fail_next > 0:
                        platform.fail_next -= 1
                        return platform.fail_status, True
                    return 200, False

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"null")
                if platform.delay:
                    threading.Event().wait(platform.delay)
                status, failing = self._record(body)
                if failing:
                    self._answer(status, {"error": "platform busy"})
                elif platform.malformed:
                    self._answer(200, None, raw=b"OK")
                else:
                    with platform._lock:
                        platform._acks += 1
                        ack = f"ACK-{platform._acks}"
                    self._answer(200, {"ack_id": ack})

            def do_GET(self) -> None:
                status, failing = self._record(None)
                if failing:
                    self._answer(status, {"error": "platform busy"})
                    return
                parts = urlsplit(self.path)
                if not parts.path.endswith("/warnings"):
                    self._answer(404, {"error": "no such path"})
                    return
                since_raw = parse_qs(parts.query).get("since", [""])[0]
                since = parse_datetime(since_raw) if since_raw else None
                # Like many real platforms, "since" is inclusive: the newest warning repeats.
                items = [
                    w
                    for w in platform.warnings
                    if since is None or parse_datetime(w["issued_at"]) >= since
                ]
                self._answer(200, {"warnings": items})

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{port}/api"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
