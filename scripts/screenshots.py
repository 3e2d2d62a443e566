"""Screenshots of the main pages at the kiosk's, a desktop's and a phone's size.

    .venv/bin/python scripts/screenshots.py            # → var/screenshots/*.png (make screenshots)
    .venv/bin/python scripts/screenshots.py --docs     # also refresh README's docs/screenshots/

Loads the demo (随县政务服务中心, December 2016) into a temporary database, serves it with gunicorn
on a free local port, and shoots each page in headless Chromium (Debian's /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, SIZES  # noqa: E402 — after the path

OUT = ROOT / "var" / "screenshots"
DOCS = ROOT / "docs" / "screenshots"
PASSWORD = "govhall-demo"  # noqa: S105 — the demo's published password


@dataclass(frozen=True)
class Shot:
    name: str
    size: str
    path: str
    user: str = ""  # a demo login, or the public
    then: Callable[[Page], None] | None = None  # steps after opening the page
    full_page: bool = False


def open_first(selector: str) -> Callable[[Page], None]:
    def step(page: Page) -> None:
        page.locator(selector).first.click()
        page.wait_for_load_state("networkidle")

    return step


def elderly(page: Page) -> None:
    page.locator(".elderly-toggle").click()
    page.wait_for_load_state("networkidle")


SHOTS = [
    # the public kiosk, portrait touch screen
    Shot("kiosk-home", "kiosk", "/kiosk/"),
    Shot("kiosk-search", "kiosk", "/kiosk/search/?q=hz"),
    Shot("kiosk-item", "kiosk", "/kiosk/search/?q=huzhao", then=open_first("#results .item-row")),
    Shot("kiosk-elderly", "kiosk", "/kiosk/", then=elderly),
    # the same pages and the public services on a phone
    Shot("phone-kiosk-home", "phone", "/kiosk/", full_page=True),
    Shot("phone-item", "phone", "/kiosk/search/?q=huzhao", then=open_first("#results .item-row")),
    Shot("phone-service", "phone", "/service/"),
    Shot("phone-progress", "phone", "/service/progress/"),
    Shot("phone-appointments", "phone", "/service/appointments/"),
    Shot("phone-feedback", "phone", "/feedback/"),
    Shot("phone-rate", "phone", "/feedback/rate/"),
    # staff pages on a desktop
    Shot("desktop-login", "desktop", "/accounts/login/"),
    Shot("desktop-home-office", "desktop", "/", user="office"),
    Shot("desktop-desk", "desktop", "/cases/desk/", user="clerk"),
    Shot("desktop-desk-intake", "desktop", "/cases/desk/?q=hz", user="clerk"),
    Shot("desktop-cases", "desktop", "/cases/list/", user="office"),
    Shot("desktop-case", "desktop", "/cases/list/", user="office", then=open_first("td.mono a")),
    Shot("desktop-supervision", "desktop", "/supervision/", user="supervisor"),
    Shot("desktop-leave", "desktop", "/staffing/leave/", user="office"),
    Shot("desktop-patrol", "desktop", "/oversight/patrol/", user="office"),
    Shot("desktop-bulletins", "desktop", "/bulletins/", user="office"),
    Shot(
        "desktop-bulletin",
        "desktop",
        "/bulletins/",
        user="office",
        then=open_first("table.data td a"),
    ),
    Shot("desktop-bulletin-dashboard", "desktop", "/bulletins/dashboard/", user="office"),
    Shot("desktop-evaluation", "desktop", "/evaluation/", user="office"),
]
# What README shows (docs/screenshots/), each under 300 KB.
DOCS_SHOTS = [
    "kiosk-home",
    "kiosk-item",
    "phone-item",
    "desktop-desk-intake",
    "desktop-bulletin-dashboard",
    "desktop-bulletin",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def demo_site() -> Iterator[str]:
    """The demo in a temporary folder, served on 127.0.0.1; yields its address."""
    python = Path(sys.executable)
    with tempfile.TemporaryDirectory(prefix="govhall-shots-") as folder:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(GOVHALL_VAR_DIR=folder, GOVHALL_DEMO="1", PYTHONDONTWRITEBYTECODE="1")
        manage = [str(python), str(ROOT / "manage.py")]
        print("loading the demo into", folder, flush=True)
        # Our own interpreter and manage.py, no shell: nothing untrusted reaches these calls.
        for command in (["migrate", "--no-input", "-v0"], ["load_demo", "-v0"]):
            subprocess.run([*manage, *command], env=env, cwd=ROOT, check=True)  # noqa: S603
        port = free_port()
        server = subprocess.Popen(  # noqa: S603 — our own venv's gunicorn
            [
                str(python.parent / "gunicorn"),
                "govhall.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
            ],
            env=env,
            cwd=ROOT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    with urllib.request.urlopen(url + "/healthz", timeout=2):  # noqa: S310
                        break
                except OSError:
                    time.sleep(0.2)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=20)


def shoot(browser: Browser, url: str, shots: list[Shot]) -> list[Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    for shot in shots:
        width, height = SIZES[shot.size]
        context = browser.new_context(
            base_url=url,
            viewport={"width": width, "height": height},
            locale="zh-CN",
            device_scale_factor=1,
        )
        page = context.new_page()
        if shot.user:
            page.goto("/accounts/login/")
            page.fill("#id_username", shot.user)
            page.fill("#id_password", PASSWORD)
            page.locator("main form button[type=submit]").click()
            page.wait_for_url(lambda address: "/accounts/login/" not in address)
        page.goto(shot.path)
        page.wait_for_load_state("networkidle")
        if shot.then:
            shot.then(page)
        target = OUT / f"{shot.name}.png"
        page.screenshot(path=str(target), full_page=shot.full_page)
        context.close()
        written.append(target)
        print(f"  {target.relative_to(ROOT)}", flush=True)
    return written


def for_docs(names: list[str]) -> None:
    """README's copies: 256-colour PNGs (screens are flat colour and text), under 300 KB."""
    DOCS.mkdir(parents=True, exist_ok=True)
    for name in names:
        image = Image.open(OUT / f"{name}.png").convert("RGB")
        if image.width > 1080:
            image = image.resize((1080, round(image.height * 1080 / image.width)), Image.LANCZOS)
        elif image.height > 1500:
            image = image.resize((round(image.width * 1500 / image.height), 1500), Image.LANCZOS)
        target = DOCS / f"{name}.png"
        image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            target, optimize=True
        )
        size = target.stat().st_size
        print(f"  {target.relative_to(ROOT)} ({size // 1024} KB)", flush=True)
        if size > 300 * 1024:
            raise SystemExit(f"{target} is over 300 KB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", action="store_true", help="also refresh docs/screenshots/")
    parser.add_argument("--only", nargs="*", help="names of the shots to take")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: run scripts/system-packages.sh")
    shots = [s for s in SHOTS if not args.only or s.name in args.only]
    fc_list = shutil.which("fc-list")
    if fc_list:
        fonts = subprocess.run([fc_list, ":lang=zh"], capture_output=True, text=True, check=False)  # noqa: S603
        if "Noto Sans CJK" not in fonts.stdout:
            print("warning: no Noto CJK font; Chinese may render as boxes", file=sys.stderr)
    with demo_site() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            shoot(browser, url, shots)
        finally:
            browser.close()
    if args.docs:
        for_docs([name for name in DOCS_SHOTS if any(s.name == name for s in shots)])


if __name__ == "__main__":
    main()
