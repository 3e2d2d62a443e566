"""The staff menu is grouped so that a person finds a page among thirty."""

from __future__ import annotations

from typing import Any

from govhall.org.navigation import GROUPS, menu_for

OVERVIEW, HANDLING, SETTINGS = (str(GROUPS[i][1]) for i in (0, 1, -1))


def _labels(groups: list[dict[str, Any]]) -> list[str]:
    return [str(g["label"]) for g in groups]


def test_the_office_sees_every_group_once_and_in_order(hall: Any) -> None:
    # given the center office, who may open nearly every page
    # when its menu is built
    groups = menu_for(hall.user("office_a"), "/")
    # then each group shows once, in the order of the hall's work, settings last
    labels = _labels(groups)
    assert len(labels) == len(set(labels))
    assert labels[0] == OVERVIEW
    assert labels[-1] == SETTINGS
    assert all(g["items"] for g in groups)


def test_a_window_clerk_sees_only_the_pages_of_the_role(hall: Any) -> None:
    groups = menu_for(hall.user("clerk_x"), "/")
    urls = [item["url"] for g in groups for item in g["items"]]
    assert "/cases/desk/" in urls
    assert "/org/accounts/" not in urls
    assert not any(u.startswith("/audit") for u in urls)


def test_the_group_of_the_open_page_is_marked_active(hall: Any) -> None:
    groups = menu_for(hall.user("office_a"), "/cases/list/")
    active = [g for g in groups if g["active"]]
    assert _labels(active) == [HANDLING]
    assert [i["label"] for i in active[0]["items"] if i["active"]]


def test_the_page_frame_shows_the_group_labels(hall: Any, login: Any) -> None:
    client = login("office_a")
    page = client.get("/").content.decode()
    assert 'class="navgroup-label"' in page
    assert page.count('class="navgroup') >= 3
