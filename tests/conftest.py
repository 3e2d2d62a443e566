"""Named personas shared by every app's tests.

Center A (甲中心) has units X (公安局, two windows) and Y (住建局); center B (乙中心) has unit Z.
Each persona is a login account with one role, created through the real services.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from govhall.core.calendar import forget_calendar
from govhall.org import services
from govhall.org.choices import Role, StaffRole
from govhall.org.models import Center, Staff, Unit, Window
from tests import xdist_groups
from tests.factories import CenterFactory, StaffFactory, UnitFactory, WindowFactory
from tests.shared_demo import FIXTURE as SHARED_DEMO
from tests.shared_demo import SharedDemo

# Property tests judge rules, not speed: on two cores shared with the other xdist worker (and in
# CI beside other jobs) an example may take longer than hypothesis's 200 ms default, which made
# passing tests fail by the clock. Timings live in bench/.
hypothesis_settings.register_profile(
    "govhall", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("govhall")

PASSWORD = "pw-for-tests"

_shared_demo: SharedDemo | None = None  # built by the first test that asks for it


@dataclass
class Hall:
    a: Center
    b: Center
    x: Unit
    y: Unit
    z: Unit
    x_window: Window
    y_window: Window
    z_window: Window
    x_chief: Staff
    x_clerk: Staff
    y_clerk: Staff
    z_clerk: Staff
    users: dict[str, Any]

    def user(self, persona: str) -> Any:
        return self.users[persona]


@pytest.fixture(scope="session", autouse=True)
def _media_in_a_temporary_folder(tmp_path_factory: Any) -> Iterator[None]:
    # Uploads and the demo catalog's files go to a folder of this run, never to var/media.
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True)
def _fresh_calendar() -> Iterator[None]:
    # Each test's database is rolled back; a calendar cached by another test must not leak.
    forget_calendar()
    yield
    forget_calendar()


# The production hasher is deliberately slow; tests create many accounts.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


@pytest.fixture(autouse=True)
def _sessions_outlive_time_travel(settings: Any) -> None:
    # Tests travel in time between requests of one login (a morning punch, an evening one) and
    # log in with the demo's published password: sessions never expire and demo logins need no
    # new password, unless a test sets these itself (tests/accounts does).
    century = 100 * 366 * 24
    settings.SESSION_IDLE_MINUTES = century * 60
    settings.SESSION_MAX_HOURS = century
    settings.SESSION_COOKIE_AGE = century * 3600
    settings.DEMO_MODE = True


@pytest.fixture(autouse=True)
def _audit_checkpoints_apart(settings: Any, tmp_path: Any) -> None:
    # Backups and audit_checkpoint append to this file: never to the checkout's var/.
    settings.GOVHALL_AUDIT_CHECKPOINTS = tmp_path / "audit" / "checkpoints.jsonl"
    # An audit action code without a label (govhall/core/audit_actions.py) fails the test that
    # writes it: the audit page would show the bare code.
    settings.GOVHALL_AUDIT_STRICT_ACTIONS = True


@pytest.fixture
def hall(db: Any, django_user_model: Any) -> Hall:
    a, b = CenterFactory(name="甲政务服务中心"), CenterFactory(name="乙政务服务中心")
    x, y = UnitFactory(center=a, name="公安局"), UnitFactory(center=a, name="住建局")
    z = UnitFactory(center=b, name="林业局")
    x_window = WindowFactory(unit=x, name="出入境窗口")
    y_window = WindowFactory(unit=y, name="房产窗口")
    z_window = WindowFactory(unit=z, name="林业窗口")
    x_chief = StaffFactory(window=x_window, name="赵首席", role=StaffRole.CHIEF)
    x_clerk = StaffFactory(window=x_window, name="钱办事")
    y_clerk = StaffFactory(window=y_window, name="孙房产")
    z_clerk = StaffFactory(window=z_window, name="李林业")
    personas = {
        "office_a": (a, Role.OFFICE, None, None),
        "supervisor_a": (a, Role.SUPERVISOR, None, None),
        "chief_x": (a, Role.CHIEF, x, x_chief),
        "clerk_x": (a, Role.WINDOW_STAFF, x, x_clerk),
        "leader_y": (a, Role.UNIT_LEADER, y, None),
        "office_b": (b, Role.OFFICE, None, None),
        "clerk_z": (b, Role.WINDOW_STAFF, z, z_clerk),
    }
    users = {
        name: services.account_create(
            by=None,
            center=center,
            username=name,
            password=PASSWORD,
            role=role,
            unit=unit,
            staff=staff,
        )
        for name, (center, role, unit, staff) in personas.items()
    }
    users["admin"] = django_user_model.objects.create_superuser("admin", "", PASSWORD)
    return Hall(
        a, b, x, y, z, x_window, y_window, z_window, x_chief, x_clerk, y_clerk, z_clerk, users
    )


@pytest.fixture
def login(client: Any, hall: Hall) -> Any:
    """login("office_a") logs the test client in as that persona and returns the client."""

    def _login(persona: str) -> Any:
        client.force_login(hall.user(persona))
        return client

    return _login


# --- the shared demo hall (tests/shared_demo.py) and the order tests run in -----------------------


@pytest.fixture(scope="session")
def shared_demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[SharedDemo]:
    """The whole demo hall, built once; a test reads it through `demo_center`."""
    global _shared_demo
    # Built before any test's own settings: the demo logins get the tests' password hasher.
    demo = SharedDemo(
        django_db_blocker,
        PASSWORD_HASHERS=FAST_PASSWORD_HASHERS,
        DEMO_MODE=True,
        GOVHALL_AUDIT_STRICT_ACTIONS=True,
    )
    demo.open()
    _shared_demo = demo
    yield demo
    demo.close()
    _shared_demo = None


@pytest.fixture
def demo_center(shared_demo: SharedDemo, db: Any) -> Center:
    """随县政务服务中心 of the shared demo; the test runs in a savepoint rolled back after it."""
    return shared_demo.center()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # Before any fixture of the test: the demo's transaction is open exactly for its tests.
    if _shared_demo is not None:
        if SHARED_DEMO in item.fixturenames:
            _shared_demo.open()
        else:
            _shared_demo.close()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The shared demo's tests run back to back, last: the demo is built once per process.
    demo_items = [item for item in items if SHARED_DEMO in item.fixturenames]
    items[:] = [item for item in items if SHARED_DEMO not in item.fixturenames] + demo_items


@pytest.hookimpl(tryfirst=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    # Before the worker reports its collection: the groups xdist must keep in one worker.
    xdist_groups.write_groups(session.config, xdist_groups.groups_of(session.items, _group_of))


def _group_of(item: pytest.Item) -> str | None:
    if SHARED_DEMO in item.fixturenames:
        return "demo"
    fixture_info = getattr(item, "_fixtureinfo", None)
    if fixture_info is not None and any(
        definition.scope in ("class", "module", "package") and definition.baseid
        for definitions in fixture_info.name2fixturedefs.values()
        for definition in definitions
    ):  # a fixture of this project's (plugins' have no baseid) built once per module or class
        return item.nodeid.split("::")[0]
    return None


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    xdist_groups.configure_node(node)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    return xdist_groups.make_scheduler(config, log)


def pytest_unconfigure(config: pytest.Config) -> None:
    xdist_groups.clean_up(config)
