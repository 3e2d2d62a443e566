"""Error pages in a real browser: the product's own page in Chinese, with a way back."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_a_missing_page_says_so_in_chinese_and_leads_home(open_page, hall):
    page = open_page()
    response = page.goto("/no-such-page/")
    assert response is not None
    assert response.status == 404
    assert page.locator("h1").inner_text() == "页面不存在"
    # the way back works: home, which asks an anonymous visitor to log in
    page.get_by_role("link", name="返回首页").click()
    assert "/accounts/login/" in page.url


def test_a_window_clerk_at_the_system_administration_gets_a_chinese_403(open_page, hall):
    page = open_page()
    log_in(page, "clerk_x")
    response = page.goto("/sysadmin/")
    assert response is not None
    assert response.status == 403
    assert page.locator("h1").inner_text() == "无权操作"
    assert page.get_by_role("link", name="返回首页").is_visible()


def test_a_stale_form_is_refused_by_a_chinese_page_not_a_bare_one(open_page, hall):
    # given a login form whose security token was lost (another tab logged out)
    page = open_page()
    page.goto("/accounts/login/")
    page.context.clear_cookies()
    page.locator("#id_username").fill("clerk_x")
    page.locator("#id_password").fill("wrong")
    # when it is sent
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        page.locator("form button[type=submit]").first.click()
    # then the product's page explains, in Chinese
    assert sent.value.status == 403
    assert page.locator("h1").inner_text() == "表单已失效"
    assert "Forbidden" not in page.content()
    assert page.get_by_role("link", name="返回首页").is_visible()
