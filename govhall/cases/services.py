"""The case lifecycle: every transition is one service with its check, clock update, timeline
line and audit entry. An illegal transition is refused and changes nothing.

收件 → 受理 | 不予受理 | 补正 (一次性告知) → 办理中 (steps) → 办结 | 退件 | 撤件 | 作废;
特别程序 and supplements after acceptance stop the clock; 延期 adds days (第四十二条).
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.choices import CaseStatus, Channel, Result, SuspensionKind
from govhall.cases.models import (
    Case,
    CaseCounter,
    CaseEvent,
    CaseStep,
    Consultation,
    Extension,
    Pause,
    SupplementNotice,
    SupplementUpload,
)
from govhall.catalog.choices import HandlingType
from govhall.catalog.models import ServiceItem
from govhall.core import clock
from govhall.core.access import Actor, require
from govhall.core.audit import audit_record
from govhall.core.calendar import get_calendar
from govhall.core.errors import DomainError
from govhall.core.worktime import immediate_deadline, paused_workdays, promised_deadline
from govhall.org.hours import hours_of
from govhall.org.models import Staff, Window
from govhall.org.services import clean_phone

S = CaseStatus

# Which statuses each transition may start from (the only place this is decided).
ALLOWED: dict[str, frozenset[str]] = {
    "accept": frozenset({S.RECEIVED, S.SUPPLEMENTING}),
    "reject": frozenset({S.RECEIVED, S.SUPPLEMENTING}),
    "request_supplement": frozenset({S.RECEIVED, S.ACCEPTED, S.IN_PROGRESS}),
    "supplement_complete": frozenset({S.SUPPLEMENTING, S.SUSPENDED}),
    "record_step": frozenset({S.ACCEPTED, S.IN_PROGRESS}),
    "suspend": frozenset({S.ACCEPTED, S.IN_PROGRESS}),
    "resume": frozenset({S.SUSPENDED}),
    "extend": frozenset({S.ACCEPTED, S.IN_PROGRESS, S.SUSPENDED}),
    "complete": frozenset({S.ACCEPTED, S.IN_PROGRESS}),
    "return": frozenset({S.ACCEPTED, S.IN_PROGRESS, S.SUSPENDED}),
    "withdraw": frozenset({S.RECEIVED, S.SUPPLEMENTING, S.ACCEPTED, S.IN_PROGRESS, S.SUSPENDED}),
    "void": frozenset({S.RECEIVED, S.SUPPLEMENTING, S.ACCEPTED, S.IN_PROGRESS, S.SUSPENDED}),
}

ACTION_NAMES = {
    "receive": "收件",
    "accept": "受理",
    "reject": "不予受理",
    "request_supplement": "一次性告知补正",
    "supplement_complete": "补正材料齐全",
    "record_step": "办理",
    "suspend": "特别程序",
    "resume": "特别程序结束",
    "extend": "延期",
    "complete": "办结",
    "return": "退件",
    "withdraw": "撤件",
    "void": "作废",
}

NOTICE_DAYS = 5  # 行政许可法 第三十二条: missing materials are listed within five days of receipt


def _now() -> dt.datetime:
    return clock.now()


def _local(value: dt.datetime) -> dt.datetime:
    """Naive local time, as the working-time engine counts it."""
    return timezone.localtime(value).replace(tzinfo=None)


def _staff_of(by: Actor) -> Staff | None:
    return getattr(by, "staff", None) if by is not None else None


def _by_name(by: Actor) -> str:
    if by is None:
        return "系统"
    staff = _staff_of(by)
    return staff.name if staff else (by.get_full_name() or by.get_username())


def _locked(case: Case, action: str, by: Actor) -> Case:
    """The case re-read under a row lock, checked for permission and for the transition."""
    require(by, "cases.handle_case", center_id=case.center_id, unit_id=case.unit_id)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status not in ALLOWED[action]:
        raise DomainError(
            _("Case {number} is {status}: it cannot be {action}.").format(
                number=case.number, status=case.get_status_display(), action=ACTION_NAMES[action]
            ),
            field="status",
        )
    return case


def _log(case: Case, action: str, by: Actor, note: str = "", *, before: str) -> CaseEvent:
    at = _now()
    event = CaseEvent.objects.create(
        case=case, at=at, action=action, by_name=_by_name(by), note=note
    )
    audit_record(
        by=by,
        action=f"case.{action}",
        obj=case,
        center_id=case.center_id,
        before={"status": before},
        after={"status": case.status, "due_date": case.due_date, "note": note},
    )
    return event


def _require_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, field=field)
    return value


def recompute_due(case: Case) -> None:
    """Set due_at/due_date from acceptance, the limit, pauses and extension (in memory)."""
    if case.accepted_at is None:
        case.due_at, case.due_date = None, None
        return
    calendar, hours = get_calendar(case.center_id), hours_of(case.center)
    accepted = _local(case.accepted_at)
    if case.handling_type == HandlingType.IMMEDIATE:
        local_due = immediate_deadline(calendar=calendar, hours=hours, accepted_at=accepted)
    else:
        days = case.promised_days + case.paused_days + case.extension_days
        local_due = promised_deadline(
            calendar=calendar, hours=hours, accepted_on=accepted.date(), days=days
        )
    case.due_at = timezone.make_aware(local_due)
    case.due_date = local_due.date()


def next_number(unit_id: int, day: dt.date) -> str:
    """YYYYMMDD + unit (3 digits) + the unit's sequence that day (4 digits); safe under concurrency."""
    # One statement that creates or bumps the day's counter under its row lock (PostgreSQL and
    # SQLite ≥ 3.35 both have INSERT … ON CONFLICT … RETURNING): intake is the busiest write.
    quote = connection.ops.quote_name
    table, last = quote(CaseCounter._meta.db_table), quote("last")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_id, day, {last}) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (unit_id, day) DO UPDATE SET {last} = {table}.{last} + 1 "
            f"RETURNING {last}",
            [unit_id, connection.ops.adapt_datefield_value(day)],
        )
        (sequence,) = cursor.fetchone()
    return f"{day:%Y%m%d}{unit_id % 1000:03d}{sequence:04d}"


