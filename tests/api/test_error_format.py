"""Every failure under /api/ answers the one JSON error format, even the ones refused before the
API's own handlers run: a body too large, a NUL in the query, an address no version serves."""

from __future__ import annotations

import json
from typing import Any

from django.test import RequestFactory

from govhall.cases.models import Case
from tests.api.conftest import Api


def _error(response: Any) -> dict[str, Any]:
    assert response["Content-Type"] == "application/json", response.content[:200]
    body = json.loads(response.content)
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def test_a_body_over_the_request_limit_is_refused_with_413_in_the_error_format(
    api: Api, items: Any, settings: Any
) -> None:
    # given a limit of 1 MB on one request
    settings.GOVHALL_MAX_REQUEST_BYTES = 1024 * 1024
    body = {"item_code": "P001", "applicant_name": "张三", "note": "字" * 400_000}
    # when a client sends more
    response = api.post("/cases", body)
    # then
    assert response.status_code == 413
    error = _error(response)
    assert error["code"] == "too_large"
    assert "1 MB" in error["message"]
    assert set(error["fields"]) == {"body"}
    assert Case.objects.count() == 0


def test_a_json_body_over_the_memory_limit_is_a_413_not_a_server_error(
    api: Api, items: Any, settings: Any
) -> None:
    # given a body under the request limit but over what Django reads into memory
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024
    body = {"item_code": "P001", "applicant_name": "张三", "note": "x" * 20_000}
    # when
    response = api.post("/cases", body)
    # then
    assert response.status_code == 413
    error = _error(response)
    assert error["code"] == "too_large"
    assert "10 KB" in error["message"]
    assert Case.objects.count() == 0


def test_a_nul_character_in_an_api_query_is_refused_naming_the_field(api: Api, items: Any) -> None:
    response = api.get("/cases", {"status": "accepted\x00"})
    assert response.status_code == 400
    error = _error(response)
    assert error["code"] == "validation_error"
    assert set(error["fields"]) == {"status"}
    assert "“status”" in error["message"]


def test_a_nul_character_in_a_page_query_still_gets_the_plain_refusal(client: Any, db: Any) -> None:
    response = client.get("/kiosk/search/", {"q": "护\x00照"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


def test_an_unknown_api_address_is_a_404_in_the_error_format_with_or_without_a_token(
    api: Api, client: Any
) -> None:
    for path in ("/api/v1/nope", "/api/v2/cases", "/api/nope", "/api/"):
        for headers in ({"Authorization": f"Bearer {api.token}"}, {}):
            response = client.get(path, headers=headers)
            assert response.status_code == 404, path
            assert _error(response)["code"] == "not_found", path


def test_an_unknown_page_outside_the_api_is_still_an_html_page(client: Any, db: Any) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_an_over_long_cursor_is_refused_naming_the_field(api: Api, items: Any) -> None:
    for path in ("/cases", "/consultations"):
        response = api.get(path, {"cursor": "A" * 600})
        assert response.status_code == 400, path
        error = _error(response)
        assert error["code"] == "validation_error"
        assert set(error["fields"]) == {"cursor"}


def test_a_server_error_under_the_api_answers_in_the_error_format() -> None:
    from govhall.core import error_views  # absent before the site's error handlers

    request = RequestFactory().get("/api/v1/cases")
    response = error_views.server_error(request)
    assert response.status_code == 500
    assert _error(response)["code"] == "internal_error"
    page = error_views.server_error(RequestFactory().get("/cases/"))
    assert page["Content-Type"].startswith("text/html")


def test_a_refused_request_under_the_api_answers_in_the_error_format() -> None:
    from govhall.core import error_views  # absent before the site's error handlers

    response = error_views.bad_request(RequestFactory().get("/api/v1/cases"), ValueError())
    assert response.status_code == 400
    assert json.loads(response.content)["error"]["code"] == "bad_request"
