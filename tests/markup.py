"""Checks that generated markup gives text back as text: parse it, compare its shape.

HOSTILE holds every character markup gives a meaning to — both quotes, both angle brackets, an
ampersand, an entity — arranged to break out of an attribute or open an element if it is
written unescaped. A fragment built from it must parse to the same elements and attributes as
one built from plain text, and hand HOSTILE back unchanged wherever it was put.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

HOSTILE = """甲" onload="alert(1)" x='<b>&amp; 乙</b>'"""
PLAIN = "甲乙"


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def parse_svg(markup: str) -> ET.Element:
    """The SVG as XML: an unescaped `<` or `&` makes this raise, an unescaped quote adds an
    attribute that `svg_shape` then shows."""
    return ET.fromstring(markup)  # noqa: S314 (our own output)


def svg_shape(root: ET.Element) -> list[tuple[str, tuple[str, ...]]]:
    """Each element's name and attribute names, in document order."""
    return [(_local(el.tag), tuple(sorted(el.attrib))) for el in root.iter()]


def svg_texts(root: ET.Element) -> list[str]:
    """The text of every <text> and <title>, as a reader (or a screen reader) gets it."""
    return ["".join(el.itertext()) for el in root.iter() if _local(el.tag) in ("text", "title")]


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


def html_elements(markup: str) -> list[tuple[str, dict[str, str | None]]]:
    """Every start tag of an HTML page with its attributes (values unescaped), as a browser
    would build them."""
    parser = _Elements()
    parser.feed(markup)
    parser.close()
    return parser.elements


def event_handlers(markup: str) -> list[tuple[str, str]]:
    """(element, attribute) for every on… attribute on the page: a page has none of its own
    (CSP forbids inline scripts), so any is an injection."""
    return [
        (tag, name)
        for tag, attrs in html_elements(markup)
        for name in attrs
        if name.lower().startswith("on")
    ]
