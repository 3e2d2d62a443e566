"""Health check, language, login and the public placeholder pages."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db.utils import OperationalError


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("status", "database")} == {"status": "ok", "database": True}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch("govhall.core.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503


@pytest.mark.django_db
def test_pages_are_chinese_even_for_an_english_browser(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-CN"' in page
    assert "登录" in page


@pytest.mark.django_db
def test_english_is_one_click_away_and_sticks(client):
    # when
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/accounts/login/"}, follow=True
    )
    # then
    page = response.content.decode()
    assert 'lang="en"' in page
    assert "Log in" in page


@pytest.mark.django_db
def test_staff_pages_send_anonymous_visitors_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_logging_in_leads_to_the_role_dashboard(client, hall):
    response = client.post(
        "/accounts/login/", {"username": "clerk_x", "password": "pw-for-tests"}, follow=True
    )
    page = response.content.decode()
    assert "甲政务服务中心" in page
    assert "出入境窗口" in page  # the clerk's own post
    assert "住建局" not in page  # another unit of the same center


def test_a_wrong_password_is_refused_with_a_message(client, hall):
    response = client.post("/accounts/login/", {"username": "clerk_x", "password": "wrong"})
    assert response.status_code == 200
    assert "正确" in response.content.decode()


def test_the_kiosk_is_public_and_lists_the_halls_departments(client, hall):
    page = client.get(f"/kiosk/?center={hall.a.pk}").content.decode()
    assert "出入境窗口" in page
    assert "林业窗口" not in page  # center B's


def test_the_kiosk_offers_every_center_of_a_shared_deployment(client, hall):
    page = client.get("/kiosk/").content.decode()
    assert "甲政务服务中心" in page
    assert "乙政务服务中心" in page


def test_static_files_are_served_by_the_app_itself(client, db):
    response = client.get("/static/core/govhall.css")
    assert response.status_code == 200
    assert b"--red" in b"".join(response.streaming_content)


def test_no_page_loads_anything_from_outside_the_hall(client, hall):
    client.force_login(hall.user("office_a"))
    for url in ["/", "/kiosk/", "/org/units/", "/accounts/login/"]:
        page = client.get(url).content.decode()
        assert "http://" not in page.replace("http://testserver", "")
        assert "https://" not in page
