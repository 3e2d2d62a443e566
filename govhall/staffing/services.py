"""Every write of the hall's staffing: hall hours, attendance, leave and its approval, outings,
A/B vacancies. Each is checked, runs in one transaction and leaves an audit entry."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.access import Actor, require
from govhall.core.audit import audit_record, snapshot
from govhall.core.calendar import get_calendar
from govhall.core.errors import DomainError, NotAllowed
from govhall.core.text import chinese_date
from govhall.core.uploads import read_head, sniff
from govhall.org.hours import hours_of
from govhall.org.models import Center, HallHours, Post, Staff
from govhall.staffing import selectors
from govhall.staffing.choices import (
    ApprovalLevel,
    Half,
    LeaveKind,
    LeaveSpan,
    LeaveStatus,
    PunchKind,
    PunchSource,
    RecordSource,
)
from govhall.staffing.models import (
    AttendanceRecord,
    AttendanceSettings,
    Leave,
    LeaveApproval,
    LeaveDay,
    LeaveRule,
    Outing,
    Vacancy,
)
from govhall.staffing.rules import (
    DAY_END,
    DEFAULT_RULES,
    MAX_NOTE_BYTES,
    NOTE_EXTENSIONS,
    LeavePart,
    address_allowed,
    approval_chain,
    hours_part,
    leave_parts,
    minute,
    parse_networks,
    parts_overlap,
    vacancy,
)

MAX_LEAVE_DAYS = 366


def _now() -> dt.datetime:
    return timezone.now()


def _short(value: str, field: str, label: str, max_length: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("{field} is required.").format(field=label), field=field)
    if len(value) > max_length:
        raise DomainError(
            _("{field} is too long (at most {n} characters).").format(field=label, n=max_length),
            field=field,
        )
    return value


def _own(by: Actor, staff: Staff) -> bool:
    return by is not None and staff.user_id is not None and staff.user_id == by.pk


# --- the hall's hours (作息时间) -------------------------------------------------------------

HOURS_FIELDS = ("morning_start", "morning_end", "afternoon_start", "afternoon_end")


def _clean_hours(center: Center, current: HallHours | None, data: dict[str, Any]) -> dict[str, Any]:
    name = _short(data.get("name", ""), "name", _("Name"), 40)
    month, day = data.get("from_month"), data.get("from_day")
    try:
        dt.date(2000, int(month), int(day))  # 2000 is a leap year: 2月29日 is a valid start
    except (TypeError, ValueError):
        raise DomainError(_("Choose a real day of the year."), field="from_day") from None
    times = [data.get(f) for f in HOURS_FIELDS]
    for name_, value in zip(HOURS_FIELDS, times, strict=True):
        if not isinstance(value, dt.time):
            raise DomainError(_("Enter a time such as 08:30."), field=name_)
    morning_start, morning_end, afternoon_start, afternoon_end = times
    if not morning_start < morning_end:
        raise DomainError(_("The morning must close after it opens."), field="morning_end")
    if not morning_end <= afternoon_start:
        raise DomainError(
            _("The afternoon cannot open before the morning closes."), field="afternoon_start"
        )
    if not afternoon_start < afternoon_end:
        raise DomainError(_("The afternoon must close after it opens."), field="afternoon_end")
    clash = HallHours.objects.filter(center=center, from_month=month, from_day=day)
    if current is not None:
        clash = clash.exclude(pk=current.pk)
    other = clash.first()
    if other is not None:
        raise DomainError(
            _("“{name}” already starts on {month}月{day}日.").format(
                name=other.name, month=month, day=day
            ),
            field="from_day",
        )
    return {
        "name": name,
        "from_month": int(month),
        "from_day": int(day),
        **dict(zip(HOURS_FIELDS, times, strict=True)),
    }


@transaction.atomic
def hall_hours_create(*, by: Actor, center: Center, **data: Any) -> HallHours:
    """Add a variant of the hall's hours (e.g. 夏季作息时间 from 5月1日)."""
    require(by, "org.add_hallhours", center_id=center.pk)
    hours = HallHours.objects.create(center=center, **_clean_hours(center, None, data))
    audit_record(
        by=by, action="hall_hours.create", obj=hours, center_id=center.pk, after=snapshot(hours)
    )
    return hours


