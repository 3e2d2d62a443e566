"""The public pages on a phone (390 × 844 CSS pixels): nothing wider than the screen, and
targets large enough to tap."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import axe_run

pytestmark = pytest.mark.e2e

# Form controls and buttons a thumb must hit: 44 CSS px is the size Apple and the W3C's
# WCAG 2.5.5 (AAA) advise; WCAG 2.2's AA minimum of 24 px is checked by axe's target-size.
TAP = 44
WIDE_ELEMENTS = """() => {
    const limit = document.documentElement.clientWidth;
    return Array.from(document.querySelectorAll("body *"))
        .filter((el) => el.getBoundingClientRect().right > limit + 1
            && getComputedStyle(el).position !== "fixed" && el.offsetParent !== null)
        .slice(0, 5)
        .map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""));
}"""
SMALL_CONTROLS = """(tap) => Array.from(document.querySelectorAll(
        "main button, main input:not([type=hidden]):not([type=checkbox]):not([type=radio]),"
        + " main select, main a.button, main .tile, header button, header a.tool"))
    .filter((el) => el.offsetParent !== null)
    .filter((el) => { const r = el.getBoundingClientRect(); return r.height < tap - 0.5; })
    .map((el) => el.tagName.toLowerCase() + "#" + el.id + "." + el.className + " "
        + Math.round(el.getBoundingClientRect().height) + "px")
"""


def problems_on_a_phone(page: Page, path: str) -> list[str]:
    response = page.goto(path)
    assert response is not None, path
    assert response.ok, f"{path}: {response.status}"
    found = []
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if width[0] > width[1]:
        found.append("scrolls sideways: {} > {} ({})".format(*width, page.evaluate(WIDE_ELEMENTS)))
    for violation in axe_run(page, runOnly={"type": "rule", "values": ["target-size"]}):
        targets = [node["target"] for node in violation["nodes"][:5]]
        found.append(f"{violation['id']}: {targets}")
    small = page.evaluate(SMALL_CONTROLS, TAP)
    if small:
        found.append(f"controls lower than {TAP}px: {small}")
    return found


def test_the_public_pages_fit_a_phone_and_have_targets_big_enough_to_tap(open_page, public_paths):
    page = open_page(size="phone")
    found = {
        path: problems for path in public_paths if (problems := problems_on_a_phone(page, path))
    }
    assert found == {}


def test_the_elderly_mode_fits_a_phone_too(open_page, passport):
    page = open_page(size="phone")
    page.goto("/kiosk/elderly/?on=1&next=/kiosk/")
    paths = ["/kiosk/", "/kiosk/search/?q=hz", f"/kiosk/items/{passport.pk}/"]
    found = {path: problems for path in paths if (problems := problems_on_a_phone(page, path))}
    assert found == {}
