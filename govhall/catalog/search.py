"""Finding public service items by Chinese words, full pinyin or pinyin initials.

The kiosk's search box and the staff pages share this selector. Besides its name an item is
found by its result (办理结果: 营业执照 finds 个体工商户设立登记), its materials and the keywords
the office keeps (`search_terms*`, indexed when a version is published or the keywords
change), always ranked below the items whose name matches.

Matching and ranking run in the app process, over the center's search index held in memory
(govhall.catalog.search_index: the public items' name, code, pinyin and terms columns, and
the units' names; checked against the center's catalog stamp by one query per search and
rebuilt when a write moved it). The database only fetches the matched rows by primary key and
orders them by the computed rank, then the pinyin sort key: `LIKE '%…%'` over every item's
long pinyin columns cost more than the 20 ms budget on PostgreSQL (docs/performance.md).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from django.db.models import BooleanField, Case, F, Func, IntegerField, QuerySet, Value, When

from govhall.catalog import search_index
from govhall.catalog.choices import ItemStatus
from govhall.catalog.models import ServiceItem
from govhall.catalog.search_index import Query
from govhall.core.text import strip_bidi
from govhall.org.models import Center

MAX_QUERY_LENGTH = 50

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


class PkIn(Func):
    """`pk IN (…)` with the keys sent whole (a literal array on PostgreSQL, one JSON parameter
    on SQLite): Django compiles `pk__in` one placeholder per key, which for the 1,500 items `bg`
    matches cost more than the query itself."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, pks: list[int]) -> None:
        super().__init__(F("pk"))
        self.pks = pks

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        # The column is Django's compiled, quoted name; the keys are integers cast here.
        column, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            # A literal array (integers only): PostgreSQL hashes a constant `= ANY` list once,
            # where a prepared statement's parameter is scanned again for every row.
            keys = ",".join(str(int(pk)) for pk in self.pks)
            return f"{column} = ANY('{{{keys}}}'::bigint[])", params  # noqa: S608
        if connection.vendor == "sqlite":
            sql = f"{column} IN (SELECT value FROM json_each(%s))"  # noqa: S608
            return sql, [*params, json.dumps(self.pks)]
        placeholders = ", ".join(["%s"] * len(self.pks))
        return f"{column} IN ({placeholders})", [*params, *self.pks]  # noqa: S608


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
    index = search_index.index_for(center.pk)
    by_rank = search_index.ranked(index, Query.of(q, pinyin_query(q)))
    if limit is not None:
        # The first `limit` rows lie within the best rank levels that hold `limit` items.
        kept: dict[int, list[int]] = {}
        for r in sorted(by_rank, reverse=True):
            if sum(len(pks) for pks in kept.values()) >= limit:
                break
            kept[r] = by_rank[r]
        by_rank = kept
    rank: Case | Value
    if by_rank:
        # The commonest rank is the CASE's default: its keys need not be sent twice.
        common = Counter({r: len(pks) for r, pks in by_rank.items()}).most_common(1)[0][0]
        rank = Case(
            *(
                When(PkIn(pks), then=Value(r))
                for r, pks in sorted(by_rank.items(), reverse=True)
                if r != common
            ),
            default=Value(common),
            output_field=IntegerField(),
        )
        matched = public_items(center=center).filter(
            PkIn([pk for pks in by_rank.values() for pk in pks])
        )
    else:  # nothing matches: no query, but the same shape (callers order pages by rank)
        rank = Value(0, output_field=IntegerField())
        matched = public_items(center=center).none()
    items = matched.annotate(rank=rank).select_related("unit").order_by("-rank", "sort_key", "pk")
    if limit is not None:
        items = items[:limit]
    return items