@transaction.atomic
def hall_hours_update(*, by: Actor, hours: HallHours, **changes: Any) -> HallHours:
    """Change a variant of the hall's hours."""
    require(by, "org.change_hallhours", center_id=hours.center_id)
    before = snapshot(hours)
    data = {f: getattr(hours, f) for f in ("name", "from_month", "from_day", *HOURS_FIELDS)}
    data.update(changes)
    for key, value in _clean_hours(hours.center, hours, data).items():
        setattr(hours, key, value)
    hours.save()
    audit_record(
        by=by,
        action="hall_hours.update",
        obj=hours,
        center_id=hours.center_id,
        before=before,
        after=snapshot(hours),
    )
    return hours


@transaction.atomic
def hall_hours_delete(*, by: Actor, hours: HallHours) -> None:
    """Remove a variant of the hall's hours."""
    require(by, "org.delete_hallhours", center_id=hours.center_id)
    audit_record(
        by=by,
        action="hall_hours.delete",
        obj=hours,
        center_id=hours.center_id,
        before=snapshot(hours),
    )
    hours.delete()


# --- settings -----------------------------------------------------------------------------


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


# --- leave: its days -----------------------------------------------------------------------


def plan_leave_parts(
    *,
    staff: Staff,
    span: str,
    start_date: dt.date | None,
    end_date: dt.date | None = None,
    start_half: str = Half.AM,
    end_half: str = Half.PM,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
) -> list[LeavePart]:
    """The working days a leave would take, or a DomainError naming the field at fault."""
    if start_date is None:
        raise DomainError(_("Enter the first day of the leave."), field="start_date")
    calendar = get_calendar(staff.center_id)
    if span == LeaveSpan.HOURS:
        if start_time is None:
            raise DomainError(_("Enter when the leave starts."), field="start_time")
        if end_time is None or end_time <= start_time:
            raise DomainError(_("The leave must end after it starts."), field="end_time")
        part = hours_part(
            calendar=calendar,
            hours=hours_of(staff.center)(start_date),
            day=start_date,
            start=start_time,
            end=end_time,
        )
        if part is None:
            raise DomainError(
                _("{date} {start}–{end} is not within the hall's working hours.").format(
                    date=chinese_date(start_date),
                    start=start_time.strftime("%H:%M"),
                    end=end_time.strftime("%H:%M"),
                ),
                field="start_time",
            )
        return [part]
    if span != LeaveSpan.DAYS:
        raise DomainError(_("Choose days or hours."), field="span")
    end_date = end_date or start_date
    if start_half not in Half.values or end_half not in Half.values:
        raise DomainError(_("Choose the morning or the afternoon."), field="start_half")
    if end_date < start_date:
        raise DomainError(_("The leave cannot end before it starts."), field="end_date")
    if end_date == start_date and start_half == Half.PM and end_half == Half.AM:
        raise DomainError(_("The leave cannot end before it starts."), field="end_half")
    if (end_date - start_date).days >= MAX_LEAVE_DAYS:
        raise DomainError(_("A leave can last at most a year."), field="end_date")
    parts = leave_parts(
        calendar=calendar,
        start_date=start_date,
        start_half=start_half,
        end_date=end_date,
        end_half=end_half,
    )
    if not parts:
        raise DomainError(
            _("{start} to {end} has no working day: no leave is needed.").format(
                start=chinese_date(start_date), end=chinese_date(end_date)
            ),
            field="end_date",
        )
    return parts


def _check_overlap(staff: Staff, parts: Sequence[LeavePart], exclude: Leave | None = None) -> None:
    existing = LeaveDay.objects.filter(
        staff=staff,
        date__in=[p.date for p in parts],
        leave__status__in=[LeaveStatus.PENDING, LeaveStatus.APPROVED],
    ).select_related("leave")
    if exclude is not None and exclude.pk:
        existing = existing.exclude(leave=exclude)
    hours = hours_of(staff.center)
    by_date = {p.date: p for p in parts}
    for day in existing:
        mine = by_date[day.date]
        theirs = LeavePart(day.date, day.part, day.amount, day.start_time, day.end_time)
        if parts_overlap(mine, theirs, hours(day.date)):
            raise DomainError(
                _("{name} already has leave on {date} ({kind}, {status}).").format(
                    name=staff.name,
                    date=chinese_date(day.date),
                    kind=day.leave.get_kind_display(),
                    status=day.leave.get_status_display(),
                ),
                field="start_date",
            )


def _write_days(leave: Leave, parts: Sequence[LeavePart]) -> None:
    leave.leave_days.all().delete()
    LeaveDay.objects.bulk_create(
        [
            LeaveDay(
                leave=leave,
                center_id=leave.center_id,
                unit_id=leave.unit_id,
                staff_id=leave.staff_id,
                date=p.date,
                part=p.part,
                start_time=p.start_time,
                end_time=p.end_time,
                amount=p.amount,
            )
            for p in parts
        ]
    )


