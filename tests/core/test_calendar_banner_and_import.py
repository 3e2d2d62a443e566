"""The missing-schedule banner (who, from when, dismissed for a week) and entering the State
Council's notice from the calendar year page (preview, confirm, all or nothing)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from govhall.core.calendar import calendar_schedule_import, get_calendar
from govhall.core.errors import DomainError
from govhall.core.holiday_notice import ScheduleDay
from govhall.core.models import AuditEntry, CalendarDay, CalendarYear

D = dt.date
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
NOTICE_2026 = (Path(__file__).parent / "notices" / "2026.txt").read_text(encoding="utf-8")
# The 2026 notice's items, with the weekdays of 2027 (a made-up 2027 schedule for the tests).
NOTICE_2027 = (
    "国务院办公厅关于2027年部分节假日安排的通知\n"
    "一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n"
    "二、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。\n"
)

pytestmark = pytest.mark.django_db


def at(year, month, day, hour=10):
    return time_machine.travel(dt.datetime(year, month, day, hour, 0, tzinfo=SHANGHAI), tick=False)


def banner(client):
    return client.get(reverse("home")).context["calendar_warnings"]


# --- the banner ------------------------------------------------------------------------------


def test_the_office_sees_no_banner_about_2027_on_31_october(login):
    with at(2026, 10, 31):
        assert banner(login("office_a")) == []


def test_the_office_sees_the_banner_about_2027_from_1_november(login):
    with at(2026, 11, 1, hour=8):
        client = login("office_a")
        response = client.get(reverse("home"))
    assert response.context["calendar_warnings"] == [2027]
    html = response.content.decode()
    assert "只能由系统管理员录入" in html  # the office is told whom to ask
    assert reverse("calendar:banner_dismiss") in html


def test_the_system_administrator_sees_the_banner_with_the_way_to_the_entry_form(login):
    with at(2026, 11, 1):
        response = login("admin").get(reverse("home"))
    html = response.content.decode()
    assert response.context["calendar_warnings"] == [2027]
    assert reverse("calendar:year", args=[2027]) + "#import-form" in html


@pytest.mark.parametrize("persona", ["clerk_x", "chief_x", "leader_y", "supervisor_a"])
def test_window_staff_chiefs_leaders_and_supervisors_never_see_the_banner(login, persona):
    with at(2026, 12, 20):
        assert banner(login(persona)) == []


def test_a_dismissed_banner_stays_hidden_for_seven_days_then_comes_back(login):
    with at(2026, 11, 2):
        client = login("office_a")
        response = client.post(reverse("calendar:banner_dismiss"), {"next": "/"})
        assert response.status_code == 302
        assert response["Location"] == "/"
        assert banner(client) == []
    with at(2026, 11, 9, hour=9):  # six days and 23 hours later
        assert banner(client) == []
    with at(2026, 11, 9, hour=11):
        assert banner(client) == [2027]


def test_dismissing_hides_the_banner_only_for_the_person_who_dismissed_it(login, client, hall):
    with at(2026, 11, 2):
        login("office_a").post(reverse("calendar:banner_dismiss"))
        client.logout()
        assert banner(login("office_b")) == [2027]


def test_dismissing_needs_a_post(login):
    with at(2026, 11, 2):
        client = login("office_a")
        assert client.get(reverse("calendar:banner_dismiss")).status_code == 405
        assert banner(client) == [2027]


def test_dismissing_does_not_redirect_to_another_site(login):
    with at(2026, 11, 2):
        response = login("office_a").post(
            reverse("calendar:banner_dismiss"), {"next": "https://evil.example/"}
        )
    assert response["Location"] == reverse("home")


# --- entering the notice -------------------------------------------------------------------


def test_the_year_page_offers_the_notice_form_to_the_system_administrator_only(login):
    url = reverse("calendar:year", args=[2027])
    assert login("admin").get(url).context["import_form"] is not None
    assert login("office_a").get(url).context["import_form"] is None


def test_the_office_cannot_enter_the_national_notice(login):
    response = login("office_a").post(
        reverse("calendar:year_import", args=[2027]), {"text": NOTICE_2027}
    )
    assert response.status_code == 403
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_a_pasted_notice_is_previewed_and_nothing_is_entered_yet(login):
    # when
    response = login("admin").post(
        reverse("calendar:year_import", args=[2027]), {"text": NOTICE_2027}
    )
    # then
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(row["date"], row["kind"], row["action"]) for row in rows[:3]] == [
        ("2027年1月1日", "休息日", "new"),
        ("2027年1月2日", "休息日", "new"),
        ("2027年1月3日", "休息日", "new"),
    ]
    assert (response.context["days_off"], response.context["workdays"]) == (10, 2)
    assert "2027年9月26日" in response.content.decode()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_confirming_the_preview_enters_every_day_audited_and_marks_the_year_complete(login):
    client = login("admin")
    url = reverse("calendar:year_import", args=[2027])
    preview = client.post(url, {"text": NOTICE_2027})
    # when
    response = client.post(
        url, {"confirm": "1", "days": preview.context["days_csv"], "complete": "1"}
    )
    # then
    assert response["Location"] == reverse("calendar:year", args=[2027])
    assert CalendarDay.objects.filter(date__year=2027, center__isnull=True).count() == 12
    assert AuditEntry.objects.filter(action="calendar.day_set").count() == 12
    assert CalendarYear.objects.get(year=2027).complete
    calendar = get_calendar()
    assert not calendar.is_workday(D(2027, 10, 4))
    assert calendar.is_workday(D(2027, 10, 9))  # a Saturday worked


def test_confirming_without_completing_leaves_the_year_open(login):
    client = login("admin")
    url = reverse("calendar:year_import", args=[2027])
    preview = client.post(url, {"text": NOTICE_2027})
    client.post(url, {"confirm": "1", "days": preview.context["days_csv"]})
    assert CalendarDay.objects.filter(date__year=2027).count() == 12
    assert not CalendarYear.objects.get(year=2027).complete


def test_an_uploaded_csv_is_previewed_like_the_notice(login):
    upload = SimpleUploadedFile(
        "2027.csv", "日期,类型,名称\n2027-01-01,休息日,元旦\n".encode("utf-8-sig")
    )
    response = login("admin").post(reverse("calendar:year_import", args=[2027]), {"file": upload})
    assert [row["name"] for row in response.context["rows"]] == ["元旦"]


def test_a_bad_csv_row_is_named_and_nothing_is_entered(login):
    upload = SimpleUploadedFile(
        "2027.csv", "日期,类型,名称\n2027-01-01,休息日,元旦\n2027-13-01,休息日,\n".encode()
    )
    response = login("admin").post(reverse("calendar:year_import", args=[2027]), {"file": upload})
    assert response.status_code == 400
    assert "第3行：日期“2027-13-01”不是像2027-01-01这样的日期。" in response.content.decode()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_the_2026_notice_on_the_2026_page_changes_no_days_kind(login):
    # given 2026 seeded from chinesecalendar; when the notice is pasted again
    response = login("admin").post(
        reverse("calendar:year_import", args=[2026]), {"text": NOTICE_2026}
    )
    # then every day is already there with the same kind (only names like 清明 → 清明节 differ)
    rows = response.context["rows"]
    assert len(rows) == 39
    assert all(row["current"].is_workday == row["is_workday"] for row in rows)


def test_a_tampered_confirmation_is_refused_whole(login):
    # given a confirmation whose last row is wrong
    client = login("admin")
    days = "日期,类型,名称\n2027-01-01,休息日,元旦\n2027-01-02,休息日,元旦\n2100-01-01,休息日,坏\n"
    # when
    response = client.post(
        reverse("calendar:year_import", args=[2027]), {"confirm": "1", "days": days}
    )
    # then
    assert response["Location"] == reverse("calendar:year", args=[2027])
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    page = client.get(response["Location"])
    assert "第4行：2100年1月1日不在2027年的安排中。" in page.content.decode()
    assert "未录入任何内容" in page.content.decode()


def test_a_day_the_calendar_refuses_undoes_the_days_entered_before_it(hall):
    # given two good days and then one outside the calendar's range
    days = [
        ScheduleDay(D(2027, 1, 1), False, "元旦"),
        ScheduleDay(D(2027, 1, 2), False, "元旦"),
        ScheduleDay(D(2100, 1, 1), False, "元旦"),
    ]
    # when
    with pytest.raises(DomainError) as refused:
        calendar_schedule_import(by=hall.user("admin"), year=2027, days=days, complete=True)
    # then
    assert refused.value.message.startswith("2100年1月1日")
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert not CalendarYear.objects.filter(year=2027, complete=True).exists()
    assert not AuditEntry.objects.filter(action="calendar.day_set").exists()
