"""The office's queue pages: categories and their windows, the settings, today's numbers."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from govhall.core.models import AuditEntry
from govhall.queueing.choices import TicketStatus
from govhall.queueing.models import QueueCategory, QueueSettings
from govhall.queueing.selectors import settings_of
from govhall.queueing.services import ticket_call_next, ticket_issue
from tests.queueing.conftest import Queue


def category_data(queue: Queue, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": "c",
        "name": "综合受理",
        "units": [queue.hall.x.pk, queue.hall.y.pk],
        "windows": [queue.hall.x_window.pk, queue.hall.y_window.pk],
        "position": 3,
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_the_office_adds_a_category_served_by_two_windows(queue: Queue, login: Any) -> None:
    # when the office adds category c (small letter) for both units and windows
    response = login("office_a").post(
        reverse("queueing:category_create"), category_data(queue), follow=True
    )
    # then it is saved as C, listed, and the write is audited
    category = QueueCategory.objects.get(code="C")
    assert set(category.windows.all()) == {queue.hall.x_window, queue.hall.y_window}
    assert "综合受理" in response.content.decode()
    assert AuditEntry.objects.filter(action="queue.category_save").exists()


def test_a_letter_already_used_is_refused_naming_the_field(queue: Queue, login: Any) -> None:
    response = login("office_a").post(
        reverse("queueing:category_create"), category_data(queue, code="A")
    )
    assert response.status_code == 400
    assert "字母" in " ".join(response.context["form"].errors["code"])
    assert QueueCategory.objects.count() == 2


def test_a_category_needs_units_or_items(queue: Queue, login: Any) -> None:
    response = login("office_a").post(
        reverse("queueing:category_create"), category_data(queue, units=[])
    )
    assert response.status_code == 400
    assert response.context["form"].errors["units"]


def test_the_office_edits_and_deactivates_a_category(queue: Queue, login: Any) -> None:
    login("office_a").post(
        reverse("queueing:category_edit", args=[queue.a.pk]),
        category_data(queue, code="A", name="出入境", units=[queue.hall.x.pk], is_active=""),
    )
    queue.a.refresh_from_db()
    assert (queue.a.name, queue.a.is_active) == ("出入境", False)


def test_a_category_with_numbers_cannot_be_deleted(queue: Queue, login: Any) -> None:
    # given a number taken in A
    ticket_issue(center=queue.hall.a, category="A", channel="kiosk")
    client = login("office_a")
    # then the confirmation says to deactivate, and a POST deletes nothing
    page = client.get(reverse("queueing:category_delete", args=[queue.a.pk]))
    assert page.context["has_tickets"]
    response = client.post(reverse("queueing:category_delete", args=[queue.a.pk]), follow=True)
    assert any("停用" in str(m) for m in response.context["messages"])
    assert QueueCategory.objects.filter(pk=queue.a.pk).exists()


def test_a_category_without_numbers_is_deleted_after_confirmation(queue: Queue, login: Any) -> None:
    client = login("office_a")
    page = client.get(reverse("queueing:category_delete", args=[queue.b.pk]))
    assert not page.context["has_tickets"]
    client.post(reverse("queueing:category_delete", args=[queue.b.pk]))
    assert not QueueCategory.objects.filter(pk=queue.b.pk).exists()


def test_a_clerk_may_not_manage_categories(queue: Queue, login: Any) -> None:
    client = login("clerk_x")
    assert client.get(reverse("queueing:category_list")).status_code == 403
    response = client.post(reverse("queueing:category_create"), category_data(queue))
    assert response.status_code == 403
    assert client.post(reverse("queueing:settings"), {}).status_code == 403


SETTINGS = {
    "ticketing_opens": "09:00",
    "ticketing_closes": "17:00",
    "skip_back_places": "5",
    "max_skips": "1",
    "wait_limit_minutes": "40",
    "idle_minutes": "10",
    "late_opening_minutes": "20",
    "minutes_per_ticket": "8",
}


def test_the_office_sets_the_queue_rules(queue: Queue, login: Any) -> None:
    # the defaults show first
    client = login("office_a")
    assert (
        client.get(reverse("queueing:settings")).context["form"].initial["wait_limit_minutes"] == 30
    )
    # when the office saves its own
    client.post(reverse("queueing:settings"), SETTINGS)
    # then they are the center's
    saved = settings_of(queue.hall.a)
    assert (saved.skip_back_places, saved.wait_limit_minutes, saved.idle_minutes) == (5, 40, 10)
    assert saved.ticketing_opens.strftime("%H:%M") == "09:00"


def test_ticketing_hours_outside_the_hall_or_backwards_are_refused(
    queue: Queue, login: Any
) -> None:
    client = login("office_a")
    early = client.post(reverse("queueing:settings"), {**SETTINGS, "ticketing_opens": "07:00"})
    backwards = client.post(
        reverse("queueing:settings"),
        {**SETTINGS, "ticketing_opens": "11:00", "ticketing_closes": "10:00"},
    )
    assert early.status_code == 400
    assert "08:30" in " ".join(early.context["form"].errors["ticketing_opens"])
    assert backwards.status_code == 400
    assert backwards.context["form"].errors["ticketing_closes"]
    assert not QueueSettings.objects.exists()


def test_a_limit_of_zero_minutes_is_refused(queue: Queue, login: Any) -> None:
    response = login("office_a").post(
        reverse("queueing:settings"), {**SETTINGS, "wait_limit_minutes": "0"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["wait_limit_minutes"]


def test_todays_queue_filters_and_finds_numbers(queue: Queue, login: Any) -> None:
    # given two numbers of A (one called) and one of B
    for code in ("A", "A", "B"):
        ticket_issue(center=queue.hall.a, category=code, channel="kiosk")
    ticket_call_next(window=queue.hall.x_window, by=None)
    client = login("office_a")
    url = reverse("queueing:ticket_list")
    # then each filter narrows the list
    assert client.get(url).context["page"].paginator.count == 3
    by_category = client.get(url, {"category": queue.b.pk}).context["page"]
    assert [t.number for t in by_category] == ["B001"]
    called = client.get(url, {"status": TicketStatus.CALLED}).context["page"]
    assert [t.number for t in called] == ["A001"]
    assert [t.number for t in client.get(url, {"q": "a002"}).context["page"]] == ["A002"]
    # and a search that finds nothing says so
    assert "没有" in client.get(url, {"q": "Z9"}).content.decode()


def test_todays_queue_is_empty_before_the_first_number_and_refuses_bad_filters(
    queue: Queue, login: Any
) -> None:
    client = login("office_a")
    assert client.get(reverse("queueing:ticket_list")).context["page"].paginator.count == 0
    assert client.get(reverse("queueing:ticket_list"), {"status": "x"}).status_code == 400


def test_a_unit_clerk_sees_only_the_numbers_of_their_units_categories(
    queue: Queue, login: Any
) -> None:
    for code in ("A", "B"):
        ticket_issue(center=queue.hall.a, category=code, channel="kiosk")
    page = login("clerk_x").get(reverse("queueing:ticket_list")).context["page"]
    assert [t.number for t in page] == ["A001"]
    other = login("clerk_z").get(reverse("queueing:ticket_list")).context["page"]
    assert other.paginator.count == 0