def _check_cover(cover: Staff | None, staff: Staff) -> Staff | None:
    if cover is None:
        return None
    if cover.center_id != staff.center_id or not cover.is_active:
        raise DomainError(_("The cover must be a staff member of this center."), field="cover")
    if cover.pk == staff.pk:
        raise DomainError(_("Name someone else to cover the post."), field="cover")
    return cover


def _gap_message(gaps: Sequence[selectors.PostGap]) -> str:
    shown = "；".join(str(g) for g in gaps[:3])
    more = len(gaps) - 3
    if more > 0:
        shown += _(" and {n} more").format(n=more)
    return _(
        "This would leave a post with nobody at it ({gaps}). Name a colleague who will cover."
    ).format(gaps=shown)


def leave_gaps(leave: Leave, parts: Sequence[LeavePart] | None = None) -> list[selectors.PostGap]:
    """The posts this leave would leave empty (the other person of the post away too)."""
    parts = selectors.leave_parts_of(leave) if parts is None else parts
    spans = selectors.leave_spans(parts, hours_of(leave.center))
    return selectors.post_gaps(staff=leave.staff, spans=spans, exclude_leave=leave.pk)


def _kind(kind: str) -> str:
    if kind not in LeaveKind.values:
        raise DomainError(_("Choose a type of leave."), field="kind")
    return kind


# --- leave: request, note, approval ----------------------------------------------------------


@transaction.atomic
def leave_request(
    *,
    by: Actor,
    staff: Staff,
    kind: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    span: str = LeaveSpan.DAYS,
    start_half: str = Half.AM,
    end_half: str = Half.PM,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
    reason: str = "",
    cover: Staff | None = None,
) -> Leave:
    """Ask for leave, for oneself or (the office, the chief) for a colleague; it then waits for
    its approval chain."""
    own = _own(by, staff)
    require(
        by,
        "staffing.request_leave" if own else "staffing.add_leave",
        center_id=staff.center_id,
        unit_id=staff.unit_id,
    )
    if not staff.is_active:
        raise DomainError(_("{name} no longer works in the hall.").format(name=staff.name))
    _kind(kind)
    reason = _short(reason, "reason", _("Reason"), 300, required=False)
    parts = plan_leave_parts(
        staff=staff,
        span=span,
        start_date=start_date,
        end_date=end_date,
        start_half=start_half,
        end_half=end_half,
        start_time=start_time,
        end_time=end_time,
    )
    _check_overlap(staff, parts)
    days = sum((p.amount for p in parts), Decimal(0))
    chain = approval_chain(days=days, kind=kind, rules=selectors.leave_rules_of(staff.center))
    leave = Leave.objects.create(
        center_id=staff.center_id,
        unit_id=staff.unit_id,
        staff=staff,
        kind=kind,
        span=span,
        start_date=parts[0].date if span == LeaveSpan.HOURS else start_date,
        start_half=start_half,
        end_date=parts[0].date if span == LeaveSpan.HOURS else (end_date or start_date),
        end_half=end_half,
        start_time=start_time if span == LeaveSpan.HOURS else None,
        end_time=end_time if span == LeaveSpan.HOURS else None,
        days=days,
        reason=reason,
        status=LeaveStatus.PENDING,
        source=RecordSource.SELF if own else RecordSource.OFFICE,
        chain=",".join(chain),
        step=chain[0],
        requested_by=by,
        requested_at=_now(),
        cover=_check_cover(cover, staff),
    )
    _write_days(leave, parts)
    audit_record(
        by=by, action="leave.request", obj=leave, center_id=leave.center_id, after=snapshot(leave)
    )
    return leave


def _require_leave_editor(by: Actor, leave: Leave, *, own_allowed: bool) -> None:
    if own_allowed and _own(by, leave.staff):
        return
    require(by, "staffing.change_leave", center_id=leave.center_id, unit_id=leave.unit_id)


