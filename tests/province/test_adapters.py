"""The adapter contract, the HTTP adapter's failures, the disabled adapter, the registry."""

from __future__ import annotations

import logging

import pytest

from govhall.core.errors import DomainError
from govhall.province.adapters import (
    Ack,
    HttpJsonPlatform,
    LogPlatform,
    PlatformError,
    ProvincialPlatform,
    adapter_names,
    register_adapter,
)
from govhall.province.models import ProvinceLink
from tests.province.conftest import link


def test_both_adapters_fulfil_the_contract():
    assert isinstance(HttpJsonPlatform(base_url="http://127.0.0.1:1"), ProvincialPlatform)
    assert isinstance(LogPlatform(), ProvincialPlatform)
    assert {"http", "disabled"} <= set(adapter_names())


def test_a_slow_platform_times_out_with_a_readable_reason(platform):
    platform.delay = 1.0
    adapter = HttpJsonPlatform(base_url=platform.url, timeout=0.2)
    ack = adapter.push_case({"message_id": "m1"})
    assert ack == Ack(ok=False, reason=f"no answer from {platform.url}/cases within 0.2 s")


def test_a_non_2xx_answer_quotes_the_status_and_body(platform):
    platform.fail(1, status=401)
    ack = HttpJsonPlatform(base_url=platform.url).push_rating({"message_id": "m1"})
    assert not ack.ok
    assert ack.reason == f'HTTP 401 from {platform.url}/ratings: {{"error": "platform busy"}}'


def test_only_http_urls_are_fetched():
    with pytest.raises(PlatformError, match="must start with http"):
        HttpJsonPlatform(base_url="file:///etc/passwd").fetch_warnings(None)


def test_the_disabled_adapter_sends_nothing_and_logs(caplog):
    with caplog.at_level(logging.INFO, logger="govhall.province"):
        ack = LogPlatform(center="甲").push_case({"message_id": "m1", "data": {"a": 1}})
    assert ack == Ack(ok=True, reference="local:m1")
    assert "not sent (adapter disabled)" in caplog.text
    assert LogPlatform().fetch_warnings(None) == []


def test_a_link_names_a_registered_adapter_and_http_needs_a_url(hall):
    with pytest.raises(DomainError) as unknown:
        link(hall, hall.a, adapter="fax")
    assert unknown.value.field == "adapter"
    with pytest.raises(DomainError) as no_url:
        link(hall, hall.a, adapter="http")
    assert no_url.value.field == "base_url"
    with pytest.raises(DomainError) as bad_env:
        link(hall, hall.a, credentials_env="not a name")
    assert bad_env.value.field == "credentials_env"
    assert not ProvinceLink.objects.exists()


def test_a_new_province_is_one_registered_adapter(hall, monkeypatch):
    class Recorder:
        sent: list = []

        def push_case(self, payload):
            self.sent.append(payload)
            return Ack(ok=True, reference="R1")

        push_rating = push_case

        def fetch_warnings(self, since):
            return []

    monkeypatch.setattr("govhall.province.adapters.base._REGISTRY", {}, raising=True)
    register_adapter("henan", lambda link: Recorder())
    assert link(hall, hall.a, adapter="henan").adapter == "henan"
