"""Finding public service items by Chinese words, full pinyin or pinyin initials.

The kiosk's search box and the staff pages share this selector. Matching and ranking run in
the database on the item's denormalised name and pinyin columns (one table plus the unit),
so a search costs one query whatever the catalog's size. Besides its name an item is found by
its result (办理结果: 营业执照 finds 个体工商户设立登记), its materials and the keywords the
office keeps (`search_terms*`, indexed when a version is published or the keywords change),
always ranked below the items whose name matches.
"""

from __future__ import annotations

import re

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from govhall.catalog.choices import ItemStatus
from govhall.catalog.models import ServiceItem
from govhall.core.text import strip_bidi
from govhall.org.models import Center, Unit

MAX_QUERY_LENGTH = 50

# Ranks, best first. A search may match an item in several ways; the best way counts.
RANK_EXACT = 100  # the name, the code or one whole pinyin reading
RANK_NAME_START = 90
RANK_NAME_CONTAINS = 80
RANK_INITIALS_EXACT = 75
RANK_INITIALS_START = 70
RANK_PINYIN_START = 60
RANK_INITIALS_CONTAIN = 50
RANK_PINYIN_CONTAIN = 45
RANK_ALL_WORDS = 40  # 护照 签发: every word somewhere in the name
# Below every way of matching the name: the result (营业执照), materials and keywords.
RANK_TERM = 36
RANK_TERM_PINYIN = 34
RANK_UNIT = 30  # 公安: the unit's items

_PINYIN = re.compile(r"[a-z]+")
_PINYIN_SEPARATORS = re.compile(r"[\s'’\-]+")


def normalize_query(q: str | None) -> str:
    """The query as searched: without bidirectional controls, trimmed, inner whitespace
    collapsed, at most 50 characters."""
    return " ".join(strip_bidi(q or "").split())[:MAX_QUERY_LENGTH].strip()


def pinyin_query(q: str) -> str:
    """`Hu Zhao`, `hu'zhao` → `huzhao`; empty when the query is not pinyin letters."""
    compact = _PINYIN_SEPARATORS.sub("", q.lower()).replace("ü", "v")
    return compact if _PINYIN.fullmatch(compact) else ""


# Readings are stored space-separated (every reading of polyphonic characters: 单县 is
# danxian, shanxian and chanxian), so a reading is delimited by the column's ends or spaces.


def _whole_reading(field: str, text: str) -> Q:
    return (
        Q(**{field: text})
        | Q(**{f"{field}__startswith": f"{text} "})
        | Q(**{f"{field}__contains": f" {text} "})
        | Q(**{f"{field}__endswith": f" {text}"})
    )


def _reading_starts(field: str, text: str) -> Q:
    return Q(**{f"{field}__startswith": text}) | Q(**{f"{field}__contains": f" {text}"})


def public_items(*, center: Center) -> QuerySet[ServiceItem]:
    """The center's items the public may see: published, with a published version."""
    return ServiceItem.objects.filter(
        center=center, status=ItemStatus.PUBLISHED, current__isnull=False
    )


def search_items(*, center: Center, q: str, limit: int | None = None) -> QuerySet[ServiceItem]:
    """The center's public items matching `q`, best first (ties in pinyin order).

    `hz`, `huzhao` and `护照` all find 普通护照签发; `公安` also finds the 公安局's items.
    An empty query finds nothing: the kiosk shows its browse tiles instead of the catalog.
    """
    q = normalize_query(q)
    if not q:
        return ServiceItem.objects.none()
    words = q.split(" ")
    compact = "".join(words)

    pinyin = pinyin_query(q)
    exact = Q(name__iexact=q) | Q(code__iexact=q)
    if compact != q:
        exact |= Q(name__iexact=compact)
    if pinyin:
        exact |= _whole_reading("search_pinyin", pinyin)
    ranks: list[When] = [
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
    # The result, the materials and the office's keywords (search_terms, one per line).
    term_match = Q(search_terms__contains=compact.lower())
    ranks.append(When(term_match, then=RANK_TERM))
    matches |= term_match
    if pinyin:
        # yyzz, yingyezhizhao within 个体工商户营业执照; one letter only at a term's start.
        if len(pinyin) > 1:
            term_pinyin = Q(search_terms_pinyin__contains=pinyin)
        else:
            term_pinyin = _reading_starts("search_terms_pinyin", pinyin)
        ranks.append(When(term_pinyin, then=RANK_TERM_PINYIN))
        matches |= term_pinyin
    # The hall has a few dozen units: match them once, not once per item row.
    unit_named = Q(name__icontains=compact) | Q(full_name__icontains=compact)
    if pinyin:
        unit_named |= Q(sort_key__contains=pinyin)  # gongan → 公安局
    unit_ids = Unit.objects.filter(unit_named, center=center).values("pk")
    unit_match = Q(unit_id__in=unit_ids)
    ranks.append(When(unit_match, then=RANK_UNIT))
    matches |= unit_match

    items = (
        public_items(center=center)
        .filter(matches)
        .annotate(rank=Case(*ranks, default=Value(0), output_field=IntegerField()))
        .select_related("unit")
        .order_by("-rank", "sort_key", "pk")
    )
    if limit is not None:
        items = items[:limit]
    return items
