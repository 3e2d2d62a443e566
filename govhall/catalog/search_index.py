"""The kiosk's search index: each center's public items' search strings, kept in the process.

A search matches and ranks in Python over a tuple of entries (`str.__contains__` runs at C
speed: a 3,000-item catalog in a couple of milliseconds) instead of making the database scan
every item's pinyin columns with `LIKE '%…%'`; the database then only fetches the matched
rows by primary key and orders them (govhall.catalog.search).

Coherence across processes and servers: every write that can change what a search finds (an
item saved or deleted, a unit saved or deleted) gives its center's `CatalogStamp` a fresh
token in the writer's transaction (`bump`, called by the signal receivers in
govhall.catalog.receivers). Each search reads the token (one primary-key query) and rebuilds
the center's index when it differs from the one the index was built under. The token is read
*before* the items, so an index is never stored under a newer token than its rows. Queryset
`.update()` and `bulk_create` send no signal: code that writes items or units that way must
call `bump` itself.

`rank` is pure: the rules of `search_items`, one item at a time.
"""

from __future__ import annotations

import threading
import uuid
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import IntegrityError, transaction

from govhall.catalog.choices import ItemStatus
from govhall.catalog.models import CatalogStamp, ServiceItem
from govhall.org.models import Unit

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

MAX_CENTERS = 32  # indexes kept per process, least recently used dropped first


class Entry(NamedTuple):
    """One public item as searched. `name` and `code` are lower-cased (the SQL compared them
    case-insensitively); the pinyin and terms columns are stored in lower case."""

    pk: int
    unit_id: int
    sort_key: str
    name: str
    code: str
    search_pinyin: str
    search_initials: str
    search_terms: str
    search_terms_pinyin: str


class UnitEntry(NamedTuple):
    pk: int
    name: str  # lower-cased
    full_name: str  # lower-cased
    sort_key: str


_SEP = "\x00"  # between columns and items in the blob: never in a normalised query's matches


@dataclass(frozen=True)
class CenterIndex:
    token: uuid.UUID
    items: tuple[Entry, ...]
    units: tuple[UnitEntry, ...]
    # Every item's searched columns in two strings (the text: name, code, terms; the pinyin
    # columns, ASCII, so stored one byte a character), and where each item's part starts: a
    # query's candidates are found by `str.find` (C speed) instead of a Python call per item;
    # `rank` then runs on the candidates only.
    text: str = ""
    text_starts: tuple[int, ...] = ()
    pinyin: str = ""
    pinyin_starts: tuple[int, ...] = ()
    by_unit: dict[int, tuple[int, ...]] = field(default_factory=dict)

    @classmethod
    def of(
        cls, token: uuid.UUID, items: tuple[Entry, ...], units: tuple[UnitEntry, ...]
    ) -> CenterIndex:
        by_unit: dict[int, list[int]] = {}
        for i, e in enumerate(items):
            by_unit.setdefault(e.unit_id, []).append(i)
        text, text_starts = _joined([(e.name, e.code, e.search_terms) for e in items])
        pinyin, pinyin_starts = _joined(
            [(e.search_pinyin, e.search_initials, e.search_terms_pinyin) for e in items]
        )
        return cls(
            token=token,
            items=items,
            units=units,
            text=text,
            text_starts=text_starts,
            pinyin=pinyin,
            pinyin_starts=pinyin_starts,
            by_unit={u: tuple(ix) for u, ix in by_unit.items()},
        )

    def containing(self, needle: str) -> set[int]:
        """The positions of the items with `needle` in a searched column (or a superset)."""
        found = _find(self.text, self.text_starts, needle)
        if needle.isascii():  # `rank` reads the pinyin columns for pinyin queries only
            found |= _find(self.pinyin, self.pinyin_starts, needle)
        return found


def _joined(rows: list[tuple[str, ...]]) -> tuple[str, tuple[int, ...]]:
    parts: list[str] = []
    starts: list[int] = []
    offset = 0
    for row in rows:
        part = _SEP.join((*row, ""))
        starts.append(offset)
        parts.append(part)
        offset += len(part)
    return "".join(parts), tuple(starts)


def _find(blob: str, starts: tuple[int, ...], needle: str) -> set[int]:
    found: set[int] = set()
    n = len(starts)
    at = blob.find(needle)
    while at >= 0:
        i = bisect_right(starts, at) - 1
        found.add(i)
        if i + 1 >= n:
            break
        at = blob.find(needle, starts[i + 1])
    return found


@dataclass(frozen=True)
class Query:
    """A normalised query (govhall.catalog.search.normalize_query) taken apart once."""

    q: str  # lower-cased, words separated by one space
    words: tuple[str, ...]
    compact: str  # the words run together
    pinyin: str  # `huzhao` for `Hu Zhao`; empty unless the query is pinyin letters
    # The pinyin delimited as a whole reading, or a reading's start (see `_whole_reading`).
    pinyin_then_space: str = ""
    pinyin_spaced: str = ""
    space_then_pinyin: str = ""

    @classmethod
    def of(cls, q: str, pinyin: str) -> Query:
        lowered = q.lower()
        words = tuple(lowered.split(" "))
        return cls(
            q=lowered,
            words=words,
            compact="".join(words),
            pinyin=pinyin,
            pinyin_then_space=f"{pinyin} ",
            pinyin_spaced=f" {pinyin} ",
            space_then_pinyin=f" {pinyin}",
        )


# Readings are stored space-separated (every reading of polyphonic characters: 单县 is
# danxian, shanxian and chanxian), so a reading is delimited by the column's ends or spaces.


def _whole_reading(column: str, query: Query) -> bool:
    return (
        column == query.pinyin
        or column.startswith(query.pinyin_then_space)
        or query.pinyin_spaced in column
        or column.endswith(query.space_then_pinyin)
    )


