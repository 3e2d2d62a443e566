"""With REDIS_URL several app servers share the API's token cache (govhall/api/auth.py) and the
sessions (settings: cached_db). A local-memory cache stands in for Redis: the tests check what
one server leaves there for another, not Redis itself."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govhall.api import auth
from tests.api.conftest import new_case


@pytest.fixture
def shared(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "x"}
    }
    monkeypatch.setattr(auth, "_shared_cache", lambda: True)
    auth._known.clear()


def _client_queries(api: Any) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/cases").status_code == 200
    return [q["sql"] for q in queries.captured_queries if '"api_apiclient"."id"' in q["sql"]]


def test_a_second_server_reads_the_client_the_first_one_loaded(api, shared, items):
    # given a first server that answered the token (loading its client, account and rights)
    assert _client_queries(api), "the first server loads the client from the database"
    # when a second server (its own empty process cache) answers the same token
    auth._known.clear()
    # then it takes the client from the shared cache, not from the database
    assert _client_queries(api) == []
    # and acts with its rights: the case is created in the client's center
    case = new_case(api, items.passport)
    assert case["item_code"] == "P001"


def test_a_revoked_token_is_refused_at_once_even_when_the_client_is_cached(
    api, shared, tokens, hall
):
    # given a token whose client sits in the shared cache
    assert api.get("/cases").status_code == 200
    # when the office revokes it
    from govhall.api.models import ApiClient

    ApiClient.objects.filter(center=hall.a, name="a_write").update(revoked_at="2016-09-01T00:00Z")
    auth._known.clear()
    # then the next request is refused: the cache never stands in for the revocation check
    assert api.get("/cases").status_code == 401


def test_redis_settings_share_the_cache_and_the_sessions(monkeypatch):
    # given REDIS_URL, when the settings are read
    import importlib

    import govhall.settings as settings_module

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/5")
    try:
        loaded = importlib.reload(settings_module)
        # then the cache is Redis and the sessions are read from it, written through to the db
        assert loaded.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert loaded.CACHES["default"]["LOCATION"] == "redis://127.0.0.1:6379/5"
        assert loaded.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    finally:
        monkeypatch.delenv("REDIS_URL")
        importlib.reload(settings_module)
