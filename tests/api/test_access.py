"""Sessions and CSRF, the rate limit, the docs page, and issuing and revoking tokens."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext as _

from govhall.api.models import ApiClient
from govhall.api.services import api_client_revoke, token_hash
from govhall.cases.models import Case
from govhall.org.models import Membership
from tests.api.conftest import Api, at

BODY = {"item_code": "P001", "applicant_name": "张三"}


def test_a_staff_session_needs_the_csrf_token_to_write(hall, items):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(hall.user("clerk_x"))
    session = Api(browser)
    refused = session.post("/cases", BODY)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["error"]["message"]
    browser.get("/api/v1/docs")  # any page that sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    created = session.post("/cases", BODY, headers={"X-CSRFToken": csrf})
    assert created.status_code == 201, created.content
    assert created.json()["events"][0]["by"] == "钱办事"  # the clerk, by name
    assert session.get("/cases").status_code == 200  # reads need no token


def test_a_session_without_the_permission_is_forbidden(hall, items, login):
    leader = Api(login("leader_y"))
    response = leader.post("/cases", BODY)
    assert response.status_code == 403  # a unit leader reads, never handles cases
    assert response.json()["error"]["code"] == "forbidden"
    assert Case.objects.count() == 0


def test_too_many_requests_are_refused_with_retry_after(api, settings):
    settings.API_RATE_LIMIT = 2
    assert api.get("/me").status_code == 200
    assert api.get("/me").status_code == 200
    refused = api.get("/me")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert refused["Retry-After"] == "60"


def test_the_docs_page_uses_no_outside_address(client):
    page = client.get("/api/v1/docs")
    html = page.content.decode()
    assert page.status_code == 200
    assert "://" not in html
    for asset in re.findall(r'(?:src|href)="/static/([^"]+)"', html):
        assert finders.find(asset), asset
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/cases" in schema["paths"]


def test_unknown_addresses_and_methods_answer_in_the_error_format(api):
    missing = api.get("/no/such/thing")
    wrong_method = api.client.delete("/api/v1/cases")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    assert wrong_method.status_code == 405
    assert wrong_method.json()["error"]["code"] == "method_not_allowed"


def test_the_command_issues_lists_and_revokes_tokens(hall, items):
    out, err = StringIO(), StringIO()
    call_command(
        "api_client",
        "create",
        "省政务服务网",
        "--center",
        hall.a.name,
        "--write",
        stdout=out,
        stderr=err,
    )
    token = out.getvalue().strip()
    client = ApiClient.objects.get(name="省政务服务网")
    # only the hash is stored; the prefix is kept for display
    assert client.token_hash == token_hash(token)
    assert token not in client.token_hash
    assert token.startswith(client.token_prefix)
    assert client.can_write
    assert not client.user.has_usable_password()
    assert Api(Client(), token).post("/cases", BODY).status_code == 201

    listing = StringIO()
    call_command("api_client", "list", "--center", hall.a.name, stdout=listing)
    assert "省政务服务网" in listing.getvalue()
    assert client.token_prefix in listing.getvalue()

    call_command("api_client", "revoke", "省政务服务网", "--center", hall.a.name, stdout=StringIO())
    assert Api(Client(), token).get("/me").status_code == 401
    with pytest.raises(CommandError):
        call_command("api_client", "revoke", "省政务服务网", "--center", hall.a.name)


def test_the_office_issues_a_token_shown_once_and_revokes_it(hall, login):
    browser = login("office_a")
    listing = browser.get("/api/v1/manage/clients/")
    assert listing.status_code == 200
    issued = browser.post("/api/v1/manage/clients/new/", {"name": "统计系统"})
    token = re.search(r"data-token>([^<]+)<", issued.content.decode()).group(1)
    assert Api(Client(), token).get("/me").json()["can_write"] is False
    client = ApiClient.objects.get(name="统计系统")
    listing = browser.get("/api/v1/manage/clients/").content.decode()
    assert client.token_prefix in listing
    assert token not in listing

    confirm = browser.get(f"/api/v1/manage/clients/{client.pk}/revoke/")
    assert confirm.status_code == 200
    assert "统计系统" in confirm.content.decode()
    assert ApiClient.objects.get(pk=client.pk).revoked_at is None  # asking changes nothing
    browser.post(f"/api/v1/manage/clients/{client.pk}/revoke/")
    assert Api(Client(), token).get("/me").status_code == 401


def test_a_duplicate_name_is_refused_on_the_page(hall, login):
    browser = login("office_a")
    browser.post("/api/v1/manage/clients/new/", {"name": "统计系统"})
    again = browser.post("/api/v1/manage/clients/new/", {"name": "统计系统"})
    assert again.status_code == 200
    assert "data-token" not in again.content.decode()
    assert ApiClient.objects.count() == 1


def test_window_staff_and_other_centers_cannot_manage_tokens(hall, login, tokens):
    assert login("clerk_x").get("/api/v1/manage/clients/").status_code == 403
    a_client = ApiClient.objects.get(name="a_write")
    other = Client()
    other.force_login(hall.user("office_b"))
    listing = other.get("/api/v1/manage/clients/").content.decode()
    assert "b_write" in listing
    assert "a_write" not in listing
    assert other.post(f"/api/v1/manage/clients/{a_client.pk}/revoke/").status_code == 404
    assert ApiClient.objects.get(pk=a_client.pk).revoked_at is None


def test_the_new_token_form_offers_to_issue_and_to_go_back_to_the_list(hall, login):
    page = login("office_a").get("/api/v1/manage/clients/new/")
    assert page.status_code == 200
    html = page.content.decode()
    with translation.override("zh-hans"):
        assert f">{_('Issue token')}</button>" in html
    assert 'href="/api/v1/manage/clients/"' in html


def test_a_tokens_rights_are_read_again_after_a_minute_and_revocation_is_immediate(
    hall, items, tokens
):
    api = Api(Client(), tokens["a_write"])
    client = ApiClient.objects.get(token_hash=token_hash(tokens["a_write"]))
    with time_machine.travel(at(2016, 9, 1, 9, 0), tick=False) as clock:
        assert api.post("/cases", BODY).status_code == 201
        # Rights changed behind the services' back: kept for at most a minute per process.
        Membership.objects.filter(user=client.user).delete()
        clock.shift(dt.timedelta(seconds=30))
        assert api.post("/cases", BODY).status_code == 201
        clock.shift(dt.timedelta(seconds=31))
        assert api.post("/cases", BODY).status_code == 403
        # Revoking the token, by contrast, answers the very next request.
        api_client_revoke(by=None, client=client)
        assert api.get("/me").status_code == 401


def test_deactivating_a_tokens_account_or_center_refuses_its_next_request(hall, items, tokens):
    api = Api(Client(), tokens["a_write"])
    client = ApiClient.objects.get(token_hash=token_hash(tokens["a_write"]))
    assert api.get("/me").status_code == 200  # the client is now kept for a minute
    type(client.user).objects.filter(pk=client.user_id).update(is_active=False)
    assert api.get("/me").status_code == 401
    type(client.user).objects.filter(pk=client.user_id).update(is_active=True)
    assert api.get("/me").status_code == 200
    type(client.center).objects.filter(pk=client.center_id).update(is_active=False)
    assert api.get("/me").status_code == 401
