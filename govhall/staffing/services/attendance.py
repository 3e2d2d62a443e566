"""Attendance (考勤): the hall's networks and leaders, clocking in and out, punches the
office records, and terminal exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.access import Actor, require
from govhall.core.audit import audit_record, snapshot
from govhall.core.errors import DomainError
from govhall.org.models import Center, Staff
from govhall.staffing import selectors
from govhall.staffing.choices import PunchKind, PunchSource
from govhall.staffing.models import AttendanceRecord, AttendanceSettings
from govhall.staffing.rules import address_allowed, parse_networks
from govhall.staffing.services._common import _now, _short


@transaction.atomic
def attendance_settings_update(
    *, by: Actor, center: Center, networks: str, leaders: Iterable[Any] | None = None
) -> AttendanceSettings:
    """Set the hall's networks (clocking in from one's own page) and the center's leaders."""
    require(by, "staffing.change_attendancesettings", center_id=center.pk)
    try:
        parsed = parse_networks(networks)
    except ValueError as exc:
        raise DomainError(
            _(
                "“{entry}” is not a network: write it as 192.168.10.0/24 or a single address."
            ).format(entry=exc.args[0]),
            field="networks",
        ) from None
    if not parsed:
        raise DomainError(_("Name at least one network of the hall."), field="networks")
    settings, _created = AttendanceSettings.objects.get_or_create(center=center)
    before = {
        "networks": settings.networks,
        "leaders": sorted(settings.leaders.values_list("pk", flat=True)),
    }
    settings.networks = "\n".join(str(n) for n in parsed)
    settings.save()
    if leaders is not None:
        chosen = list(leaders)
        office = selectors.office_user_ids(center)
        outsiders = [u for u in chosen if u.pk not in office]
        if outsiders:
            raise DomainError(
                _("{name} is not an office account of this center.").format(
                    name=outsiders[0].get_full_name() or outsiders[0].get_username()
                ),
                field="leaders",
            )
        settings.leaders.set(chosen)
    audit_record(
        by=by,
        action="attendance_settings.update",
        obj=settings,
        center_id=center.pk,
        before=before,
        after={
            "networks": settings.networks,
            "leaders": sorted(settings.leaders.values_list("pk", flat=True)),
        },
    )
    return settings


# --- attendance --------------------------------------------------------------------------------


def _punch(
    *,
    by: Actor,
    staff: Staff,
    kind: str,
    at: dt.datetime,
    source: str,
    note: str = "",
    remote_addr: str | None = None,
) -> AttendanceRecord:
    if kind not in PunchKind.values:
        raise DomainError(_("Choose clock in or clock out."), field="kind")
    try:
        with transaction.atomic():
            record = AttendanceRecord.objects.create(
                center_id=staff.center_id,
                unit_id=staff.unit_id,
                staff=staff,
                date=timezone.localdate(at),
                kind=kind,
                at=at,
                source=source,
                note=note,
                remote_addr=remote_addr or None,
                recorded_by=by,
                recorded_at=_now(),
            )
    except IntegrityError:
        raise DomainError(
            _("{name}'s punch at {time} is already recorded.").format(
                name=staff.name, time=timezone.localtime(at).strftime("%H:%M")
            ),
            field="at",
        ) from None
    audit_record(
        by=by,
        action="attendance.punch",
        obj=record,
        center_id=staff.center_id,
        after=snapshot(record, ["staff", "kind", "at", "source", "note", "remote_addr"]),
    )
    return record


@transaction.atomic
def attendance_clock(*, by: Actor, kind: str, remote_addr: str) -> AttendanceRecord:
    """Clock in or out on one's own page: only from the hall's networks, once in per day."""
    staff = selectors.staff_of_user(by)
    if staff is None:
        raise DomainError(_("Your account is not linked to a staff member of the hall."))
    require(by, "staffing.clock_attendance", center_id=staff.center_id, unit_id=staff.unit_id)
    if not address_allowed(remote_addr, selectors.hall_networks(staff.center)):
        raise DomainError(
            _(
                "Clocking in and out is accepted only from the hall's own network; this "
                "computer ({address}) is outside it. Use a computer in the hall, or ask the "
                "office to record the time."
            ).format(address=remote_addr or "?"),
            field="kind",
        )
    now = _now()
    if kind == PunchKind.CLOCK_IN:
        first = selectors.first_clock_in(staff=staff, date=timezone.localdate(now))
        if first is not None:
            raise DomainError(
                _("You already clocked in today at {time}.").format(
                    time=timezone.localtime(first.at).strftime("%H:%M")
                ),
                field="kind",
            )
    return _punch(
        by=by, staff=staff, kind=kind, at=now, source=PunchSource.SELF, remote_addr=remote_addr
    )


@transaction.atomic
def attendance_record_add(
    *, by: Actor, staff: Staff, kind: str, at: dt.datetime, note: str
) -> AttendanceRecord:
    """The office records a punch for someone (a broken terminal, a forgotten card), with why."""
    require(by, "staffing.add_attendancerecord", center_id=staff.center_id, unit_id=staff.unit_id)
    note = _short(note, "note", _("Reason"), 200)
    if at > _now() + dt.timedelta(minutes=5):
        raise DomainError(_("A punch cannot be recorded in the future."), field="at")
    return _punch(by=by, staff=staff, kind=kind, at=at, source=PunchSource.OFFICE, note=note)


@transaction.atomic
def attendance_punches_import(
    *,
    by: Actor,
    center: Center,
    punches: Sequence[tuple[Staff, dt.datetime, str]],
    source: str = PunchSource.TERMINAL,
) -> int:
    """Record a batch of punches (an attendance terminal's export); punches already on record
    are skipped, so an overlapping export can be imported again. Returns how many were new."""
    require(by, "staffing.add_attendancerecord", center_id=center.pk)
    if not punches:
        return 0
    for staff, _at, kind in punches:
        if staff.center_id != center.pk:
            raise DomainError(_("{name} works in another center.").format(name=staff.name))
        if kind not in PunchKind.values:
            raise DomainError(_("Choose clock in or clock out."), field="kind")
    dates = [timezone.localdate(at) for _s, at, _k in punches]
    existing = set(
        AttendanceRecord.objects.filter(
            center=center,
            staff_id__in={s.pk for s, _a, _k in punches},
            date__range=(min(dates), max(dates)),
        ).values_list("staff_id", "at", "kind")
    )
    now = _now()
    new = []
    for (staff, at, kind), date in zip(punches, dates, strict=True):
        key = (staff.pk, at, kind)
        if key in existing:
            continue
        existing.add(key)
        new.append(
            AttendanceRecord(
                center=center,
                unit_id=staff.unit_id,
                staff=staff,
                date=date,
                kind=kind,
                at=at,
                source=source,
                recorded_by=by,
                recorded_at=now,
            )
        )
    AttendanceRecord.objects.bulk_create(new, batch_size=500)
    if new:
        audit_record(
            by=by,
            action="attendance.import",
            center_id=center.pk,
            object_type="staffing.attendancerecord",
            object_repr=_("{count} punches").format(count=len(new)),
            after={
                "count": len(new),
                "skipped": len(punches) - len(new),
                "from": min(dates).isoformat(),
                "to": max(dates).isoformat(),
                "source": source,
            },
        )
    return len(new)
