"""The demo lives today: after December 2016 (unchanged) come the weeks up to the load's day,
with open cases due around today. The demo is loaded once for the module, the clock frozen."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from govhall.bulletins.selectors import month_document
from govhall.cases.appointments import bookable_items, bookable_slots
from govhall.cases.history import OPEN_STATUSES
from govhall.cases.models import Appointment, Case
from govhall.demo.data.org import DEMO_CENTER
from govhall.demo.steps import load
from govhall.feedback.models import Rectification
from govhall.org.models import Center, Staff, Unit
from govhall.staffing.models import AttendanceRecord
from govhall.supervision.services import supervise_day

TODAY = dt.datetime(2026, 12, 8, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        time_machine.travel(TODAY, tick=False),
        transaction.atomic(),
    ):
        load(StringIO())
        yield Center.objects.get(name=DEMO_CENTER)
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded, db):
    with time_machine.travel(TODAY, tick=False):
        yield loaded


def test_no_case_of_2016_is_left_open(demo):
    year_end = dt.datetime(2017, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
    old = Case.objects.filter(center=demo, received_at__lt=year_end)
    assert old.exists()
    assert not old.filter(status__in=OPEN_STATUSES).exists()


def test_todays_warnings_are_all_due_within_the_last_sixty_days(demo):
    supervise_day(by=None, center=demo, on=TODAY.date())
    due = [
        timezone.localtime(c.due_at).date()
        for c in Case.objects.filter(center=demo, status__in=OPEN_STATUSES, due_at__isnull=False)
        if timezone.localtime(c.due_at).date() <= TODAY.date() + dt.timedelta(days=1)
    ]
    assert due, "some open cases are due today or overdue: yellow and red cards"
    assert min(due) >= TODAY.date() - dt.timedelta(days=60)


def test_the_open_cases_are_due_within_days_of_today(demo):
    open_cases = Case.objects.filter(center=demo, status__in=OPEN_STATUSES)
    assert open_cases.count() > 20
    dues = [timezone.localtime(c.due_at).date() for c in open_cases if c.due_at]
    assert all(abs((d - TODAY.date()).days) <= 60 for d in dues)
    assert sum(abs((d - TODAY.date()).days) <= 7 for d in dues) >= len(dues) // 2


def test_the_previous_months_bulletin_has_cases_leave_and_outings(demo):
    figures = month_document(center=demo, month="2026-11").figures.as_json()
    assert figures["cases"]["accepted"] > 1000
    assert figures["leave"]["person_times"] > 0
    assert figures["outings"] > 0
    assert figures["patrol"]["signed_units"]


def test_december_2016_keeps_the_reference_figures(demo):
    figures = month_document(center=demo, month="2016-12").figures.as_json()
    assert figures["cases"]["accepted"] == 6560
    assert figures["cases"]["completed"] == 6496


def test_the_previous_months_bulletin_has_something_in_every_section(demo):
    figures = month_document(center=demo, month="2026-11").figures.as_json()
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
        assert figures[section], f"{section} is empty in November 2026"
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
    tasks = Rectification.objects.filter(center=demo, opened_at__year=2026)
    states = {t.status for t in tasks}
    assert len(tasks) >= 2
    assert len(states) >= 2, "the rectifications show different stages"


def test_the_public_can_book_the_coming_working_days_and_some_seats_are_taken(demo):
    police = Unit.objects.get(center=demo, name="公安局")
    item = bookable_items(center=demo, unit=police).first()
    slots = list(bookable_slots(unit=police, item=item, today=TODAY.date()))
    days = {s.date for s in slots}
    assert len(days) >= 3
    assert min(days) > TODAY.date()
    assert Appointment.objects.filter(slot__center=demo, slot__date__gt=TODAY.date()).exists()


def test_most_staff_clocked_in_on_the_last_working_day(demo):
    yesterday = dt.date(2026, 12, 7)
    clocked = AttendanceRecord.objects.filter(center=demo, date=yesterday, kind="clock_in")
    staff = Staff.objects.filter(center=demo, is_active=True).count()
    assert clocked.values("staff").distinct().count() > staff * 0.7
