"""The catalog workflow: draft → submit → approve or return → published, every version kept."""

from __future__ import annotations

import pytest

from govhall.catalog import services
from govhall.catalog.choices import ItemStatus, Part, VersionState
from govhall.catalog.models import ItemVersion, ServiceItem
from govhall.core.audit import verify_all
from govhall.core.errors import DomainError, NotAllowed
from tests.catalog.builders import complete_basic, complete_rows, publish_item


def draft_complete_item(hall, by):
    item = services.item_create(
        by=by,
        unit=hall.x,
        code="N001",
        name="往来港澳通行证签发",
        category="01",
        handling_type="promised",
        legal_days=15,
        promised_days=7,
    )
    version = item.versions.get()
    basic = {
        k: v
        for k, v in complete_basic("往来港澳通行证签发").items()
        if k not in ("legal_days", "promised_days")
    }
    services.version_update_basic(by=by, version=version, **basic)
    for part, rows in complete_rows().items():
        services.version_set_rows(by=by, version=version, part=part, rows=rows)
    return item, version


def test_a_chief_drafts_a_new_item_that_the_office_publishes(hall):
    # given
    chief, office = hall.user("chief_x"), hall.user("office_a")
    item, version = draft_complete_item(hall, chief)
    assert not item.is_public
    # when
    services.version_submit(by=chief, version=version)
    services.version_approve(by=office, version=version)
    # then
    item.refresh_from_db()
    assert item.is_public
    assert item.current == version
    assert item.search_initials == "wlgatxzqf"
    assert verify_all()[1] == []


def test_submitting_names_every_missing_part(hall):
    chief = hall.user("chief_x")
    item = services.item_create(
        by=chief, unit=hall.x, code="N002", name="半成品", category="01", handling_type="immediate"
    )
    version = item.versions.get()
    services.version_update_basic(
        by=chief, version=version, decision_document="随县政办发[2016]55号"
    )
    with pytest.raises(DomainError) as refused:
        services.version_submit(by=chief, version=version)
    message = str(refused.value)
    for part in (Part.BASIC, Part.MATERIALS, Part.STEPS, Part.FAQS):
        assert str(part.label) in message
    assert str(Part.FEES.label) in message  # fees were never stated
    assert ItemVersion.objects.get(pk=version.pk).state == VersionState.DRAFT


def test_submitting_needs_the_deciding_document(hall):
    chief = hall.user("chief_x")
    _item, version = draft_complete_item(hall, chief)
    services.version_update_basic(by=chief, version=version, decision_document="")
    with pytest.raises(DomainError) as refused:
        services.version_submit(by=chief, version=version)
    assert refused.value.field == "decision_document"


def test_a_returned_version_carries_the_comment_and_can_be_fixed_and_resubmitted(hall):
    chief, office = hall.user("chief_x"), hall.user("office_a")
    _item, version = draft_complete_item(hall, chief)
    services.version_submit(by=chief, version=version)
    # a return needs a comment
    with pytest.raises(DomainError):
        services.version_return(by=office, version=version, comment="  ")
    services.version_return(by=office, version=version, comment="材料清单缺少户口簿")
    version.refresh_from_db()
    assert version.state == VersionState.RETURNED
    assert version.review_comment == "材料清单缺少户口簿"
    services.version_set_rows(
        by=chief, version=version, part="materials", rows=[{"name": "居民户口簿"}]
    )
    services.version_submit(by=chief, version=version)
    assert ItemVersion.objects.get(pk=version.pk).state == VersionState.SUBMITTED


def test_a_change_keeps_the_old_published_version_and_publishes_the_new_one(hall):
    # given a published item
    item = publish_item(hall.a, hall.x)
    first = item.current
    chief, office = hall.user("chief_x"), hall.user("office_a")
    # when the unit changes its promised limit
    draft = services.version_start(
        by=chief, item=item, change_type="change", decision_document="随县政办发[2016]55号"
    )
    assert [m.name for m in draft.materials.all()] == ["居民身份证", "近期免冠照片"]  # copied
    services.version_set_rows(
        by=chief,
        version=draft,
        part="steps",
        rows=[{"name": "受理审核", "limit_days": 3}, {"name": "制证", "limit_days": 2}],
    )
    services.version_update_basic(by=chief, version=draft, promised_days=5)
    services.version_submit(by=chief, version=draft)
    services.version_approve(by=office, version=draft)
    # then
    item.refresh_from_db()
    first.refresh_from_db()
    assert item.current.promised_days == 5
    assert first.state == VersionState.SUPERSEDED
    assert first.promised_days == 7  # published versions never change
    assert item.versions.count() == 2


