"""The public's side in a real browser: booking an appointment, and one application from the
window desk through an online supplement to completion, progress lookup and rating."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from govhall.cases import appointments
from govhall.cases.choices import CaseStatus
from govhall.cases.models import Appointment, Case, SupplementUpload
from govhall.feedback.models import Rating
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

# The smallest file whose first bytes say it is a JPEG photo.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 64 + b"\xff\xd9"
TUESDAY = dt.date(2026, 11, 24)


def test_a_citizen_books_an_appointment_on_the_public_pages(open_page, hall, passport):
    # given unit X opened two seats on Tuesday morning
    appointments.slot_open(
        by=hall.user("chief_x"),
        unit=hall.x,
        date=TUESDAY,
        start=dt.time(9, 0),
        end=dt.time(10, 0),
        capacity=2,
    )
    page = open_page(size="phone", language="en")
    # when the citizen picks the unit, the item and the time
    page.goto("/service/")
    page.locator("a.tile", has_text="Book an appointment").click()
    page.get_by_role("link", name="公安局").click()
    page.get_by_role("link", name="普通护照签发").click()
    slot = page.locator(".slot", has_text="09:00–10:00")
    expect(slot).to_contain_text("2 seats left")
    slot.get_by_role("link", name="Book").click()
    # and gives a name and a mobile number
    page.locator("#id_applicant_name").fill("张三丰")
    page.locator("#id_phone").fill("13900001234")
    page.locator("main form button[type=submit]").click()
    # then the booking code is shown, and the seat is taken
    expect(page.locator("h1")).to_have_text("Booking made")
    booked = Appointment.objects.get()
    expect(page.locator(".booking-code")).to_have_text(booked.code)
    expect(page.locator(".booking-ticket")).to_contain_text("普通护照签发")
    assert booked.phone == "13900001234"
    page.goto(f"/service/appointments/?center={hall.a.pk}&unit={hall.x.pk}&item={passport.pk}")
    expect(page.locator(".slot", has_text="09:00–10:00")).to_contain_text("1 seat left")


def act(page: Page, name: str, label: str) -> None:
    """Open one action of the case page (a <details>) if it has fields, and submit it."""
    action = page.locator(f"#act-{name}")
    if action.evaluate("el => el.tagName") == "DETAILS":
        action.locator("summary").click()
    action.get_by_role("button", name=label).click()


def test_an_application_goes_from_the_desk_through_an_online_supplement_to_a_rating(
    open_page, hall, passport, tmp_path
):
    # --- the window receives the application with the photo missing --------------------------
    clerk = open_page(language="en")
    log_in(clerk, "clerk_x")
    clerk.goto("/cases/desk/")
    clerk.get_by_label("Item").fill("hz")
    clerk.get_by_role("button", name="Find item").click()
    expect(clerk.locator(".chosen-item")).to_contain_text("普通护照签发")
    clerk.locator("#id_applicant_name").fill("张三丰")
    clerk.locator("#id_applicant_id_number").fill("420321199001011234")
    clerk.locator("#id_applicant_phone").fill("13900001234")
    clerk.get_by_label(re.compile("^居民身份证")).check()
    clerk.get_by_role("button", name="Receive and issue the supplement notice").click()
    expect(clerk.locator(".messages")).to_contain_text("one-time supplement notice")
    case = Case.objects.get()
    assert case.status == CaseStatus.SUPPLEMENTING
    notice = case.supplements.get()
    assert notice.materials == ["近期免冠照片"]
    link = clerk.locator("#supplements .mono").first.inner_text()
    assert link.endswith(f"/service/supplement/{notice.token}/")

    # --- the applicant uploads the photo on /service/, on a phone -----------------------------
    applicant = open_page(size="phone", language="en")
    applicant.goto(link)
    expect(applicant.locator("main")).to_contain_text(case.number)
    expect(applicant.locator("main")).not_to_contain_text("张三丰")  # masked: 张**
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(JPEG)
    material = applicant.locator(".material", has_text="近期免冠照片")
    material.locator("input[type=file]").set_input_files(photo)
    material.get_by_role("button", name="Upload").click()
    expect(applicant.locator(".material", has_text="近期免冠照片")).to_contain_text(
        "Waiting for the window to check"
    )
    assert SupplementUpload.objects.get().material == "近期免冠照片"

    # --- the window checks the file, takes the materials as complete and completes the case ----
    clerk.reload()
    clerk.locator("#supplements").get_by_role("button", name="Record review").click()
    expect(clerk.locator(".messages")).to_contain_text("review recorded")
    act(clerk, "supplement_complete", "Materials complete")
    expect(clerk.locator(".messages")).to_contain_text("done")
    act(clerk, "complete", "Complete")
    expect(clerk.locator(".messages")).to_contain_text("done")
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED

    # --- the applicant looks up the progress with the number and the phone's last digits -------
    applicant.goto("/service/")
    applicant.locator("a.tile", has_text="Case progress").click()
    applicant.locator("#id_number").fill(case.number)
    applicant.locator("#id_digits").fill("1234")
    applicant.get_by_role("button", name="Look up").click()
    result = applicant.locator(".result")
    expect(result).to_contain_text("普通护照签发")
    expect(result).to_contain_text("Completed")
    expect(result.locator(".timeline li").last).to_contain_text("办结")
    expect(result).not_to_contain_text("13900001234")

    # --- and rates the service ----------------------------------------------------------------
    applicant.goto("/feedback/rate/")
    applicant.locator("#id_number").fill(case.number)
    applicant.locator("#id_digits").fill("1234")
    applicant.locator("main form button[type=submit]").click()
    applicant.get_by_text("Very satisfied", exact=True).click()
    applicant.get_by_role("button", name="Submit my rating").click()
    expect(applicant.locator("h1")).to_have_text("Thank you for your rating!")
    rating = Rating.objects.get()
    assert (rating.case_id, rating.level) == (case.pk, 5)
