"""Issue 18's Done-when, walked in a browser: a number taken on the kiosk is followed on a
phone, called at the window desk, shown and spoken on the hall screen, finished into the
即办件 the clerk accepted and completed, rated on the window's pad; the rating is then on the
case and on the clerk's scorecard."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from govhall.cases.models import Case
from govhall.feedback.models import Rating
from govhall.queueing.models import QueueCategory, Ticket
from tests.catalog.builders import publish_item
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def walk_hall(hall: Any, settings: Any, tmp_path: Path) -> Any:
    """Category A (公安局) served at window 5, and a 即办件 of the unit."""
    settings.VAR_DIR = tmp_path  # the spoken calls' cache
    hall.x_window.number = "5"
    hall.x_window.save()
    category = QueueCategory.objects.create(center=hall.a, code="A", name="户籍出入境")
    category.units.add(hall.x)
    category.windows.add(hall.x_window)
    item = publish_item(
        hall.a,
        hall.x,
        code="Q001",
        name="户口簿补领",
        handling_type="immediate",
        legal_days=0,
        promised_days=0,
        fee_mode="free",
    )
    return hall, item


def test_a_number_walks_from_the_kiosk_to_a_rating_on_the_case_and_the_clerks_scorecard(
    open_page, walk_hall
):
    hall, item = walk_hall
    # given the hall screen open with its sound on, and the window's rating pad
    screen = open_page()
    screen.goto(f"/queue/screen/?center={hall.a.pk}")
    screen.get_by_role("button", name="点击开启语音播报").click()
    expect(screen.locator("[data-sound-overlay]")).to_be_hidden()
    clerk = open_page(language="en")
    log_in(clerk, "clerk_x")
    pad = open_page(size="kiosk", language="en")
    log_in(pad, "clerk_x")
    pad.goto(f"/queue/pad/{hall.x_window.pk}/")
    expect(pad.locator("[data-pad-card]")).to_be_visible()

    # when a visitor takes a number on the kiosk
    kiosk = open_page(size="kiosk", language="en")
    kiosk.goto(f"/queue/kiosk/?center={hall.a.pk}")
    kiosk.locator("button[name=category][value=A]").click()
    kiosk.wait_for_url(re.compile(r"/queue/t/[\w-]+/print/\?kiosk=1"))
    expect(kiosk.locator(".receipt-number")).to_have_text("A001")
    ticket = Ticket.objects.get(center=hall.a, number="A001")
    # then the phone that scans its QR code follows it
    phone = open_page(size="phone", language="en")
    phone.goto(f"/queue/t/{ticket.token}/")
    expect(phone.locator("h1")).to_have_text("A001")

    # when the clerk calls the next number at the calling desk
    clerk.goto(f"/queue/desk/?window={hall.x_window.pk}")
    with screen.expect_response(lambda r: "/queue/announce/" in r.url) as sound:
        clerk.locator("button.desk-call").click()
        # then the hall screen shows the call and fetches its spoken announcement
        expect(screen.locator("[data-now]")).to_have_text("请 A001 号到 5 号窗口办理")
    assert sound.value.status == 200
    assert sound.value.headers["content-type"] == "audio/wav"
    assert len(sound.value.body()) > 1000
    expect(clerk.locator(".desk-number")).to_have_text("A001")
    # and the phone says where to go, by itself
    expect(phone.locator(".queue-call")).to_contain_text("Please go to")

    # when the clerk accepts the applicant's 即办件 at the window desk and completes it
    clerk.goto(f"/cases/desk/?item={item.pk}")
    clerk.locator("#id_applicant_name").fill("张三丰")
    clerk.locator("#id_applicant_id_number").fill("420321199001011234")
    clerk.locator("#id_applicant_phone").fill("13900001234")
    for box in clerk.locator("[data-checklist] input[type=checkbox]").all():
        box.check()
    clerk.locator("button[data-accept]").click()
    clerk.wait_for_url(re.compile(r"/cases/\d+/$"))
    case = Case.objects.get(center=hall.a, applicant_name="张三丰")
    clerk.locator("#act-complete summary").click()
    clerk.locator("#act-complete button[type=submit]").click()
    expect(clerk.locator("main")).to_contain_text("Completed")
    # and finishes the number into that case at the calling desk
    clerk.goto(f"/queue/desk/?window={hall.x_window.pk}")
    clerk.locator(".desk-outcomes input[value=case]").check()
    clerk.locator("#id_case").select_option(str(case.pk))
    clerk.locator("button.desk-done").click()
    expect(clerk.locator(".desk-number")).to_have_text("—")

    # then the window's pad asks the applicant, who taps 非常满意
    expect(pad.locator("[data-pad-ask]")).to_be_visible(timeout=10_000)
    expect(pad.locator("[data-pad-number]")).to_contain_text("A001")
    pad.locator(".pad-levels button[value='5']").click()
    expect(pad.locator("[data-pad-message]")).to_contain_text("Thank you")

    # and the rating is on the case, against the clerk and the number
    rating = Rating.objects.get(case=case)
    assert rating.staff_id == hall.x_clerk.pk
    assert Ticket.objects.get(pk=ticket.pk).rating_id == rating.pk
    clerk.goto(f"/cases/{case.pk}/")
    expect(clerk.locator("main")).to_contain_text("Rated:")
    # and once the office computes the month, the clerk's scorecard counts it
    office = open_page(language="en")
    log_in(office, "office_a")
    office.goto("/evaluation/?month=2026-11&kind=staff")
    office.locator("form[action$='/evaluation/compute/'] button[type=submit]").click()
    office.get_by_role("link", name=hall.x_clerk.name).click()
    line = office.locator("tr", has_text="Satisfaction rate")
    expect(line).to_contain_text("100")
