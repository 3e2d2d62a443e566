"""The bulletin as PDF: WeasyPrint prints the standalone HTML (print stylesheet: A4, GB/T 9704
margins, folios), embedding subsets of the CJK fonts it used.

The official font names are aliased to installed stand-ins by fonts/fonts.conf, loaded through
FONTCONFIG_FILE before WeasyPrint (Pango, fontconfig) first starts in the process; a deployment
that sets FONTCONFIG_FILE itself keeps its own. Without libharfbuzz-subset0 a Chinese page
takes seconds instead of a fraction of one (scripts/system-packages.sh installs it).
"""

from __future__ import annotations

import os
from pathlib import Path

from govhall.bulletins.render_html import render_html
from govhall.bulletins.text import Document

FONTCONFIG_FILE = Path(__file__).resolve().parent / "fonts" / "fonts.conf"


def use_bulletin_fonts() -> None:
    """Point fontconfig at the bulletin's aliases (must run before fontconfig initialises)."""
    os.environ.setdefault("FONTCONFIG_FILE", str(FONTCONFIG_FILE))


def render_pdf(doc: Document) -> bytes:
    use_bulletin_fonts()
    from weasyprint import HTML

    html = render_html(doc, for_print=True)
    pdf = HTML(string=html, base_url=str(FONTCONFIG_FILE.parent)).write_pdf()
    if pdf is None:  # only when a target is given
        raise RuntimeError("WeasyPrint returned no PDF")
    return pdf