# --- receipt and acceptance ---------------------------------------------------------------


@transaction.atomic
def case_receive(
    *,
    by: Actor,
    item: ServiceItem,
    applicant_name: str,
    applicant_id_number: str = "",
    applicant_phone: str = "",
    agent_name: str = "",
    agent_id_number: str = "",
    agent_phone: str = "",
    channel: str = Channel.WINDOW,
    window: Window | None = None,
) -> Case:
    """收件: register an application for a published item at the unit's window."""
    require(by, "cases.handle_case", center_id=item.center_id, unit_id=item.unit_id)
    if not item.is_public:
        raise DomainError(
            _("{name} is not open for applications.").format(name=item.name), field="item"
        )
    if window is not None and window.unit_id != item.unit_id:
        raise DomainError(_("The window belongs to another unit."), field="window")
    if channel not in Channel.values:
        raise DomainError(_("Choose how the application came in."), field="channel")
    applicant_name = _require_text(
        applicant_name, "applicant_name", _("Enter the applicant's name.")
    )
    if len(applicant_name) > 100:
        raise DomainError(_("The applicant's name is too long."), field="applicant_name")
    id_number = applicant_id_number.strip().upper()
    if id_number and not (6 <= len(id_number) <= 32 and id_number.isalnum()):
        raise DomainError(
            _("The ID number may hold only digits and letters."), field="applicant_id_number"
        )
    staff = _staff_of(by)
    now = _now()
    version = item.current
    case = Case.objects.create(
        center_id=item.center_id,
        unit_id=item.unit_id,
        window=window
        or (
            staff.window
            if staff and staff.window and staff.window.unit_id == item.unit_id
            else None
        ),
        number=next_number(item.unit_id, _local(now).date()),
        item=item,
        item_version=version,
        handling_type=version.handling_type,
        promised_days=version.promised_days,
        channel=channel,
        applicant_name=applicant_name,
        applicant_id_number=id_number,
        applicant_phone=clean_phone(applicant_phone),
        agent_name=agent_name.strip(),
        agent_id_number=agent_id_number.strip().upper(),
        agent_phone=clean_phone(agent_phone),
        received_at=now,
        received_by=staff,
        notice_due=get_calendar(item.center_id).add(_local(now).date(), NOTICE_DAYS),
    )
    receipt = _log(case, "receive", by, before="")
    # A new case's timeline is this one line: whoever shows it need not read it back.
    case._prefetched_objects_cache = {"events": [receipt]}
    return case


