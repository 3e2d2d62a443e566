"""The headless Chromium the browser tests and scripts/screenshots.py both drive (Debian's, from
scripts/system-packages.sh), and the screen sizes they use."""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("GOVHALL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SIZES = {"desktop": (1440, 900), "phone": (390, 844), "kiosk": (1080, 1920)}