def test_only_one_version_is_open_at_a_time(hall):
    item = publish_item(hall.a, hall.x)
    services.version_start(by=None, item=item, change_type="change")
    with pytest.raises(DomainError):
        services.version_start(by=None, item=item, change_type="suspend")


def test_suspending_and_cancelling_take_the_item_off_the_public_catalog(hall):
    office = hall.user("office_a")
    item = publish_item(hall.a, hall.x)
    draft = services.version_start(
        by=None, item=item, change_type="suspend", decision_document="随县政办发[2016]55号"
    )
    services.version_submit(by=None, version=draft)
    services.version_approve(by=office, version=draft)
    item.refresh_from_db()
    assert item.status == ItemStatus.SUSPENDED
    assert not item.is_public
    cancel = services.version_start(
        by=None, item=item, change_type="cancel", decision_document="随县政办发[2017]3号"
    )
    services.version_submit(by=None, version=cancel)
    services.version_approve(by=office, version=cancel)
    item.refresh_from_db()
    assert item.status == ItemStatus.CANCELLED
    with pytest.raises(DomainError):
        services.version_start(by=None, item=item, change_type="change")


def test_published_and_submitted_versions_cannot_be_edited(hall):
    item = publish_item(hall.a, hall.x)
    with pytest.raises(DomainError):
        services.version_update_basic(by=None, version=item.current, name="改名")
    with pytest.raises(DomainError):
        services.version_set_rows(by=None, version=item.current, part="faqs", rows=[])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"promised_days": 20}, "promised_days"),  # over the legal 15
        (
            {"promised_days": "0.3"},
            "legal_days",
        ),  # not a half day — reported on the first bad limit
        ({"handling_type": "immediate"}, "promised_days"),  # immediate items are promised 0
        ({"legal_days": "abc"}, "legal_days"),
    ],
)
def test_inconsistent_limits_are_refused_naming_the_field(hall, changes, field):
    chief = hall.user("chief_x")
    _item, version = draft_complete_item(hall, chief)
    with pytest.raises(DomainError) as refused:
        services.version_update_basic(by=chief, version=version, **changes)
    assert refused.value.field in (field, "promised_days")
    assert ItemVersion.objects.get(pk=version.pk).promised_days == 7


def test_steps_that_add_up_to_more_than_the_promised_limit_are_refused(hall):
    chief = hall.user("chief_x")
    _item, version = draft_complete_item(hall, chief)
    with pytest.raises(DomainError) as refused:
        services.version_set_rows(
            by=chief, version=version, part="steps", rows=[{"name": "审查", "limit_days": 8}]
        )
    assert refused.value.field == "steps"
    assert version.steps.count() == 3  # unchanged


def test_a_unit_cannot_draft_for_another_unit_nor_approve(hall):
    chief = hall.user("chief_x")
    with pytest.raises(NotAllowed):
        services.item_create(
            by=chief, unit=hall.y, code="Y1", name="x", category="01", handling_type="immediate"
        )
    _item, version = draft_complete_item(hall, chief)
    services.version_submit(by=chief, version=version)
    with pytest.raises(NotAllowed):
        services.version_approve(by=chief, version=version)
    with pytest.raises(NotAllowed):
        services.version_approve(by=hall.user("office_b"), version=version)


def test_item_codes_are_unique_in_a_center(hall):
    publish_item(hall.a, hall.x, code="DUP")
    with pytest.raises(DomainError) as refused:
        services.item_create(
            by=None, unit=hall.y, code="DUP", name="x", category="01", handling_type="immediate"
        )
    assert refused.value.field == "code"
    publish_item(hall.b, hall.z, code="DUP")  # another center may reuse it
    assert ServiceItem.objects.filter(code="DUP").count() == 2


def test_discarding_a_new_items_only_draft_removes_the_item(hall):
    chief = hall.user("chief_x")
    item, version = draft_complete_item(hall, chief)
    services.version_discard(by=chief, version=version)
    assert not ServiceItem.objects.filter(pk=item.pk).exists()