@transaction.atomic
def leave_note_attach(*, by: Actor, leave: Leave, file: Any) -> Leave:
    """Upload the scan of the unit's stamped approval note (盖章请假条): a PDF, JPEG or PNG of at
    most 10 MB, judged by its content."""
    _require_leave_editor(by, leave, own_allowed=True)
    leave = Leave.objects.select_for_update().get(pk=leave.pk)
    if not leave.is_open:
        raise DomainError(_("This leave is closed."), field="note_scan")
    if file is None:
        raise DomainError(_("Choose the scanned note."), field="note_scan")
    name = str(getattr(file, "name", "") or "")
    size = int(getattr(file, "size", 0) or 0)
    if size <= 0:
        raise DomainError(_("The file “{name}” is empty.").format(name=name), field="note_scan")
    if size > MAX_NOTE_BYTES:
        raise DomainError(
            _("The file “{name}” is {size} MB: the note may be at most 10 MB.").format(
                name=name, size=f"{size / 1024 / 1024:.1f}"
            ),
            field="note_scan",
        )
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    kind = sniff(read_head(file))
    if kind is None or extension not in NOTE_EXTENSIONS:
        raise DomainError(
            _("The file “{name}” is not a PDF, JPEG or PNG scan.").format(name=name),
            field="note_scan",
        )
    before = {"note_scan": leave.note_scan.name or None}
    # A random name: the uploader's file name never reaches the file system.
    leave.note_scan.save(secrets.token_hex(16) + kind.extension, file, save=False)
    leave.note_type = kind.mime
    leave.save(update_fields=["note_scan", "note_type"])
    audit_record(
        by=by,
        action="leave.note_attach",
        obj=leave,
        center_id=leave.center_id,
        before=before,
        after={"note_scan": leave.note_scan.name, "type": kind.mime, "size": size},
    )
    return leave


def _signing_or_refuse(by: Actor, leave: Leave) -> selectors.Signing:
    if by is not None:
        require(by, "staffing.approve_leave", center_id=leave.center_id, unit_id=leave.unit_id)
    signing = selectors.signing(by, leave)
    if not signing.allowed:
        if leave.status != LeaveStatus.PENDING:
            raise DomainError(signing.message)
        raise NotAllowed(signing.message)
    return signing


@transaction.atomic
def leave_approve(*, by: Actor, leave: Leave, note: str = "", cover: Staff | None = None) -> Leave:
    """Sign the leave's current step; the last step approves it.

    Refused while the stamped note is needed but not uploaded, and — at the last step — while
    the leave would leave a post empty with nobody named to cover.
    """
    leave = Leave.objects.select_for_update().select_related("staff", "center").get(pk=leave.pk)
    signing = _signing_or_refuse(by, leave)
    note = _short(note, "note", _("Note"), 300, required=False)
    parts = selectors.leave_parts_of(leave)
    totals = selectors.leave_month_totals(leave, parts)
    if selectors.leave_needs_note(leave, parts) and not leave.has_note:
        raise DomainError(
            _(
                "This leave is over 1 working day or brings {name}'s month over 3 days: upload "
                "the unit's stamped approval note before approving it."
            ).format(name=leave.staff.name),
            field="note_scan",
        )
    if cover is not None:
        leave.cover = _check_cover(cover, leave.staff)
    level = leave.step
    chain = leave.chain_levels
    final = level == chain[-1]
    if final and leave.cover_id is None:
        gaps = leave_gaps(leave, parts)
        if gaps:
            raise DomainError(_gap_message(gaps), field="cover")
    now = _now()
    LeaveApproval.objects.create(
        leave=leave,
        level=level,
        approved=True,
        by=by,
        by_name=(by.get_full_name() or by.get_username()) if by is not None else "系统",
        substitute=signing.substitute,
        at=now,
        note=note,
        month_total=totals[0].total if totals else None,
    )
    before = snapshot(leave, ["status", "step", "cover"])
    if final:
        leave.status = LeaveStatus.APPROVED
        leave.step = ""
        leave.decided_at = now
    else:
        leave.step = chain[chain.index(level) + 1]
    leave.save(update_fields=["status", "step", "decided_at", "cover"])
    audit_record(
        by=by,
        action="leave.approve",
        obj=leave,
        center_id=leave.center_id,
        before=before,
        after={
            **snapshot(leave, ["status", "step", "cover"]),
            "level": level,
            "substitute": signing.substitute,
            "month_total": str(totals[0].total) if totals else None,
        },
    )
    return leave


