"""The bulletin as HTML: the preview inside the staff pages, and a standalone file (the HTML
download, and what WeasyPrint prints to PDF) carrying its own stylesheet and inline SVG charts."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from govhall.bulletins.charts import chart_svg
from govhall.bulletins.text import Document

STYLESHEET = Path(__file__).resolve().parent / "static" / "bulletins" / "bulletin.css"


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    svg: SafeString


@functools.cache
def stylesheet() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def charts_of(doc: Document) -> list[Chart]:
    return [Chart(a.key, a.title, chart_svg(doc.figures, a.key)) for a in doc.appendices]


def document_context(doc: Document, *, inline_charts: bool) -> dict[str, Any]:
    """What _document.html needs: inline charts on screen, 附件 pages on paper."""
    return {"doc": doc, "charts": charts_of(doc), "inline_charts": inline_charts}


def render_fragment(doc: Document) -> str:
    """The bulletin as an <article> for the preview page (charts as figures in the text)."""
    return render_to_string("bulletins/_document.html", document_context(doc, inline_charts=True))


def render_html(doc: Document, *, for_print: bool = False) -> str:
    """A standalone HTML file; `for_print` puts the charts on 附件 pages, as in DOCX and PDF."""
    context = document_context(doc, inline_charts=not for_print)
    context["css"] = mark_safe(stylesheet())  # noqa: S308 (the app's own stylesheet)
    return render_to_string("bulletins/document_file.html", context)
