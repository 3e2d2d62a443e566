"""Staff work in a real browser: leave with the stamped note, patrol sign-in by the hall
screen's code, and the monthly bulletin downloaded as DOCX and PDF."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import segno
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from govhall.bulletins import outputs, selectors
from govhall.bulletins.models import Bulletin
from govhall.oversight import codes
from govhall.oversight import services as oversight
from govhall.oversight.choices import LeaderRole
from govhall.oversight.models import PatrolSignIn
from govhall.staffing.choices import LeaveStatus
from govhall.staffing.models import Leave
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def test_a_two_day_leave_is_approved_only_once_the_stamped_note_is_uploaded(
    open_page, hall, tmp_path
):
    # given the clerk asks for Thursday and Friday off, without the note
    clerk = open_page(language="en")
    log_in(clerk, "clerk_x")
    clerk.goto("/staffing/leave/new/")
    clerk.locator("#id_start_date").fill("2026-11-26")
    clerk.locator("#id_end_date").fill("2026-11-27")
    clerk.locator("#id_reason").fill("家中有事")
    clerk.locator("main form button[type=submit]").click()
    expect(clerk.locator(".messages")).to_contain_text("sent for approval")
    expect(clerk.locator(".alert-error")).to_contain_text("stamped approval note is required")
    leave = Leave.objects.get()
    assert leave.days == 2
    # when the chief tries to approve it
    chief = open_page(language="en")
    log_in(chief, "chief_x")
    chief.goto(f"/staffing/leave/{leave.pk}/")
    chief.get_by_role("button", name="Approve").click()
    # then it is refused, saying why
    expect(chief.locator(".messages")).to_contain_text("upload the unit's stamped approval note")
    leave.refresh_from_db()
    assert (leave.status, leave.step) == (LeaveStatus.PENDING, "chief")
    # when the clerk uploads the scan of the note
    scan = tmp_path / "请假条.pdf"
    scan.write_bytes(PDF)
    clerk.reload()
    clerk.locator("#id_note_scan").set_input_files(scan)
    clerk.get_by_role("button", name="Upload").click()
    expect(clerk.locator(".messages")).to_contain_text("stamped note was uploaded")
    expect(clerk.get_by_role("link", name="View the scan")).to_be_visible()
    # then the chief signs, and the office signs last
    chief.reload()
    chief.get_by_role("button", name="Approve").click()
    expect(chief.locator(".messages")).to_contain_text("Signed.")
    office = open_page(language="en")
    log_in(office, "office_a")
    office.goto(f"/staffing/leave/{leave.pk}/")
    office.get_by_role("button", name="Approve").click()
    expect(office.locator(".messages")).to_contain_text("Signed.")
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED
    expect(office.locator(".page-head .badge")).to_contain_text("Approved")


def screen_code_url(live_server, center, svg: bytes) -> str:
    """Which sign-in address the screen's code image encodes (this minute's or the last)."""
    minute = codes.minute_of(timezone.now())
    for m in (minute, minute - 1):
        path = reverse("oversight:patrol_scan", args=[center.pk, m, codes.code_for(center.pk, m)])
        buffer = io.BytesIO()
        segno.make_qr(live_server.url + path, error="m").save(
            buffer, kind="svg", scale=10, border=2
        )
        if buffer.getvalue() == svg:
            return live_server.url + path
    raise AssertionError("the screen's code encodes no current sign-in address")


def test_a_leader_signs_in_with_the_fresh_code_and_an_expired_code_is_refused(
    open_page, live_server, hall, hall_clock
):
    # given 住建局's supervising leader has the leader_y account
    oversight.unit_leader_create(
        by=None,
        unit=hall.y,
        name="吴分管",
        title="副局长",
        role=LeaderRole.DEPUTY,
        phone="13900001111",
        user=hall.user("leader_y"),
    )
    # and the hall screen shows this minute's code
    screen = open_page(size="kiosk", language="en")
    log_in(screen, "office_a")
    screen.goto("/oversight/patrol/screen/")
    image = screen.locator("img[data-patrol-code]")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    svg = screen.request.get("/oversight/patrol/screen/code.svg").body()
    scanned = screen_code_url(live_server, hall.a, svg)
    # when the leader's phone opens the scanned address and signs in
    phone = open_page(size="phone", language="en")
    log_in(phone, "leader_y")
    phone.goto(scanned)
    expect(phone.locator("h1")).to_have_text("Sign in")
    phone.get_by_role("button", name="Sign in now").click()
    # then the visit is recorded
    expect(phone.locator("h1")).to_have_text("Signed in")
    visit = PatrolSignIn.objects.get()
    assert (visit.unit, visit.signed_out_at) == (hall.y, None)
    # when the same code is scanned again three minutes later (a photo of the screen)
    hall_clock.shift(180)
    phone.goto(scanned)
    # then it is refused and nothing changes
    expect(phone.locator(".alert-error")).to_contain_text("This code has expired")
    visit.refresh_from_db()
    assert visit.signed_out_at is None


def test_the_office_drafts_the_bulletin_and_downloads_it_as_docx_and_pdf(open_page, hall):
    # given
    page = open_page(language="en")
    log_in(page, "office_a")
    page.goto("/bulletins/")
    # when the office drafts October's issue
    page.locator("#id_month").fill("2026-10")
    page.get_by_role("button", name="Draft the issue").click()
    expect(page.locator(".messages")).to_contain_text("drafted from the month's figures")
    bulletin = Bulletin.objects.get()
    doc = selectors.bulletin_document(bulletin)
    # then both files download, named after the issue, and are what they say they are
    for fmt, label, magic in (("docx", "Word (DOCX)", b"PK"), ("pdf", "PDF", b"%PDF")):
        with page.expect_download() as info:
            page.locator(".bl-downloads").get_by_role("link", name=label, exact=True).click()
        download = info.value
        assert download.suggested_filename == outputs.filename(doc, fmt)
        assert re.search(r"【2026】第1期", download.suggested_filename)
        content = Path(download.path()).read_bytes()
        assert content.startswith(magic)
        assert len(content) > 2000
