"""Taking a number on the hall's ticket machine and following it on a phone, in a browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from govhall.queueing.models import QueueCategory, Ticket
from govhall.queueing.services import ticket_call_next, ticket_issue

pytestmark = pytest.mark.e2e


def test_a_number_taken_on_the_kiosk_is_followed_on_a_phone(open_page, hall):
    # given a hall with category A for 公安局, and one person already waiting
    category = QueueCategory.objects.create(center=hall.a, code="A", name="户籍出入境")
    category.windows.add(hall.x_window)
    ticket_issue(center=hall.a, category="A", channel="kiosk")
    kiosk = open_page(size="kiosk", language="en")
    kiosk.goto(f"/queue/kiosk/?center={hall.a.pk}")
    # when a visitor presses A on the ticket machine
    kiosk.locator("button[name=category][value=A]").click()
    # then the ticket shows the new number, with the QR code of its live page
    kiosk.wait_for_url(re.compile(r"/queue/t/[\w-]+/print/\?kiosk=1"))
    expect(kiosk.locator(".receipt-number")).to_have_text("A002")
    expect(kiosk.locator(".receipt-qr svg")).to_be_visible()
    # and a phone opening that live page (as the QR code does) sees its place in the queue
    ticket = Ticket.objects.get(number="A002")
    phone = open_page(size="phone", language="en")
    phone.goto(f"/queue/t/{ticket.token}/")
    expect(phone.locator("h1")).to_have_text("A002")
    expect(phone.locator("[data-live-ahead]")).to_have_text("1")
    # and when the window calls it, the phone's page says where to go, by itself
    for _i in range(2):
        ticket_call_next(window=hall.x_window, by=hall.user("clerk_x"))
    expect(phone.locator(".queue-call")).to_contain_text("Please go to")
    # and the ticket machine went back to its start by itself
    kiosk.wait_for_url(re.compile(r"/queue/kiosk/\?center="), timeout=20_000)
