"""Kiosk search beyond the name: the result certificate, the materials, the office's keywords."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from govhall.catalog import services
from govhall.catalog.models import ServiceItem
from govhall.catalog.search import search_items
from govhall.core.errors import DomainError
from govhall.core.models import AuditEntry
from govhall.core.text import search_texts


def names(hall, q):
    return [item.name for item in search_items(center=hall.a, q=q)]


@pytest.fixture
def shops(hall, publish):
    """个体工商户设立登记 issues a 个体工商户营业执照; 营业执照遗失补领 names it in its name."""
    publish(
        "个体工商户设立登记",
        unit=hall.y,
        result_name="个体工商户营业执照",
        legal_basis="《个体工商户条例》第八条",
    )
    publish("户口迁移", unit=hall.x, result_name="户口迁移证")
    return hall


@pytest.mark.parametrize("q", ["营业执照", "yyzz", "yingyezhizhao", "YYZZ", "ying ye zhi zhao"])
def test_the_result_certificate_finds_the_item_in_chinese_pinyin_and_initials(shops, q):
    assert names(shops, q) == ["个体工商户设立登记"]


@pytest.mark.parametrize("q", ["免冠照片", "mgzp", "mianguanzhaopian"])
def test_a_material_finds_the_items_that_ask_for_it(shops, q):
    # the test items all ask for 近期免冠照片 (tests/portal/conftest.py)
    assert set(names(shops, q)) == {"个体工商户设立登记", "户口迁移"}


def test_an_item_whose_name_matches_ranks_before_one_whose_result_matches(shops, publish):
    # given an item with 营业执照 in its name
    publish("营业执照遗失补领", unit=shops.y, result_name="营业执照副本")
    # when
    found = names(shops, "营业执照")
    # then the name match first, then the item whose certificate it is
    assert found == ["营业执照遗失补领", "个体工商户设立登记"]
    assert names(shops, "yyzz") == ["营业执照遗失补领", "个体工商户设立登记"]


def test_keywords_the_office_sets_are_found_at_once_in_every_form(shops):
    # given
    item = ServiceItem.objects.get(name="个体工商户设立登记")
    # when the office adds the words people use at the window
    services.item_set_keywords(by=shops.user("office_a"), item=item, keywords="开店、办执照\n开店")
    # then the kiosk finds the item by each keyword, its pinyin and its initials
    for q in ("开店", "kaidian", "kd", "办执照", "bzz"):
        assert names(shops, q) == ["个体工商户设立登记"], q
    item.refresh_from_db()
    assert item.keywords == "开店\n办执照"  # one per line, no repeats
    entry = AuditEntry.objects.get(action="item.keywords")
    assert entry.after == {"keywords": ["开店", "办执照"]}


def test_removing_a_keyword_stops_it_finding_the_item_but_keeps_the_result(shops):
    # given
    item = ServiceItem.objects.get(name="个体工商户设立登记")
    services.item_set_keywords(by=shops.user("office_a"), item=item, keywords="开店")
    # when
    services.item_set_keywords(by=shops.user("office_a"), item=item, keywords="")
    # then
    assert names(shops, "开店") == []
    assert names(shops, "营业执照") == ["个体工商户设立登记"]


def test_a_new_published_version_keeps_the_keywords_and_indexes_its_new_result(shops, publish):
    # given keywords on the item
    item = ServiceItem.objects.get(name="个体工商户设立登记")
    services.item_set_keywords(by=shops.user("office_a"), item=item, keywords="开店")
    # when the item is published again with another result (same code, new version)
    publish("个体工商户设立登记", unit=shops.y, code=item.code, result_name="个体工商户登记证明")
    # then
    assert names(shops, "开店") == ["个体工商户设立登记"]
    assert names(shops, "登记证明") == ["个体工商户设立登记"]
    assert names(shops, "营业执照") == []


def test_a_too_long_keyword_is_refused_naming_the_field(shops):
    item = ServiceItem.objects.get(name="个体工商户设立登记")
    with pytest.raises(DomainError) as refused:
        services.item_set_keywords(by=shops.user("office_a"), item=item, keywords="长" * 51)
    assert refused.value.field == "keywords"
    assert "50" in refused.value.message


def test_a_window_clerk_may_not_set_keywords(shops):
    item = ServiceItem.objects.get(name="个体工商户设立登记")
    with pytest.raises(PermissionDenied):
        services.item_set_keywords(by=shops.user("clerk_x"), item=item, keywords="开店")
    assert ServiceItem.objects.get(pk=item.pk).keywords == ""


def test_the_office_sets_keywords_on_the_items_catalog_page(shops, login):
    # given
    item = ServiceItem.objects.get(name="个体工商户设立登记")
    client = login("office_a")
    assert "检索关键词" in client.get(f"/catalog/items/{item.pk}/").content.decode()
    # when
    response = client.post(f"/catalog/items/{item.pk}/keywords/", {"keywords": "开店"}, follow=True)
    # then
    assert response.status_code == 200
    assert names(shops, "kd") == ["个体工商户设立登记"]


def test_search_texts_hold_each_term_and_its_pinyin_and_initials():
    words, readings = search_texts(["营业执照", " 营业执照 ", "", "身份证"])
    assert words == "营业执照\n身份证"
    assert {"yingyezhizhao", "yyzz", "sfz"} <= set(readings.split(" "))
