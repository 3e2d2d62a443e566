"""What the kiosk shows of text others typed: an item named with quotes, brackets and
ampersands reads as that name, and a search typed with bidirectional controls still finds."""

from __future__ import annotations

import pytest
from django.urls import reverse

from govhall.catalog import services
from tests.markup import HOSTILE, event_handlers, html_elements
from tests.portal.conftest import basic, rows


@pytest.fixture
def hostile_item(hall):
    """An item whose name, and its step's name and role, break out of unescaped markup."""
    parts = rows()
    parts["steps"] = [{"name": HOSTILE, "role": HOSTILE, "limit_days": 1}]
    parts["risks"] = []
    item, _created = services.item_import_published(
        by=None, center=hall.a, unit=hall.x, code="Q001", basic=basic(HOSTILE), rows=parts
    )
    return item


@pytest.mark.parametrize("page", ["portal:item", "portal:guide"])
def test_the_kiosk_shows_a_hostile_item_name_as_text(client, hostile_item, page):
    # when a visitor opens the item (or its printable guide)
    response = client.get(reverse(page, args=[hostile_item.pk]))
    html = response.content.decode()
    # then the flowchart is labelled with the whole name, and nothing gained a handler
    assert response.status_code == 200
    labels = [a.get("aria-label") for tag, a in html_elements(html) if tag == "svg"]
    assert HOSTILE in labels
    assert event_handlers(html) == []


def test_a_search_with_bidirectional_controls_finds_the_item(client, hall, publish):
    # given
    publish("普通护照签发", unit=hall.x)
    # when the query arrives wrapped in a right-to-left override and an isolate
    response = client.get(reverse("portal:search"), {"q": "\u202e护照\u2066"})
    # then the controls are dropped: the query reads 护照 and finds the passport
    assert response.context["q"] == "护照"
    assert [item.name for item in response.context["page"]] == ["普通护照签发"]
