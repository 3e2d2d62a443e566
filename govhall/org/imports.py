"""Import kinds `units` and `staff` (DESIGN.md §5)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govhall.core.access import Actor
from govhall.core.errors import DomainError
from govhall.core.imports import ImportErrors, ImportKind, Row, register
from govhall.org import services
from govhall.org.choices import StaffRole
from govhall.org.models import Center, Staff, Unit, Window

FLOOR_LENGTH = int(Window._meta.get_field("floor").max_length or 20)
ROLE_NAMES = {"首席代表": StaffRole.CHIEF, "工作人员": StaffRole.CLERK, "": StaffRole.CLERK}


def _required(row: Row, column: str, errors: ImportErrors) -> str:
    value = row.get(column)
    if not value:
        errors.add(row, column, _("must not be empty"))
    return value


def import_units(
    *, center: Center, rows: list[Row], errors: ImportErrors, by: Actor
) -> tuple[int, int]:
    """One row per window: 单位, 窗口, 楼层 (optional). Existing units and windows are kept."""
    created = updated = 0
    seen: dict[tuple[str, str], int] = {}
    units = {u.name: u for u in Unit.objects.filter(center=center)}
    for row in rows:
        unit_name, window_name = _required(row, "单位", errors), _required(row, "窗口", errors)
        if len(row.get("楼层")) > FLOOR_LENGTH:
            errors.add(row, "楼层", _("is longer than {n} characters").format(n=FLOOR_LENGTH))
        if not unit_name or not window_name:
            continue
        key = (unit_name, window_name)
        if key in seen:
            errors.add(row, "窗口", _("repeats row {row}").format(row=seen[key]))
            continue
        seen[key] = row.number
        floor = row.get("楼层")
        try:
            unit = units.get(unit_name)
            if unit is None:
                unit = units[unit_name] = services.unit_create(by=by, center=center, name=unit_name)
                created += 1
            window = Window.objects.filter(unit=unit, name=window_name).first()
            if window is None:
                services.window_create(by=by, unit=unit, name=window_name, floor=floor)
                created += 1
            elif floor and window.floor != floor:
                services.window_update(by=by, window=window, floor=floor)
                updated += 1
        except DomainError as exc:
            errors.add(
                row, _field_column(exc.field, {"name": "窗口", "floor": "楼层"}), exc.message
            )
    return created, updated


def _field_column(field: str | None, mapping: dict[str, str]) -> str | None:
    return mapping.get(field or "")


STAFF_COLUMNS = {
    "name": "姓名",
    "window": "窗口",
    "role": "角色",
    "phone": "手机",
    "backup": "B角",
    "primary": "窗口",
}


def import_staff(
    *, center: Center, rows: list[Row], errors: ImportErrors, by: Actor
) -> tuple[int, int]:
    """姓名, 单位, 窗口, 角色, B角 (optional), 手机 (optional); a B角 may be listed further down."""
    units = {u.name: u for u in Unit.objects.filter(center=center)}
    windows = {(w.unit_id, w.name): w for w in Window.objects.filter(center=center)}
    planned: list[tuple[Row, Unit, Window | None, str]] = []
    seen: dict[tuple[str, str], int] = {}
    chief_rows: dict[int, int] = {}
    for row in rows:
        # Every column is checked, so a row's problems are all reported at once.
        before = len(errors.problems)
        name, unit_name = _required(row, "姓名", errors), _required(row, "单位", errors)
        unit = units.get(unit_name) if unit_name else None
        if unit_name and unit is None:
            errors.add(
                row,
                "单位",
                _("unknown unit “{unit}”; import the units first").format(unit=unit_name),
            )
        window = None
        window_name = row.get("窗口")
        if unit is not None and window_name:
            window = windows.get((unit.pk, window_name))
            if window is None:
                errors.add(
                    row,
                    "窗口",
                    _("{unit} has no window “{window}”").format(unit=unit_name, window=window_name),
                )
        role = ROLE_NAMES.get(row.get("角色"))
        if role is None:
            errors.add(row, "角色", _("must be 首席代表 or 工作人员"))
        if phone := row.get("手机"):
            try:
                services.clean_phone(phone)
            except DomainError as exc:
                errors.add(row, "手机", exc.message)
        if name and unit_name:
            if (unit_name, name) in seen:
                errors.add(row, "姓名", _("repeats row {row}").format(row=seen[(unit_name, name)]))
            seen.setdefault((unit_name, name), row.number)
        if unit is not None and role == StaffRole.CHIEF:
            if unit.pk in chief_rows:
                errors.add(
                    row,
                    "角色",
                    _("{unit} already has a chief representative in row {row}").format(
                        unit=unit_name, row=chief_rows[unit.pk]
                    ),
                )
            chief_rows.setdefault(unit.pk, row.number)
        if len(errors.problems) > before or unit is None or role is None:
            continue
        planned.append((row, unit, window, role))

    created = updated = 0
    people: dict[int, Staff] = {}
    # Clerks first, so a chief who is being replaced is demoted before the new one is named.
    for row, unit, window, role in sorted(planned, key=lambda p: p[3] == StaffRole.CHIEF):
        name = row.get("姓名")
        existing = Staff.objects.filter(unit=unit, name=name, is_active=True).first()
        try:
            if existing is None:
                people[row.number] = services.staff_create(
                    by=by, unit=unit, name=name, window=window, role=role, phone=row.get("手机")
                )
                created += 1
            else:
                changes: dict[str, Any] = {"window": window, "role": role}
                if "手机" in row.values:
                    changes["phone"] = row.get("手机")
                people[row.number] = services.staff_update(by=by, staff=existing, **changes)
                updated += 1
        except DomainError as exc:
            errors.add(row, STAFF_COLUMNS.get(exc.field or ""), exc.message)

    for row, unit, _window, _role in planned:
        backup_name = row.get("B角")
        primary = people.get(row.number)
        if not backup_name or primary is None:
            continue
        candidates = list(Staff.objects.filter(center=center, name=backup_name, is_active=True))
        same_unit = [s for s in candidates if s.unit_id == unit.pk]
        matches = same_unit or candidates
        if not matches:
            errors.add(row, "B角", _("“{name}” is not on the staff list").format(name=backup_name))
            continue
        if len(matches) > 1:
            errors.add(
                row, "B角", _("more than one person is named “{name}”").format(name=backup_name)
            )
            continue
        try:
            services.post_set(by=by, primary=primary, backup=matches[0])
        except DomainError as exc:
            errors.add(row, STAFF_COLUMNS.get(exc.field or "", "B角"), exc.message)
    return created, updated


register(
    ImportKind(
        name="units",
        required=("单位", "窗口"),
        optional=("楼层",),
        run=import_units,
        description=gettext_lazy("units and their windows"),
    )
)
register(
    ImportKind(
        name="staff",
        required=("姓名", "单位", "窗口", "角色"),
        optional=("B角", "手机"),
        run=import_staff,
        description=gettext_lazy("window staff and their A/B posts"),
    )
)