def _settle_supplements(case: Case) -> None:
    """The materials are complete: the open notices are settled, and a file sent online that
    nobody reviewed was accepted with them (it no longer waits "to review")."""
    open_notices = case.supplements.filter(resolved_at__isnull=True)
    SupplementUpload.objects.filter(notice__in=open_notices, accepted__isnull=True).update(
        accepted=True
    )
    open_notices.update(resolved_at=_now())


@transaction.atomic
def case_accept(*, by: Actor, case: Case) -> Case:
    """受理: the materials are complete; the promised clock starts the next working day."""
    case = _locked(case, "accept", by)
    before = case.status
    _settle_supplements(case)
    case.status = S.ACCEPTED
    case.accepted_at = _now()
    case.accepted_by = _staff_of(by)
    recompute_due(case)
    case.save()
    _log(case, "accept", by, before=before)
    return case


@transaction.atomic
def case_reject(*, by: Actor, case: Case, reason: str) -> Case:
    """不予受理: refused at the door, with the reason the notice will state."""
    case = _locked(case, "reject", by)
    reason = _require_text(reason, "reason", _("State why the application is not accepted."))
    before = case.status
    case.status = S.REJECTED
    case.close_reason = reason
    case.closed_at = _now()
    case.save()
    _log(case, "reject", by, reason, before=before)
    return case


@transaction.atomic
def case_request_supplement(
    *, by: Actor, case: Case, materials: list[str], note: str = ""
) -> SupplementNotice:
    """补正: list every missing material at once (一次性告知). Before acceptance the case waits;
    after acceptance its clock stops until the materials are complete."""
    case = _locked(case, "request_supplement", by)
    materials = [m.strip() for m in materials if m and m.strip()]
    if not materials:
        raise DomainError(_("List every missing material."), field="materials")
    now = _now()
    before = case.status
    after_acceptance = case.status != S.RECEIVED
    if not after_acceptance and case.notice_due and _local(now).date() > case.notice_due:
        raise DomainError(
            _(
                "More than five working days have passed since receipt: by law the application counts "
                "as accepted on the day of receipt (第三十二条). Accept it instead."
            ),
            field="materials",
        )
    notice = SupplementNotice.objects.create(
        case=case,
        materials=materials,
        note=note.strip(),
        issued_at=now,
        after_acceptance=after_acceptance,
        token=secrets.token_urlsafe(32),
    )
    if after_acceptance:
        Pause.objects.create(
            case=case, kind=SuspensionKind.SUPPLEMENT, reason="、".join(materials), started_at=now
        )
        case.status = S.SUSPENDED
        case.paused_since = now
    else:
        case.status = S.SUPPLEMENTING
    case.save()
    _log(case, "request_supplement", by, "、".join(materials), before=before)
    return notice


