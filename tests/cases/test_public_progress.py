"""Public progress lookup: case number + the phone's last 4 digits → the timeline, nothing
personal, one answer for every wrong guess, and a limit on guessing."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.urls import reverse

from govhall.cases import services
from govhall.core import ratelimit
from tests.cases.conftest import at

URL = reverse("service:progress")
NOT_FOUND = "No case was found with this number and phone."


def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def case(hall, passport):
    clerk = hall.user("clerk_x")
    with time_machine.travel(at(2016, 12, 5, 9, 0)):
        case = services.case_receive(
            by=clerk,
            item=passport,
            applicant_name="张三丰",
            applicant_id_number="420321199001011234",
            applicant_phone="13900001234",
        )
        services.case_request_supplement(by=clerk, case=case, materials=["户口簿"])
    with time_machine.travel(at(2016, 12, 6, 10, 0)):
        case = services.case_supplement_complete(by=clerk, case=case)
    with time_machine.travel(at(2016, 12, 7, 15, 0)):
        services.case_record_step(
            by=clerk, case=case, name="审核", result="同意", opinion="材料齐全"
        )
    case.refresh_from_db()
    return case


def look_up(client, number, digits, ip="10.0.0.1"):
    return english(client).post(URL, {"number": number, "digits": digits}, REMOTE_ADDR=ip)


def test_the_page_works_without_login_and_links_only_local_assets(client, hall):
    response = english(client).get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "/static/cases/public.css" in page
    assert 'name="viewport"' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert not re.search(r"\son[a-z]+=", page)


def test_the_right_number_and_digits_show_the_timeline_item_status_and_due_date(client, case):
    # when
    response = look_up(client, case.number, "1234")
    # then
    assert response.status_code == 200
    result = response.context["result"]
    assert result.number == case.number
    assert result.item == "普通护照签发"
    assert result.applicant == "张**"
    assert result.status == "in_progress"
    assert result.due_date == case.due_date
    assert [line.action for line in result.timeline] == [
        "收件",
        "一次性告知补正",
        "受理",
        "办理",
    ]
    page = response.content.decode()
    assert "2016年12月15日" in page  # due: 7 working days after Tue 12-06
    assert "收件" in page
    assert "受理" in page


def test_the_timeline_shows_no_phone_id_number_full_name_or_internal_notes(client, case):
    page = look_up(client, case.number, "1234").content.decode()
    assert "张**" in page
    assert "张三丰" not in page
    assert "13900001234" not in page
    assert "420321" not in page
    assert "材料齐全" not in page  # the step's opinion stays inside the hall
    assert "钱办事" not in page  # nor who handled it


def test_spaces_and_lower_case_in_the_number_are_forgiven(client, case):
    assert "result" in look_up(client, f" {case.number[:8]} {case.number[8:]} ", "1234").context


def test_a_wrong_number_and_wrong_digits_get_the_same_answer(client, case):
    # when
    wrong_number = look_up(client, "20161205" + "9" * 7, "1234")
    wrong_digits = look_up(client, case.number, "4321")
    # then
    for response in (wrong_number, wrong_digits):
        assert response.status_code == 200
        assert "result" not in response.context
        assert response.context["not_found"] == wrong_number.context["not_found"]
        assert NOT_FOUND in response.content.decode()


def test_malformed_digits_are_refused_naming_the_field(client, case):
    response = look_up(client, case.number, "12a")
    assert response.context["form"].errors["digits"]
    assert "result" not in response.context


def test_an_address_gets_ten_lookups_in_ten_minutes_then_429(client, case):
    with time_machine.travel(at(2016, 12, 8, 9, 0), tick=False):
        for _i in range(10):
            assert look_up(client, case.number, "1234").status_code == 200
        # when the eleventh comes, even with the right digits
        response = look_up(client, case.number, "1234")
        # then
        assert response.status_code == 429
        assert "Too many lookups" in response.content.decode()
        assert "result" not in response.context
        # another address is not affected
        assert look_up(client, case.number, "1234", ip="10.0.0.2").status_code == 200


def test_five_wrong_guesses_at_one_case_number_block_it_for_an_hour_from_any_address(client, case):
    # given five wrong guesses from five addresses
    for i in range(5):
        assert look_up(client, case.number, f"000{i}", ip=f"10.0.1.{i}").status_code == 200
    # when the right digits come from a sixth address
    response = look_up(client, case.number, "1234", ip="10.0.1.9")
    # then
    assert response.status_code == 429
    assert "result" not in response.context
    # another case number can still be looked up
    assert look_up(client, "20161205" + "9" * 7, "1234", ip="10.0.1.9").status_code == 200


def test_hit_counts_within_the_window_and_starts_again_after_it(db):
    assert all(ratelimit.hit("t", 3, 60) for _i in range(3))
    assert not ratelimit.hit("t", 3, 60)
    assert ratelimit.exceeded("t", 3)
    ratelimit.reset("t")
    assert ratelimit.hit("t", 3, 60)


def test_the_counter_expires_after_its_window(db):
    with time_machine.travel(at(2016, 12, 8, 9, 0), tick=False) as clock:
        assert ratelimit.hit("w", 1, 60)
        assert not ratelimit.hit("w", 1, 60)
        clock.shift(61)
        assert ratelimit.hit("w", 1, 60)


def test_after_a_lookup_the_form_is_empty_and_the_screen_returns_home_when_idle(client, case):
    page = look_up(client, case.number, "1234").content.decode()
    assert 'value="1234"' not in page
    assert 'data-idle-seconds="90"' in page
    assert "/static/portal/kiosk.js" in page
