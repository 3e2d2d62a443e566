"""The public side of the queue: taking a number on the ticket machine and on a phone, the
printed ticket, and the ticket's live page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from govhall.cases import appointments
from govhall.org.models import Window
from govhall.portal.views import ELDERLY_COOKIE
from govhall.queueing import rules
from govhall.queueing.choices import Priority, TicketChannel, TicketStatus
from govhall.queueing.models import Ticket
from govhall.queueing.services import ticket_call_next, ticket_issue, ticket_transfer
from govhall.queueing.views.public import TAKES_PER_PHONE
from tests.catalog.builders import publish_item
from tests.queueing.conftest import DAY, Queue, at

KIOSK = reverse("queueing:kiosk")
TAKE = reverse("queueing:take")


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def token_on(page: str) -> str:
    found = re.search(r'name="once" value="([^"]+)"', page)
    assert found, "the form has no one-time token"
    return found.group(1)


def take_form(client: Client, url: str, **fields: Any) -> dict[str, Any]:
    """The fields a visitor sends from the page just opened (with its one-time token)."""
    page = client.get(url).content.decode()
    return {"category": "A", "once": token_on(page), **fields}


def live_url(ticket: Ticket) -> str:
    return reverse("queueing:ticket", args=[ticket.token])


def take(queue: Queue, code: str = "A", **kw: Any) -> Ticket:
    return ticket_issue(center=queue.hall.a, category=code, channel=TicketChannel.KIOSK, **kw)


# --- taking a number ------------------------------------------------------------------------


def test_the_ticket_machine_shows_a_big_button_per_category_with_its_waiting_count(
    client: Client, queue: Queue
) -> None:
    # given two people waiting for A
    take(queue)
    take(queue)
    # when the ticket machine's page opens
    page = english(client).get(KIOSK).content.decode()
    # then each category is a button with its letter, name and the numbers waiting for it
    buttons = re.findall(
        r'<button type="submit" name="category" value="(\w+)"[^>]*>(.*?)</button>', page, re.S
    )
    assert [code for code, _body in buttons] == ["A", "B"]
    assert "户籍出入境" in buttons[0][1]
    assert "2 waiting" in buttons[0][1]
    assert "不动产" in buttons[1][1]
    assert "0 waiting" in buttons[1][1]
    # and a QR code lets a visitor take the number on a phone instead
    assert 'class="qr-code"' in page


def test_a_number_taken_on_the_kiosk_prints_a_ticket_with_its_number_and_qr_code(
    client: Client, queue: Queue
) -> None:
    # given one person already waiting for A
    take(queue)
    # when a visitor presses A on the ticket machine
    response = english(client).post(KIOSK, take_form(client, KIOSK))
    # then the ticket machine prints the new number's ticket, and returns to its start
    ticket = Ticket.objects.get(number="A002")
    assert ticket.channel == TicketChannel.KIOSK
    assert response.status_code == 302
    assert (
        response["Location"] == reverse("queueing:ticket_print", args=[ticket.token]) + "?kiosk=1"
    )
    printed = client.get(response["Location"]).content.decode()
    assert '<p class="receipt-number">A002</p>' in printed
    assert "1 person ahead of you" in printed
    assert queue.hall.a.name in printed
    assert "户籍出入境" in printed
    assert "09:00" in printed
    assert 'id="queue-autoprint"' in printed
    assert 'class="qr-code"' in printed
    assert "queueing/receipt.css" in printed


def test_a_phone_takes_a_number_and_lands_on_its_live_page(client: Client, queue: Queue) -> None:
    # when a visitor takes a B number on their phone, giving their phone number
    data = take_form(client, TAKE, category="B", phone="13900001234")
    response = english(client).post(TAKE, data)
    # then the phone opens the number's live page
    ticket = Ticket.objects.get()
    assert (ticket.number, ticket.channel, ticket.phone) == (
        "B001",
        TicketChannel.PHONE,
        "13900001234",
    )
    assert response["Location"] == live_url(ticket)
    page = client.get(live_url(ticket)).content.decode()
    assert "B001" in page
    assert "You are next." in page


def test_an_appointment_code_within_its_slot_puts_the_number_before_earlier_ones(
    client: Client, queue: Queue, clock: Any
) -> None:
    # given a booking made early for 9:00–10:00 today at 公安局, and someone waiting for A
    hall = queue.hall
    clock.move_to(at(7, 0))
    item = publish_item(hall.a, hall.x, code="P001", name="普通护照签发")
    slot = appointments.slot_open(
        by=hall.user("chief_x"),
        unit=hall.x,
        date=DAY,
        start=dt.time(9),
        end=dt.time(10),
        capacity=2,
    )
    booked = appointments.appointment_book(
        slot=slot, item=item, applicant_name="张三", phone="13900001234"
    )
    clock.move_to(at(9, 0))
    earlier = take(queue)
    # when the applicant takes a number with the booking code at 9:00
    data = take_form(client, KIOSK, appointment_code=booked.code.lower())
    english(client).post(KIOSK, data)
    # then the number is marked as an appointment and is called first
    ticket = Ticket.objects.exclude(pk=earlier.pk).get()
    assert ticket.priority == Priority.APPOINTMENT
    assert ticket.appointment == booked
    called = ticket_call_next(window=hall.x_window, by=hall.user("clerk_x"))
    assert called == ticket


def test_an_unknown_appointment_code_is_named_beside_its_field(
    client: Client, queue: Queue
) -> None:
    # when a visitor types a code nobody booked
    response = english(client).post(KIOSK, take_form(client, KIOSK, appointment_code="ZZZZ2222"))
    # then the page says so beside the field, and no number is taken
    assert response.status_code == 400
    assert "No appointment has this code." in response.content.decode()
    assert not Ticket.objects.exists()


def test_an_elderly_or_disabled_request_is_called_before_earlier_numbers(
    client: Client, queue: Queue
) -> None:
    # given someone already waiting for A
    earlier = take(queue)
    # when an elderly visitor ticks the priority box on a phone
    english(client).post(TAKE, take_form(client, TAKE, elderly="on"))
    # then their number carries the priority and is called first
    ticket = Ticket.objects.exclude(pk=earlier.pk).get()
    assert ticket.priority == Priority.ELDERLY
    assert ticket_call_next(window=queue.hall.x_window, by=queue.hall.user("clerk_x")) == ticket
    printed = client.get(reverse("queueing:ticket_print", args=[ticket.token])).content.decode()
    assert "Elderly or disabled" in printed


def test_the_kiosk_page_respects_the_elderly_mode(client: Client, queue: Queue) -> None:
    # given the kiosk switched to 长者模式
    client.cookies[ELDERLY_COOKIE] = "1"
    # when the ticket machine's page opens
    page = client.get(KIOSK).content.decode()
    # then it is drawn in the elderly mode, with the switch shown on
    assert re.search(r'<body class="kiosk elderly[^"]*queue-take', page)
    assert 'aria-checked="true"' in page


def test_outside_ticketing_hours_the_page_gives_the_hours_and_takes_no_number(
    client: Client, queue: Queue, clock: Any
) -> None:
    # given a page opened just before ticketing closes
    clock.move_to(at(17, 29))
    data = take_form(english(client), KIOSK)
    # when A is pressed after closing
    clock.move_to(at(17, 31))
    response = client.post(KIOSK, data)
    # then the page says when numbers are given, and none is taken
    page = response.content.decode()
    assert response.status_code == 400
    assert "No numbers are given now" in page
    assert "Numbers are given on working days from 08:30 to 17:30." in page
    assert not Ticket.objects.exists()
    # and opened after closing, it shows no buttons at all
    page = client.get(KIOSK).content.decode()
    assert "No numbers are given now" in page
    assert 'name="category"' not in page


def test_a_form_sent_twice_takes_one_number(client: Client, queue: Queue) -> None:
    # given the phone page with its one-time token
    data = take_form(client, TAKE, category="B")
    # when the button is pressed twice
    first = client.post(TAKE, data)
    second = client.post(TAKE, data)
    # then one number, and both presses open it
    ticket = Ticket.objects.get()
    assert first["Location"] == second["Location"] == live_url(ticket)


def test_too_many_numbers_from_one_phone_are_refused(client: Client, queue: Queue) -> None:
    # given a phone that took its allowance of numbers
    for _i in range(TAKES_PER_PHONE):
        english(client).post(TAKE, take_form(client, TAKE))
    # when it asks for one more
    response = client.post(TAKE, take_form(client, TAKE))
    # then it is refused with a way forward, and no number is taken
    assert response.status_code == 429
    assert "Too many numbers taken from here" in response.content.decode()
    assert Ticket.objects.count() == TAKES_PER_PHONE


# --- the ticket's live page -----------------------------------------------------------------


def test_the_live_page_states_the_position_then_the_window_after_a_call(
    client: Client, queue: Queue
) -> None:
    # given two numbers waiting before this one, at a window numbered 5
    hall = queue.hall
    Window.objects.filter(pk=hall.x_window.pk).update(number="5")
    take(queue)
    take(queue)
    mine = take(queue)
    # when the phone opens the live page (in Chinese)
    page = client.get(live_url(mine)).content.decode()
    # then it shows the people ahead and the wait
    assert re.search(r"data-live-ahead>2</strong>", page)
    assert "预计等待" in page
    # when the window calls the next three
    for _i in range(3):
        ticket_call_next(window=hall.x_window, by=hall.user("clerk_x"))
    # then the page tells the applicant where to go
    page = client.get(live_url(mine)).content.decode()
    assert "请到 5 号窗口办理" in page
    assert "出入境窗口" in page


def test_the_state_feed_follows_the_queue_and_a_call(
    client: Client, queue: Queue, django_assert_max_num_queries: Any
) -> None:
    # given a number with one ahead
    hall = queue.hall
    take(queue)
    mine = take(queue)
    url = reverse("queueing:ticket_state", args=[mine.token])
    # when the phone polls
    with django_assert_max_num_queries(2):
        first = client.get(url).json()
    # then it learns its place, cheaply
    assert first["status"] == TicketStatus.WAITING
    assert first["ahead"] == 1
    assert first["estimated_wait_minutes"] > 0
    # and after the call of the one ahead, it is next; after its own call, the state changes
    ticket_call_next(window=hall.x_window, by=hall.user("clerk_x"))
    second = client.get(url).json()
    assert (second["ahead"], second["state"]) == (0, first["state"])
    ticket_call_next(window=hall.x_window, by=hall.user("clerk_x"))
    third = client.get(url).json()
    assert third["status"] == TicketStatus.CALLED
    assert third["state"] != first["state"]


def test_a_transferred_number_says_where_it_now_waits(client: Client, queue: Queue) -> None:
    # given a number called at 公安局 and sent on to 不动产
    hall = queue.hall
    mine = take(queue)
    ticket_call_next(window=hall.x_window, by=hall.user("clerk_x"))
    ticket_transfer(ticket=mine, by=hall.user("clerk_x"), category=queue.b)
    # when the phone looks
    page = english(client).get(live_url(mine)).content.decode()
    # then it shows the new category and that it waits again
    assert "Your number was moved to 不动产" in page
    assert "A001" in page


def test_a_served_number_thanks_and_offers_the_rating(client: Client, queue: Queue) -> None:
    # given a number served and the next called
    hall = queue.hall
    mine = take(queue)
    take(queue)
    ticket_call_next(window=hall.x_window, by=hall.user("clerk_x"))
    ticket_call_next(window=hall.x_window, by=hall.user("clerk_x"))  # finishes mine
    # when the phone looks
    page = english(client).get(live_url(mine)).content.decode()
    # then it thanks and links to the rating
    assert "Thank you for coming" in page
    assert reverse("public_feedback:rate_lookup") in page
    assert "data-live-url" not in page  # nothing more to follow


def test_the_live_page_shows_no_personal_data(client: Client, queue: Queue) -> None:
    # given a number taken with a phone number
    mine = take(queue, phone="13900001234")
    # when anyone with the address opens the page
    page = client.get(live_url(mine)).content.decode()
    state = client.get(reverse("queueing:ticket_state", args=[mine.token])).content.decode()
    # then the phone is masked on the page and absent from the feed
    assert "13900001234" not in page
    assert "139****1234" in page
    assert "1234" not in state.replace(mine.token, "")


def test_an_unknown_ticket_address_is_the_products_404_page(client: Client, queue: Queue) -> None:
    # when a made-up ticket address is opened
    response = client.get(reverse("queueing:ticket", args=["not-a-real-token"]))
    feed = client.get(reverse("queueing:ticket_state", args=["not-a-real-token"]))
    # then both are not found, the page the product's own
    assert response.status_code == feed.status_code == 404
    assert response.templates[0].name == "404.html"


# --- the estimate ---------------------------------------------------------------------------


@given(
    served=st.integers(0, 50),
    average=st.one_of(st.none(), st.floats(0, 120)),
    default=st.integers(1, 60),
)
def test_the_usual_minutes_are_the_offices_until_five_are_served(
    served: int, average: float | None, default: int
) -> None:
    minutes = rules.usual_minutes(served, average, default)
    if served < 5 or not average:
        assert minutes == default
    else:
        assert minutes == max(average, 1.0)
