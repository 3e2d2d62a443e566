"""The hall's calling display in a real browser: a call made at a window shows within a second
and is read aloud from the server's WAV."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from govhall.queueing.models import QueueCategory
from govhall.queueing.services import ticket_call_next, ticket_issue

pytestmark = pytest.mark.e2e


@pytest.fixture
def categories(hall: Any, settings: Any, tmp_path: Path) -> QueueCategory:
    settings.VAR_DIR = tmp_path  # the spoken calls' cache
    hall.x_window.number = "5"
    hall.x_window.save()
    category = QueueCategory.objects.create(center=hall.a, code="A", name="户籍出入境")
    category.units.add(hall.x)
    category.windows.add(hall.x_window)
    return category


def test_a_call_at_the_window_shows_on_the_open_hall_screen_within_a_second(
    open_page, hall, categories
):
    # given a number taken, and the hall's screen open with its sound switched on
    ticket = ticket_issue(center=hall.a, category="A", channel="kiosk", phone="13900001234")
    page = open_page()
    page.goto(f"/queue/screen/?center={hall.a.pk}")
    expect(page.locator("[data-waiting]")).to_contain_text("1")
    page.get_by_role("button", name="点击开启语音播报").click()
    expect(page.locator("[data-sound-overlay]")).to_be_hidden()
    # when the clerk calls the next number at window 5
    with page.expect_response(lambda r: "/queue/announce/" in r.url, timeout=5_000) as sound:
        started = time.monotonic()
        ticket_call_next(window=hall.x_window, by=hall.user("clerk_x"))
        # then within a second the screen shows the call, newest first and highlighted
        expect(page.locator("[data-now]")).to_have_text(
            f"请 {ticket.number} 号到 5 号窗口办理", timeout=1_000
        )
        shown_after = time.monotonic() - started
        expect(page.locator("tr.qs-newest .qs-number")).to_have_text(ticket.number)
        expect(page.locator("[data-waiting]")).to_contain_text("0")
    # and the announcement is fetched as audio from the server
    assert shown_after < 1.0
    assert sound.value.status == 200
    assert sound.value.headers["content-type"] == "audio/wav"
    # and no phone number reaches the screen
    assert "13900001234" not in page.content()
