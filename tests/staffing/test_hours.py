"""The hall's hours (作息时间): seasonal variants kept by the office, used for lateness."""

from __future__ import annotations

import datetime as dt

import pytest

from govhall.core.errors import DomainError, NotAllowed
from govhall.core.models import AuditEntry
from govhall.org import services
from govhall.org.hours import hours_of
from govhall.org.models import HallHours


def variant(hall, by="office_a", **changes):
    data = {
        "name": "冬季作息时间", "from_month": 10, "from_day": 1,
        "morning_start": dt.time(8, 30), "morning_end": dt.time(12, 0),
        "afternoon_start": dt.time(14, 30), "afternoon_end": dt.time(17, 30),
    } | changes  # fmt: skip
    return services.hall_hours_create(by=hall.user(by) if by else None, center=hall.a, **data)


def test_winter_and_summer_hours_apply_from_their_first_day(hall):
    variant(hall)
    variant(
        hall,
        name="夏季作息时间",
        from_month=5,
        afternoon_start=dt.time(15),
        afternoon_end=dt.time(18),
    )
    hours = hours_of(hall.a)
    assert hours(dt.date(2016, 12, 8)).afternoon_start == dt.time(14, 30)
    assert hours(dt.date(2016, 7, 8)).afternoon_start == dt.time(15, 0)
    assert AuditEntry.objects.filter(action="hall_hours.create", chain=hall.a.pk).count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"morning_end": dt.time(8, 0)}, "morning_end"),
        ({"afternoon_start": dt.time(11, 0)}, "afternoon_start"),
        ({"afternoon_end": dt.time(14, 0)}, "afternoon_end"),
        ({"from_month": 2, "from_day": 30}, "from_day"),
        ({"name": ""}, "name"),
    ],
)
def test_hours_out_of_order_or_on_no_real_day_are_refused(hall, changes, field):
    with pytest.raises(DomainError) as refused:
        variant(hall, **changes)
    assert refused.value.field == field


def test_two_variants_cannot_start_on_the_same_day(hall):
    variant(hall)
    with pytest.raises(DomainError, match="冬季作息时间") as refused:
        variant(hall, name="另一个")
    assert refused.value.field == "from_day"


def test_only_the_office_of_the_center_keeps_the_hours(hall):
    with pytest.raises(NotAllowed):
        variant(hall, by="chief_x")
    with pytest.raises(NotAllowed):
        variant(hall, by="office_b")


def test_the_office_edits_and_removes_a_variant_on_its_pages(login, hall):
    client = login("office_a")
    response = client.post(
        "/staffing/hours/new/",
        {
            "name": "夏季作息时间", "from_month": 5, "from_day": 1, "morning_start": "08:30",
            "morning_end": "12:00", "afternoon_start": "15:00", "afternoon_end": "18:00",
        },
    )  # fmt: skip
    assert response.status_code == 302
    summer = HallHours.objects.get()
    bad = client.post(
        f"/staffing/hours/{summer.pk}/",
        {
            "name": "夏季作息时间", "from_month": 5, "from_day": 1, "morning_start": "08:30",
            "morning_end": "12:00", "afternoon_start": "18:00", "afternoon_end": "15:00",
        },
    )  # fmt: skip
    assert bad.status_code == 200
    assert "afternoon_end" in bad.context["form"].errors
    assert "夏季作息时间" in client.get("/staffing/hours/").content.decode()
    client.post(f"/staffing/hours/{summer.pk}/delete/")
    assert not HallHours.objects.exists()
    assert login("clerk_x").get("/staffing/hours/").status_code == 403
