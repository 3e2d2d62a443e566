"""Supervision pages: who sees them, what they show, the forms, and their query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from govhall.supervision import services
from govhall.supervision.models import Alert, Appeal, Warning
from tests.factories import UnitFactory
from tests.supervision.conftest import accept, at

# Session, user, scope, center, menu and the office's calendar banner (the page frame), then
# the page's own reads; the same with five more units and cases.
DASHBOARD_QUERIES = 11  # with the queue alerts of the day
MONTH_QUERIES = 17


@pytest.fixture
def red(hall, passport):
    """A red card against 张三's passport case at unit X (due 2016-12-12), issued on 12-13."""
    accept(hall.user("clerk_x"), passport, at(2016, 12, 1, 9, 0))
    (warning,) = services.supervise_day(by=None, center=hall.a, on=dt.date(2016, 12, 13)).issued
    return warning


@pytest.fixture
def outsider(db, django_user_model):
    """A logged-in account with no role anywhere."""
    return django_user_model.objects.create_user("outsider", password="pw-for-tests")


@pytest.mark.parametrize("persona", ["office_a", "supervisor_a", "leader_y", "chief_x"])
def test_the_dashboard_opens_for_people_with_the_permission(login, hall, red, persona):
    response = login(persona).get("/supervision/")
    assert response.status_code == 200


def test_the_dashboard_counts_cards_by_unit_with_a_drill_down(login, hall, red):
    page = login("office_a").get("/supervision/").content.decode()
    assert "公安局" in page
    assert "住建局" in page
    assert f"?unit={hall.x.pk}&amp;level=red&amp;status=active" in page
    listing = login("office_a").get(
        f"/supervision/warnings/?unit={hall.x.pk}&level=red&status=active"
    )
    assert [w.pk for w in listing.context["page"].rows] == [red.pk]


