"""Bidirectional control characters (U+202A–U+202E, U+2066–U+2069) make a text display in
another order than it is stored: single-line public inputs are kept without them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from govhall.core.forms import SingleLineField
from govhall.core.text import strip_bidi

CONTROLS = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]


@pytest.mark.parametrize("control", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_every_bidirectional_control_is_stripped(control):
    assert strip_bidi(f"张{control}三") == "张三"


def test_other_text_is_kept_as_it_is():
    # the marks U+200E/U+200F do not reorder text; Arabic and ideographic spaces stay too
    text = "王\u200e先生\u3000مرحبا 138-0000"
    assert strip_bidi(text) == text


def test_a_single_line_field_cleans_a_name_without_the_override():
    assert SingleLineField(max_length=5).clean("\u202e张三\u202c ") == "张三"


def test_a_name_of_only_controls_is_refused_as_missing():
    with pytest.raises(ValidationError) as refused:
        SingleLineField().clean("\u202e\u2066")
    assert refused.value.code == "required"


def test_the_controls_do_not_count_towards_the_length_limit():
    assert SingleLineField(max_length=2).clean("\u2067张三\u2069") == "张三"
