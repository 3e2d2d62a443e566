"""QR codes drawn as inline SVG for pages and printed notices (no image files, no network)."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str, *, title: str, scale: int = 3) -> SafeString:
    """The code of `url` as an <svg class="qr-code"> whose <title> is `title` (for screen readers).

    segno writes every element itself and escapes the title (element text, where `<`, `>` and
    `&` are all that matter); the URL is only encoded in the modules, never written as text.
    """
    svg = segno.make_qr(url, error="m").svg_inline(
        scale=scale, border=2, svgclass="qr-code", lineclass=None, omitsize=True, title=title
    )
    return mark_safe(svg)  # noqa: S308 — segno's markup, title escaped by segno
