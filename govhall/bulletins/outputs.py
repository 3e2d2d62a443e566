"""One bulletin document in each delivered format (shared by the pages and the command)."""

from __future__ import annotations

import json

from govhall.bulletins.choices import Format
from govhall.bulletins.text import Document

CONTENT_TYPES = {
    Format.HTML: "text/html; charset=utf-8",
    Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Format.PDF: "application/pdf",
    Format.JSON: "application/json; charset=utf-8",
}


def figures_json(doc: Document) -> str:
    """The figures with the keys of DESIGN.md §5, as `bulletin --format json` prints them."""
    return json.dumps(doc.figures.as_json(), ensure_ascii=False, indent=2) + "\n"


def render(doc: Document, fmt: str) -> bytes:
    """The document as the bytes of a file in `fmt` (html, docx, pdf or json)."""
    if fmt == Format.JSON:
        return figures_json(doc).encode("utf-8")
    if fmt == Format.HTML:
        from govhall.bulletins.render_html import render_html

        return render_html(doc).encode("utf-8")
    if fmt == Format.DOCX:
        from govhall.bulletins.render_docx import render_docx

        return render_docx(doc)
    if fmt == Format.PDF:
        from govhall.bulletins.render_pdf import render_pdf

        return render_pdf(doc)
    raise ValueError(f"unknown format {fmt!r}")


def filename(doc: Document, fmt: str, *, version: int | None = None) -> str:
    """随县政务服务【2016】第3期-12月份窗口工作情况通报.docx (v2 for a later version)."""
    suffix = f"-v{version}" if version and version > 1 else ""
    return f"{doc.issue}-{doc.title}{suffix}.{fmt}"
