"""Two quick sendings of the complaint form and of the rating forms (the receipt's page and the
window's pad) make one record; the second gets the first one's answer, not a refusal."""

from __future__ import annotations

import re
import threading
import time

import pytest
import time_machine
from django.db import connection
from django.test import Client

from govhall.feedback import services
from govhall.feedback.models import Feedback, Rating
from govhall.feedback.tokens import rating_path
from tests.feedback.conftest import at, finished_case

ONCE = re.compile(r'name="once" value="([^"]+)"')
COMPLAINT = {
    "kind": "complaint",
    "subject": "窗口态度",
    "content": "11月8日在出入境窗口办理护照，工作人员态度生硬。",
    "name": "王先生",
    "phone": "13812345678",
    "website": "",
}


def token_on(page: str) -> str:
    found = ONCE.search(page)
    assert found, "the form carries no one-time token"
    return found.group(1)


def test_a_complaint_sent_twice_from_one_page_is_stored_once_with_one_code(client, hall):
    # given the complaint page as the visitor's browser got it
    url = f"/feedback/write/?center={hall.a.pk}"
    data = {**COMPLAINT, "once": token_on(client.get(url).content.decode())}
    # when the Send button is pressed twice
    with time_machine.travel(at(2016, 12, 8, 9, 0)):
        first = client.post(url, data)
        second = client.post(url, data)
    # then one complaint, and both presses lead to its code
    feedback = Feedback.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/feedback/write/{feedback.code}/"
    assert feedback.code in client.get(second["Location"]).content.decode()


def test_a_second_browser_replaying_the_token_with_other_words_learns_no_code(client, hall):
    # given a complaint sent with its page's token
    url = f"/feedback/write/?center={hall.a.pk}"
    token = token_on(client.get(url).content.decode())
    with time_machine.travel(at(2016, 12, 8, 9, 0)):
        client.post(url, {**COMPLAINT, "once": token})
    code = Feedback.objects.get().code
    # when the token is sent with different content
    client.cookies.clear()
    response = client.post(url, {**COMPLAINT, "content": "另一条留言内容。", "once": token})
    # then it is refused with the form, names no code and stores nothing more
    page = response.content.decode()
    assert response.status_code == 400
    assert code not in page
    assert "已经提交过" in page
    assert Feedback.objects.count() == 1
    assert token_on(page) != token  # a fresh token to send it as a new one


def test_a_rating_tapped_twice_on_the_receipts_page_is_stored_once_and_thanked_twice(
    client, hall, passport
):
    # given the rating page of a finished case
    case = finished_case(hall, passport, at(2016, 12, 8, 9, 0))
    url = rating_path(case)
    data = {"level": "5", "tags": ["warm"], "once": token_on(client.get(url).content.decode())}
    # when the applicant taps Submit twice
    first = client.post(url, data)
    second = client.post(url, data)
    # then one rating, and the second tap lands on the thanks page too (not a refusal)
    assert Rating.objects.filter(case=case).count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]


def test_a_rating_tapped_twice_on_the_window_pad_is_stored_once(login, hall, passport):
    # given the pad showing a finished case
    case = finished_case(hall, passport, at(2016, 12, 8, 9, 0))
    client = login("clerk_x")
    url = f"/feedback/manage/pad/case/{case.pk}/"
    data = {"level": "4", "once": token_on(client.get(url).content.decode())}
    # when the applicant taps twice
    first = client.post(url, data)
    second = client.post(url, data)
    # then one rating and the thanks screen both times
    assert Rating.objects.filter(case=case).count() == 1
    assert first.status_code == second.status_code == 302
    assert second["Location"] == url + "?done=1"


@pytest.mark.django_db(transaction=True)
def test_two_sendings_at_the_same_moment_store_one_complaint(hall, monkeypatch):
    # given a slow save, so the second sending arrives while the first is still writing
    original = services.feedback_submit

    def slow_submit(**kwargs):
        feedback = original(**kwargs)
        time.sleep(0.3)
        return feedback

    monkeypatch.setattr(services, "feedback_submit", slow_submit)
    url = f"/feedback/write/?center={hall.a.pk}"
    browser = Client()
    data = {**COMPLAINT, "once": token_on(browser.get(url).content.decode())}
    start = threading.Barrier(2)
    answers: list[str] = []

    def press() -> None:
        start.wait()
        try:
            answers.append(browser.post(url, data)["Location"])
        finally:
            connection.close()

    # when both presses go out at once
    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    # then one complaint, and both presses lead to its code
    code = Feedback.objects.get().code
    assert answers == [f"/feedback/write/{code}/"] * 2
