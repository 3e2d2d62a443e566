"""Demo organization: 随县政务服务中心 with its units, windows, staff, A/B posts and logins."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from govhall.demo.data.org import DEMO_CENTER, LONE_BACKUPS, UNITS
from govhall.demo.logins import ADMIN, CENTER_LOGINS, DEMO_PASSWORD
from govhall.org import services
from govhall.org.choices import StaffRole
from govhall.org.models import Center, Staff, Unit

# The units moved into the new hall at the start of 2016; the demo's records begin in September.
HALL_OPENED = dt.date(2016, 1, 4)


def load_org_demo(stdout: Any) -> Center | None:
    """Create the demo center unless it exists; returns the new center (None if it existed)."""
    if Center.objects.filter(name=DEMO_CENTER).exists():
        stdout.write(f"{DEMO_CENTER} already loaded; left as it is.")
        return None
    center = services.center_create(
        by=None,
        name=DEMO_CENTER,
        short_name="随县政务服务",
        office_name="随县政务服务中心管理办公室",
    )
    center.address = "湖北省随州市随县厉山镇神农大道"
    center.phone = "0722-4321000"
    # The demo hosts the city's other halls too; commands without --center act on 随县.
    center.is_home = True
    center.save(update_fields=["address", "phone", "is_home"])
    for position, (unit_name, full_name, floor, windows) in enumerate(UNITS, start=1):
        unit = services.unit_create(
            by=None,
            center=center,
            name=unit_name,
            full_name=full_name,
            position=position,
            created_on=HALL_OPENED,
        )
        first = True
        for window_name, number, names in windows:
            window = services.window_create(
                by=None,
                unit=unit,
                name=window_name,
                number=number,
                floor=floor,
                created_on=HALL_OPENED,
            )
            for name in names:
                services.staff_create(
                    by=None,
                    unit=unit,
                    window=window,
                    name=name,
                    role=StaffRole.CHIEF if first else StaffRole.CLERK,
                    phone=_demo_phone(name),
                    staff_no=f"{number}{names.index(name) + 1:02d}",
                )
                first = False
    _pair_posts(center)
    _create_accounts(center)
    stdout.write(
        f"{DEMO_CENTER}: {Unit.objects.filter(center=center).count()} units, "
        f"{Staff.objects.filter(center=center).count()} staff."
    )
    return center


def _demo_phone(name: str) -> str:
    # Deterministic, obviously fictitious numbers (the 0000 block is not assigned to people).
    digits = sum(ord(ch) for ch in name) % 10000
    return f"1390000{digits:04d}"


def _pair_posts(center: Center) -> None:
    """Within a window, each person is covered by the next one; lone staff by a neighbour."""
    by_name = {s.name: s for s in Staff.objects.filter(center=center)}
    for _unit_name, _full, _floor, windows in UNITS:
        for _window, _number, names in windows:
            for i, name in enumerate(names):
                backup_name = (
                    LONE_BACKUPS.get(name) if len(names) == 1 else names[(i + 1) % len(names)]
                )
                if backup_name:
                    services.post_set(by=None, primary=by_name[name], backup=by_name[backup_name])


def _create_accounts(center: Center) -> None:
    user_model = get_user_model()
    for login in CENTER_LOGINS:
        if login.role is None:
            continue
        unit = Unit.objects.get(center=center, name=login.unit) if login.unit else None
        staff = Staff.objects.get(center=center, name=login.staff) if login.staff else None
        services.account_create(
            by=None,
            center=center,
            username=login.username,
            password=DEMO_PASSWORD,
            role=login.role,
            unit=unit,
            staff=staff,
            full_name=login.display,
        )
    if not user_model.objects.filter(username=ADMIN.username).exists():
        user_model.objects.create_superuser(
            ADMIN.username, "", DEMO_PASSWORD, first_name=ADMIN.display
        )