@transaction.atomic
def leave_reject(*, by: Actor, leave: Leave, note: str) -> Leave:
    """Refuse the leave at its current step, saying why."""
    leave = Leave.objects.select_for_update().select_related("staff", "center").get(pk=leave.pk)
    signing = _signing_or_refuse(by, leave)
    note = _short(note, "note", _("Reason"), 300)
    now = _now()
    LeaveApproval.objects.create(
        leave=leave,
        level=leave.step,
        approved=False,
        by=by,
        by_name=(by.get_full_name() or by.get_username()) if by is not None else "系统",
        substitute=signing.substitute,
        at=now,
        note=note,
    )
    before = snapshot(leave, ["status", "step"])
    leave.status = LeaveStatus.REJECTED
    leave.step = ""
    leave.decided_at = now
    leave.save(update_fields=["status", "step", "decided_at"])
    audit_record(
        by=by,
        action="leave.reject",
        obj=leave,
        center_id=leave.center_id,
        before=before,
        after={**snapshot(leave, ["status", "step"]), "note": note},
    )
    return leave


@transaction.atomic
def leave_cancel(*, by: Actor, leave: Leave, reason: str = "") -> Leave:
    """Withdraw a leave: the person while it waits or has not begun; the chief or the office
    at any time, saying why."""
    leave = Leave.objects.select_for_update().select_related("staff").get(pk=leave.pk)
    if not leave.is_open:
        raise DomainError(_("This leave is already closed."))
    started = leave.start_date <= timezone.localdate()
    own = _own(by, leave.staff) and (leave.status == LeaveStatus.PENDING or not started)
    if not own:
        require(by, "staffing.change_leave", center_id=leave.center_id, unit_id=leave.unit_id)
    reason = _short(reason, "reason", _("Reason"), 200, required=not own and by is not None)
    before = snapshot(leave, ["status", "step"])
    leave.status = LeaveStatus.CANCELLED
    leave.step = ""
    leave.cancelled_at = _now()
    leave.cancel_reason = reason
    leave.save(update_fields=["status", "step", "cancelled_at", "cancel_reason"])
    audit_record(
        by=by,
        action="leave.cancel",
        obj=leave,
        center_id=leave.center_id,
        before=before,
        after={**snapshot(leave, ["status", "step"]), "reason": reason},
    )
    return leave


@transaction.atomic
def leave_shorten(*, by: Actor, leave: Leave, end_date: dt.date, end_half: str = Half.PM) -> Leave:
    """End a leave earlier (销假, back at work early): its days are counted again.

    A waiting leave keeps the chain it was asked with: a shorter leave never needs more.
    """
    leave = Leave.objects.select_for_update().select_related("staff", "center").get(pk=leave.pk)
    _require_leave_editor(by, leave, own_allowed=leave.status == LeaveStatus.PENDING)
    if not leave.is_open:
        raise DomainError(_("This leave is already closed."))
    if leave.span != LeaveSpan.DAYS:
        raise DomainError(_("A leave of hours cannot be shortened: cancel it instead."))
    order = {Half.AM: 0, Half.PM: 1}
    if end_half not in order:
        raise DomainError(_("Choose the morning or the afternoon."), field="end_half")
    if (end_date, order[end_half]) >= (leave.end_date, order[leave.end_half]):
        raise DomainError(
            _("The new end must be before {date}.").format(date=chinese_date(leave.end_date)),
            field="end_date",
        )
    parts = plan_leave_parts(
        staff=leave.staff,
        span=LeaveSpan.DAYS,
        start_date=leave.start_date,
        end_date=end_date,
        start_half=leave.start_half,
        end_half=end_half,
    )
    before = snapshot(leave, ["end_date", "end_half", "days"])
    leave.original_end_date = leave.original_end_date or leave.end_date
    leave.end_date = end_date
    leave.end_half = end_half
    leave.days = sum((p.amount for p in parts), Decimal(0))
    leave.save(update_fields=["original_end_date", "end_date", "end_half", "days"])
    _write_days(leave, parts)
    audit_record(
        by=by,
        action="leave.shorten",
        obj=leave,
        center_id=leave.center_id,
        before=before,
        after=snapshot(leave, ["end_date", "end_half", "days"]),
    )
    return leave


