"""The spoken call (叫号播报): how a number and a window are shown and read aloud. No ORM here.

Shown: 请 A012 号到 5 号窗口办理. Spoken: 请 A 零一二 号到 五 号窗口办理 — a number's digits one
by one (as a ticket is read: 零一二, not 十二), with 一 rather than the telephone 幺 (a hall's
public says 一; 幺 is for telephone and radio codes); a window's number as a quantity (五, 十二)
when it is a plain number, its digits one by one when it is a code like A01. Letters stay
letters: the speech engine names them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DIGITS = "零一二三四五六七八九"
_RUNS = re.compile(r"[0-9]+|[A-Za-z]+|[^0-9A-Za-z]+")
_WINDOW_SUFFIX = re.compile(r"\s*(号窗口|号窗|号|窗口)\s*$")


def digits_spoken(digits: str) -> str:
    """012 → 零一二."""
    return "".join(DIGITS[int(d)] for d in digits)


def cardinal(n: int) -> str:
    """A quantity in Chinese, 0–9999: 5 → 五, 12 → 十二, 105 → 一百零五, 2010 → 两千零一十."""
    if not 0 <= n <= 9999:
        raise ValueError(f"{n} is outside 0–9999")
    if n == 0:
        return DIGITS[0]
    if n < 10:
        return DIGITS[n]
    if n < 20:  # 十二, not 一十二
        return "十" + (DIGITS[n - 10] if n > 10 else "")
    spoken = ""
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit == 0:
            zero = bool(spoken)
            continue
        if zero:
            spoken += DIGITS[0]
            zero = False
        # 两千 as one says it; 二百 and 两百 are both heard, 二 is kept there.
        spoken += ("两" if digit == 2 and value == 1000 else DIGITS[digit]) + unit
    return spoken


def _code_spoken(code: str) -> str:
    """A012 → A 零一二; AB3 → A B 三 (letters apart, digits one by one)."""
    parts: list[str] = []
    for run in _RUNS.findall(code.strip()):
        if run.isdigit():
            parts.append(digits_spoken(run))
        elif run.isascii() and run.isalpha():
            parts.extend(run.upper())
        elif run.strip():
            parts.append(run.strip())
    return " ".join(parts)


def number_spoken(number: str) -> str:
    """A ticket number read aloud: A012 → A 零一二."""
    return _code_spoken(number)


def window_number(number: str) -> str:
    """The office's window number without a trailing 号/窗口 (5号窗口 → 5)."""
    return _WINDOW_SUFFIX.sub("", number.strip())


def window_shown(number: str, name: str) -> str:
    """5 号窗口; a window without a number by its name (公安局出入境窗口)."""
    label = window_number(number)
    return f"{label} 号窗口" if label else name


def window_spoken(number: str, name: str) -> str:
    """五 号窗口 for 5, A 零一 号窗口 for A01; the name for a window without a number."""
    label = window_number(number)
    if not label:
        return name
    if label.isdigit() and len(label) <= 4:
        return f"{cardinal(int(label))} 号窗口"
    return f"{_code_spoken(label)} 号窗口"


@dataclass(frozen=True)
class Announcement:
    shown: str  # on the screen: 请 A012 号到 5 号窗口办理
    spoken: str  # to the speech engine: 请 A 零一二 号到 五 号窗口办理


def announcement(number: str, window_no: str, window_name: str) -> Announcement:
    """The call of `number` to a window (its number, else its name)."""
    return Announcement(
        shown=f"请 {number} 号到 {window_shown(window_no, window_name)}办理",
        spoken=f"请 {number_spoken(number)} 号到 {window_spoken(window_no, window_name)}办理",
    )