@transaction.atomic
def case_supplement_complete(*, by: Actor, case: Case) -> Case:
    """The missing materials are in: a waiting case is accepted now; a paused one resumes."""
    if Case.objects.filter(pk=case.pk, status=S.SUPPLEMENTING).exists():
        return case_accept(by=by, case=case)
    case = _locked(case, "supplement_complete", by)
    pause = case.pauses.filter(ended_at__isnull=True).first()
    if pause is None or pause.kind != SuspensionKind.SUPPLEMENT:
        raise DomainError(
            _("The case is stopped for a special procedure, not for materials."), field="status"
        )
    _settle_supplements(case)
    return _resume(case, pause, by, "supplement_complete")


# --- handling -------------------------------------------------------------------------------


@transaction.atomic
def case_record_step(
    *, by: Actor, case: Case, name: str, result: str = "", opinion: str = ""
) -> CaseStep:
    """Record one process step (审查, 决定 …) with its handler, result and opinion."""
    case = _locked(case, "record_step", by)
    name = _require_text(name, "name", _("Name the step."))
    before = case.status
    staff = _staff_of(by)
    step = CaseStep.objects.create(
        case=case,
        position=case.steps.count(),
        name=name[:60],
        handler=staff,
        handler_name=_by_name(by),
        result=result.strip()[:100],
        opinion=opinion.strip(),
        done_at=_now(),
    )
    case.status = S.IN_PROGRESS
    case.save(update_fields=["status"])
    _log(case, "record_step", by, f"{name}：{result}".rstrip("："), before=before)
    return step


@transaction.atomic
def case_suspend(*, by: Actor, case: Case, kind: str, reason: str) -> Pause:
    """特别程序 (第四十五条): hearing, testing, expert review … stop the clock until they end."""
    case = _locked(case, "suspend", by)
    if kind not in SuspensionKind.values or kind == SuspensionKind.SUPPLEMENT:
        raise DomainError(_("Choose the special procedure."), field="kind")
    reason = _require_text(reason, "reason", _("State the reason for the special procedure."))
    before = case.status
    now = _now()
    pause = Pause.objects.create(case=case, kind=kind, reason=reason, started_at=now)
    case.status = S.SUSPENDED
    case.paused_since = now
    case.save()
    _log(case, "suspend", by, f"{pause.get_kind_display()}：{reason}", before=before)
    return pause


@transaction.atomic
def case_resume(*, by: Actor, case: Case) -> Case:
    """The special procedure has ended: the clock runs again, the deadline moved back."""
    case = _locked(case, "resume", by)
    pause = case.pauses.filter(ended_at__isnull=True).first()
    if pause is None:
        raise DomainError(_("The case's clock is not stopped."), field="status")
    if pause.kind == SuspensionKind.SUPPLEMENT:
        raise DomainError(
            _("The case waits for materials: record them as complete."), field="status"
        )
    return _resume(case, pause, by, "resume")


def _resume(case: Case, pause: Pause, by: Actor, action: str) -> Case:
    now = _now()
    before = case.status
    pause.ended_at = now
    pause.workdays = paused_workdays(
        calendar=get_calendar(case.center_id),
        start=_local(pause.started_at).date(),
        end=_local(now).date(),
    )
    pause.save(update_fields=["ended_at", "workdays"])
    case.paused_days += Decimal(pause.workdays)
    case.paused_since = None
    case.status = S.IN_PROGRESS
    recompute_due(case)
    case.save()
    _log(case, action, by, _("{n} working days paused").format(n=pause.workdays), before=before)
    return case


