"""The demo's December 2016 equals the bulletin: 13 leave person-times, 35 days, 6 outings."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from govhall.core.calendar import get_calendar
from govhall.demo.loaders.staffing import load_staffing_demo
from govhall.org.models import Unit
from govhall.staffing import selectors
from govhall.staffing.models import Leave, Outing, Vacancy

DECEMBER = dt.date(2016, 12, 1)


@pytest.fixture
def demo(demo_center):
    """The shared demo hall (tests/shared_demo.py), built once for all the tests reading it."""
    return demo_center


def test_the_demo_month_has_the_bulletins_leave_and_outing_figures(demo):
    person_times, days = selectors.leave_figures(center=demo, month=DECEMBER)
    assert person_times == 13
    assert days == Decimal(35)
    assert selectors.outing_count(center=demo, month=DECEMBER) == 6


def test_the_demo_month_records_posts_left_with_nobody(demo):
    counts = selectors.vacancy_counts(center=demo, month=DECEMBER)
    names = {v.unit.name for v in Vacancy.objects.filter(center=demo)}
    assert sum(counts.values()) >= 1
    assert {"住建局", "食药监局"} <= names


def test_loading_the_demo_again_changes_nothing(demo):
    before = (Leave.objects.count(), Outing.objects.count(), Vacancy.objects.count())
    load_staffing_demo(StringIO())
    assert (Leave.objects.count(), Outing.objects.count(), Vacancy.objects.count()) == before


def test_the_demo_units_monthly_sheet_shows_the_late_arrival_and_exports(demo, client):
    unit = Unit.objects.get(center=demo, name="公安局")
    sheet = selectors.attendance_sheet(center=demo, unit=unit, month=DECEMBER)
    rows = {row.staff.name: row for row in sheet.rows}
    assert rows["韩立新"].totals.late_minutes == 17
    assert rows["孙雨桐"].totals.leave_days == 2
    client.force_login(get_user_model().objects.get(username="office"))
    page = client.get(f"/staffing/attendance/?unit={unit.pk}&month=2016-12")
    assert page.status_code == 200
    assert "韩立新" in page.content.decode()
    export = client.get(f"/staffing/attendance/sheet.xlsx?unit={unit.pk}&month=2016-12")
    book = load_workbook(io.BytesIO(export.content))
    names = {book.active.cell(row=r, column=1).value for r in range(3, 10)}
    assert {"周晓岚", "韩立新", "孙雨桐"} <= names


def test_the_sheet_page_runs_a_fixed_number_of_queries(demo, client, django_assert_max_num_queries):
    client.force_login(get_user_model().objects.get(username="office"))
    unit = Unit.objects.get(center=demo, name="公安局")
    get_calendar()  # loaded once per process, as in a running server; each page checks it is current
    with django_assert_max_num_queries(SHEET_QUERIES):
        assert client.get(f"/staffing/attendance/?unit={unit.pk}&month=2016-12").status_code == 200


# Session, user, permissions, scope, center and menu (the page frame), then the sheet's reads:
# units, staff, calendar fingerprint, hours, punches, days recorded, leave days, outings.
SHEET_QUERIES = 17