def test_pages_are_refused_without_the_permission(client, outsider, red):
    client.force_login(outsider)
    for url in (
        "/supervision/",
        "/supervision/month/",
        "/supervision/warnings/",
        f"/supervision/warnings/{red.pk}/",
    ):
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_the_login_page(client, red):
    response = client.get("/supervision/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_unit_role_sees_only_its_units_cards(login, hall, red, permit):
    accept(hall.user("office_a"), permit, at(2016, 12, 7, 9, 0))  # due 12-12
    services.supervise_day(by=None, center=hall.a, on=dt.date(2016, 12, 13))
    page = login("leader_y").get("/supervision/warnings/")
    assert {w.unit_id for w in page.context["page"].rows} == {hall.y.pk}
    assert login("leader_y").get(f"/supervision/warnings/{red.pk}/").status_code == 404


def test_another_center_sees_nothing_of_this_one(login, hall, red):
    client = login("office_b")
    assert "公安局" not in client.get("/supervision/").content.decode()
    assert client.get(f"/supervision/warnings/{red.pk}/").status_code == 404
    assert client.get("/supervision/warnings/").context["page"].rows == []


def test_malformed_filters_are_refused(login, red):
    client = login("office_a")
    assert client.get("/supervision/warnings/?level=purple").status_code == 400
    assert client.get("/supervision/warnings/?unit=x").status_code == 400
    assert client.get("/supervision/month/?month=2016-13").status_code == 400
    assert client.get("/supervision/month/?month=december").status_code == 400
    refused = client.get("/supervision/warnings/?cursor=edited")
    assert refused.status_code == 400
    assert "分页游标" in refused.content.decode()  # the message names the page cursor


def test_the_warning_list_pages_by_cursor_keeping_the_filters(login, hall, passport):
    # given 27 red cards issued on the same day, tied on every column but the key
    for _ in range(27):
        accept(hall.user("clerk_x"), passport, at(2016, 12, 1, 9, 0))
    services.supervise_day(by=None, center=hall.a, on=dt.date(2016, 12, 13))
    client = login("supervisor_a")
    # when the office reads the red cards page by page
    first = client.get("/supervision/warnings/", {"level": "red"})
    cursor = first.context["page"].next_cursor
    html = first.content.decode()
    assert f"?level=red&amp;cursor={cursor}" in html
    second = client.get("/supervision/warnings/", {"level": "red", "cursor": cursor})
    # then 25 and 2 cards, each once, with a way back to the first page under the same filter
    assert len(first.context["page"].rows) == 25
    assert len(second.context["page"].rows) == 2
    assert 'href="?level=red"' in second.content.decode()
    assert not second.context["page"].has_next
    shown = [w.pk for w in first.context["page"].rows + second.context["page"].rows]
    assert sorted(shown) == sorted(Warning.objects.values_list("pk", flat=True))


@time_machine.travel(at(2016, 12, 14, 9, 30), tick=False)
def test_the_detail_masks_the_applicant_and_shows_the_overdue_time(login, red):
    page = login("supervisor_a").get(f"/supervision/warnings/{red.pk}/").content.decode()
    assert red.case.number in page
    assert "普通护照签发" in page
    assert "张*" in page
    assert "张三" not in page
    assert "139****1234" in page
    assert "13900001234" not in page
    assert "2016年12月12日" in page
    # past 17:30 on 12-12: all of 12-13 and an hour of 12-14 (hall day 6.5 hours)
    assert "超期1天1小时" in page


def test_the_supervisor_supervises_through_the_form(login, red):
    client = login("supervisor_a")
    assert client.get(f"/supervision/warnings/{red.pk}/supervise/").status_code == 200
    response = client.post(f"/supervision/warnings/{red.pk}/supervise/", {"note": ""})
    assert response.status_code == 200
    assert response.context["form"].errors
    response = client.post(f"/supervision/warnings/{red.pk}/supervise/", {"note": "限期办结"})
    assert response.status_code == 302
    assert Warning.objects.get(pk=red.pk).status == "supervised"


def test_the_chief_appeals_and_the_office_decides_through_the_forms(login, hall, red):
    assert (
        login("chief_x")
        .post(f"/supervision/warnings/{red.pk}/appeal/", {"reason": "申请人要求暂缓"})
        .status_code
        == 302
    )
    appeal = Appeal.objects.get(warning=red)
    assert appeal.appealed_by == hall.user("chief_x")
    client = login("office_a")
    response = client.post(
        f"/supervision/warnings/{red.pk}/decide/", {"decision": "reject", "note": ""}
    )
    assert response.status_code == 200
    assert "note" in response.context["form"].errors
    response = client.post(
        f"/supervision/warnings/{red.pk}/decide/", {"decision": "accept", "note": ""}
    )
    assert response.status_code == 302
    assert Warning.objects.get(pk=red.pk).status == "cancelled"


def test_window_staff_cannot_open_the_decide_or_supervise_forms(login, red):
    client = login("clerk_x")
    assert client.get(f"/supervision/warnings/{red.pk}/decide/").status_code == 403
    assert client.get(f"/supervision/warnings/{red.pk}/supervise/").status_code == 403
    assert (
        client.post(f"/supervision/warnings/{red.pk}/appeal/", {"reason": "x"}).status_code == 403
    )


def test_alerts_show_as_a_badge_and_open_the_warning(login, hall, red):
    client = login("clerk_x")
    assert 'data-testid="unread-alerts">1<' in client.get("/supervision/").content.decode()
    alert = Alert.objects.get(user=hall.user("clerk_x"))
    page = client.get("/supervision/alerts/").content.decode()
    assert red.case.number in page
    response = client.get(f"/supervision/alerts/{alert.pk}/")
    assert response["Location"] == f"/supervision/warnings/{red.pk}/"
    assert Alert.objects.get(pk=alert.pk).read_at is not None
    assert "unread-alerts" not in client.get("/supervision/").content.decode()
    # another person's alert is not found
    assert login("office_a").get(f"/supervision/alerts/{alert.pk}/").status_code == 404


def test_the_office_sets_the_threshold_and_runs_the_check(login, hall, passport):
    client = login("office_a")
    assert client.post("/supervision/settings/", {"yellow_days": "2"}).status_code == 302
    assert client.post("/supervision/settings/", {"yellow_days": "99"}).status_code == 200
    accept(hall.user("clerk_x"), passport, at(2016, 12, 1, 9, 0))
    with time_machine.travel(at(2016, 12, 8, 9, 0), tick=False):  # two working days ahead
        assert client.post("/supervision/run/").status_code == 302
    assert Warning.objects.filter(level="yellow", issued_on=dt.date(2016, 12, 8)).count() == 1
    assert login("supervisor_a").post("/supervision/run/").status_code == 403


@time_machine.travel(at(2017, 1, 5, 9, 0), tick=False)
def test_the_month_report_renders_the_figures(login, hall, red):
    response = login("office_a").get("/supervision/month/?month=2016-12")
    assert response.status_code == 200
    page = response.content.decode()
    assert "2016年12月" in page
    assert red.case.number in page
    assert [r.unit for r in response.context["rows"]] == ["公安局", "住建局"]


def _more_data(hall, passport, n):
    for i in range(n):
        UnitFactory(center=hall.a, name=f"单位{i:02d}")
        accept(hall.user("clerk_x"), passport, at(2016, 12, 1, 9, 0))
    services.supervise_day(by=None, center=hall.a, on=dt.date(2016, 12, 13))


@pytest.mark.parametrize("n", [0, 5])
def test_the_dashboard_takes_a_fixed_number_of_queries(
    login, hall, red, passport, n, django_assert_num_queries
):
    _more_data(hall, passport, n)
    client = login("office_a")
    with django_assert_num_queries(DASHBOARD_QUERIES):
        client.get("/supervision/")


@pytest.mark.parametrize("n", [0, 5])
@time_machine.travel(at(2017, 1, 5, 9, 0), tick=False)
def test_the_month_report_takes_a_fixed_number_of_queries(
    login, hall, red, passport, n, django_assert_num_queries
):
    _more_data(hall, passport, n)
    client = login("office_a")
    with django_assert_num_queries(MONTH_QUERIES):
        client.get("/supervision/month/?month=2016-12")


def test_the_office_decides_an_appeal_with_the_units_reason_in_view(login, hall, red):
    # given the chief appealed the red card with his reason
    login("chief_x").post(f"/supervision/warnings/{red.pk}/appeal/", {"reason": "申请人要求暂缓"})
    # when the office opens the decision form
    page = login("office_a").get(f"/supervision/warnings/{red.pk}/decide/").content.decode()
    # then the reason is on it
    assert re.search(r"data-appeal-reason>申请人要求暂缓<", page)
