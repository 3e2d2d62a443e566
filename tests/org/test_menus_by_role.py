"""Each role's menu shows what that person can use, and every item of it opens."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from govhall.api.services import api_client_create
from govhall.bulletins.choices import BulletinStatus
from govhall.bulletins.models import Bulletin
from govhall.org.navigation import menu_for
from govhall.org.scoping import scope_for

DEMO_LOGINS = ["office", "chief", "clerk", "leader", "supervisor", "admin"]
MENU_LINK = re.compile(r'<nav class="mainnav".*?</nav>', re.S)
HREF = re.compile(r'<a href="([^"]+)"[^>]*>([^<]+)</a>')


@pytest.fixture
def demo(demo_center):
    """The shared demo hall (tests/shared_demo.py)."""
    return demo_center


def _menu_links(client: Any) -> list[tuple[str, str]]:
    page = client.get("/")
    assert page.status_code == 200
    nav = MENU_LINK.search(page.content.decode())
    assert nav is not None
    return HREF.findall(nav.group(0))


def _labels(client: Any) -> set[str]:
    return {label for _href, label in _menu_links(client)}


def _as(client: Any, username: str) -> Any:
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.mark.parametrize("username", DEMO_LOGINS)
def test_every_menu_item_of_every_demo_login_opens(client, demo, username):
    # given a demo login
    client = _as(client, username)
    # when it follows each item of its menu
    links = _menu_links(client)
    answers = {label: client.get(href).status_code for href, label in links}
    # then every page opens: a menu item never leads to a 404 or a 403
    assert len(links) > 5
    assert {label: code for label, code in answers.items() if code != 200} == {}


@pytest.mark.parametrize(
    ("username", "shown"),
    [("clerk", True), ("chief", True), ("office", False), ("leader", False),
     ("supervisor", False), ("admin", False)],
)  # fmt: skip
def test_the_window_desk_is_in_the_menu_of_those_holding_a_window(client, demo, username, shown):
    assert ("窗口受理台" in _labels(_as(client, username))) is shown


def test_the_system_administrator_has_no_attendance_of_his_own_in_the_menu(client, demo):
    labels = _labels(_as(client, "admin"))
    assert "我的考勤" not in labels
    assert "考勤" in labels


def test_the_chief_reads_the_month_at_a_glance_and_the_published_bulletins(client, demo):
    # given the chief of 公安局 and a December bulletin still in draft
    client = _as(client, "chief")
    assert "本月概览" in _labels(client)
    assert "通报" in _labels(client)
    # when he opens the month at a glance for December 2016
    page = client.get(reverse("bulletins:dashboard") + "?month=2016-12").content.decode()
    # then his unit's own figures head the page
    own = re.search(r'data-own-unit="公安局".*?</section>', page, re.S)
    assert own is not None
    assert re.search(r'data-figure="unit-accepted">3932<', own.group(0))
    # and the bulletin list shows the published issues only
    listing = client.get(reverse("bulletins:list")).content.decode()
    drafts = Bulletin.objects.filter(center=demo).exclude(status=BulletinStatus.PUBLISHED)
    published = Bulletin.objects.filter(center=demo, status=BulletinStatus.PUBLISHED)
    assert drafts.exists()
    assert published.exists()
    assert all(f"第{b.number}期" in listing for b in published)
    assert not any(f"第{b.number}期" in listing for b in drafts)


def test_the_office_reads_the_whole_center_without_a_unit_block(client, demo):
    page = (
        _as(client, "office")
        .get(reverse("bulletins:dashboard") + "?month=2016-12")
        .content.decode()
    )
    assert "data-own-unit" not in page


def test_api_system_accounts_are_not_listed_as_people(client, demo):
    # given a system the office gave an API token
    office = get_user_model().objects.get(username="office")
    api, _token = api_client_create(by=office, center=demo, name="叫号机", can_write=True)
    client = _as(client, "office")
    # when the office opens the login security page and the accounts page
    security = client.get(reverse("accounts:security")).content.decode()
    accounts = client.get(reverse("org:account_list")).content.decode()
    # then the system account is on neither; the people are
    assert api.user.username not in security
    assert api.user.username not in accounts
    assert "<td>chief</td>" in security
    assert "chief" in accounts


def test_the_menu_knows_who_holds_a_post_without_a_query_of_its_own(
    demo, django_assert_max_num_queries
):
    # given the clerk's roles, read once per request (with the centers where he holds a post)
    user = get_user_model().objects.get(username="clerk")
    scope_for(user)
    # when his menu is built, then it asks the database nothing more
    with django_assert_max_num_queries(0):
        menu = menu_for(user, "/")
    assert "/cases/desk/" in [item["url"] for group in menu for item in group["items"]]
