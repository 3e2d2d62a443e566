"""Leave (请假): its working days, the request, the stamped note, each step of its approval
chain, cancelling and shortening, and leave recorded as it was."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.access import Actor, require
from govhall.core.audit import audit_record, snapshot
from govhall.core.calendar import get_calendar
from govhall.core.errors import DomainError, NotAllowed
from govhall.core.text import chinese_date
from govhall.core.uploads import read_head, sniff
from govhall.org.hours import hours_of
from govhall.org.models import Staff
from govhall.staffing import selectors
from govhall.staffing.choices import Half, LeaveKind, LeaveSpan, LeaveStatus, RecordSource
from govhall.staffing.models import Leave, LeaveApproval, LeaveDay
from govhall.staffing.rules import (
    MAX_NOTE_BYTES,
    NOTE_EXTENSIONS,
    LeavePart,
    approval_chain,
    hours_part,
    leave_parts,
    parts_overlap,
)
from govhall.staffing.services._common import _check_cover, _gap_message, _now, _own, _short

MAX_LEAVE_DAYS = 366


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
