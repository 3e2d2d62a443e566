"""Import kind `patrols` (DESIGN.md §5): 单位, 领导姓名, 签到时间 — the paper sign-in sheet.

Optional columns: 签退时间 (when the leader left), 职务 (title), 领导类别 (主要领导/分管领导), 备注.
A leader not yet registered for a known unit is registered (as 分管领导 unless the row says
otherwise); an unknown unit refuses the row. A row already imported is skipped, so the same
sheet can be imported twice.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govhall.core.access import Actor
from govhall.core.errors import DomainError
from govhall.core.imports import ImportErrors, ImportKind, Row, parse_local_datetime, register
from govhall.org.models import Center, Unit
from govhall.oversight import services
from govhall.oversight.choices import LeaderRole, PatrolMethod
from govhall.oversight.models import PatrolSignIn, UnitLeader

LEADER_ROLES = {"主要领导": LeaderRole.HEAD, "分管领导": LeaderRole.DEPUTY, "": LeaderRole.DEPUTY}
COLUMNS = {"signed_in_at": "签到时间", "signed_out_at": "签退时间", "notes": "备注"}


def _time(row: Row, column: str, errors: ImportErrors, *, required: bool) -> dt.datetime | None:
    value = row.get(column)
    if not value:
        if required:
            errors.add(row, column, _("must not be empty"))
        return None
    try:
        return parse_local_datetime(value)
    except ValueError:
        errors.add(
            row, column, _("“{value}” is not a time like 2016-12-08 09:30").format(value=value)
        )
        return None


def import_patrols(
    *, center: Center, rows: list[Row], errors: ImportErrors, by: Actor
) -> tuple[int, int]:
    units = {u.name: u for u in Unit.objects.filter(center=center)}
    leaders = {(x.unit_id, x.name): x for x in UnitLeader.objects.filter(center=center)}
    seen: dict[tuple[int, str, dt.datetime], int] = {}
    created = 0
    for row in rows:
        unit_name, name = row.get("单位"), row.get("领导姓名")
        unit = units.get(unit_name) if unit_name else None
        if not unit_name:
            errors.add(row, "单位", _("must not be empty"))
        elif unit is None:
            errors.add(row, "单位", _("unknown unit “{unit}”").format(unit=unit_name))
        if not name:
            errors.add(row, "领导姓名", _("must not be empty"))
        signed_in_at = _time(row, "签到时间", errors, required=True)
        signed_out_at = _time(row, "签退时间", errors, required=False)
        role = LEADER_ROLES.get(row.get("领导类别"))
        if role is None:
            errors.add(row, "领导类别", _("must be 主要领导 or 分管领导"))
        if signed_in_at and signed_out_at and signed_out_at < signed_in_at:
            errors.add(row, "签退时间", _("is before the 签到时间"))
        if unit is None or not name or signed_in_at is None or role is None:
            continue
        if signed_out_at and signed_out_at < signed_in_at:
            continue
        key = (unit.pk, name, signed_in_at)
        if key in seen:
            errors.add(row, "签到时间", _("repeats row {row}").format(row=seen[key]))
            continue
        seen[key] = row.number
        try:
            leader = leaders.get((unit.pk, name))
            if leader is None:
                leader = leaders[(unit.pk, name)] = services.unit_leader_create(
                    by=by, unit=unit, name=name, title=row.get("职务"), role=role
                )
            elif PatrolSignIn.objects.filter(leader=leader, signed_in_at=signed_in_at).exists():
                continue  # imported before
            services.patrol_record(
                by=by,
                leader=leader,
                signed_in_at=signed_in_at,
                signed_out_at=signed_out_at,
                notes=row.get("备注"),
                method=PatrolMethod.IMPORTED,
            )
            created += 1
        except DomainError as exc:
            errors.add(row, COLUMNS.get(exc.field or "", "领导姓名"), exc.message)
    return created, 0


register(
    ImportKind(
        name="patrols",
        required=("单位", "领导姓名", "签到时间"),
        optional=("签退时间", "职务", "领导类别", "备注"),
        run=import_patrols,
        description=gettext_lazy("patrol sign-ins of the units' leaders"),
    )
)
