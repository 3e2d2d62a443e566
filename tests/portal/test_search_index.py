"""Kiosk search's in-process index: the SQL ranking's exact rules, and never a stale catalog."""

from __future__ import annotations

import pytest
from django.db.models import Case, IntegerField, Q, Value, When

from govhall.catalog import search_index, services
from govhall.catalog.models import CatalogStamp, ServiceItem
from govhall.catalog.search import normalize_query, pinyin_query, public_items, search_items
from govhall.catalog.search_index import (
    RANK_ALL_WORDS,
    RANK_EXACT,
    RANK_INITIALS_CONTAIN,
    RANK_INITIALS_EXACT,
    RANK_INITIALS_START,
    RANK_NAME_CONTAINS,
    RANK_NAME_START,
    RANK_PINYIN_CONTAIN,
    RANK_PINYIN_START,
    RANK_TERM,
    RANK_TERM_PINYIN,
    RANK_UNIT,
)
from govhall.core.text import pinyin_readings
from govhall.org.models import Unit

# --- the oracle: the ranking as it ran in SQL before the index (one CASE WHEN) --------------


def _whole_reading(field, text):
    return (
        Q(**{field: text})
        | Q(**{f"{field}__startswith": f"{text} "})
        | Q(**{f"{field}__contains": f" {text} "})
        | Q(**{f"{field}__endswith": f" {text}"})
    )


def _reading_starts(field, text):
    return Q(**{f"{field}__startswith": text}) | Q(**{f"{field}__contains": f" {text}"})


def sql_ranks(center, q):
    """{pk: rank} as the former `search_items` computed them in the database."""
    q = normalize_query(q)
    words = q.split(" ")
    compact = "".join(words)
    pinyin = pinyin_query(q)
    exact = Q(name__iexact=q) | Q(code__iexact=q)
    if compact != q:
        exact |= Q(name__iexact=compact)
    if pinyin:
        exact |= _whole_reading("search_pinyin", pinyin)
    ranks = [
        When(exact, then=RANK_EXACT),
        When(name__istartswith=compact, then=RANK_NAME_START),
        When(name__icontains=compact, then=RANK_NAME_CONTAINS),
    ]
    matches = Q(name__icontains=compact) | Q(code__iexact=q)
    if pinyin:
        ranks += [
            When(_whole_reading("search_initials", pinyin), then=RANK_INITIALS_EXACT),
            When(_reading_starts("search_initials", pinyin), then=RANK_INITIALS_START),
            When(_reading_starts("search_pinyin", pinyin), then=RANK_PINYIN_START),
            When(search_initials__contains=pinyin, then=RANK_INITIALS_CONTAIN),
            When(search_pinyin__contains=pinyin, then=RANK_PINYIN_CONTAIN),
        ]
        matches |= Q(search_initials__contains=pinyin) | Q(search_pinyin__contains=pinyin)
    if len(words) > 1:
        all_words = Q()
        for word in words:
            all_words &= Q(name__icontains=word)
        ranks.append(When(all_words, then=RANK_ALL_WORDS))
        matches |= all_words
    term_match = Q(search_terms__contains=compact.lower())
    ranks.append(When(term_match, then=RANK_TERM))
    matches |= term_match
    if pinyin:
        if len(pinyin) > 1:
            term_pinyin = Q(search_terms_pinyin__contains=pinyin)
        else:
            term_pinyin = _reading_starts("search_terms_pinyin", pinyin)
        ranks.append(When(term_pinyin, then=RANK_TERM_PINYIN))
        matches |= term_pinyin
    unit_named = Q(name__icontains=compact) | Q(full_name__icontains=compact)
    if pinyin:
        unit_named |= Q(sort_key__contains=pinyin)
    unit_ids = Unit.objects.filter(unit_named, center=center).values("pk")
    ranks.append(When(Q(unit_id__in=unit_ids), then=RANK_UNIT))
    matches |= Q(unit_id__in=unit_ids)
    rows = (
        public_items(center=center)
        .filter(matches)
        .annotate(rank=Case(*ranks, default=Value(0), output_field=IntegerField()))
        .values_list("pk", "rank")
    )
    return dict(rows)


def index_ranks(center, q):
    return {item.pk: item.rank for item in search_items(center=center, q=q)}


def queries_for(items, units):
    """Queries that exercise every rule: names and their parts, codes, whole and partial
    readings, initials, single letters, several words, terms, units, mixed case."""
    found = {"护照 签发", "签发 护照", "HZ", "Hu Zhao", "a", "z", "x", "证", "%", "_", "许可 变更"}
    for item in items:
        name = item.name
        found |= {name, name[:2], name[1:3], name[-2:], item.code, item.code.lower()}
        if len(name) > 3:
            found.add(f"{name[:2]} {name[-2:]}")
        full, initials = pinyin_readings(name)
        for reading in full[:1]:
            found |= {reading, reading[:3], reading[2:6], reading.upper()}
        for reading in initials[:1]:
            found |= {reading, reading[:2], reading[1:3], reading[:1]}
        for term in item.search_terms.splitlines()[:2]:
            found |= {term, term[:2]}
        found |= set(item.search_terms_pinyin.split(" ")[:2])
    for unit in units:
        found |= {unit.name, unit.name[:2], unit.sort_key[:6], unit.full_name[:3]}
    return sorted(q for q in found if normalize_query(q))