@transaction.atomic
def leave_record(
    *,
    by: Actor,
    staff: Staff,
    kind: str,
    start_date: dt.date,
    end_date: dt.date,
    status: str = LeaveStatus.APPROVED,
    start_half: str = Half.AM,
    end_half: str = Half.PM,
    reason: str = "",
) -> Leave:
    """Record a leave as it was (imports, history): an approved one is approved, its paper note
    on file at the office; the workflow's rules are not applied again."""
    require(by, "staffing.add_leave", center_id=staff.center_id, unit_id=staff.unit_id)
    _kind(kind)
    if status not in LeaveStatus.values:
        raise DomainError(_("Unknown status."), field="status")
    parts = plan_leave_parts(
        staff=staff,
        span=LeaveSpan.DAYS,
        start_date=start_date,
        end_date=end_date,
        start_half=start_half,
        end_half=end_half,
    )
    if status in {LeaveStatus.PENDING, LeaveStatus.APPROVED}:
        _check_overlap(staff, parts)
    days = sum((p.amount for p in parts), Decimal(0))
    chain = approval_chain(days=days, kind=kind, rules=selectors.leave_rules_of(staff.center))
    now = _now()
    leave = Leave.objects.create(
        center_id=staff.center_id,
        unit_id=staff.unit_id,
        staff=staff,
        kind=kind,
        span=LeaveSpan.DAYS,
        start_date=start_date,
        start_half=start_half,
        end_date=end_date,
        end_half=end_half,
        days=days,
        reason=_short(reason, "reason", _("Reason"), 300, required=False),
        status=status,
        source=RecordSource.IMPORT,
        chain=",".join(chain),
        step=chain[0] if status == LeaveStatus.PENDING else "",
        requested_by=by,
        requested_at=now,
        decided_at=now if status in {LeaveStatus.APPROVED, LeaveStatus.REJECTED} else None,
        cancelled_at=now if status == LeaveStatus.CANCELLED else None,
        note_on_file=status == LeaveStatus.APPROVED,
    )
    _write_days(leave, parts)
    audit_record(
        by=by, action="leave.record", obj=leave, center_id=leave.center_id, after=snapshot(leave)
    )
    return leave


# --- leave approval rules -------------------------------------------------------------------


def _clean_rule(
    center: Center, current: LeaveRule | None, kind: str, max_days: Any, level: str
) -> dict[str, Any]:
    if kind and kind not in LeaveKind.values:
        raise DomainError(_("Choose a type of leave."), field="kind")
    if level not in ApprovalLevel.values:
        raise DomainError(_("Choose who approves last."), field="level")
    if max_days is not None:
        try:
            max_days = Decimal(str(max_days))
        except ArithmeticError:
            raise DomainError(_("Enter a number of days."), field="max_days") from None
        if max_days <= 0 or max_days > 999 or max_days * 2 != int(max_days * 2):
            raise DomainError(_("Enter whole or half days, more than 0."), field="max_days")
    clash = LeaveRule.objects.filter(center=center, kind=kind or "", max_days=max_days)
    if max_days is None:
        clash = LeaveRule.objects.filter(center=center, kind=kind or "", max_days__isnull=True)
    if current is not None:
        clash = clash.exclude(pk=current.pk)
    if clash.exists():
        raise DomainError(_("A rule for this type and length already exists."), field="max_days")
    return {"kind": kind or "", "max_days": max_days, "level": level}


@transaction.atomic
def leave_rule_create(
    *, by: Actor, center: Center, kind: str, max_days: Any, level: str
) -> LeaveRule:
    """Add a rule of the approval chain (the center's rules replace the defaults)."""
    require(by, "staffing.add_leaverule", center_id=center.pk)
    rule = LeaveRule.objects.create(
        center=center, **_clean_rule(center, None, kind, max_days, level)
    )
    audit_record(
        by=by, action="leave_rule.create", obj=rule, center_id=center.pk, after=snapshot(rule)
    )
    return rule


@transaction.atomic
def leave_rule_update(
    *, by: Actor, rule: LeaveRule, kind: str, max_days: Any, level: str
) -> LeaveRule:
    require(by, "staffing.change_leaverule", center_id=rule.center_id)
    before = snapshot(rule)
    for key, value in _clean_rule(rule.center, rule, kind, max_days, level).items():
        setattr(rule, key, value)
    rule.save()
    audit_record(
        by=by, action="leave_rule.update", obj=rule, center_id=rule.center_id, before=before,
        after=snapshot(rule),
    )  # fmt: skip
    return rule


@transaction.atomic
def leave_rule_delete(*, by: Actor, rule: LeaveRule) -> None:
    require(by, "staffing.delete_leaverule", center_id=rule.center_id)
    audit_record(
        by=by, action="leave_rule.delete", obj=rule, center_id=rule.center_id, before=snapshot(rule)
    )
    rule.delete()


