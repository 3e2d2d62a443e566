"""QR codes drawn as inline SVG for pages and printed notices (no image files, no network), and
the public addresses they carry."""

from __future__ import annotations

import segno
from django.conf import settings
from django.http import HttpRequest
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


def public_url(request: HttpRequest, path: str) -> str:
    """The address a phone can open: the configured public prefix, else this request's host."""
    base = getattr(settings, "GOVHALL_PUBLIC_URL", None)
    if base:
        return str(base).rstrip("/") + path
    return request.build_absolute_uri(path)
