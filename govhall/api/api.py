"""The JSON API (/api/v1/): one NinjaAPI with the catalog, cases, reports and queue routers."""

from __future__ import annotations

from ninja import NinjaAPI, Swagger

from govhall.api import errors
from govhall.api.auth import SessionAuth, TokenAuth
from govhall.api.endpoints import cases, catalog, queue, reports

DESCRIPTION = """
The service center's data for other systems. Send `Authorization: Bearer <token>` (tokens are
issued by the center office: `manage.py api_client create`), or call from a logged-in staff
session (unsafe methods then need the `X-CSRFToken` header). The catalog is public.

Every error answers `{"error": {"code", "message", "fields"}}`; lists page with `cursor`;
creates accept an `Idempotency-Key` header. See docs/api.md.
"""

api = NinjaAPI(
    title="govhall API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    # Served from the package's own static files; no validator badge (it calls out to the web).
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)
errors.install(api)
api.add_router("", catalog.router)
api.add_router("", cases.router)
api.add_router("", reports.router)
api.add_router("", queue.router)
