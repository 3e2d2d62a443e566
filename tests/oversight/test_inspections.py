"""Inspections (日常巡查): recorded by the office, named in the bulletin, corrected or withdrawn
only with a reason, photos checked by their content."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from govhall.core.errors import DomainError, NotAllowed
from govhall.core.models import AuditEntry
from govhall.core.uploads import MAX_UPLOAD_BYTES
from govhall.oversight import selectors, services
from govhall.oversight.choices import InspectionStatus, ViolationKind
from tests.factories import StaffFactory
from tests.oversight.conftest import JPEG_BYTES, PDF_BYTES, PNG_BYTES, at

NOW = at(2016, 12, 20, 10, 0)


def record(hall, **overrides):
    fields = {
        "by": hall.user("office_a"),
        "center": hall.a,
        "kind": ViolationKind.TV_OR_CHAT,
        "occurred_at": at(2016, 12, 15, 10, 5),
        "description": "上班时间在窗口看电视",
        "points": "2",
        "staff": hall.x_clerk,
    }
    fields.update(overrides)
    with time_machine.travel(NOW):
        return services.inspection_create(**fields)


def test_a_violation_by_a_person_takes_the_persons_unit_and_window(hall):
    # when
    inspection = record(hall)
    # then
    assert inspection.unit == hall.x
    assert inspection.window == hall.x_window
    assert inspection.subject == "钱办事"
    assert inspection.points == Decimal("2.0")
    assert AuditEntry.objects.filter(action="inspection.create", chain=hall.a.pk).count() == 1


def test_a_window_can_be_at_fault_when_nobody_in_particular_is(hall):
    # when: the window opened only at 14:20
    inspection = record(
        hall,
        staff=None,
        window=hall.y_window,
        kind=ViolationKind.LATE_OR_EARLY,
        occurred_at=at(2016, 12, 12, 14, 20),
        description="窗口至下午二点二十才有人办公",
    )
    # then
    assert inspection.staff is None
    assert inspection.unit == hall.y
    assert inspection.subject == str(hall.y_window)


def test_a_whole_unit_can_be_at_fault(hall):
    inspection = record(hall, staff=None, unit=hall.y)
    assert inspection.unit == hall.y
    assert inspection.window is None


def test_an_inspection_naming_nobody_is_refused(hall):
    with pytest.raises(DomainError) as refused:
        record(hall, staff=None)
    assert refused.value.field == "staff"


def test_a_person_of_another_center_is_refused(hall):
    with pytest.raises(DomainError) as refused:
        record(hall, staff=hall.z_clerk)
    assert refused.value.field == "staff"


def test_a_window_of_another_unit_than_the_persons_is_refused(hall):
    with pytest.raises(DomainError) as refused:
        record(hall, window=hall.y_window)
    assert refused.value.field == "window"


def test_a_time_in_the_future_is_refused(hall):
    with pytest.raises(DomainError) as refused:
        record(hall, occurred_at=at(2016, 12, 21, 9, 0))
    assert refused.value.field == "occurred_at"


@pytest.mark.parametrize("points", ["-1", "100.5", "1.25", "abc", ""])
def test_points_out_of_range_or_malformed_are_refused(hall, points):
    with pytest.raises(DomainError) as refused:
        record(hall, points=points)
    assert refused.value.field == "points"


def test_an_unknown_kind_is_refused(hall):
    with pytest.raises(DomainError) as refused:
        record(hall, kind="sleeping")
    assert refused.value.field == "kind"


@pytest.mark.parametrize("persona", ["clerk_x", "chief_x", "leader_y", "supervisor_a", "office_b"])
def test_only_the_centers_office_records_inspections(hall, persona):
    with pytest.raises(NotAllowed):
        record(hall, by=hall.user(persona))


@pytest.mark.parametrize(
    ("content", "name"), [(JPEG_BYTES, "a.jpg"), (PNG_BYTES, "b.png"), (JPEG_BYTES, "c.pdf")]
)
def test_a_jpeg_or_png_photo_is_kept_under_a_name_of_its_real_type(hall, content, name):
    # when
    inspection = record(hall, photo=SimpleUploadedFile(name, content))
    # then
    extension = ".jpg" if content is JPEG_BYTES else ".png"
    assert inspection.photo.name.endswith(extension)
    assert inspection.photo.name.rsplit("/", 1)[-1].startswith("inspection-")


@pytest.mark.parametrize(
    ("content", "name"),
    [(PDF_BYTES, "scan.pdf"), (b"GIF89a" + b"\x00" * 40, "x.gif"), (b"<html>", "photo.jpg")],
)
def test_a_photo_of_another_type_is_refused_whatever_its_name(hall, content, name):
    with pytest.raises(DomainError) as refused:
        record(hall, photo=SimpleUploadedFile(name, content))
    assert refused.value.field == "photo"


def test_a_photo_over_ten_megabytes_is_refused(hall):
    big = SimpleUploadedFile("big.jpg", JPEG_BYTES + b"\x00" * MAX_UPLOAD_BYTES)
    with pytest.raises(DomainError) as refused:
        record(hall, photo=big)
    assert refused.value.field == "photo"


def test_a_correction_needs_a_reason_and_keeps_it_in_the_audit_trail(hall):
    # given
    inspection = record(hall)
    office = hall.user("office_a")
    # when / then
    with time_machine.travel(NOW), pytest.raises(DomainError) as refused:
        services.inspection_update(by=office, inspection=inspection, reason=" ", points="1")
    assert refused.value.field == "reason"
    with time_machine.travel(NOW):
        services.inspection_update(
            by=office, inspection=inspection, reason="复核后减为1分", points="1"
        )
    inspection.refresh_from_db()
    assert inspection.points == Decimal("1.0")
    entry = AuditEntry.objects.get(action="inspection.update")
    assert entry.before["points"] == "2.0"
    assert entry.after["points"] == "1.0"
    assert entry.after["reason"] == "复核后减为1分"


def test_a_correction_to_another_person_takes_their_unit(hall):
    inspection = record(hall)
    with time_machine.travel(NOW):
        services.inspection_update(
            by=hall.user("office_a"), inspection=inspection, reason="记错人", staff=hall.y_clerk
        )
    inspection.refresh_from_db()
    assert (inspection.unit, inspection.window) == (hall.y, hall.y_window)


def test_a_withdrawn_inspection_leaves_the_bulletin_and_cannot_be_changed(hall):
    # given
    inspection = record(hall)
    office = hall.user("office_a")
    # when
    with pytest.raises(DomainError):
        services.inspection_withdraw(by=office, inspection=inspection, reason="")
    services.inspection_withdraw(by=office, inspection=inspection, reason="当事人外出办事已登记")
    # then
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.WITHDRAWN
    assert selectors.violations(center=hall.a, month="2016-12") == []
    with pytest.raises(DomainError):
        services.inspection_update(by=office, inspection=inspection, reason="x", points="3")
    with pytest.raises(DomainError):
        services.inspection_withdraw(by=office, inspection=inspection, reason="again")
    assert AuditEntry.objects.filter(action="inspection.withdraw").count() == 1


def test_violations_name_the_person_unit_kind_date_and_points_of_the_month_only(hall):
    # given
    record(hall)  # December
    record(hall, staff=None, window=hall.y_window, occurred_at=at(2016, 12, 1, 0, 0), points="1.5")
    record(hall, occurred_at=at(2016, 11, 30, 23, 59))  # November, local time
    record(hall, by=hall.user("office_b"), center=hall.b, staff=hall.z_clerk)  # other center
    # when
    rows = selectors.violations(center=hall.a, month="2016-12")
    # then
    assert [(r.staff, r.unit, r.kind, r.date.day, r.points) for r in rows] == [
        ("", "住建局", ViolationKind.TV_OR_CHAT, 1, Decimal("1.5")),
        ("钱办事", "公安局", ViolationKind.TV_OR_CHAT, 15, Decimal("2.0")),
    ]
    assert rows[1].description == "上班时间在窗口看电视"
    assert rows[1].kind_label
    assert selectors.violation_points_by_unit(center=hall.a, month="2016-12") == {
        hall.x.pk: Decimal("2.0"),
        hall.y.pk: Decimal("1.5"),
    }


def test_a_person_who_left_the_hall_cannot_be_newly_recorded(hall):
    gone = StaffFactory(window=hall.x_window, name="已离岗", is_active=False)
    with pytest.raises(DomainError):
        record(hall, staff=gone)


def test_the_list_shows_a_unit_role_only_its_units_inspections(hall):
    record(hall)  # 公安局
    record(hall, staff=hall.y_clerk)  # 住建局
    seen = {
        persona: {
            i.unit.name for i in selectors.inspection_list(user=hall.user(persona), center=hall.a)
        }
        for persona in ("office_a", "supervisor_a", "chief_x", "leader_y", "office_b")
    }
    assert seen == {
        "office_a": {"公安局", "住建局"},
        "supervisor_a": {"公安局", "住建局"},
        "chief_x": {"公安局"},
        "leader_y": {"住建局"},
        "office_b": set(),
    }
