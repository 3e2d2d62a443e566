"""`manage.py workdays`: working-day arithmetic from the command line."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from govhall.core.calendar import calendar_day_set
from tests.factories import CenterFactory

D = dt.date

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command("workdays", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_add_prints_the_fifth_working_day_after_september_30_2016():
    # given the seeded schedule
    # when
    out, err = run("add", "2016-09-30", "5")
    # then
    assert out == "2016-10-12\n"
    assert err == ""


def test_between_prints_the_working_days_of_october_2016_both_ends_included():
    # given / when
    out, err = run("between", "2016-10-01", "2016-10-31")
    # then
    assert out == "18\n"
    assert err == ""


def test_between_a_later_and_an_earlier_date_prints_zero():
    # given / when
    out, _err = run("between", "2016-10-12", "2016-10-11")
    # then
    assert out == "0\n"


def test_a_centers_own_closing_day_counts_for_that_center_only(hall):
    # given center A closes on Monday 2016-10-10 (a local closing day); B does not
    calendar_day_set(
        by=hall.user("office_a"), center=hall.a, date=D(2016, 10, 10), is_workday=False
    )
    # when
    a_before, _ = run("--center", "甲政务服务中心", "add", "2016-09-30", "5")
    a_after, _ = run("add", "2016-09-30", "5", "--center", "甲政务服务中心")
    b, _ = run("add", "2016-09-30", "5", "--center", "乙政务服务中心")
    a_days, _ = run("between", "2016-10-01", "2016-10-31", "--center", "甲政务服务中心")
    # then
    assert a_before == a_after == "2016-10-13\n"
    assert b == "2016-10-12\n"
    assert a_days == "17\n"


def test_without_center_the_only_center_is_used():
    # given the only center, closing on 2016-10-10
    only = CenterFactory(name="随县政务服务中心")
    calendar_day_set(by=None, center=only, date=D(2016, 10, 10), is_workday=False)
    # when
    out, _err = run("add", "2016-09-30", "5")
    # then
    assert out == "2016-10-13\n"


def test_without_center_and_with_several_centers_the_command_asks_for_one(hall):
    # given / when / then
    with pytest.raises(CommandError, match="--center"):
        run("add", "2016-09-30", "5")


def test_an_unknown_center_is_named_in_the_error(hall):
    # given / when / then
    with pytest.raises(CommandError, match="丙政务服务中心"):
        run("add", "2016-09-30", "5", "--center", "丙政务服务中心")


def test_a_year_without_a_schedule_warns_on_stderr_only():
    # given 2027, not in the seeded schedule
    # when
    out, err = run("add", "2026-12-31", "1")
    # then
    assert out == "2027-01-01\n"
    assert "2027" in err
    assert "2026" not in err


@pytest.mark.parametrize(
    ("args", "argument"),
    [
        (("add", "2016-13-01", "5"), "DATE"),
        (("add", "yesterday", "5"), "DATE"),
        (("add", "1999-12-31", "5"), "DATE"),
        (("add", "2016-09-30", "five"), "N"),
        (("add", "2016-09-30", "-1"), "N"),
        (("between", "2016-10-01", "2016/10/31"), "B"),
        (("between", "10-01", "2016-10-31"), "A"),
    ],
)
def test_bad_input_is_refused_naming_the_argument(args, argument):
    # given / when / then
    with pytest.raises(CommandError, match=rf"^{argument} "):
        run(*args)


def test_adding_past_2099_is_refused_clearly():
    # given / when / then
    with pytest.raises(CommandError, match="beyond 2099-12-31"):
        run("add", "2099-12-30", "5")