@pytest.fixture
def catalog(hall, publish):
    publish("普通护照签发", unit=hall.x, code="ICP-1")
    publish("往来港澳通行证签发", unit=hall.x, result_name="往来港澳通行证")
    moving = publish("户口迁移", unit=hall.x)
    services.item_set_keywords(by=None, item=moving, keywords="迁户口\n落户")
    publish("建筑工程施工许可", unit=hall.y, result_name="建筑工程施工许可证")
    publish("单县护照", unit=hall.y)  # 单: dan, shan, chan
    publish("公安消防验收备案", unit=hall.y)
    publish("护照遗失补发", unit=hall.z)  # center B
    hall.x.full_name = "随县公安局"
    hall.x.save()
    return hall


def test_the_index_ranks_exactly_as_the_sql_did(catalog):
    items = list(public_items(center=catalog.a))
    units = list(Unit.objects.filter(center=catalog.a))
    queries = queries_for(items, units)
    assert len(queries) > 80
    for q in queries:
        assert index_ranks(catalog.a, q) == sql_ranks(catalog.a, q), q


def test_the_demo_catalog_ranks_exactly_as_the_sql_did(demo_center):
    items = list(public_items(center=demo_center))
    units = list(Unit.objects.filter(center=demo_center))
    queries = queries_for(items[::7], units)
    for q in queries:
        assert index_ranks(demo_center, q) == sql_ranks(demo_center, q), q


def test_limit_keeps_the_best_rows_in_order(catalog):
    for q in ["hz", "护照", "gongan", "a", "证"]:
        every = [item.pk for item in search_items(center=catalog.a, q=q)]
        for limit in (1, 2, 3, 5):
            assert [item.pk for item in search_items(center=catalog.a, q=q, limit=limit)] == (
                every[:limit]
            ), (q, limit)


# --- coherence: another process's writes are seen at the next search --------------------------
#
# Each test warms this process's index, then writes as another process would (a service or a
# model's save; nothing is cleared here) and searches again.


def names(hall, q):
    return [item.name for item in search_items(center=hall.a, q=q)]


def test_a_renamed_item_is_found_by_its_new_name_at_once(catalog):
    assert names(catalog, "户口迁移") == ["户口迁移"]
    item = ServiceItem.objects.get(center=catalog.a, name="户口迁移")
    item.name = "户籍迁移"
    full, initials = pinyin_readings(item.name)
    item.search_pinyin, item.search_initials = " ".join(full), " ".join(initials)
    item.save()
    assert names(catalog, "户口迁移") == []
    assert names(catalog, "户籍迁移") == ["户籍迁移"]
    assert names(catalog, "hujiqianyi") == ["户籍迁移"]


def test_a_newly_published_item_is_found_at_once(catalog, publish):
    assert names(catalog, "护照补发") == []
    publish("护照补发", unit=catalog.y)
    assert names(catalog, "护照补发") == ["护照补发"]


def test_new_keywords_are_found_at_once(catalog):
    assert names(catalog, "出国") == []
    item = ServiceItem.objects.get(center=catalog.a, name="普通护照签发")
    services.item_set_keywords(by=None, item=item, keywords="出国")
    assert names(catalog, "出国") == ["普通护照签发"]
    assert names(catalog, "chuguo") == ["普通护照签发"]


def test_a_renamed_unit_finds_its_items_by_the_new_name_at_once(catalog):
    assert names(catalog, "出入境") == []
    catalog.x.name = "出入境管理局"
    catalog.x.save()
    assert set(names(catalog, "出入境")) == {"普通护照签发", "往来港澳通行证签发", "户口迁移"}


def test_a_cancelled_item_leaves_the_index(catalog):
    assert "公安消防验收备案" in names(catalog, "公安")
    before = CatalogStamp.objects.get(center=catalog.a).token
    item = ServiceItem.objects.get(center=catalog.a, name="公安消防验收备案")
    item.status = "cancelled"
    item.save()
    assert CatalogStamp.objects.get(center=catalog.a).token != before
    assert "公安消防验收备案" not in names(catalog, "公安")
    assert not any(
        e.pk == item.pk for e in search_index.index_for(catalog.a.pk).items
    )  # rebuilt, not only filtered by the SQL


def test_every_item_write_moves_only_its_centers_stamp(catalog, publish):
    a = CatalogStamp.objects.get(center=catalog.a).token
    b = CatalogStamp.objects.get(center=catalog.b).token
    publish("林木采伐许可", unit=catalog.z)
    assert CatalogStamp.objects.get(center=catalog.a).token == a
    assert CatalogStamp.objects.get(center=catalog.b).token != b


def test_a_center_without_a_stamp_gets_one_at_its_first_search(catalog):
    CatalogStamp.objects.filter(center=catalog.a).delete()
    assert names(catalog, "户口迁移") == ["户口迁移"]
    token = CatalogStamp.objects.get(center=catalog.a).token
    assert search_index._cache[catalog.a.pk].token == token
    assert names(catalog, "户口迁移") == ["户口迁移"]
    assert CatalogStamp.objects.get(center=catalog.a).token == token


def test_at_most_max_centers_are_kept(catalog, monkeypatch):
    monkeypatch.setattr(search_index, "MAX_CENTERS", 1)
    search_index.clear()
    names(catalog, "hz")
    search_items(center=catalog.b, q="hz")
    assert list(search_index._cache) == [catalog.b.pk]
