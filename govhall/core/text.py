"""Chinese text helpers shared by every app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pypinyin import Style, lazy_pinyin, pinyin


def pinyin_key(text: str) -> str:
    """Full pinyin without spaces (欧阳明 → ouyangming): orders Chinese names on every database
    (SQLite has no ICU collation) and lets people search a name by its pinyin."""
    return "".join(lazy_pinyin(text, style=Style.NORMAL, errors="default")).lower()


def chinese_date(value: dt.date | dt.datetime | None) -> str:
    """2016年12月8日 — the date format of Chinese official documents and of the UI."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def mask_phone(phone: str) -> str:
    """138****5678: enough for a person to recognise their own number, not to call it."""
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳明 → 欧**: the applicant recognises the case, nobody learns the name."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def pinyin_readings(text: str, limit: int = 16) -> tuple[list[str], list[str]]:
    """Every pinyin reading of a short name, as full syllables and as initials.

    pypinyin guesses some polyphonic characters wrongly (单县 → dan xian), so all readings are
    indexed, up to `limit` combinations, and a search may match any of them.
    """
    readings: list[list[str]] = [[]]
    for syllables in pinyin(text, style=Style.NORMAL, heteronym=True, errors="default"):
        options = list(dict.fromkeys(s.lower() for s in syllables)) or [""]
        readings = [r + [o] for r in readings for o in options][:limit]
    full = list(dict.fromkeys("".join(r) for r in readings))
    initials = list(dict.fromkeys("".join(s[:1] for s in r) for r in readings))
    return full, initials


def search_texts(terms: Iterable[str], limit: int = 2) -> tuple[str, str]:
    """What a search may find besides a name (an item's result, materials, aliases): the terms
    in lower case, one per line; and their full pinyin followed by their initials, each reading
    delimited by spaces (营业执照 → `yingyezhizhao yyzz`).

    Fewer readings per term than for names (`limit`): the terms are many and long, and the
    columns are scanned by every search.
    """
    words: list[str] = []
    full: list[str] = []
    initials: list[str] = []
    for term in dict.fromkeys(t.strip().lower() for t in terms):
        if not term:
            continue
        words.append(term)
        readings, firsts = pinyin_readings(term.replace(" ", ""), limit=limit)
        full += readings
        initials += firsts
    return "\n".join(words), " ".join(dict.fromkeys([*full, *initials]))


def mask_id_number(value: str) -> str:
    """420321********1234: the region and the last four, never the birth date."""
    value = value.strip()
    if len(value) <= 8:
        return "*" * len(value)
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"


# Unicode bidirectional embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069):
# one in a name or a case number makes the text display in another order than it is stored
# ("Trojan Source"), so a clerk reads one thing and a search or a lookup sees another.
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
_BIDI_TABLE = dict.fromkeys(map(ord, BIDI_CONTROLS))


def strip_bidi(text: str) -> str:
    """The text without bidirectional control characters: 张, U+202E, 三 → 张三."""
    return text.translate(_BIDI_TABLE)