@transaction.atomic
def leave_rules_install_defaults(*, by: Actor, center: Center) -> list[LeaveRule]:
    """Write the default chain as the center's own rules, to edit from there."""
    if LeaveRule.objects.filter(center=center).exists():
        raise DomainError(_("The center already has its own rules."))
    return [
        leave_rule_create(by=by, center=center, kind=r.kind, max_days=r.max_days, level=r.level)
        for r in DEFAULT_RULES
    ]


# --- outings (外出办事登记) -------------------------------------------------------------------


def _outing_span(
    out_at: dt.datetime, back_at: dt.datetime | None
) -> tuple[dt.date, tuple[int, int]]:
    day = timezone.localdate(out_at)
    start = minute(timezone.localtime(out_at).time())
    if back_at is None or timezone.localdate(back_at) > day:
        return day, (start, DAY_END)
    return day, (start, minute(timezone.localtime(back_at).time()))


@transaction.atomic
def outing_register(
    *,
    by: Actor,
    staff: Staff,
    reason: str,
    out_at: dt.datetime | None = None,
    back_at: dt.datetime | None = None,
    cover: Staff | None = None,
) -> Outing:
    """Register leaving the post on business; refused without a named cover when the post
    would be left with nobody (the backup away as well)."""
    own = _own(by, staff)
    require(
        by,
        "staffing.register_outing" if own else "staffing.add_outing",
        center_id=staff.center_id,
        unit_id=staff.unit_id,
    )
    if not staff.is_active:
        raise DomainError(_("{name} no longer works in the hall.").format(name=staff.name))
    reason = _short(reason, "reason", _("Reason"), 200)
    now = _now()
    out_at = out_at or now
    if out_at > now + dt.timedelta(minutes=5):
        raise DomainError(_("Register an outing when leaving, not before."), field="out_at")
    if back_at is not None and back_at <= out_at:
        raise DomainError(_("The return must be after leaving."), field="back_at")
    still_out = selectors.open_outing(staff)
    if still_out is not None:
        raise DomainError(
            _("{name} is still out since {time}: register that return first.").format(
                name=staff.name, time=timezone.localtime(still_out.out_at).strftime("%m-%d %H:%M")
            ),
            field="out_at",
        )
    cover = _check_cover(cover, staff)
    if cover is None:
        gaps = selectors.post_gaps(staff=staff, spans=[_outing_span(out_at, back_at)])
        if gaps:
            raise DomainError(_gap_message(gaps), field="cover")
    return _outing_create(
        by=by, staff=staff, reason=reason, out_at=out_at, back_at=back_at, cover=cover,
        source=RecordSource.SELF if own else RecordSource.OFFICE, action="outing.register",
    )  # fmt: skip


def _outing_create(
    *,
    by: Actor,
    staff: Staff,
    reason: str,
    out_at: dt.datetime,
    back_at: dt.datetime | None,
    cover: Staff | None,
    source: str,
    action: str,
) -> Outing:
    out_date = timezone.localdate(out_at)
    outing = Outing.objects.create(
        center_id=staff.center_id,
        unit_id=staff.unit_id,
        staff=staff,
        out_at=out_at,
        out_date=out_date,
        back_at=back_at,
        returned_late=back_at is not None and timezone.localdate(back_at) > out_date,
        reason=reason,
        cover=cover,
        source=source,
        registered_by=by,
        registered_at=_now(),
    )
    audit_record(
        by=by, action=action, obj=outing, center_id=staff.center_id, after=snapshot(outing)
    )
    return outing


@transaction.atomic
def outing_return(*, by: Actor, outing: Outing, back_at: dt.datetime | None = None) -> Outing:
    """Register coming back; a return on a later day stays flagged."""
    outing = Outing.objects.select_for_update().select_related("staff").get(pk=outing.pk)
    if not _own(by, outing.staff):
        require(by, "staffing.change_outing", center_id=outing.center_id, unit_id=outing.unit_id)
    if outing.back_at is not None:
        raise DomainError(_("The return is already registered."), field="back_at")
    back_at = back_at or _now()
    if back_at <= outing.out_at:
        raise DomainError(_("The return must be after leaving."), field="back_at")
    if back_at > _now() + dt.timedelta(minutes=5):
        raise DomainError(_("A return cannot be registered in the future."), field="back_at")
    before = snapshot(outing, ["back_at", "returned_late"])
    outing.back_at = back_at
    outing.returned_late = timezone.localdate(back_at) > outing.out_date
    outing.save(update_fields=["back_at", "returned_late"])
    audit_record(
        by=by,
        action="outing.return",
        obj=outing,
        center_id=outing.center_id,
        before=before,
        after=snapshot(outing, ["back_at", "returned_late"]),
    )
    return outing


