"""Property-based: requests generated from /api/v1/openapi.json never make a server error, and
every response matches the schema (run through the WSGI app, with a valid write token)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from govhall.api.services import api_client_create
from govhall.wsgi import application


@pytest.fixture
def fuzz_token(hall: Any, items: Any, settings: Any) -> Iterator[str]:
    settings.API_RATE_LIMIT = 0  # hundreds of requests a second are the point here
    _client, token = api_client_create(by=None, center=hall.a, name="fuzz", can_write=True)
    # The WSGI handler closes the connection after each request, which would end the test's
    # transaction; Django's own test client disconnects the same handler.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield token
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# Loaded at collection: the schema is built from the URL configuration, without the database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_request_makes_a_server_error(case: Any, fuzz_token: str) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {fuzz_token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
