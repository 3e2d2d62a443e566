"""Tokens, items and a JSON-speaking test client for the API tests."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from govhall.api.services import api_client_create
from tests.catalog.builders import publish_item

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> dt.datetime:
    """A moment in the hall's local time."""
    return dt.datetime(*args, tzinfo=SHANGHAI)


@dataclass
class Items:
    passport: Any  # promised, 7 working days, unit X of center A
    on_the_spot: Any  # immediate, unit X
    housing: Any  # promised, unit Y of center A
    forestry: Any  # unit Z of center B


@pytest.fixture
def items(hall: Any) -> Items:
    with time_machine.travel(at(2016, 9, 1, 8, 0)):
        return Items(
            passport=publish_item(hall.a, hall.x, code="P001", name="普通护照签发"),
            on_the_spot=publish_item(
                hall.a,
                hall.x,
                code="I001",
                name="户籍证明开具",
                handling_type="immediate",
                legal_days=0,
                promised_days=0,
                fee_mode="free",
            ),
            housing=publish_item(hall.a, hall.y, code="H001", name="商品房预售许可"),
            forestry=publish_item(hall.b, hall.z, code="F001", name="林木采伐许可"),
        )


@pytest.fixture
def tokens(hall: Any) -> dict[str, str]:
    """a_write / a_read for center A, b_write for center B."""
    result = {}
    for name, center, write in (
        ("a_write", hall.a, True),
        ("a_read", hall.a, False),
        ("b_write", hall.b, True),
    ):
        _client, token = api_client_create(by=None, center=center, name=name, can_write=write)
        result[name] = token
    return result


class Api:
    """The Django test client speaking JSON with a bearer token."""

    def __init__(self, client: Any, token: str | None = None) -> None:
        self.client = client
        self.token = token

    def _headers(self, token: str | None, headers: dict[str, str] | None) -> dict[str, str]:
        result = dict(headers or {})
        token = token if token is not None else self.token
        if token:
            result["Authorization"] = f"Bearer {token}"
        return result

    def get(
        self, path: str, params: dict[str, Any] | None = None, *, token: str | None = None
    ) -> Any:
        return self.client.get(f"/api/v1{path}", params or {}, headers=self._headers(token, None))

    def post(
        self,
        path: str,
        body: Any,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        data = body if isinstance(body, str | bytes) else json.dumps(body, ensure_ascii=False)
        return self.client.post(
            f"/api/v1{path}",
            data=data,
            content_type="application/json",
            headers=self._headers(token, headers),
        )


@pytest.fixture
def api(client: Any, tokens: dict[str, str]) -> Api:
    """Calls as center A's read-and-write client unless another token is given."""
    return Api(client, tokens["a_write"])


def new_case(api: Api, item: Any, name: str = "张三", **extra: Any) -> dict[str, Any]:
    response = api.post("/cases", {"item_code": item.code, "applicant_name": name, **extra})
    assert response.status_code == 201, response.content
    return response.json()
