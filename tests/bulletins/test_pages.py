"""The bulletin pages and the dashboard: the office creates, edits, previews, publishes and
downloads; supervisors and leaders read what was published; window staff get 403."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from govhall.bulletins import services
from govhall.bulletins.models import Bulletin

pytestmark = pytest.mark.usefixtures("after_the_month")


@pytest.fixture
def draft(hall):
    return services.bulletin_create(by=hall.user("office_a"), center=hall.a, month="2016-12")


def test_the_office_creates_an_issue(hall, december, login):
    client = login("office_a")
    page = client.get(reverse("bulletins:list"))
    assert page.status_code == 200
    response = client.post(reverse("bulletins:create"), {"month": "2016-12", "number": ""})
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("bulletins:detail", args=[bulletin.pk])
    assert (bulletin.center, bulletin.number) == (hall.a, 1)
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    content = detail.content.decode()
    assert "测试政务服务【2016】第1期" in content
    assert "受理业务前二名窗口单位为：公安局(4件)、住建局(2件)。" in content
    assert content.count("<svg") >= 2


def test_a_bad_month_or_a_taken_number_is_shown_on_the_form(hall, draft, login):
    client = login("office_a")
    bad = client.post(reverse("bulletins:create"), {"month": "十二月"})
    assert bad.status_code == 400
    taken = client.post(reverse("bulletins:create"), {"month": "2016-11", "number": "1"})
    assert taken.status_code == 400
    assert Bulletin.objects.count() == 1


def test_window_staff_get_403(hall, draft, login):
    client = login("clerk_x")
    for url in (
        reverse("bulletins:list"),
        reverse("bulletins:dashboard"),
        reverse("bulletins:detail", args=[draft.pk]),
        reverse("bulletins:download", args=[draft.pk, "pdf"]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("bulletins:create"), {"month": "2016-11"}).status_code == 403
    assert client.post(reverse("bulletins:publish", args=[draft.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, draft):
    response = client.get(reverse("bulletins:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_office_edits_texts_and_number(hall, draft, login):
    client = login("office_a")
    form = client.get(reverse("bulletins:edit", args=[draft.pk]))
    assert form.status_code == 200
    response = client.post(
        reverse("bulletins:edit", args=[draft.pk]),
        {
            "number": "3", "title": "12月份窗口工作情况通报", "issued_on": "2017-01-05",
            "intro": "开头。", "problems": "1.问题一。", "plans": "1.计划一。", "copy_to": "",
        },
    )  # fmt: skip
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.number, draft.problems) == (3, "1.问题一。")
    clash = services.bulletin_create(by=None, center=hall.a, month="2016-11")
    refused = client.post(
        reverse("bulletins:edit", args=[clash.pk]),
        {"number": "3", "title": "t", "problems": "", "plans": "", "intro": ""},
    )
    assert refused.status_code == 400


def test_publish_then_read_versions(hall, december, draft, login):
    office = login("office_a")
    assert office.post(reverse("bulletins:publish", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.is_published
    version = office.get(reverse("bulletins:version", args=[draft.pk, 1]))
    assert version.status_code == 200
    assert "共受理业务办件6件" in version.content.decode()
    assert office.get(reverse("bulletins:version", args=[draft.pk, 9])).status_code == 404


def test_downloads_in_every_format(hall, december, draft, login):
    client = login("office_a")
    expected = {
        "html": "text/html",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pdf": "application/pdf",
        "json": "application/json",
    }
    for fmt, content_type in expected.items():
        response = client.get(reverse("bulletins:download", args=[draft.pk, fmt]))
        assert response.status_code == 200, fmt
        assert response["Content-Type"].startswith(content_type)
        assert "filename" in response["Content-Disposition"]
    data = json.loads(client.get(reverse("bulletins:download", args=[draft.pk, "json"])).content)
    assert data["cases"]["accepted"] == 6
    assert client.get(reverse("bulletins:download", args=[draft.pk, "xlsx"])).status_code == 404
    services.bulletin_publish(by=None, bulletin=draft)
    frozen = client.get(reverse("bulletins:version_download", args=[draft.pk, 1, "json"]))
    assert json.loads(frozen.content)["cases"]["accepted"] == 6


@pytest.mark.parametrize("persona", ["supervisor_a", "leader_y"])
def test_supervisors_and_leaders_read_only_what_was_published(hall, draft, login, persona):
    client = login(persona)
    assert client.get(reverse("bulletins:list")).status_code == 200
    assert client.get(reverse("bulletins:detail", args=[draft.pk])).status_code == 404
    services.bulletin_publish(by=None, bulletin=draft)
    detail = client.get(reverse("bulletins:detail", args=[draft.pk]))
    assert detail.status_code == 200
    content = detail.content.decode()
    assert reverse("bulletins:publish", args=[draft.pk]) not in content
    assert reverse("bulletins:edit", args=[draft.pk]) not in content
    assert client.get(reverse("bulletins:edit", args=[draft.pk])).status_code == 403
    assert client.post(reverse("bulletins:publish", args=[draft.pk])).status_code == 403


def test_another_centers_office_sees_nothing_of_it(hall, draft, login):
    client = login("office_b")
    assert client.get(reverse("bulletins:detail", args=[draft.pk])).status_code == 404
    assert draft.title not in client.get(reverse("bulletins:list")).content.decode()


def test_the_dashboard_shows_the_month_with_links(hall, december, login):
    client = login("office_a")
    page = client.get(reverse("bulletins:dashboard"), {"month": "2016-12"})
    assert page.status_code == 200
    content = page.content.decode()
    assert 'data-figure="accepted"' in content
    assert page.context["f"].cases.accepted == 6
    links = page.context["links"]
    assert links["supervision"] == "/supervision/month/?month=2016-12"
    assert links["cases"] == "/cases/list/?from=2016-12-01&to=2016-12-31"
    assert f"/cases/list/?from=2016-12-01&amp;to=2016-12-31&amp;unit={hall.x.pk}" in content
    assert content.count("<svg") == 4  # by unit, trend, timeliness, satisfaction
    assert client.get(reverse("bulletins:dashboard"), {"month": "12月"}).status_code == 400


def test_the_dashboard_defaults_to_the_last_month_with_cases(hall, december, login):
    page = login("office_a").get(reverse("bulletins:dashboard"))
    # the latest acceptance is 00:10 on 2017-01-01
    assert page.context["month"].isoformat() == "2017-01-01"


def test_the_dashboard_links_only_pages_the_person_may_open(hall, december, login):
    from govhall.bulletins.views import RECORD_PAGES

    page = login("leader_y").get(reverse("bulletins:dashboard"), {"month": "2016-12"})
    assert page.status_code == 200
    user = page.wsgi_request.user
    allowed = {key for key, _name, perm in RECORD_PAGES if user.has_perm(perm)}
    assert set(page.context["links"]) == allowed
    assert "cases" in allowed
    assert "inspections" in allowed


def test_publishing_asks_for_confirmation_naming_the_issue(hall, draft, login):
    page = login("office_a").get(reverse("bulletins:detail", args=[draft.pk])).content.decode()
    form = page[page.index(reverse("bulletins:publish", args=[draft.pk])) :].split(">", 1)[0]
    assert 'data-confirm="确定发布' in form
    assert "第" in form  # the issue, 随县政务服务【2016】第N期


def test_a_pdf_asked_for_with_a_token_says_when_it_has_started(hall, december, draft, login):
    # given the page's script adds a token to the link it was clicked on
    client = login("office_a")
    page = client.get(reverse("bulletins:detail", args=[draft.pk])).content.decode()
    assert 'data-download="正在生成' in page
    # when
    url = reverse("bulletins:download", args=[draft.pk, "pdf"])
    response = client.get(url, {"download_token": "abc123XYZ9"})
    # then the answer carries the token back for the script to see
    assert response["Content-Type"] == "application/pdf"
    assert response.cookies["govhall_download"].value == "abc123XYZ9"
    assert not response.cookies["govhall_download"]["httponly"]
    # and a malformed token is ignored
    odd = client.get(url, {"download_token": "<script>"})
    assert "govhall_download" not in odd.cookies
