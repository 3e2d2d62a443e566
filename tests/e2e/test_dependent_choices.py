"""Dependent choices in a real browser: a select shows only what the other one allows."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.factories import StaffFactory

pytestmark = pytest.mark.e2e


def visible_labels(page, selector):
    return page.locator(selector).evaluate(
        "s => Array.from(s.options).filter(o => o.value && !o.hidden).map(o => o.textContent)"
    )


def test_the_staff_form_offers_only_the_windows_of_the_chosen_unit(open_page, hall):
    # given the office adds a person
    page = open_page()
    log_in(page, "office_a")
    page.goto("/org/staff/new/")
    # when it chooses 住建局
    page.locator("#id_unit").select_option(str(hall.y.pk))
    # then only 住建局's window can be chosen
    assert visible_labels(page, "#id_window") == [str(hall.y_window)]
    # and choosing 公安局 instead offers 公安局's window, dropping the other choice
    page.locator("#id_window").select_option(str(hall.y_window.pk))
    page.locator("#id_unit").select_option(str(hall.x.pk))
    assert visible_labels(page, "#id_window") == [str(hall.x_window)]
    expect(page.locator("#id_window")).to_have_value("")


def test_the_leave_cover_is_a_colleague_of_the_chosen_person_never_the_person(open_page, hall):
    # given 公安局 has three people, 住建局 one
    StaffFactory(window=hall.x_window, name="周同事")
    page = open_page()
    log_in(page, "office_a")
    page.goto("/staffing/leave/new/")
    # when the office chooses 钱办事 of 公安局
    page.locator("#id_staff").select_option(str(hall.x_clerk.pk))
    # then the cover is one of 钱办事's colleagues, never 钱办事 nor 住建局's 孙房产
    assert sorted(visible_labels(page, "#id_cover")) == sorted(
        ["周同事（公安局）", "赵首席（公安局）"]
    )
    # and for 孙房产, alone at 住建局, anyone else of the center may cover
    page.locator("#id_staff").select_option(str(hall.y_clerk.pk))
    assert sorted(visible_labels(page, "#id_cover")) == sorted(
        ["周同事（公安局）", "赵首席（公安局）", "钱办事（公安局）"]
    )
