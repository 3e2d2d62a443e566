"""The office's calendar pages: overview, a year's months, entering and removing days."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from govhall.core.calendar import calendar_day_set, get_calendar
from govhall.core.models import CalendarDay, CalendarYear

D = dt.date
SHANGHAI = dt.timezone(dt.timedelta(hours=8))

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_client(client, system_admin):
    client.force_login(system_admin)
    return client


@pytest.fixture(autouse=True)
def _november_2026():
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI)):
        yield


def test_the_overview_lists_recent_years_with_their_status(office_client):
    # given the seeded schedule and today in November 2026
    # when
    response = office_client.get(reverse("calendar:overview"))
    # then
    assert response.status_code == 200
    years = {status.year: status.status for status in response.context["years"]}
    assert years[2016] == "complete"
    assert years[2027] == "missing"
    assert set(range(2024, 2028)) <= set(years)
    assert reverse("calendar:year", args=[2027]) in response.content.decode()


def test_the_office_is_warned_about_next_years_schedule_in_november(office_client):
    # given / when
    response = office_client.get(reverse("calendar:overview"))
    # then
    assert response.context["calendar_warnings"] == [2027]


def test_the_year_page_shows_national_day_2016_in_the_october_grid(office_client):
    # given / when
    response = office_client.get(reverse("calendar:year", args=[2016]))
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "国庆节" in html
    assert "国庆节调休上班" in html
    assert "2016年10月1日" in html
    october = response.context["months"][9]
    cells = {cell["day"]: cell for week in october["weeks"] for cell in week if cell}
    assert "day-holiday" in cells[3]["classes"]
    assert "day-adjusted" in cells[8]["classes"]
    assert cells[12]["classes"] == ""
    assert cells[16]["classes"] == "day-off"  # an ordinary Sunday
    assert october["weeks"][0][:5] == [None] * 5  # 2016-10-01 is a Saturday
    assert {"when": "10月1日–10月7日", "name": "国庆节", "kind": "day-holiday"} in october["notes"]


def test_the_system_administrator_adds_a_national_holiday_and_sees_it(office_client):
    # given 2027, not yet entered
    url = reverse("calendar:year", args=[2027])
    # when
    response = office_client.post(url, {"date": "2027-01-01", "is_workday": "0", "name": "元旦"})
    # then
    assert response.status_code == 302
    assert response["Location"] == url
    page = office_client.get(url)
    assert "元旦" in page.content.decode()
    assert not get_calendar().is_workday(D(2027, 1, 1))
    january = page.context["months"][0]
    first = next(cell for cell in january["weeks"][0] if cell and cell["day"] == 1)
    assert "day-holiday" in first["classes"]


def test_a_day_of_another_year_is_saved_and_shown_on_its_own_year(office_client):
    # given / when
    response = office_client.post(
        reverse("calendar:year", args=[2026]),
        {"date": "2028-01-01", "is_workday": "0", "name": "元旦"},
    )
    # then
    assert response["Location"] == reverse("calendar:year", args=[2028])
    assert CalendarDay.objects.filter(date=D(2028, 1, 1)).exists()


def test_a_useless_override_is_shown_as_an_error_on_the_kind(office_client):
    # given Monday 2027-01-04, already a working day
    # when
    response = office_client.post(
        reverse("calendar:year", args=[2027]), {"date": "2027-01-04", "is_workday": "1"}
    )
    # then
    assert response.status_code == 200
    form = response.context["form"]
    assert "2027年1月4日" in form.errors["is_workday"][0]
    assert not CalendarDay.objects.filter(date=D(2027, 1, 4)).exists()


def test_a_malformed_date_is_shown_as_an_error_on_the_date(office_client):
    # given / when
    response = office_client.post(
        reverse("calendar:year", args=[2027]), {"date": "2027-02-30", "is_workday": "0"}
    )
    # then
    assert response.status_code == 200
    assert "date" in response.context["form"].errors
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_removing_a_day_asks_first_then_removes_it(office_client, system_admin):
    # given an entered holiday
    day = calendar_day_set(by=system_admin, date=D(2027, 1, 1), is_workday=False, name="元旦")
    url = reverse("calendar:day_remove", args=[day.pk])
    # when the system administrator opens the remove button
    question = office_client.get(url)
    # then it is asked, and nothing is removed yet
    assert question.status_code == 200
    assert "2027年1月1日" in question.context["question"]
    assert question.context["cancel_url"] == reverse("calendar:year", args=[2027])
    assert CalendarDay.objects.filter(pk=day.pk).exists()
    # when it confirms
    response = office_client.post(url)
    # then
    assert response["Location"] == reverse("calendar:year", args=[2027])
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
    assert get_calendar().is_workday(D(2027, 1, 1))


def test_the_system_administrator_marks_2027_complete_and_the_warning_goes(office_client):
    # given / when
    response = office_client.post(reverse("calendar:year_complete", args=[2027]), {"complete": "1"})
    # then
    assert response["Location"] == reverse("calendar:year", args=[2027])
    assert CalendarYear.objects.get(year=2027).complete
    page = office_client.get(reverse("calendar:overview"))
    assert page.context["calendar_warnings"] == []


def test_marking_a_year_without_saying_how_is_a_bad_request(office_client):
    # given / when
    response = office_client.post(reverse("calendar:year_complete", args=[2027]), {})
    # then
    assert response.status_code == 400
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_a_year_outside_the_calendar_is_not_found(office_client):
    # given / when / then
    assert office_client.get(reverse("calendar:year", args=[2100])).status_code == 404


@pytest.mark.parametrize(
    ("name", "args"),
    [("calendar:overview", []), ("calendar:year", [2016])],
)
def test_a_user_without_permission_gets_403(client, nobody, name, args):
    # given
    client.force_login(nobody)
    # when
    response = client.get(reverse(name, args=args))
    # then
    assert response.status_code == 403


def test_a_viewer_sees_the_year_but_cannot_change_it(client, calendar_viewer):
    # given
    client.force_login(calendar_viewer)
    url = reverse("calendar:year", args=[2027])
    # when
    page = client.get(url)
    posted = client.post(url, {"date": "2027-01-01", "is_workday": "0", "name": "元旦"})
    completed = client.post(reverse("calendar:year_complete", args=[2027]), {"complete": "1"})
    # then
    assert page.status_code == 200
    assert page.context["form"] is None
    assert posted.status_code == 403
    assert completed.status_code == 403
    assert not CalendarDay.objects.filter(date=D(2027, 1, 1)).exists()


def test_a_viewer_cannot_open_the_remove_page(client, calendar_viewer):
    # given
    client.force_login(calendar_viewer)
    day = CalendarDay.objects.get(date=D(2016, 10, 3))
    # when
    response = client.post(reverse("calendar:day_remove", args=[day.pk]))
    # then
    assert response.status_code == 403
    assert CalendarDay.objects.filter(pk=day.pk).exists()


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    # given / when
    response = client.get(reverse("calendar:year", args=[2016]))
    # then
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
