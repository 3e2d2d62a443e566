"""Finding a font with Chinese glyphs for pictures drawn with Pillow (charts, demo forms)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

# Where a CJK font is usually found when fontconfig cannot say (Debian fonts-noto-cjk).
FONT_FILES = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
)


def cjk_font_file() -> tuple[str, int] | None:
    """A font file with Chinese glyphs (and its index in a collection), from fontconfig."""
    fc_match = shutil.which("fc-match")
    if fc_match:
        try:
            found = subprocess.run(  # noqa: S603 (fixed arguments)
                [fc_match, "-f", "%{file}|%{index}", "sans-serif:lang=zh-cn"],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            found = ""
        path, _, index = found.partition("|")
        if path and Path(path).exists() and _has_cjk(path, int(index or 0)):
            return path, int(index or 0)
    for path, index in FONT_FILES:
        if Path(path).exists():
            return path, index
    return None


def _has_cjk(path: str, index: int) -> bool:
    from PIL import ImageFont

    try:
        font = ImageFont.truetype(path, 12, index=index)
    except OSError:
        return False
    return font.getmask("办").getbbox() is not None
