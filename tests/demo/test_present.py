"""The demo lives today: after December 2016 (unchanged) come the weeks up to the load's day,
with open cases due around today — whatever day the suite runs on (the shared demo is loaded
with the real clock, as `make demo` loads it)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from govhall.bulletins.selectors import month_document
from govhall.cases.appointments import bookable_items, bookable_slots
from govhall.cases.history import OPEN_STATUSES
from govhall.cases.models import Appointment, Case
from govhall.core.calendar import get_calendar
from govhall.core.months import month_start, shift_month
from govhall.feedback.models import Rectification
from govhall.org.models import Staff, Unit
from govhall.staffing.models import AttendanceRecord
from govhall.supervision.services import supervise_day


@pytest.fixture
def demo(demo_center):
    """The shared demo hall, loaded today (tests/shared_demo.py)."""
    return demo_center


def today() -> dt.date:
    return timezone.localdate()


def last_month() -> str:
    return f"{shift_month(month_start(today()), -1):%Y-%m}"


def test_no_case_of_2016_is_left_open(demo):
    year_end = dt.datetime(2017, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
    old = Case.objects.filter(center=demo, received_at__lt=year_end)
    assert old.exists()
    assert not old.filter(status__in=OPEN_STATUSES).exists()


def test_todays_warnings_are_all_due_within_the_last_sixty_days(demo):
    supervise_day(by=None, center=demo, on=today())
    due = [
        timezone.localtime(c.due_at).date()
        for c in Case.objects.filter(center=demo, status__in=OPEN_STATUSES, due_at__isnull=False)
        if timezone.localtime(c.due_at).date() <= today() + dt.timedelta(days=1)
    ]
    assert due, "some open cases are due today or overdue: yellow and red cards"
    assert min(due) >= today() - dt.timedelta(days=60)


def test_the_open_cases_are_due_within_days_of_today(demo):
    open_cases = Case.objects.filter(center=demo, status__in=OPEN_STATUSES)
    assert open_cases.count() > 20
    dues = [timezone.localtime(c.due_at).date() for c in open_cases if c.due_at]
    assert all(abs((d - today()).days) <= 60 for d in dues)
    assert sum(abs((d - today()).days) <= 7 for d in dues) >= len(dues) // 2


def test_the_previous_months_bulletin_has_cases_leave_and_outings(demo):
    figures = month_document(center=demo, month=last_month()).figures.as_json()
    assert figures["cases"]["accepted"] > 1000
    assert figures["leave"]["person_times"] > 0
    assert figures["outings"] > 0
    assert figures["patrol"]["signed_units"]


def test_december_2016_keeps_the_reference_figures(demo):
    figures = month_document(center=demo, month="2016-12").figures.as_json()
    assert figures["cases"]["accepted"] == 6560
    assert figures["cases"]["completed"] == 6496


def test_the_previous_months_bulletin_has_something_in_every_section(demo):
    figures = month_document(center=demo, month=last_month()).figures.as_json()
    for section in (
        "violations",
        "good_deeds",
        "leader_visits",
        "media_reports",
        "other_work",
        "info_submissions",
        "info_submission_units",
        "vacancies",
    ):
        assert figures[section], f"{section} is empty in {last_month()}"
    assert figures["complaints"] > 0
    assert figures["messages"] > 0
    assert figures["feedback_answered"] > 0
    assert figures["satisfaction"]["ratings"] > 50
    assert figures["satisfaction"]["dissatisfied"] > 0
    awards = figures["awards"]
    assert awards["red_flag_units"]
    assert awards["star_chiefs"]
    assert awards["service_stars"]


def test_a_bad_rating_of_november_was_rectified_and_one_of_december_is_in_hand(demo):
    since = timezone.now() - dt.timedelta(days=70)
    tasks = Rectification.objects.filter(center=demo, opened_at__gte=since)
    states = {t.status for t in tasks}
    assert len(tasks) >= 2
    assert len(states) >= 2, "the rectifications show different stages"


def test_the_public_can_book_the_coming_working_days_and_some_seats_are_taken(demo):
    police = Unit.objects.get(center=demo, name="公安局")
    item = bookable_items(center=demo, unit=police).first()
    slots = list(bookable_slots(unit=police, item=item, today=today()))
    days = {s.date for s in slots}
    assert len(days) >= 3
    assert min(days) > today()
    assert Appointment.objects.filter(slot__center=demo, slot__date__gt=today()).exists()


def test_most_staff_clocked_in_on_the_last_working_day(demo):
    last = get_calendar(demo).previous_workday(today())
    clocked = AttendanceRecord.objects.filter(center=demo, date=last, kind="clock_in")
    staff = Staff.objects.filter(center=demo, is_active=True).count()
    assert clocked.values("staff").distinct().count() > staff * 0.7
