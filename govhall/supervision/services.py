"""Writes of electronic supervision: the day's run, 督办, appeals and their decisions, alerts.

Each service checks permission (None is the system, e.g. the nightly `supervise` run), runs in
one transaction, writes its audit entries and refuses with a DomainError naming the field.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.choices import CaseStatus
from govhall.cases.models import Case
from govhall.cases.signals import history_written
from govhall.core.access import Actor, require
from govhall.core.audit import audit_record, snapshot
from govhall.core.calendar import get_calendar
from govhall.core.deadlines import warning_level
from govhall.core.errors import DomainError
from govhall.core.text import chinese_date
from govhall.core.uploads import DOC, DOCX, IMAGES, PDF, FileKind, checked_upload
from govhall.org.models import Center, Staff
from govhall.supervision.choices import (
    AppealDecision,
    WarningLevel,
    WarningStatus,
    WithdrawReason,
)
from govhall.supervision.models import Alert, Appeal, SupervisionSettings, Warning
from govhall.supervision.selectors import DayWarning, warnings_for_day

T = TypeVar("T")

MAX_TEXT = 2000
MAX_YELLOW_DAYS = 10
# What an appeal's evidence may be: a scan or photo, or a Word document.
EVIDENCE_KINDS: tuple[FileKind, ...] = (PDF, *IMAGES, DOCX, DOC)
_ACTIVE = sorted(WarningStatus.active())


def _now() -> dt.datetime:
    return timezone.now()


def _chunks(items: Sequence[T], size: int = 500) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _require_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, field=field)
    if len(value) > MAX_TEXT:
        raise DomainError(
            _("The text is too long (at most {n} characters).").format(n=MAX_TEXT), field=field
        )
    return value


def _settings_locked(center: Center) -> SupervisionSettings:
    """The center's settings row, locked: runs of one center follow each other, never overlap."""
    SupervisionSettings.objects.get_or_create(center=center)
    return SupervisionSettings.objects.select_for_update().get(center=center)


def _audit(by: Actor, action: str, warning: Warning, before: dict[str, Any] | None) -> None:
    audit_record(
        by=by,
        action=action,
        obj=warning,
        center_id=warning.center_id,
        before=before,
        after=snapshot(warning),
    )


# --- the day's run ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SuperviseResult:
    """What a run found (the day's cards) and what it changed."""

    on: dt.date
    warnings: list[DayWarning]
    issued: list[Warning]
    withdrawn: list[Warning]
    alerts: int


@transaction.atomic
def supervise_day(*, by: Actor, center: Center, on: dt.date) -> SuperviseResult:
    """电子监察 for day `on`: issue the cards due that day (once per case and level), withdraw
    those whose cases have closed, and alert the units' staff. Running it again changes nothing."""
    require(by, "supervision.add_warning", center_id=center.pk)
    settings = _settings_locked(center)
    calendar = get_calendar(center)
    day = warnings_for_day(
        center=center, on=on, calendar=calendar, yellow_days=settings.yellow_days
    )
    withdrawn = _withdraw_closed(by, center)
    issued, alerts = _issue(by, center, on, day)
    return SuperviseResult(on=on, warnings=day, issued=issued, withdrawn=withdrawn, alerts=alerts)


@transaction.atomic
def warning_issue(*, by: Actor, case: Case, on: dt.date) -> Warning:
    """Issue the card one case deserves on day `on` (the office's manual check of a case)."""
    require(by, "supervision.add_warning", center_id=case.center_id, unit_id=case.unit_id)
    settings = _settings_locked(case.center)
    case = Case.objects.select_related("unit", "item").get(pk=case.pk)
    if case.status not in CaseStatus.open() or case.due_date is None or case.paused_since:
        raise DomainError(
            _("Case {number} has no running deadline: it gets no card.").format(number=case.number),
            field="case",
        )
    level = warning_level(
        due_date=case.due_date,
        on=on,
        calendar=get_calendar(case.center_id),
        yellow_days=settings.yellow_days,
    )
    if level is None:
        raise DomainError(
            _("Case {number} is not near its deadline on {date}.").format(
                number=case.number, date=chinese_date(on)
            ),
            field="case",
        )
    entry = DayWarning(
        case.pk, case.number, case.unit_id, case.unit.name, case.item.name, case.due_date, level
    )
    issued, _alerts = _issue(by, case.center, on, [entry])
    if not issued:
        raise DomainError(
            _("Case {number} already has this card.").format(number=case.number), field="level"
        )
    return issued[0]


