"""Accessibility with axe-core in Chromium: no serious or critical violation on the public pages
and the main staff pages, the intake form done by keyboard alone, and the kiosk's elderly mode
passing the colour-contrast rule."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from govhall.bulletins import services as bulletins
from govhall.cases.models import Case
from tests.e2e.conftest import axe_run, log_in, serious

pytestmark = pytest.mark.e2e


def check_pages(page: Page, paths: list[str]) -> dict[str, list[str]]:
    """Each page's serious and critical violations (pages without any are left out)."""
    found = {}
    for path in paths:
        response = page.goto(path)
        assert response is not None, path
        assert response.ok, f"{path}: {response.status}"
        problems = serious(axe_run(page))
        if problems:
            found[path] = problems
    return found


def test_the_public_pages_have_no_serious_accessibility_violation(
    open_page, passport, public_paths
):
    # when axe checks every page, in Chinese (the default) and on a phone
    found = check_pages(open_page(), public_paths)
    found.update(check_pages(open_page(size="phone"), ["/kiosk/", f"/kiosk/items/{passport.pk}/"]))
    # then
    assert found == {}


def test_the_main_staff_pages_have_no_serious_accessibility_violation(
    open_page, hall, passport, open_case
):
    bulletin = bulletins.bulletin_create(
        by=hall.user("office_a"), center=hall.a, month=dt.date(2026, 10, 1)
    )
    clerk = open_page()
    log_in(clerk, "clerk_x")
    found = check_pages(
        clerk,
        [
            "/",
            "/cases/desk/",
            "/cases/desk/?q=hz",
            "/cases/list/",
            f"/cases/{open_case.case_id}/",
            "/staffing/leave/new/",
        ],
    )
    office = open_page()
    log_in(office, "office_a")
    found.update(
        check_pages(
            office,
            [
                "/",
                "/staffing/leave/",
                "/supervision/",
                "/supervision/warnings/",
                "/bulletins/",
                f"/bulletins/{bulletin.pk}/",
                "/bulletins/dashboard/",
                "/cases/consultations/",
                "/cases/appointments/today/",
                "/oversight/patrol/",
                "/oversight/inspections/",
                "/feedback/manage/ratings/",
                "/feedback/manage/inbox/",
                "/journal/",
                "/evaluation/",
                "/calendar/",
                "/org/units/",
            ],
        )
    )
    assert found == {}


def test_a_clerk_receives_an_application_with_the_keyboard_alone(open_page, hall, passport):
    # given the desk, after logging in by keyboard
    page = open_page(language="en")
    page.goto("/accounts/login/")
    page.keyboard.type("clerk_x")  # the username field has the focus on arrival
    page.keyboard.press("Tab")
    page.keyboard.type("pw-for-tests")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto("/cases/desk/")
    # when the clerk tabs to the item search, types the initials and presses Enter
    tab_to(page, "intake-q")
    page.keyboard.type("hz")
    page.keyboard.press("Enter")
    expect(page.locator(".chosen-item")).to_contain_text("普通护照签发")
    # and fills the applicant, ticks both materials with Space and submits with Enter
    tab_to(page, "id_applicant_name")
    page.keyboard.type("李四")
    page.keyboard.press("Tab")
    page.keyboard.type("420321199202022345")
    page.keyboard.press("Tab")
    page.keyboard.type("13800005678")
    for box in ("id_materials_0", "id_materials_1"):
        tab_to(page, box)
        page.keyboard.press("Space")
    tab_to(page, None, button="Receive and accept")
    page.keyboard.press("Enter")
    # then the case is accepted
    expect(page.locator(".messages")).to_contain_text("accepted")
    case = Case.objects.get()
    assert (case.applicant_name, case.status) == ("李四", "accepted")


FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const ring = (style.outlineStyle !== "none" && style.outlineWidth !== "0px")
        || style.boxShadow !== "none";
    return {id: el.id, text: el.textContent.trim(), tag: el.tagName, ring,
            html: el.outerHTML.slice(0, 80)};
}"""


def tab_to(page: Page, element_id: str | None, *, button: str = "", limit: int = 80) -> None:
    """Press Tab until the element (by id, or the button with that text) has the focus (it may
    have it already); every element passed on the way must show that it has the focus."""
    for _ in range(limit):
        focused = page.evaluate(FOCUSED)
        if (element_id and focused["id"] == element_id) or (
            button and focused["tag"] == "BUTTON" and focused["text"] == button
        ):
            return
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["ring"], f"no visible focus on {focused['html']}"
    raise AssertionError(f"Tab never reached {element_id or button}")


def test_the_checker_reports_a_serious_violation_when_a_page_has_one(open_page, hall):
    # given a kiosk page spoiled with an unlabelled image and an empty button
    page = open_page()
    page.goto("/kiosk/")
    page.evaluate(
        """() => document.querySelector("main").insertAdjacentHTML("beforeend",
            '<img src="/static/none.png"><button type="button"></button>')"""
    )
    # then
    found = " ".join(serious(axe_run(page)))
    assert "image-alt (critical)" in found
    assert "button-name (critical)" in found


def test_the_elderly_mode_of_the_kiosk_passes_the_colour_contrast_rule(open_page, hall, passport):
    page = open_page(size="kiosk")
    page.goto("/kiosk/")
    page.locator(".elderly-toggle").click()
    expect(page.locator("body.elderly")).to_have_count(1)
    for path in ("/kiosk/", "/kiosk/search/?q=hz", f"/kiosk/items/{passport.pk}/"):
        page.goto(path)
        expect(page.locator("body.elderly")).to_have_count(1)
        violations = axe_run(page, runOnly={"type": "rule", "values": ["color-contrast"]})
        assert violations == [], f"{path}: {serious(violations) or violations}"
