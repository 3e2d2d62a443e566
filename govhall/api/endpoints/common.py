"""Helpers shared by the endpoint modules."""

from __future__ import annotations

from typing import Any

from govhall.api.errors import ErrorOut

ERRORS = {
    400: "Invalid input: `fields` names each field at fault.",
    401: "No valid token or session.",
    403: "The token or account may not do this.",
    404: "Not found (or not visible to the caller).",
    409: "Conflict with the record's state, or an Idempotency-Key reused for another request.",
    422: "A business rule refused the request: `fields` names the field at fault.",
    429: "Too many requests: retry after the Retry-After header's seconds.",
}


def responses(ok: Any, *codes: int, status: int = 200) -> dict[int, Any]:
    """The response schemas of one operation: its success and the errors it can answer."""
    return {status: ok, **dict.fromkeys(codes, ErrorOut)}


READ = (400, 401, 403, 429)
