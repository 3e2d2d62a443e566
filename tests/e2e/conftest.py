"""Browser tests: headless Chromium (Debian's, driven by Playwright) against pytest-django's live
server on 127.0.0.1, with the data built through the real services.

Run with `make e2e` (pytest -m e2e); `make test` leaves them out. Chromium comes from
scripts/system-packages.sh, axe-core from `npm ci` in this folder (package-lock.json pins it).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from playwright.sync_api import Browser, Page, sync_playwright

from tests.catalog.builders import publish_item
from tests.conftest import PASSWORD
from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, SIZES

HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
SHANGHAI = ZoneInfo("Asia/Shanghai")
# Monday 23 November 2026, 09:30 in the hall: a working day inside opening hours whatever the
# machine's own clock says. The clock keeps ticking, so waits and expiries behave normally.
HALL_NOW = dt.datetime(2026, 11, 23, 9, 30, tzinfo=SHANGHAI)


def at(*args: int) -> dt.datetime:
    """A moment in the hall's local time."""
    return dt.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture(scope="session", autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    """Sync Playwright runs an event loop in the test's thread; the ORM calls the tests make
    between browser steps are plain synchronous calls all the same. Set for the browser tests
    only: anywhere else (a `check --deploy` subprocess) it would rightly be an error."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/system-packages.sh", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(autouse=True)
def hall_clock() -> Iterator[Any]:
    """The server thread and the test share one travelled, ticking clock."""
    with time_machine.travel(HALL_NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _e2e_isolation(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GOVHALL_SMS_BACKEND = "govhall.oversight.sms.LocmemBackend"
    cache.clear()  # nothing counts here now (rate limits are in the database); kept as a guard
    yield
    cache.clear()


@pytest.fixture
def open_page(browser: Browser, live_server: Any) -> Iterator[Callable[..., Page]]:
    """open_page(size="phone", language="en") → a page in a fresh browser context (a new
    visitor: no cookies) on the live server. Chinese is the site's default language."""
    contexts = []

    def _open(*, size: str = "desktop", language: str | None = None) -> Page:
        width, height = SIZES[size]
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": height},
            locale="zh-CN",
            accept_downloads=True,
            # Lets the test harness inject axe-core under the site's Content-Security-Policy.
            bypass_csp=True,
        )
        context.set_default_timeout(15_000)
        if language:
            context.add_cookies(
                [{"name": "django_language", "value": language, "url": live_server.url}]
            )
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page: Callable[..., Page]) -> Page:
    """A desktop-sized page in English, so assertions read the source strings."""
    return open_page(language="en")


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Through the real login page, as a person would."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


# --- accessibility --------------------------------------------------------------------------


def axe_run(page: Page, **options: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now (options as axe.run takes them)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` in tests/e2e (make e2e does)", pytrace=False)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("options => axe.run(document, options)", options)
    return result["violations"]


def serious(violations: list[dict[str, Any]]) -> list[str]:
    """The serious and critical violations, one readable line each."""
    return [
        "{id} ({impact}): {help} — {targets}".format(
            targets=", ".join(str(node["target"]) for node in v["nodes"][:5]), **v
        )
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


# --- data -----------------------------------------------------------------------------------


@pytest.fixture
def passport(hall: Any) -> Any:
    """普通护照签发 at 公安局 (unit X of center A): promised, 7 working days, full eight parts."""
    return publish_item(hall.a, hall.x, code="P001", name="普通护照签发")


@pytest.fixture
def household(hall: Any) -> Any:
    """An immediate item at 住建局 (unit Y), so searches have something not to find."""
    return publish_item(
        hall.a,
        hall.y,
        code="H001",
        name="房屋登记信息查询",
        result_name="房屋登记信息查询结果",
        handling_type="immediate",
        legal_days=0,
        promised_days=0,
        fee_mode="free",
    )


@pytest.fixture
def open_case(hall: Any, passport: Any) -> Any:
    """A case waiting for one material, with an online supplement notice."""
    from govhall.cases import services

    case = services.case_receive(
        by=hall.user("clerk_x"),
        item=passport,
        applicant_name="张三丰",
        applicant_id_number="420321199001011234",
        applicant_phone="13900001234",
    )
    return services.case_request_supplement(
        by=hall.user("clerk_x"), case=case, materials=["近期免冠照片"]
    )


@pytest.fixture
def public_paths(hall: Any, passport: Any, household: Any, open_case: Any) -> list[str]:
    """Every public page (no login) with something on it: a slot to book, a case waiting for a
    material with its online supplement notice."""
    from govhall.cases import appointments

    slot = appointments.slot_open(
        by=hall.user("chief_x"),
        unit=hall.x,
        date=dt.date(2026, 11, 24),
        start=dt.time(9, 0),
        end=dt.time(10, 0),
        capacity=2,
    )
    center, unit, item = hall.a.pk, hall.x.pk, passport.pk
    return [
        "/kiosk/",
        "/kiosk/search/?q=hz",
        "/kiosk/search/?q=zzzz",
        f"/kiosk/units/{unit}/",
        f"/kiosk/items/{item}/",
        f"/kiosk/items/{item}/guide/",
        f"/kiosk/items/{item}/checklist/",
        "/service/",
        "/service/progress/",
        f"/service/appointments/?center={center}",
        f"/service/appointments/?center={center}&unit={unit}&item={item}",
        f"/service/appointments/book/{slot.pk}/?item={item}",
        "/service/appointments/cancel/",
        f"/service/supplement/{open_case.token}/",
        "/feedback/",
        "/feedback/rate/",
        "/feedback/write/",
        "/feedback/answer/",
        "/accounts/login/",
    ]
