"""Chinese text helpers shared by every app."""

from __future__ import annotations

import datetime as dt

from pypinyin import Style, lazy_pinyin


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
