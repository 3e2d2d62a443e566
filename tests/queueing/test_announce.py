"""How a call is shown and read aloud: 请 A012 号到 5 号窗口办理, spoken 请 A 零一二 号到 五 号窗口办理."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from govhall.queueing.announce import DIGITS, announcement, cardinal
from govhall.queueing.rules import ticket_number

letters = st.sampled_from("ABCDEFGHJKLMNPQRSTUVWXYZ")
seqs = st.integers(min_value=1, max_value=999)
SPOKEN = re.compile(
    r"^请 (?P<letter>[A-Z]) (?P<digits>[零一二三四五六七八九]+) 号到 (?P<window>.+)办理$"
)


def read_cardinal(words: str) -> int:
    """A listener's reading of a Chinese quantity (the inverse of `cardinal`)."""
    value = {d: i for i, d in enumerate(DIGITS)} | {"两": 2}
    total, digit = 0, None
    for char in words:
        if char in value:
            digit = value[char]
        else:
            unit = {"十": 10, "百": 100, "千": 1000}[char]
            total += (1 if digit is None else digit) * unit
            digit = None
    return total + (digit or 0)


# Pure and fast: a deadline would only measure how busy the shared machine is.
@settings(deadline=None)
@given(letters, seqs, st.integers(min_value=1, max_value=999))
def test_a_call_reads_the_number_digit_by_digit_and_the_window_as_a_quantity(
    letter: str, seq: int, window: int
) -> None:
    # given ticket A012 called to window 5 (any number, any window)
    number = ticket_number(letter, seq)
    # when it is announced
    words = announcement(number, str(window), "")
    # then the screen shows it as printed on the ticket
    assert words.shown == f"请 {number} 号到 {window} 号窗口办理"
    # and the voice says the letter, then each of the three digits, then the window's number
    spoken = SPOKEN.match(words.spoken)
    assert spoken, words.spoken
    assert spoken["letter"] == letter
    assert "".join(str(DIGITS.index(d)) for d in spoken["digits"]) == f"{seq:03d}"
    assert spoken["window"].endswith(" 号窗口")
    assert read_cardinal(spoken["window"].removesuffix(" 号窗口")) == window


@settings(deadline=None)
@given(st.integers(min_value=0, max_value=9999))
def test_a_quantity_reads_back_as_itself(n: int) -> None:
    assert read_cardinal(cardinal(n)) == n


def test_the_usual_calls_read_naturally() -> None:
    assert announcement("A012", "5", "").spoken == "请 A 零一二 号到 五 号窗口办理"
    assert announcement("A012", "12号窗口", "").spoken == "请 A 零一二 号到 十二 号窗口办理"
    assert announcement("B100", "10", "").spoken == "请 B 一零零 号到 十 号窗口办理"
    assert cardinal(105) == "一百零五"
    assert cardinal(2010) == "两千零一十"


def test_a_window_code_is_read_letter_and_digits_and_a_window_without_number_by_name() -> None:
    # the demo's windows are numbered A01, B03 …
    assert announcement("A012", "A01", "").spoken == "请 A 零一二 号到 A 零一 号窗口办理"
    assert announcement("A012", "A01", "").shown == "请 A012 号到 A01 号窗口办理"
    named = announcement("C007", "", "公安局出入境窗口")
    assert named.shown == "请 C007 号到 公安局出入境窗口办理"
    assert named.spoken == "请 C 零零七 号到 公安局出入境窗口办理"


def test_a_number_past_999_keeps_every_digit() -> None:
    assert announcement(ticket_number("A", 1000), "3", "").spoken == (
        "请 A 一零零零 号到 三 号窗口办理"
    )
