"""Rating by the receipt's QR code, on the web with number and digits, and on the window's pad."""

from __future__ import annotations

import time_machine

from govhall.feedback.choices import RatingChannel, RatingLevel
from govhall.feedback.models import Rating, Rectification
from govhall.feedback.tokens import case_for_token, rating_path, rating_token
from tests.feedback.conftest import at, finished_case, open_case, rate


def test_the_receipts_qr_code_opens_the_cases_rating_page_and_rates_it(client, hall, passport):
    # given
    case = finished_case(hall, passport, at(2016, 12, 8, 9, 0))
    url = rating_path(case)
    # when
    page = client.get(url)
    response = client.post(url, {"level": "2", "tags": ["slow"], "comment": "等了很久"})
    # then
    assert page.status_code == 200
    assert case.number in page.content.decode()
    assert "张*" in page.content.decode()  # the applicant masked
    assert response.status_code == 302
    rating = Rating.objects.get(case=case)
    assert (rating.level, rating.channel, rating.tags) == (2, RatingChannel.QR, ["slow"])
    assert Rectification.objects.filter(rating=rating).exists()


def test_a_forged_altered_or_malformed_token_opens_nothing(client, hall, passport):
    case = finished_case(hall, passport, at(2016, 12, 8, 9, 0))
    other = finished_case(hall, passport, at(2016, 12, 8, 9, 5))
    token = rating_token(case)
    pk_part, mac = token.split(".")
    forged = [
        f"{rating_token(other).split('.')[0]}.{mac}",  # another case's id with this MAC
        f"{pk_part}.{mac[:-1]}{'A' if mac[-1] != 'A' else 'B'}",  # one character changed
        pk_part,  # no MAC
        "../../admin",
    ]
    for bad in forged:
        assert case_for_token(bad) is None
        assert client.post(f"/feedback/rate/{bad}/", {"level": "5"}).status_code == 404
    assert not Rating.objects.exists()
    assert case_for_token(token) == case


def test_a_token_names_no_guessable_sequence(hall, passport):
    first = finished_case(hall, passport, at(2016, 12, 8, 9, 0))
    second = finished_case(hall, passport, at(2016, 12, 8, 9, 5))
    assert rating_token(first).split(".")[1] != rating_token(second).split(".")[1]
    assert len(rating_token(first).split(".")[1]) == 22  # 128 bits of HMAC


def test_a_second_rating_on_the_page_gets_a_clear_message(client, hall, passport):
    case = finished_case(hall, passport, at(2016, 12, 8, 9, 0))
    rate(case, RatingLevel.SATISFIED, at(2016, 12, 8, 9, 30))
    # the page says so before the form
    page = client.get(rating_path(case)).content.decode()
    assert 'name="level"' not in page
    assert "2016年12月8日" in page  # when it was rated
    # and a stale form posted anyway is refused
    response = client.post(rating_path(case), {"level": "1"})
    assert response.status_code == 409
    assert Rating.objects.get(case=case).level == RatingLevel.SATISFIED


def test_an_open_case_page_asks_to_come_back_once_it_is_completed(client, hall, passport):
    case = open_case(hall, passport, at(2016, 12, 8, 9, 0))
    page = client.get(rating_path(case))
    assert page.status_code == 200
    assert 'name="level"' not in page.content.decode()
    assert client.post(rating_path(case), {"level": "5"}).status_code == 409
    assert not Rating.objects.exists()


def test_the_web_lookup_by_number_and_digits_leads_to_the_rating_page(client, hall, passport):
    # given
    case = finished_case(hall, passport, at(2016, 12, 8, 9, 0))
    # when
    response = client.post("/feedback/rate/", {"number": case.number, "digits": "1234"})
    # then
    assert response.status_code == 302
    assert response["Location"].startswith(rating_path(case))
    client.post(response["Location"], {"level": "4"})
    assert Rating.objects.get(case=case).channel == RatingChannel.WEB


def test_wrong_digits_find_nothing_and_say_not_which_part_was_wrong(client, hall, passport):
    case = finished_case(hall, passport, at(2016, 12, 8, 9, 0))
    wrong_digits = client.post("/feedback/rate/", {"number": case.number, "digits": "9999"})
    wrong_number = client.post("/feedback/rate/", {"number": "20161208X", "digits": "1234"})
    assert wrong_digits.status_code == wrong_number.status_code == 400
    assert "未找到" in wrong_digits.content.decode() or "No case" in wrong_digits.content.decode()
    assert wrong_digits.content.decode().count("alert-warning") == 1


def test_lookups_beyond_the_limit_get_429(client, hall, passport):
    case = finished_case(hall, passport, at(2016, 12, 8, 9, 0))
    statuses = [
        client.post("/feedback/rate/", {"number": case.number, "digits": "0000"}).status_code
        for _ in range(6)
    ]
    # five wrong guesses of one number are allowed; the sixth is refused even with the digits
    assert statuses[:5] == [400] * 5
    assert statuses[5] == 429
    right = client.post("/feedback/rate/", {"number": case.number, "digits": "1234"})
    assert right.status_code == 429
    assert right["Retry-After"]


def test_each_address_may_look_up_ten_times_in_ten_minutes(client, hall, passport):
    cases = [finished_case(hall, passport, at(2016, 12, 8, 9, m)) for m in range(11)]
    statuses = [
        client.post("/feedback/rate/", {"number": c.number, "digits": "1234"}).status_code
        for c in cases
    ]
    assert statuses == [302] * 10 + [429]


def test_the_pad_rates_the_case_from_the_staffs_session(login, hall, passport):
    # given
    case = finished_case(hall, passport, at(2016, 12, 8, 9, 0))
    client = login("clerk_x")
    # when
    page = client.get(f"/feedback/manage/pad/case/{case.pk}/")
    response = client.post(
        f"/feedback/manage/pad/case/{case.pk}/", {"level": "5", "tags": ["warm"]}
    )
    # then
    assert page.status_code == 200
    assert "mainnav" not in page.content.decode()  # none of the staff's screen shows
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    rating = Rating.objects.get(case=case)
    assert (rating.level, rating.channel) == (5, RatingChannel.WINDOW)
    again = client.post(f"/feedback/manage/pad/case/{case.pk}/", {"level": "1"})
    assert again.status_code == 409


def test_the_pad_is_for_the_cases_own_unit(login, hall, passport):
    case = finished_case(hall, passport, at(2016, 12, 8, 9, 0))
    assert login("clerk_z").get(f"/feedback/manage/pad/case/{case.pk}/").status_code == 404
    assert login("leader_y").get(f"/feedback/manage/pad/case/{case.pk}/").status_code == 403


def test_the_pad_rates_a_consultation(login, hall):
    from govhall.cases import services as cases

    with time_machine.travel(at(2016, 12, 8, 9, 0), tick=False):
        consultation = cases.consultation_log(by=hall.user("clerk_x"), unit=hall.x)
    client = login("clerk_x")
    client.post(f"/feedback/manage/pad/consultation/{consultation.pk}/", {"level": "3"})
    assert Rating.objects.get(consultation=consultation).level == 3


def test_the_pad_refuses_an_unchosen_level_with_a_message(login, hall, passport):
    case = finished_case(hall, passport, at(2016, 12, 8, 9, 0))
    response = login("clerk_x").post(f"/feedback/manage/pad/case/{case.pk}/", {"comment": "好"})
    assert response.status_code == 400
    assert not Rating.objects.exists()
