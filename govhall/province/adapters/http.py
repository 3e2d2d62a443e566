"""The generic HTTP/JSON adapter (standard library only; docs/province.md has the format).

    POST {base}/cases      body: the envelope   →  2xx {"ack_id": "…"}
    POST {base}/ratings    body: the envelope   →  2xx {"ack_id": "…"}
    GET  {base}/warnings?since=ISO-8601         →  2xx {"warnings": [{"id", "case_number",
                                                       "level", "message", "issued_at"}]}

Anything else — a refused connection, no answer within the timeout, a non-2xx status, a body
that is not that JSON — is a failure whose reason names what went wrong.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from http.client import HTTPException
from typing import Any

from django.utils.dateparse import parse_datetime

from govhall.province.adapters.base import Ack, InboundWarning, PlatformError

MAX_ANSWER_BYTES = 10 * 1024 * 1024
EXCERPT = 200


def _excerpt(raw: bytes) -> str:
    text = raw[:EXCERPT].decode("utf-8", errors="replace").strip()
    return text or "(empty body)"


class HttpJsonPlatform:
    """A platform that speaks JSON over HTTP(S), with a bearer token from the environment."""

    def __init__(self, *, base_url: str, timeout: float = 10, credentials_env: str = "") -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.credentials_env = credentials_env

    @classmethod
    def for_link(cls, link: Any) -> HttpJsonPlatform:
        return cls(
            base_url=link.base_url,
            timeout=link.timeout_seconds,
            credentials_env=link.credentials_env,
        )

    # --- the contract ---------------------------------------------------------------------

    def push_case(self, payload: dict[str, Any]) -> Ack:
        return self._push("/cases", payload)

    def push_rating(self, payload: dict[str, Any]) -> Ack:
        return self._push("/ratings", payload)

    def fetch_warnings(self, since: dt.datetime | None) -> list[InboundWarning]:
        query = {"since": since.isoformat()} if since else {}
        answer = self._call("GET", "/warnings", query=query)
        items = answer.get("warnings") if isinstance(answer, dict) else None
        if not isinstance(items, list):
            raise PlatformError('malformed answer: no "warnings" list')
        return [self._warning(i, item) for i, item in enumerate(items, start=1)]

    # --- plumbing ---------------------------------------------------------------------------

    def _push(self, path: str, payload: dict[str, Any]) -> Ack:
        try:
            answer = self._call("POST", path, body=payload)
        except PlatformError as exc:
            return Ack(ok=False, reason=str(exc))
        ack_id = answer.get("ack_id") if isinstance(answer, dict) else None
        if isinstance(ack_id, int) and not isinstance(ack_id, bool):
            ack_id = str(ack_id)
        if not isinstance(ack_id, str) or not ack_id.strip():
            return Ack(ok=False, reason='malformed answer: no "ack_id"')
        return Ack(ok=True, reference=ack_id.strip()[:120])

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json", "User-Agent": "govhall-province/1"}
        if self.credentials_env:
            token = os.environ.get(self.credentials_env, "")
            if not token:
                raise PlatformError(
                    f"the environment variable {self.credentials_env} (credentials) is not set"
                )
            headers["Authorization"] = f"Bearer {token}"
        return headers

    def _call(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        query: dict[str, str] | None = None,
    ) -> Any:
        if urllib.parse.urlsplit(self.base_url).scheme not in ("http", "https"):
            raise PlatformError(
                f"the base URL must start with http:// or https://: {self.base_url}"
            )
        url = self.base_url + path
        if query:
            url += "?" + urllib.parse.urlencode(query)
        headers = self._headers()
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json; charset=utf-8"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310  (scheme checked above)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status = response.status
                raw = response.read(MAX_ANSWER_BYTES + 1)
        except urllib.error.HTTPError as exc:
            raise PlatformError(f"HTTP {exc.code} from {url}: {_excerpt(exc.read())}") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise PlatformError(f"no answer from {url} within {self.timeout:g} s") from exc
            raise PlatformError(f"cannot reach {url}: {exc.reason}") from exc
        except TimeoutError as exc:
            raise PlatformError(f"no answer from {url} within {self.timeout:g} s") from exc
        except (OSError, HTTPException) as exc:
            raise PlatformError(f"connection to {url} failed: {exc}") from exc
        if not 200 <= status < 300:
            raise PlatformError(f"HTTP {status} from {url}: {_excerpt(raw)}")
        if len(raw) > MAX_ANSWER_BYTES:
            raise PlatformError(f"the answer from {url} is larger than {MAX_ANSWER_BYTES} bytes")
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PlatformError(f"malformed answer from {url} (not JSON): {_excerpt(raw)}") from exc

    @staticmethod
    def _warning(index: int, item: Any) -> InboundWarning:
        if not isinstance(item, dict):
            raise PlatformError(f"malformed warning #{index}: not an object")
        warning_id = item.get("id")
        if isinstance(warning_id, int) and not isinstance(warning_id, bool):
            warning_id = str(warning_id)
        if not isinstance(warning_id, str) or not warning_id.strip():
            raise PlatformError(f'malformed warning #{index}: no "id"')
        level = item.get("level")
        if not isinstance(level, str) or not level.strip():
            raise PlatformError(f'malformed warning #{index}: no "level"')
        issued_raw = item.get("issued_at")
        issued = None
        if issued_raw not in (None, ""):
            try:
                issued = parse_datetime(issued_raw) if isinstance(issued_raw, str) else None
            except ValueError:
                issued = None
            if issued is None or issued.tzinfo is None:
                raise PlatformError(
                    f'malformed warning #{index}: "issued_at" is not an ISO-8601 time with offset'
                )
        return InboundWarning(
            warning_id=warning_id.strip()[:64],
            case_number=str(item.get("case_number") or "").strip()[:32],
            level=level.strip()[:16],
            message=str(item.get("message") or "").strip(),
            issued_at=issued,
        )