def _issue(
    by: Actor, center: Center, on: dt.date, day: Iterable[DayWarning]
) -> tuple[list[Warning], int]:
    """Create the cards not yet given; a red supersedes the case's standing yellow."""
    day = list(day)
    if not day:
        return [], 0
    latest = max(w.deadline for w in day)
    # The cards already given to the cases that could be warned today (no long IN list).
    given = set(
        Warning.objects.filter(
            center=center,
            case__status__in=sorted(CaseStatus.open()),
            case__due_date__lte=latest,
        ).values_list("case_id", "level")
    )
    now = _now()
    new = [
        Warning(
            center=center,
            unit_id=w.unit_id,
            case_id=w.case_id,
            level=w.level,
            issued_on=on,
            deadline=w.deadline,
            issued_at=now,
        )
        for w in day
        if (w.case_id, w.level) not in given
        # a case that had its red never goes back to yellow
        and not (w.level == WarningLevel.YELLOW and (w.case_id, WarningLevel.RED) in given)
    ]
    if not new:
        return [], 0
    Warning.objects.bulk_create(new, batch_size=500)
    # No model signal for bulk writes: tell the day counters (a catch-up issues on past days).
    history_written.send(Warning, center_id=center.pk, first=on)
    for warning in new:
        _audit(by, "warning.issue", warning, None)
    _supersede(by, center)
    return new, _alert_units(center, new, {w.case_id: w for w in day})


def _supersede(by: Actor, center: Center) -> None:
    yellows = list(
        Warning.objects.filter(
            center=center,
            level=WarningLevel.YELLOW,
            status__in=_ACTIVE,
            case__warnings__level=WarningLevel.RED,
        )
    )
    _withdraw(by, yellows, WithdrawReason.SUPERSEDED)


def _withdraw_closed(by: Actor, center: Center) -> list[Warning]:
    closed = list(
        Warning.objects.filter(center=center, status__in=_ACTIVE).exclude(
            case__status__in=sorted(CaseStatus.open())
        )
    )
    _withdraw(by, closed, WithdrawReason.CASE_CLOSED)
    return closed


def _withdraw(by: Actor, warnings: list[Warning], reason: str) -> None:
    if not warnings:
        return
    now = _now()
    befores = {w.pk: snapshot(w, ["status"]) for w in warnings}
    for chunk in _chunks([w.pk for w in warnings]):
        Warning.objects.filter(pk__in=chunk).update(
            status=WarningStatus.WITHDRAWN, withdrawn_at=now, withdraw_reason=reason
        )
    for warning in warnings:
        warning.status, warning.withdrawn_at, warning.withdraw_reason = (
            WarningStatus.WITHDRAWN,
            now,
            reason,
        )
        _audit(by, "warning.withdraw", warning, befores[warning.pk])


def _alert_text(level: str, day: DayWarning) -> str:
    if level == WarningLevel.RED:
        text = _("Red card: case {number} ({item}) passed its deadline of {deadline}.")
    else:
        text = _("Yellow card: case {number} ({item}) is due on {deadline}.")
    return text.format(number=day.case_no, item=day.item, deadline=chinese_date(day.deadline))


def _alert_units(center: Center, warnings: list[Warning], days: dict[int, DayWarning]) -> int:
    """One alert per new card for each of the unit's staff who has a login."""
    unit_ids = {w.unit_id for w in warnings}
    users: dict[int, list[int]] = defaultdict(list)
    for unit_id, user_id in Staff.objects.filter(
        unit_id__in=unit_ids, is_active=True, user__isnull=False, user__is_active=True
    ).values_list("unit_id", "user_id"):
        users[unit_id].append(user_id)
    now = _now()
    alerts = [
        Alert(
            user_id=user_id,
            center=center,
            warning=warning,
            text=_alert_text(warning.level, days[warning.case_id])[:400],
            link=reverse("supervision:warning_detail", args=[warning.pk]),
            created_at=now,
        )
        for warning in warnings
        for user_id in users.get(warning.unit_id, [])
    ]
    Alert.objects.bulk_create(alerts, batch_size=500, ignore_conflicts=True)
    return len(alerts)


# --- 督办, appeals and decisions ------------------------------------------------------------


def _locked(warning: Warning) -> Warning:
    return Warning.objects.select_for_update().get(pk=warning.pk)


@transaction.atomic
def warning_supervise(*, by: Actor, warning: Warning, note: str) -> Warning:
    """督办: the office or the supervisor presses the unit to finish the case, with a note."""
    require(
        by, "supervision.supervise_warning", center_id=warning.center_id, unit_id=warning.unit_id
    )
    warning = _locked(warning)
    if warning.status == WarningStatus.SUPERVISED:
        raise DomainError(_("This warning is already being supervised."), field="status")
    if warning.status != WarningStatus.ISSUED:
        raise DomainError(
            _("This warning is {status}: it cannot be supervised.").format(
                status=warning.get_status_display()
            ),
            field="status",
        )
    note = _require_text(note, "note", _("State what the unit is asked to do."))
    before = snapshot(warning, ["status"])
    warning.status = WarningStatus.SUPERVISED
    warning.supervised_at = _now()
    warning.supervised_by = by
    warning.supervision_note = note
    warning.save(update_fields=["status", "supervised_at", "supervised_by", "supervision_note"])
    _audit(by, "warning.supervise", warning, before)
    return warning