def _reading_starts(column: str, query: Query) -> bool:
    return column.startswith(query.pinyin) or query.space_then_pinyin in column


def matching_units(units: tuple[UnitEntry, ...], query: Query) -> frozenset[int]:
    """The units named by the query (公安 → 公安局; gongan by its pinyin sort key)."""
    compact, pinyin = query.compact, query.pinyin
    return frozenset(
        u.pk
        for u in units
        if compact in u.name or compact in u.full_name or (pinyin and pinyin in u.sort_key)
    )


def rank(entry: Entry, query: Query, unit_ids: frozenset[int]) -> int:
    """How well `entry` matches: the best RANK_* that applies, 0 for no match."""
    q, compact, pinyin = query.q, query.compact, query.pinyin
    name = entry.name
    if name in (q, compact) or entry.code == q:
        return RANK_EXACT
    if pinyin and _whole_reading(entry.search_pinyin, query):
        return RANK_EXACT
    if compact in name:
        return RANK_NAME_START if name.startswith(compact) else RANK_NAME_CONTAINS
    if pinyin:
        initials, full = entry.search_initials, entry.search_pinyin
        if pinyin in initials:
            if _whole_reading(initials, query):
                return RANK_INITIALS_EXACT
            if _reading_starts(initials, query):
                return RANK_INITIALS_START
        if pinyin in full and _reading_starts(full, query):
            return RANK_PINYIN_START
        if pinyin in initials:
            return RANK_INITIALS_CONTAIN
        if pinyin in full:
            return RANK_PINYIN_CONTAIN
    if len(query.words) > 1 and all(word in name for word in query.words):
        return RANK_ALL_WORDS
    if compact in entry.search_terms:
        return RANK_TERM
    if pinyin:
        terms_pinyin = entry.search_terms_pinyin
        if len(pinyin) > 1:
            if pinyin in terms_pinyin:
                return RANK_TERM_PINYIN
        elif _reading_starts(terms_pinyin, query):
            return RANK_TERM_PINYIN
    if entry.unit_id in unit_ids:
        return RANK_UNIT
    return 0


def candidates(index: CenterIndex, query: Query, unit_ids: frozenset[int]) -> list[int]:
    """The positions of every item `rank` may match: each way of matching needs the compact
    query, the pinyin, the first word or the query as typed within one of the item's columns,
    or the item's unit to match."""
    found: set[int] = set()
    for needle in {query.compact, query.pinyin, query.words[0], query.q} - {""}:
        found |= index.containing(needle)
    for unit_id in unit_ids:
        found.update(index.by_unit.get(unit_id, ()))
    return sorted(found)


def ranked(index: CenterIndex, query: Query) -> dict[int, list[int]]:
    """The matching items' primary keys by rank."""
    unit_ids = matching_units(index.units, query)
    by_rank: dict[int, list[int]] = {}
    items = index.items
    for i in candidates(index, query, unit_ids):
        entry = items[i]
        r = rank(entry, query, unit_ids)
        if r:
            by_rank.setdefault(r, []).append(entry.pk)
    return by_rank


# --- the per-process cache ------------------------------------------------------------------

_cache: OrderedDict[int, CenterIndex] = OrderedDict()
_lock = threading.Lock()


def clear() -> None:
    """Forget every center's index (tests; the stamp makes it unnecessary otherwise)."""
    with _lock:
        _cache.clear()


def current_token(center_id: int) -> uuid.UUID:
    token = CatalogStamp.objects.filter(center_id=center_id).values_list("token", flat=True).first()
    if token is None:  # a center never written since the stamps came: stamp it once, now
        stamp, _created = CatalogStamp.objects.get_or_create(
            center_id=center_id, defaults={"token": uuid.uuid4()}
        )
        token = stamp.token
    return token


def _build(center_id: int, token: uuid.UUID) -> CenterIndex:
    rows = ServiceItem.objects.filter(
        center_id=center_id, status=ItemStatus.PUBLISHED, current__isnull=False
    ).values_list(
        "pk",
        "unit_id",
        "sort_key",
        "name",
        "code",
        "search_pinyin",
        "search_initials",
        "search_terms",
        "search_terms_pinyin",
    )
    items = tuple(
        Entry(pk, unit_id, sort_key, name.lower(), code.lower(), *rest)
        for pk, unit_id, sort_key, name, code, *rest in rows
    )
    units = tuple(
        UnitEntry(pk, name.lower(), full_name.lower(), sort_key)
        for pk, name, full_name, sort_key in Unit.objects.filter(center_id=center_id).values_list(
            "pk", "name", "full_name", "sort_key"
        )
    )
    return CenterIndex.of(token, items, units)


def index_for(center_id: int) -> CenterIndex:
    """The center's index, rebuilt when its stamp moved since it was built (one query when not)."""
    token = current_token(center_id)  # before the items: never cache old rows under a new token
    with _lock:
        index = _cache.get(center_id)
        if index is not None and index.token == token:
            _cache.move_to_end(center_id)
            return index
    index = _build(center_id, token)
    with _lock:
        _cache[center_id] = index
        _cache.move_to_end(center_id)
        while len(_cache) > MAX_CENTERS:
            _cache.popitem(last=False)
    return index


def bump(center_id: int) -> None:
    """Give the center's catalog a new stamp: every process rebuilds its index at its next
    search. Call inside the transaction that writes, so both commit or neither does."""
    token = uuid.uuid4()
    if CatalogStamp.objects.filter(center_id=center_id).update(token=token):
        return
    try:
        with transaction.atomic():
            CatalogStamp.objects.create(center_id=center_id, token=token)
    except IntegrityError:  # another writer created it first
        CatalogStamp.objects.filter(center_id=center_id).update(token=token)
