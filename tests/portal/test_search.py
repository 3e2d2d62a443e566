"""Kiosk search: Chinese words, full pinyin and initials, ranked in Python over the index, fetched by the database."""

from __future__ import annotations

import pytest

from govhall.catalog import search_index
from govhall.catalog.choices import ItemStatus
from govhall.catalog.models import ServiceItem
from govhall.catalog.search import normalize_query, pinyin_query, search_items


def names(hall, q, **kwargs):
    return [item.name for item in search_items(center=hall.a, q=q, **kwargs)]


@pytest.fixture
def catalog(hall, publish):
    publish("普通护照签发", unit=hall.x)
    publish("往来港澳通行证签发", unit=hall.x, result_name="往来港澳通行证")
    publish("户口迁移", unit=hall.x, result_name="户口迁移证")
    publish("商品房预售许可", unit=hall.y, result_name="商品房预售许可证")
    publish("建设工程规划许可证核发", unit=hall.y, result_name="建设工程规划许可证")
    return hall


@pytest.mark.parametrize("q", ["hz", "huzhao", "护照", "HZ", "hu zhao", "pthzqf", "putong"])
def test_a_passport_is_found_by_initials_full_pinyin_and_chinese(catalog, q):
    assert "普通护照签发" in names(catalog, q)


def test_the_exact_name_ranks_first(catalog, publish):
    # given an item whose whole name is the query, and others containing it
    publish("护照", unit=catalog.y, code="EXACT")
    publish("护照加注", unit=catalog.x)
    # when
    found = names(catalog, "护照")
    # then exact, then starts with, then contains
    assert found == ["护照", "护照加注", "普通护照签发"]


def test_initials_starting_the_name_rank_before_initials_inside_it(catalog, publish):
    # given 户口迁移 (hkqy) and 普通护照签发 (pthzqf); both contain "h"
    found = names(catalog, "h")
    # then the item whose initials start with h comes before the one that only contains it
    assert found.index("户口迁移") < found.index("普通护照签发")


def test_a_whole_pinyin_reading_ranks_above_a_partial_one(catalog, publish):
    publish("护照", unit=catalog.y, code="EXACT")
    assert names(catalog, "huzhao")[0] == "护照"


def test_ties_are_ordered_by_pinyin(catalog):
    # 签发 ends both passport items' names: same rank, so pinyin order (putong < wanglai)
    assert names(catalog, "签发") == ["普通护照签发", "往来港澳通行证签发"]


def test_the_unit_name_finds_the_units_items_after_name_matches(catalog, publish):
    # given an item of 住建局 whose name mentions 公安
    publish("公安消防验收备案", unit=catalog.y)
    # when
    found = names(catalog, "公安")
    # then the name match first, then every item of 公安局
    assert found[0] == "公安消防验收备案"
    assert set(found[1:]) == {"普通护照签发", "往来港澳通行证签发", "户口迁移"}


def test_the_units_pinyin_finds_its_items(catalog):
    assert set(names(catalog, "gongan")) == {"普通护照签发", "往来港澳通行证签发", "户口迁移"}


def test_every_word_of_a_query_must_be_in_the_name(catalog):
    assert names(catalog, "护照 签发") == ["普通护照签发"]
    assert names(catalog, "护照 许可") == []


def test_unpublished_suspended_and_other_centers_items_are_not_found(catalog, publish):
    # given items that are not public in center A
    publish("护照遗失补发", unit=catalog.z)  # center B
    suspended = publish("护照换发", unit=catalog.x)
    ServiceItem.objects.filter(pk=suspended.pk).update(status=ItemStatus.SUSPENDED)
    cancelled = publish("护照注销", unit=catalog.x)
    ServiceItem.objects.filter(pk=cancelled.pk).update(status=ItemStatus.CANCELLED)
    draft = publish("护照加签", unit=catalog.x)
    ServiceItem.objects.filter(pk=draft.pk).update(current=None)
    # when
    found = names(catalog, "hz")
    # then
    assert found == ["普通护照签发"]


@pytest.mark.parametrize("q", ["", "   ", None])
def test_an_empty_query_finds_nothing(catalog, q):
    assert names(catalog, q) == []


def test_a_query_longer_than_fifty_characters_is_trimmed(catalog):
    assert normalize_query("护照" + "x" * 80) == "护照" + "x" * 48
    assert normalize_query("  护照   签发 ") == "护照 签发"
    assert names(catalog, "护照" * 40) == []  # still a valid, if fruitless, search


def test_limit_returns_the_best_first(catalog):
    assert names(catalog, "qianfa", limit=1) == ["普通护照签发"]


def test_wildcards_in_the_query_are_taken_literally(catalog):
    assert names(catalog, "%") == []
    assert names(catalog, "_") == []


def test_only_letters_are_treated_as_pinyin():
    assert pinyin_query("Hu'Zhao") == "huzhao"
    assert pinyin_query("lü") == "lv"
    assert pinyin_query("护照") == ""
    assert pinyin_query("hz2") == ""


def test_a_search_is_two_queries(catalog, django_assert_num_queries):
    # The catalog's stamp (is this process's index still current?), then the matched rows.
    # Matching itself runs in Python over the index, built once per catalog change.
    search_index.clear()
    with django_assert_num_queries(4):  # first search: stamp, the items and units indexed, rows
        list(search_items(center=catalog.a, q="hz"))
    with django_assert_num_queries(2):
        found = [(i.name, i.unit.name) for i in search_items(center=catalog.a, q="hz")]
    assert found == [("普通护照签发", "公安局")]
