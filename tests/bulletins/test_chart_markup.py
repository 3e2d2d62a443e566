"""The bulletin's charts are SVG built from unit names the office typed: each name comes back as
text, whatever characters it holds, and none of it becomes an attribute or an element."""

from __future__ import annotations

from govhall.bulletins.charts import bar_chart, to_svg
from tests.markup import HOSTILE, PLAIN, parse_svg, svg_shape, svg_texts


def bars(text: str) -> str:
    return to_svg(bar_chart(text, [(text, 3), ("住建局", 1)], empty=text, suffix="%"))


def test_a_unit_name_with_quotes_and_brackets_comes_back_as_text_in_a_bar_chart():
    # given the same chart once in plain text, once with quotes, brackets and ampersands
    plain, hostile = parse_svg(bars(PLAIN)), parse_svg(bars(HOSTILE))
    # then both have the same elements and attributes
    assert svg_shape(hostile) == svg_shape(plain)
    # and the label, the title and the unit's bar read as typed
    assert hostile.get("aria-label") == HOSTILE
    texts = svg_texts(hostile)
    assert texts[0] == HOSTILE  # <title>
    assert HOSTILE in texts[1:]
    assert "3%" in texts


def test_an_empty_charts_message_comes_back_as_text():
    root = parse_svg(to_svg(bar_chart(HOSTILE, [], empty=HOSTILE)))
    assert svg_texts(root) == [HOSTILE, HOSTILE]
    assert svg_shape(root) == svg_shape(parse_svg(to_svg(bar_chart(PLAIN, [], empty=PLAIN))))