@transaction.atomic
def warning_appeal(
    *, by: Actor, warning: Warning, reason: str, evidence: UploadedFile | None = None
) -> Appeal:
    """申诉: the unit's chief states why the card is unjust, optionally with evidence (a PDF,
    photo or Word document); the office decides."""
    require(by, "supervision.appeal_warning", center_id=warning.center_id, unit_id=warning.unit_id)
    warning = _locked(warning)
    if warning.status == WarningStatus.CANCELLED:
        raise DomainError(_("This warning has been cancelled."), field="status")
    if Appeal.objects.filter(warning=warning).exists():
        raise DomainError(_("This warning has already been appealed."), field="status")
    reason = _require_text(reason, "reason", _("State the reason for the appeal."))
    appeal = Appeal(warning=warning, reason=reason, appealed_at=_now(), appealed_by=by)
    if evidence:
        appeal.evidence = checked_upload(
            evidence, allowed=EVIDENCE_KINDS, field="evidence", prefix="appeal"
        )
    appeal.save()
    audit_record(
        by=by,
        action="warning.appeal",
        obj=appeal,
        center_id=warning.center_id,
        after=snapshot(appeal),
    )
    return appeal


@transaction.atomic
def appeal_decide(*, by: Actor, appeal: Appeal, accept: bool, note: str = "") -> Appeal:
    """The office accepts an appeal (the card is cancelled) or rejects it (the card stands)."""
    warning = appeal.warning
    require(by, "supervision.decide_appeal", center_id=warning.center_id, unit_id=warning.unit_id)
    appeal = Appeal.objects.select_for_update().select_related("warning").get(pk=appeal.pk)
    if appeal.decision != AppealDecision.PENDING:
        raise DomainError(
            _("This appeal was already decided: {decision}.").format(
                decision=appeal.get_decision_display()
            ),
            field="decision",
        )
    note = (note or "").strip()
    if not accept:
        note = _require_text(note, "note", _("State why the appeal is rejected."))
    elif len(note) > MAX_TEXT:
        raise DomainError(
            _("The text is too long (at most {n} characters).").format(n=MAX_TEXT), field="note"
        )
    now = _now()
    before = snapshot(appeal, ["decision"])
    appeal.decision = AppealDecision.ACCEPTED if accept else AppealDecision.REJECTED
    appeal.decision_note = note
    appeal.decided_at = now
    appeal.decided_by = by
    appeal.save(update_fields=["decision", "decision_note", "decided_at", "decided_by"])
    warning = _locked(appeal.warning)
    if accept:
        warning_before = snapshot(warning, ["status"])
        warning.status = WarningStatus.CANCELLED
        warning.cancelled_at = now
        warning.save(update_fields=["status", "cancelled_at"])
        _audit(by, "warning.cancel", warning, warning_before)
    audit_record(
        by=by,
        action="warning.appeal_decide",
        obj=appeal,
        center_id=warning.center_id,
        before=before,
        after=snapshot(appeal),
    )
    if appeal.appealed_by_id is not None:
        text = (
            _("Your appeal against the card on case {number} was accepted: the card is cancelled.")
            if accept
            else _("Your appeal against the card on case {number} was rejected: {note}")
        )
        Alert.objects.create(
            user_id=appeal.appealed_by_id,
            center_id=warning.center_id,
            text=text.format(number=warning.case.number, note=note)[:400],
            link=reverse("supervision:warning_detail", args=[warning.pk]),
            created_at=now,
        )
    return appeal


# --- settings and alerts -------------------------------------------------------------------


@transaction.atomic
def supervision_settings_update(
    *, by: Actor, center: Center, yellow_days: int
) -> SupervisionSettings:
    """Set how many working days before its deadline a case gets its yellow card."""
    require(by, "supervision.change_supervisionsettings", center_id=center.pk)
    if not 0 <= yellow_days <= MAX_YELLOW_DAYS:
        raise DomainError(
            _("The yellow card threshold is 0 to {n} working days.").format(n=MAX_YELLOW_DAYS),
            field="yellow_days",
        )
    settings = _settings_locked(center)
    before = snapshot(settings, ["yellow_days"])
    settings.yellow_days = yellow_days
    settings.save(update_fields=["yellow_days"])
    audit_record(
        by=by,
        action="supervision.settings",
        obj=settings,
        center_id=center.pk,
        before=before,
        after=snapshot(settings, ["yellow_days"]),
    )
    return settings


def alert_read(*, user: Any, alert: Alert) -> Alert:
    """Mark one of the person's own alerts read (a reading mark, not audited)."""
    if alert.user_id != getattr(user, "pk", None):
        raise DomainError(_("This alert is not yours."), field="alert")
    if alert.read_at is None:
        alert.read_at = _now()
        Alert.objects.filter(pk=alert.pk, read_at__isnull=True).update(read_at=alert.read_at)
    return alert


def alerts_read_all(*, user: Any) -> int:
    """Mark every unread alert of the person read; returns how many."""
    return Alert.objects.filter(user=user, read_at__isnull=True).update(read_at=_now())


def alerts_send(*, center: Center, user_ids: Iterable[int], text: str, link: str = "") -> int:
    """Put one notice in each person's in-app inbox (reminders from the hall's schedule)."""
    now = _now()
    alerts = [
        Alert(user_id=user_id, center=center, text=text[:400], link=link[:200], created_at=now)
        for user_id in sorted(set(user_ids))
    ]
    Alert.objects.bulk_create(alerts, batch_size=500)
    return len(alerts)
