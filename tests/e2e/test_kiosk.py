"""The public kiosk in a real browser: pinyin search, the eight-part guide, the QR code."""

from __future__ import annotations

import re

import pytest
import segno
from playwright.sync_api import expect

from tests.catalog.builders import publish_item

pytestmark = pytest.mark.e2e

# What each of the eight tabs shows for the item built by tests/catalog/builders.py.
PARTS = {
    "part-basic": "《中华人民共和国护照法》第五条",
    "part-flowchart": "出入境科",
    "part-materials": "近期免冠照片",
    "part-fees": "护照工本费",
    "part-forms": "中国公民出入境证件申请表",
    "part-steps": "制证",
    "part-risks": "刁难申请人",
    "part-faqs": "多久能拿到护照？",
}


def qr_path(svg: str) -> str:
    """The modules of a QR code as segno draws them (one path)."""
    found = re.search(r'<path[^>]* d="([^"]+)"', svg)
    assert found, svg[:200]
    return found.group(1)


@pytest.mark.parametrize("query", ["huzhao", "hz"], ids=["full pinyin", "initials"])
def test_a_visitor_finds_an_item_by_pinyin_on_the_kiosk(open_page, passport, household, query):
    # given the kiosk's home screen, in Chinese, portrait
    page = open_page(size="kiosk")
    page.goto("/kiosk/")
    # when the visitor types pinyin and presses Enter
    page.locator("#kiosk-q").fill(query)
    page.locator("#kiosk-q").press("Enter")
    # then the passport item is listed, the housing one is not
    page.wait_for_url(re.compile(r"/kiosk/search/\?q=" + query))
    results = page.locator("#results .item-row")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("普通护照签发")
    expect(page.locator("#results")).not_to_contain_text("房屋登记信息查询")


@pytest.fixture
def sole_trader(hall):
    """个体工商户设立登记 (at unit Y): the certificate it issues is the 个体工商户营业执照."""
    return publish_item(
        hall.a, hall.y, code="G001", name="个体工商户设立登记", result_name="个体工商户营业执照"
    )


def test_a_visitor_finds_an_item_by_the_certificate_it_issues(open_page, sole_trader, passport):
    # given the kiosk's home screen
    page = open_page(size="kiosk")
    page.goto("/kiosk/")
    # when the visitor searches for the certificate they want
    page.locator("#kiosk-q").fill("营业执照")
    page.locator("#kiosk-q").press("Enter")
    # then the item that issues it is listed, and only it
    results = page.locator("#results .item-row")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("个体工商户设立登记")


def test_letters_tapped_on_the_keypad_show_results_as_they_are_typed(
    open_page, sole_trader, passport
):
    # given the kiosk's home screen with the letter keypad open
    page = open_page(size="kiosk")
    page.goto("/kiosk/")
    page.locator(".keypad-toggle").click()
    keypad = page.locator("#kiosk-keypad")
    # when the visitor taps y y z z (the initials of 营业执照), never pressing Search
    for letter in "yyzz":
        keypad.locator(f'[data-key="{letter}"]').click()
    # then the item appears under the box, on the home screen itself
    results = page.locator("#results .item-row")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("个体工商户设立登记")
    assert page.url.endswith("/kiosk/")
    # and clearing the box clears the results
    keypad.locator('[data-key="clear"]').click()
    expect(results).to_have_count(0)


def test_the_item_guide_shows_its_eight_parts_and_a_qr_code_to_the_public_page(
    open_page, live_server, hall, passport
):
    # given the search results for the initials of the whole name
    page = open_page(size="kiosk")
    page.goto("/kiosk/search/?q=pthzqf")
    # when the visitor opens the item
    page.locator("#results .item-row", has_text="普通护照签发").click()
    # then the guide has its title and eight tabs, each showing its own part only
    expect(page.locator("h1")).to_have_text("普通护照签发")
    tabs = page.locator("[data-tabs] a")
    expect(tabs).to_have_count(8)
    for index, (panel_id, text) in enumerate(PARTS.items()):
        tabs.nth(index).click()
        panel = page.locator(f"#{panel_id}")
        expect(panel).to_be_visible()
        expect(panel).to_contain_text(text)
        expect(page.locator("[data-part]:visible")).to_have_count(1)
    # and the QR code is drawn, large enough to scan, with a title for screen readers
    qr = page.locator("figure.qr svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None
    assert min(box["width"], box["height"]) >= 120
    expect(qr.locator("title")).not_to_be_empty()
    # and it encodes the item's public address, which a phone opens without any cookie
    address = f"{live_server.url}/kiosk/items/{passport.pk}/?center={hall.a.pk}"
    expected = segno.make_qr(address, error="m").svg_inline(scale=4, border=2, omitsize=True)
    assert qr_path(qr.evaluate("svg => svg.outerHTML")) == qr_path(expected)
    phone = open_page(size="phone")
    phone.goto(address)
    expect(phone.locator("h1")).to_have_text("普通护照签发")
    expect(phone.locator("#part-materials")).to_contain_text("近期免冠照片")


def test_the_elderly_mode_is_remembered_across_pages(open_page, passport):
    page = open_page(size="kiosk")
    page.goto("/kiosk/")
    toggle = page.locator(".elderly-toggle")
    expect(toggle).to_have_attribute("aria-checked", "false")
    # when
    toggle.click()
    # then the mode is on here and on the next page
    expect(page.locator("body.elderly")).to_have_count(1)
    expect(page.locator(".elderly-toggle")).to_have_attribute("aria-checked", "true")
    page.goto(f"/kiosk/items/{passport.pk}/")
    expect(page.locator("body.elderly")).to_have_count(1)