@transaction.atomic
def outing_record(
    *,
    by: Actor,
    staff: Staff,
    out_at: dt.datetime,
    back_at: dt.datetime | None,
    reason: str,
    cover: Staff | None = None,
) -> Outing:
    """Record an outing as it was (imports, history): the cover rule is not applied again."""
    require(by, "staffing.add_outing", center_id=staff.center_id, unit_id=staff.unit_id)
    reason = _short(reason, "reason", _("Reason"), 200)
    if back_at is not None and back_at <= out_at:
        raise DomainError(_("The return must be after leaving."), field="back_at")
    return _outing_create(
        by=by, staff=staff, reason=reason, out_at=out_at, back_at=back_at,
        cover=_check_cover(cover, staff), source=RecordSource.IMPORT, action="outing.record",
    )  # fmt: skip


# --- vacancies (空岗) ----------------------------------------------------------------------


@transaction.atomic
def vacancies_record(*, center: Center, date: dt.date, by: Actor = None) -> list[Vacancy]:
    """Record the day's vacancies: each post whose holder and backup were both away (leave,
    outing, or no punch all day) with nobody named to cover. Running it again for the same day
    brings the records up to date and changes nothing else."""
    if by is not None:
        require(by, "staffing.add_vacancy", center_id=center.pk)
    existing = {
        (v.window_id, v.primary_id, v.backup_id): v
        for v in Vacancy.objects.filter(center=center, date=date)
    }
    found: dict[tuple[int, int, int], Vacancy] = {}
    if get_calendar(center).is_workday(date):
        hours = hours_of(center)(date)
        away = selectors.away_on(center=center, date=date, judge_absence=True, hours=hours)
        posts = (
            Post.objects.filter(
                center=center,
                window__is_active=True,
                primary__is_active=True,
                backup__is_active=True,
            )
            .select_related("window", "primary", "backup")
            .order_by("pk")
        )
        seen: set[tuple[int, frozenset[int]]] = set()
        for post in posts:
            pair = (post.window_id, frozenset({post.primary_id, post.backup_id}))
            if pair in seen:  # A↔B and B↔A: one window with nobody, counted once
                continue
            seen.add(pair)
            a = [x for x in away.get(post.primary_id, []) if not x.covered]
            b = [x for x in away.get(post.backup_id, []) if not x.covered]
            minutes, half = vacancy(
                hours=hours,
                primary_away=[x.interval for x in a],
                backup_away=[x.interval for x in b],
            )
            if not minutes or half is None:
                continue
            reason = _("A {a}: {a_why}; B {b}: {b_why}").format(
                a=post.primary.name,
                a_why="、".join(dict.fromkeys(x.label for x in a)),
                b=post.backup.name,
                b_why="、".join(dict.fromkeys(x.label for x in b)),
            )[:400]
            key = (post.window_id, post.primary_id, post.backup_id)
            found[key] = Vacancy(
                center=center, unit_id=post.window.unit_id, window_id=post.window_id, post=post,
                primary_id=post.primary_id, backup_id=post.backup_id, date=date, half=half,
                minutes=minutes, reason=reason, recorded_at=_now(),
            )  # fmt: skip
    changed = []
    for key, vacancy_row in found.items():
        old = existing.get(key)
        if old is None:
            vacancy_row.save()
            changed.append({"window": key[0], "half": vacancy_row.half, "new": True})
        elif (old.half, old.minutes, old.reason) != (
            vacancy_row.half,
            vacancy_row.minutes,
            vacancy_row.reason,
        ):
            old.half, old.minutes, old.reason = (
                vacancy_row.half,
                vacancy_row.minutes,
                vacancy_row.reason,
            )
            old.recorded_at = vacancy_row.recorded_at
            old.save(update_fields=["half", "minutes", "reason", "recorded_at"])
            found[key] = old
            changed.append({"window": key[0], "half": old.half, "new": False})
        else:
            found[key] = old
    gone = [v for key, v in existing.items() if key not in found]
    for v in gone:
        changed.append({"window": v.window_id, "half": v.half, "removed": True})
        v.delete()
    if changed:
        audit_record(
            by=by,
            action="vacancy.record",
            center_id=center.pk,
            object_type="staffing.vacancy",
            object_id=date.isoformat(),
            object_repr=_("vacancies of {date}").format(date=chinese_date(date)),
            after={"date": date.isoformat(), "changes": changed},
        )
    return list(found.values())