@transaction.atomic
def case_extend(
    *, by: Actor, case: Case, reason: str, approved_by: str, days: int = 10
) -> Extension:
    """延期 (第四十二条): once, by up to 10 working days, approved by the unit's head, before the
    deadline has passed; the applicant is told in a 延期通知书."""
    case = _locked(case, "extend", by)
    if case.handling_type != HandlingType.PROMISED:
        raise DomainError(_("Only promised cases can be extended."), field="days")
    if hasattr(case, "extension"):
        raise DomainError(_("This case was already extended."), field="days")
    if not 1 <= days <= 10:
        raise DomainError(_("An extension is 1 to 10 working days."), field="days")
    reason = _require_text(reason, "reason", _("State why more time is needed."))
    approved_by = _require_text(
        approved_by, "approved_by", _("Name the unit head who approved it.")
    )
    now = _now()
    if case.due_at and now > case.due_at:
        raise DomainError(
            _("The deadline has passed: an extension must be approved before it."), field="days"
        )
    before = case.status
    extension = Extension.objects.create(
        case=case, days=days, reason=reason, approved_by=approved_by, granted_at=now
    )
    case.extension_days += days
    recompute_due(case)
    case.save()
    _log(
        case,
        "extend",
        by,
        _("+{n} working days, approved by {who}").format(n=days, who=approved_by),
        before=before,
    )
    return extension


@transaction.atomic
def case_complete(*, by: Actor, case: Case, result: str, note: str = "") -> Case:
    """办结: the decision is made (准予/出证, 不予许可, 转报)."""
    case = _locked(case, "complete", by)
    if result not in Result.values:
        raise DomainError(_("Choose the result."), field="result")
    if result == Result.REFUSED and not note.strip():
        raise DomainError(_("A refusal must state its reasons."), field="note")
    before = case.status
    case.status = S.COMPLETED
    case.result = result
    case.close_reason = note.strip()
    case.completed_at = case.closed_at = _now()
    case.completed_by = _staff_of(by)
    case.save()
    _log(case, "complete", by, case.get_result_display(), before=before)
    return case


def _close(case: Case, by: Actor, action: str, status: str, reason: str) -> Case:
    case = _locked(case, action, by)
    reason = _require_text(reason, "reason", _("State the reason."))
    before = case.status
    pause = case.pauses.filter(ended_at__isnull=True).first()
    if pause is not None:
        pause.ended_at = _now()
        pause.save(update_fields=["ended_at"])
    case.status = status
    case.close_reason = reason
    case.closed_at = _now()
    case.paused_since = None
    case.save()
    _log(case, action, by, reason, before=before)
    return case


@transaction.atomic
def case_return(*, by: Actor, case: Case, reason: str) -> Case:
    """退件: the unit gives the application back (e.g. it belongs to another authority)."""
    return _close(case, by, "return", S.RETURNED, reason)


@transaction.atomic
def case_withdraw(*, by: Actor, case: Case, reason: str) -> Case:
    """撤件: the applicant withdraws the application."""
    return _close(case, by, "withdraw", S.WITHDRAWN, reason)


@transaction.atomic
def case_void(*, by: Actor, case: Case, reason: str) -> Case:
    """作废: registered by mistake; kept, but counted nowhere."""
    return _close(case, by, "void", S.VOIDED, reason)


# --- consultations --------------------------------------------------------------------------


@transaction.atomic
def consultation_log(
    *,
    by: Actor,
    unit: Any,
    topic: str = "",
    person_times: int = 1,
    channel: str = "window",
    item: ServiceItem | None = None,
) -> Consultation:
    """咨询登记: one tap at the window; person-times count people, not conversations."""
    require(by, "cases.add_consultation", center_id=unit.center_id, unit_id=unit.pk)
    if not 1 <= person_times <= 999:
        raise DomainError(_("Person-times must be between 1 and 999."), field="person_times")
    if item is not None and item.unit_id != unit.pk:
        raise DomainError(_("The item belongs to another unit."), field="item")
    consultation = Consultation.objects.create(
        center_id=unit.center_id,
        unit=unit,
        staff=_staff_of(by),
        item=item,
        at=_now(),
        person_times=person_times,
        topic=topic.strip()[:400],
        channel=channel,
    )
    audit_record(
        by=by,
        action="consultation.log",
        obj=consultation,
        center_id=unit.center_id,
        after={"unit": unit.pk, "person_times": person_times, "topic": consultation.topic},
    )
    return consultation
