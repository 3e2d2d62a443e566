"""The refusals and failures a hall employee meets are the product's pages, in Chinese, with a way
back: 403, 404, 500 and an expired form (CSRF); /sysadmin/ refuses a non-administrator at once."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.test import Client


def _says(response: Any, *words: str) -> None:
    page = response.content.decode()
    for word in words:
        assert word in page, word


def test_a_missing_page_is_chinese_with_a_way_home(hall: Any, login: Any) -> None:
    response = login("clerk_x").get("/cases/999999/")
    assert response.status_code == 404
    _says(response, "页面不存在", 'href="/"', 'href="/kiosk/"')


@pytest.mark.django_db
def test_a_missing_page_offers_the_login_to_a_visitor(client: Client) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    _says(response, "页面不存在", 'href="/accounts/login/"')


def test_a_refused_page_is_chinese_and_says_what_to_do(hall: Any, login: Any) -> None:
    response = login("clerk_x").get("/org/units/new/")
    assert response.status_code == 403
    _says(response, "无权", "中心管理办公室", 'href="/"')


def test_a_server_error_is_chinese_and_says_nothing_was_changed(hall: Any, login: Any) -> None:
    client = login("office_a")
    client.raise_request_exception = False
    with mock.patch("govhall.org.views.dashboard_for", side_effect=RuntimeError("boom")):
        response = client.get("/")
    assert response.status_code == 500
    _says(response, "出错", 'href="/"')
    assert "boom" not in response.content.decode()


def test_an_expired_form_is_chinese(hall: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(hall.user("clerk_x"))
    response = client.post("/center/", {"center": hall.a.pk})
    assert response.status_code == 403
    _says(response, "表单", 'href="/"')


@pytest.mark.parametrize("persona", ["office_a", "clerk_x"])
def test_the_admin_site_refuses_a_logged_in_non_administrator_without_a_loop(
    hall: Any, login: Any, persona: str
) -> None:
    client = login(persona)
    first = client.get("/sysadmin/")
    assert first.status_code == 302  # the admin sends everyone who is not staff to its login
    second = client.get(first["Location"])
    assert second.status_code == 403
    _says(second, "系统管理员")
