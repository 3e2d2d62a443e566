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
from govhall.cases.history import OPEN_STATUSES
from govhall.cases.models import Case
from govhall.demo.data.org import DEMO_CENTER
from govhall.demo.steps import load
from govhall.org.models import Center
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
