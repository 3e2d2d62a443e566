"""Oversight pages: permissions, scoping, the photo only for those who may see it, the hall
screen, and a leader's phone going through the sign-in by login and by texted link."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from govhall.oversight import codes, services
from govhall.oversight.choices import ViolationKind
from govhall.oversight.models import Inspection, PatrolSignIn
from tests.oversight.conftest import JPEG_BYTES, PDF_BYTES, at

NOW = at(2016, 12, 20, 10, 0)


@pytest.fixture
def inspection(hall):
    with time_machine.travel(NOW):
        return services.inspection_create(
            by=None,
            center=hall.a,
            kind=ViolationKind.OFF_POST,
            occurred_at=at(2016, 12, 19, 15, 30),
            description="离岗一小时无人替岗",
            points="2",
            staff=hall.x_clerk,
            photo=SimpleUploadedFile("p.jpg", JPEG_BYTES),
        )


# --- inspections --------------------------------------------------------------------------


def test_the_office_records_an_inspection_with_a_photo(hall, login):
    client = login("office_a")
    with time_machine.travel(NOW):
        response = client.post(
            reverse("oversight:inspection_create"),
            {
                "kind": ViolationKind.TV_OR_CHAT,
                "occurred_at": "2016-12-20T09:40",
                "staff": hall.y_clerk.pk,
                "description": "上班时间看电视",
                "points": "2",
                "photo": SimpleUploadedFile("tv.jpg", JPEG_BYTES),
            },
        )
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert inspection.unit == hall.y
    assert inspection.photo


def test_a_photo_of_the_wrong_type_is_refused_on_the_form(hall, login):
    client = login("office_a")
    with time_machine.travel(NOW):
        response = client.post(
            reverse("oversight:inspection_create"),
            {
                "kind": ViolationKind.TV_OR_CHAT,
                "occurred_at": "2016-12-20T09:40",
                "staff": hall.y_clerk.pk,
                "description": "上班时间看电视",
                "points": "2",
                "photo": SimpleUploadedFile("tv.jpg", PDF_BYTES),
            },
        )
    assert response.status_code == 200
    assert response.context["form"].errors["photo"]
    assert not Inspection.objects.exists()


def test_the_list_and_print_pages_show_the_month(hall, login, inspection):
    client = login("office_a")
    listing = client.get(reverse("oversight:inspection_list"), {"month": "2016-12"})
    printed = client.get(reverse("oversight:inspection_print"), {"month": "2016-12"})
    assert "离岗一小时无人替岗" in listing.content.decode()
    assert "钱办事" in printed.content.decode()
    assert client.get(reverse("oversight:inspection_list"), {"month": "12/2016"}).status_code == 400


@pytest.mark.parametrize(
    ("persona", "status"), [("office_b", 404), ("leader_y", 404), ("clerk_x", 403)]
)
def test_an_inspection_and_its_photo_are_hidden_from_others(
    hall, login, inspection, persona, status
):
    client = login(persona)
    assert (
        client.get(reverse("oversight:inspection_detail", args=[inspection.pk])).status_code
        == status
    )
    assert (
        client.get(reverse("oversight:inspection_photo", args=[inspection.pk])).status_code
        == status
    )


@pytest.mark.parametrize("persona", ["office_a", "chief_x", "supervisor_a"])
def test_the_photo_is_served_to_those_who_may_see_the_inspection(hall, login, inspection, persona):
    response = login(persona).get(reverse("oversight:inspection_photo", args=[inspection.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")


def test_the_photo_is_never_public(client, hall, inspection):
    response = client.get(reverse("oversight:inspection_photo", args=[inspection.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_withdrawing_on_the_page_needs_a_reason(hall, login, inspection):
    client = login("office_a")
    url = reverse("oversight:inspection_withdraw", args=[inspection.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "误记"}).status_code == 302
    inspection.refresh_from_db()
    assert inspection.is_withdrawn


def test_a_unit_chief_cannot_record_or_withdraw(hall, login, inspection):
    client = login("chief_x")
    assert client.get(reverse("oversight:inspection_create")).status_code == 403
    url = reverse("oversight:inspection_withdraw", args=[inspection.pk])
    assert client.post(url, {"reason": "x"}).status_code == 403


# --- the hall screen ---------------------------------------------------------------------------


def test_the_hall_screen_is_for_the_office(hall, login):
    assert login("office_a").get(reverse("oversight:patrol_screen")).status_code == 200
    assert login("leader_y").get(reverse("oversight:patrol_screen")).status_code == 403


def test_the_screen_page_has_no_inline_script_and_reloads_its_code(hall, login):
    html = login("office_a").get(reverse("oversight:patrol_screen")).content.decode()
    assert "oversight/patrol-screen.js" in html
    assert reverse("oversight:patrol_screen_code") in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " on" + "click=" not in html


def test_the_code_image_is_an_svg_never_cached(hall, login):
    response = login("office_a").get(reverse("oversight:patrol_screen_code"))
    assert response["Content-Type"] == "image/svg+xml"
    assert "no-store" in response["Cache-Control"]
    assert b"<svg" in response.content


# --- a leader's phone --------------------------------------------------------------------------


def scan_url(center, when):
    minute = codes.minute_of(when)
    return reverse(
        "oversight:patrol_scan", args=[center.pk, minute, codes.code_for(center.pk, minute)]
    )


def test_a_logged_in_leader_scans_signs_in_and_later_signs_out(hall, leaders, login):
    client = login("leader_y")
    nine = at(2016, 12, 13, 9, 0, 10)
    with time_machine.travel(nine, tick=False):
        response = client.get(scan_url(hall.a, nine))
        assert response.status_code == 302
        page = client.get(reverse("oversight:patrol_sign"))
        assert "吴分管" in page.content.decode()
        done = client.post(reverse("oversight:patrol_sign"), {"notes": "检查纪律"})
    assert done.status_code == 200
    visit = PatrolSignIn.objects.get()
    assert visit.signed_in_at == nine
    with time_machine.travel(nine + dt.timedelta(minutes=1)):  # no sign-out without a new scan
        assert client.post(reverse("oversight:patrol_sign"), {"notes": ""}).status_code == 400
    noon = at(2016, 12, 13, 12, 0, 5)
    with time_machine.travel(noon):
        client.get(scan_url(hall.a, noon))
        client.post(reverse("oversight:patrol_sign"), {"notes": "离开"})
    visit.refresh_from_db()
    assert visit.minutes == 179


def test_an_expired_code_shows_a_refusal(hall, leaders, client):
    shown = at(2016, 12, 13, 9, 0, 10)
    with time_machine.travel(shown + dt.timedelta(minutes=3)):
        response = client.get(scan_url(hall.a, shown))
        assert response.status_code == 400
        assert client.get(reverse("oversight:patrol_sign")).status_code == 400


def test_a_leader_without_login_signs_in_by_the_texted_link(hall, leaders, client, outbox):
    nine = at(2016, 12, 13, 9, 0, 10)
    with time_machine.travel(nine):
        client.get(scan_url(hall.a, nine))
        page = client.get(reverse("oversight:patrol_sign"))
        names = page.content.decode()
        assert "王分管" in names
        assert "冯分管" not in names  # another center's leader is not offered
        sent = client.post(
            reverse("oversight:patrol_sign"),
            {"leader": leaders.x_deputy.pk, "purpose": "sign_in", "notes": "巡查"},
        )
        assert sent.status_code == 302
        assert "139****3333" in client.get(sent["Location"]).content.decode()
    path = re.search(r"https?://[^/]+(/oversight/patrol/c/[^ ]+/)", outbox[0].text).group(1)
    with time_machine.travel(nine + dt.timedelta(minutes=2)):
        assert client.get(path).status_code == 200  # opening the link alone changes nothing
        assert not PatrolSignIn.objects.exists()
        assert client.post(path).status_code == 200
    visit = PatrolSignIn.objects.get()
    assert (visit.leader, visit.signed_in_at) == (leaders.x_deputy, nine)


def test_a_wrong_link_shows_a_refusal(hall, client):
    response = client.get(reverse("oversight:patrol_confirm", args=["made-up-token-000000000"]))
    assert response.status_code == 404
    assert client.post(reverse("oversight:patrol_confirm", args=["x" * 30])).status_code == 404


# --- reports --------------------------------------------------------------------------------


def test_the_month_report_names_signed_and_unsigned_units(hall, leaders, login):
    with time_machine.travel(NOW):
        services.patrol_record(by=None, leader=leaders.y_deputy, signed_in_at=at(2016, 12, 5, 9))
    html = (
        login("office_a")
        .get(reverse("oversight:patrol_month"), {"month": "2016-12"})
        .content.decode()
    )
    signed = re.search(r'id="signed-units">([^<]*)<', html).group(1)
    unsigned = re.search(r'id="unsigned-units">([^<]*)<', html).group(1)
    assert (signed, unsigned) == ("住建局", "公安局")


@pytest.mark.parametrize(
    "name", ["patrol_list", "patrol_month", "patrol_quotas", "leader_list", "inspection_list"]
)
def test_the_pages_answer_the_office_and_refuse_the_window_clerk(hall, leaders, login, name):
    assert login("office_a").get(reverse(f"oversight:{name}")).status_code == 200
    assert login("clerk_x").get(reverse(f"oversight:{name}")).status_code == 403


def test_the_office_changes_the_quotas_on_the_page(hall, login):
    client = login("office_a")
    response = client.post(
        reverse("oversight:patrol_quota_edit"),
        {
            "head_period": "quarter",
            "head_minutes": "240",
            "deputy_period": "month",
            "deputy_minutes": "120",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("oversight:patrol_quotas")).content.decode()
    assert "240" in page


def test_the_office_registers_a_leader_and_enters_a_paper_sign_in(hall, login):
    client = login("office_a")
    response = client.post(
        reverse("oversight:leader_create"),
        {"unit": hall.y.pk, "name": "新分管", "title": "副局长", "role": "deputy", "phone": "13900005555",
         "user": hall.user("leader_y").pk},
    )  # fmt: skip
    assert response.status_code == 302
    leader = hall.user("leader_y").unit_leader
    with time_machine.travel(NOW):
        response = client.post(
            reverse("oversight:patrol_record"),
            {
                "leader": leader.pk,
                "signed_in_at": "2016-12-19T09:00",
                "signed_out_at": "2016-12-19T11:00",
            },
        )
    assert response.status_code == 302
    assert PatrolSignIn.objects.get().minutes == 120


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_pages_cost_the_same_queries_for_few_or_many_rows(hall, leaders, login):
    client = login("office_a")
    urls = [
        reverse("oversight:inspection_list"),
        reverse("oversight:patrol_list"),
        reverse("oversight:patrol_quotas") + "?on=2016-12-20",
        reverse("oversight:inspection_print") + "?month=2016-12",
    ]

    def add(n, day):
        with time_machine.travel(NOW):
            for i in range(n):
                staff = hall.x_clerk if i % 2 else hall.y_clerk
                services.inspection_create(
                    by=None, center=hall.a, kind=ViolationKind.OTHER, staff=staff,
                    occurred_at=at(2016, 12, day, 8, i), description="x", points="1",
                )  # fmt: skip
                leader = leaders.x_deputy if i % 2 else leaders.y_head
                services.patrol_record(
                    by=None, leader=leader, signed_in_at=at(2016, 12, day, 9, i),
                    signed_out_at=at(2016, 12, day, 10, i),
                )  # fmt: skip

    add(2, 1)
    [_queries(client, url) for url in urls]  # warm the per-process caches
    few = [_queries(client, url) for url in urls]
    add(10, 2)
    assert [_queries(client, url) for url in urls] == few
