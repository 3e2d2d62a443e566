"""The review campaign run end to end through the pages, as the office and a unit would."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from govhall.catalog.choices import VersionState
from govhall.catalog.models import ItemVersion, ReviewCampaign
from tests.catalog.builders import publish_item

SHANGHAI = ZoneInfo("Asia/Shanghai")


def formset_data(prefix: str, rows: list[dict], existing: list[int] = ()) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(len(existing))}
    for i, row in enumerate(rows):
        if i < len(existing):
            data[f"{prefix}-{i}-id"] = str(existing[i])
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


@pytest.fixture
def catalog(hall):
    with time_machine.travel(dt.datetime(2016, 12, 20, 10, 0, tzinfo=SHANGHAI)):
        passport = publish_item(hall.a, hall.x, code="P001", name="普通护照签发")
        housing = publish_item(hall.a, hall.y, code="H001", name="房屋所有权转移登记")
    # an item published incomplete (the hall's old catalog): no FAQs
    ItemVersion.objects.get(pk=housing.current_id).faqs.all().delete()
    return passport, housing


@time_machine.travel(dt.datetime(2017, 2, 10, 9, 0, tzinfo=SHANGHAI))
def test_the_office_runs_a_review_campaign_end_to_end(client, hall, catalog):
    passport, housing = catalog
    office, chief = hall.user("office_a"), hall.user("chief_x")

    # the office opens the campaign
    client.force_login(office)
    response = client.post(
        "/catalog/campaigns/",
        {
            "name": "2017年第一季度梳理审查",
            "document": "随县政办发[2016]55号",
            "starts_on": "2017-01-03",
            "due_on": "2017-03-31",
        },
    )
    campaign = ReviewCampaign.objects.get()
    assert response.status_code == 302
    page = client.get(f"/catalog/campaigns/{campaign.pk}/")
    units = {u.unit: u for u in page.context["unit_rows"]}
    assert units["住建局"].missing_by_part[-1] == 1  # 常见问题 missing
    assert units["公安局"].stale == 1  # not reviewed since the campaign started

    # the chief of 公安局 opens a change, edits the basic information and a part, submits
    client.force_login(chief)
    client.post(
        f"/catalog/items/{passport.pk}/change/",
        {
            "change_type": "change",
            "decision_document": "随县政办发[2016]55号",
            "change_note": "缩短承诺时限",
        },
    )
    draft = ItemVersion.objects.get(item=passport, state=VersionState.DRAFT)
    faq_ids = list(draft.faqs.values_list("pk", flat=True))
    response = client.post(
        f"/catalog/versions/{draft.pk}/edit/faqs/",
        formset_data(
            "faqs",
            [
                {"question": "多久能拿到护照？", "answer": "7个工作日。"},
                {"question": "可以代办吗？", "answer": "不可以，须本人到场采集指纹。"},
            ],
            faq_ids,
        ),
    )
    assert response.status_code == 302
    assert draft.faqs.count() == 2
    client.post(f"/catalog/versions/{draft.pk}/submit/")
    assert ItemVersion.objects.get(pk=draft.pk).state == VersionState.SUBMITTED

    # the office returns it with a comment, the chief sees it, fixes and resubmits
    client.force_login(office)
    queue = client.get("/catalog/review/").context["page"]
    assert [v.pk for v in queue] == [draft.pk]
    client.post(
        f"/catalog/versions/{draft.pk}/review/", {"decision": "return", "comment": "请补充办理地点"}
    )
    client.force_login(chief)
    assert "请补充办理地点" in client.get(f"/catalog/items/{passport.pk}/").content.decode()
    client.post(f"/catalog/versions/{draft.pk}/submit/")

    # the office approves; the campaign shows the item reviewed
    client.force_login(office)
    client.post(f"/catalog/versions/{draft.pk}/review/", {"decision": "approve", "comment": ""})
    passport.refresh_from_db()
    assert passport.current_id == draft.pk
    page = client.get(f"/catalog/campaigns/{campaign.pk}/")
    units = {u.unit: u for u in page.context["unit_rows"]}
    assert units["公安局"].reviewed == 1


def test_submitting_an_incomplete_draft_shows_what_is_missing(client, hall, catalog):
    _passport, housing = catalog
    client.force_login(hall.user("office_a"))
    client.post(
        f"/catalog/items/{housing.pk}/change/",
        {"change_type": "change", "decision_document": "随县政办发[2016]55号"},
    )
    draft = ItemVersion.objects.get(item=housing, state=VersionState.DRAFT)
    response = client.post(f"/catalog/versions/{draft.pk}/submit/", follow=True)
    assert ItemVersion.objects.get(pk=draft.pk).state == VersionState.DRAFT
    messages = [str(m) for m in response.context["messages"]]
    assert any("FAQ" in m or "常见问题" in m or "questions" in m for m in messages)


def test_a_unit_sees_only_its_own_items_and_cannot_review(client, hall, catalog):
    passport, housing = catalog
    client.force_login(hall.user("chief_x"))
    names = [i.name for i in client.get("/catalog/").context["page"]]
    assert names == ["普通护照签发"]
    assert client.get(f"/catalog/items/{housing.pk}/").status_code == 404
    assert client.get("/catalog/review/").status_code == 403


def test_another_centers_office_sees_nothing(client, hall, catalog):
    passport, _ = catalog
    client.force_login(hall.user("office_b"))
    assert list(client.get("/catalog/").context["page"]) == []
    assert client.get(f"/catalog/items/{passport.pk}/").status_code == 404
    assert client.get(f"/catalog/versions/{passport.current_id}/").status_code == 404


def test_the_item_page_draws_the_flowchart_from_the_steps(client, hall, catalog):
    passport, _ = catalog
    client.force_login(hall.user("clerk_x"))
    page = client.get(f"/catalog/items/{passport.pk}/").content.decode()
    assert "<svg" in page
    assert "制证" in page


def test_catalog_search_finds_by_pinyin_initials(client, hall, catalog):
    client.force_login(hall.user("office_a"))
    names = [i.name for i in client.get("/catalog/", {"q": "pthz"}).context["page"]]
    assert names == ["普通护照签发"]


def test_a_bad_upload_type_is_refused_on_the_field(client, hall, catalog):
    from django.core.files.uploadedfile import SimpleUploadedFile

    passport, _ = catalog
    client.force_login(hall.user("chief_x"))
    client.post(
        f"/catalog/items/{passport.pk}/change/", {"change_type": "change", "decision_document": "x"}
    )
    draft = ItemVersion.objects.get(item=passport, state=VersionState.DRAFT)
    form_data = {
        "name": draft.name,
        "category": draft.category,
        "target": draft.target,
        "handling_type": draft.handling_type,
        "legal_days": "15",
        "promised_days": "7",
        "visits": "1",
        "fee_mode": "charged",
        "flowchart_image": SimpleUploadedFile("evil.exe", b"MZ..."),
    }
    response = client.post(f"/catalog/versions/{draft.pk}/edit/", form_data)
    assert "flowchart_image" in response.context["form"].errors


def test_catalog_list_query_count_does_not_grow_with_items(
    client, hall, django_assert_max_num_queries
):
    for i in range(15):
        publish_item(hall.a, hall.x, code=f"Q{i:03d}", name=f"事项{i}")
    client.force_login(hall.user("office_a"))
    with django_assert_max_num_queries(15):  # includes the menu, scope and calendar warning
        client.get("/catalog/")
