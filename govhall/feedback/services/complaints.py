"""Complaints (投诉) and messages (留言) from the public: submitted, routed by the office,
answered by the unit, then accepted or reopened by the submitter (or dismissed)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from govhall.cases.public_services import LOOKUPS_PER_IP, RateLimited
from govhall.core.access import Actor
from govhall.core.audit import audit_record
from govhall.core.errors import DomainError
from govhall.core.ratelimit import hit
from govhall.feedback.choices import FeedbackChannel, FeedbackKind, FeedbackStatus, Finding
from govhall.feedback.models import Feedback, FeedbackEntry
from govhall.feedback.selectors import settings_of
from govhall.feedback.services._common import (
    _by_name,
    _due,
    _now,
    _require_office,
    _require_unit,
    _text,
)
from govhall.org.models import Center, Unit
from govhall.org.services import clean_phone

MAX_SUBJECT = 60
MIN_CONTENT = 5
MAX_CONTENT = 1000
MAX_NAME = 50

# Abuse limits (per address): 5 complaints or messages an hour; reference-code lookups as
# the public case lookups (LOOKUPS_PER_IP, shared with the progress lookup).
SUBMITS_PER_IP = (5, 60 * 60)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud on the phone
CODE_LENGTH = 10  # 50 bits: not guessable under the lookup limit

PUBLIC_NAME = "群众"
ACTION_NAMES = {
    "submit": "提交",
    "route": "转交办理",
    "answer": "答复",
    "reopen": "不满意，重新办理",
    "accept": "满意，办结",
    "dismiss": "不予受理",
}


# --- complaints and messages -----------------------------------------------------------------


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def normalize_code(code: str) -> str:
    """A reference code as typed: spaces and dashes dropped, upper case, O read as 0 is not
    in the alphabet so it is left for the lookup to miss."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _answer_days(center: Center, kind: str) -> int:
    limits = settings_of(center)
    return limits.complaint_days if kind == FeedbackKind.COMPLAINT else limits.message_days


def _entry(
    feedback: Feedback, action: str, by_name: str, text: str = "", *, at: dt.datetime,
    public: bool = True,
) -> None:  # fmt: skip
    FeedbackEntry.objects.create(
        feedback=feedback, at=at, action=action, by_name=by_name, text=text, public=public
    )


def _feedback_audit(by: Actor, feedback: Feedback, action: str, before: str, **after: Any) -> None:
    audit_record(
        by=by, action=f"feedback.{action}", obj=feedback, center_id=feedback.center_id,
        before={"status": before} if before else None,
        after={"status": feedback.status, "unit": feedback.unit_id, **after},
    )  # fmt: skip


@transaction.atomic
def feedback_submit(
    *,
    center: Center,
    kind: str,
    content: str,
    subject: str = "",
    name: str = "",
    phone: str = "",
    unit: Unit | None = None,
    client: str = "",
    channel: str = FeedbackChannel.ONLINE,
    at: dt.datetime | None = None,
) -> Feedback:
    """投诉 or 留言 from the public: contact is required for a complaint (the unit must be able
    to call back), optional for a message. The answer is due in the center's working days
    (10 for complaints by default). Each address may send 5 an hour (`client`: its address)."""
    if kind not in FeedbackKind.values:
        raise DomainError(_("Choose complaint or message."), field="kind")
    if unit is not None and (unit.center_id != center.pk or not unit.is_active):
        raise DomainError(_("Choose a unit of this service center."), field="unit")
    subject = _text(subject, "subject", required=None, limit=MAX_SUBJECT)
    imported = channel == FeedbackChannel.IMPORT
    content = _text(
        content, "content", required=_("Write what you want to tell us."), limit=MAX_CONTENT
    )
    if len(content) < MIN_CONTENT and not imported:
        raise DomainError(
            _("Write at least {n} characters.").format(n=MIN_CONTENT), field="content"
        )
    name = _text(name, "name", required=None, limit=MAX_NAME)
    phone = clean_phone(phone)
    if kind == FeedbackKind.COMPLAINT and not imported:
        if not name:
            raise DomainError(
                _("A complaint needs your name, so the unit can answer you."), field="name"
            )
        if not phone:
            raise DomainError(
                _("A complaint needs a phone number, so the unit can call you back."), field="phone"
            )
    if client:
        limit, window = SUBMITS_PER_IP
        if not hit(f"feedback:submit:{client}", limit, window):
            raise RateLimited(
                _("Too many complaints and messages from this device. Please try again later.")
            )
    now = _now(at)
    # Imported records are the hall's history, handled before the system: no clock runs.
    feedback = Feedback(
        center=center,
        kind=kind,
        channel=channel,
        named_unit=unit,
        unit=unit if imported else None,
        subject=subject,
        content=content,
        name=name,
        phone=phone,
        submitted_at=now,
        status=FeedbackStatus.ARCHIVED if imported else FeedbackStatus.NEW,
        answer_due=None if imported else _due(center, now, _answer_days(center, kind)),
    )
    for _attempt in range(5):
        feedback.code = _new_code()
        try:
            with transaction.atomic():
                feedback.save()
            break
        except IntegrityError:
            feedback.pk = None
    else:  # pragma: no cover — 32^10 codes
        raise DomainError(_("Please try again."))
    _entry(feedback, "submit", PUBLIC_NAME, at=now)
    _feedback_audit(None, feedback, "submit", "", kind=kind, channel=channel)
    return feedback


def feedback_by_code(*, code: str, client: str) -> Feedback:
    """A complaint or message by its reference code (10 lookups per address in 10 minutes)."""
    limit, window = LOOKUPS_PER_IP
    if not hit(f"feedback:code:{client}", limit, window):
        raise RateLimited(
            _("Too many attempts. Please try again later, or ask at the hall's window.")
        )
    code = normalize_code(code)
    found = (
        Feedback.objects.select_related("center", "unit")
        .filter(code=code)
        .exclude(status=FeedbackStatus.ARCHIVED)
        .first()
        if len(code) == CODE_LENGTH
        else None
    )
    if found is None:
        raise DomainError(_("No complaint or message has this reference code."), field="code")
    return found


def _locked_feedback(
    feedback: Feedback, allowed: set[str], action: str, *, by: Actor = None, perm: str = ""
) -> Feedback:
    """The record re-read under a lock; with `perm`, checked against its unit as it is now
    (the office may have routed it since the caller read it), before its status is told."""
    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    if perm:
        _require_unit(by, perm, feedback.center_id, feedback.unit_id)
    if feedback.status not in allowed:
        raise DomainError(
            _("This {kind} is {status}: it cannot be {action} now.").format(
                kind=feedback.get_kind_display(),
                status=feedback.get_status_display(),
                action=action,
            ),
            field="status",
        )
    return feedback


@transaction.atomic
def feedback_route(
    *, by: Actor, feedback: Feedback, unit: Unit, note: str = "", at: dt.datetime | None = None
) -> Feedback:
    """The office sends a complaint or message to the unit that must answer it (again, if it
    went to the wrong one)."""
    _require_office(by, "feedback.route_feedback", feedback.center_id)
    if unit.center_id != feedback.center_id:
        raise DomainError(_("Choose a unit of this service center."), field="unit")
    feedback = _locked_feedback(
        feedback,
        {FeedbackStatus.NEW, FeedbackStatus.ROUTED, FeedbackStatus.REOPENED},
        "routed",
    )
    note = _text(note, "note", required=None)
    now = _now(at)
    before = feedback.status
    feedback.unit = unit
    feedback.routed_at = now
    feedback.routed_by = by
    if feedback.status == FeedbackStatus.NEW:
        feedback.status = FeedbackStatus.ROUTED
    feedback.save()
    _entry(feedback, "route", _by_name(by), unit.full_name or unit.name, at=now)
    if note:
        _entry(feedback, "note", _by_name(by), note, at=now, public=False)
    _feedback_audit(by, feedback, "route", before, note=note)
    return feedback


@transaction.atomic
def feedback_answer(
    *,
    by: Actor,
    feedback: Feedback,
    answer: str,
    finding: str = "",
    at: dt.datetime | None = None,
) -> Feedback:
    """答复: the unit it was routed to (or the office) answers; a complaint's answer states
    what looking into it found."""
    feedback = _locked_feedback(
        feedback,
        set(FeedbackStatus.waiting()),
        "answered",
        by=by,
        perm="feedback.answer_feedback",
    )
    if feedback.kind == FeedbackKind.COMPLAINT:
        if finding not in Finding.values:
            raise DomainError(_("State whether the complaint was substantiated."), field="finding")
    elif finding:
        raise DomainError(_("Only a complaint has a finding."), field="finding")
    answer = _text(answer, "answer", required=_("Write the answer."))
    now = _now(at)
    before = feedback.status
    if feedback.first_answer_on_time is None and feedback.answer_due is not None:
        feedback.first_answer_on_time = now <= feedback.answer_due
    feedback.answer = answer
    feedback.finding = finding
    feedback.answered_at = now
    feedback.answered_by = by
    feedback.status = FeedbackStatus.ANSWERED
    feedback.save()
    who = (feedback.unit.full_name or feedback.unit.name) if feedback.unit else feedback.center.name
    _entry(feedback, "answer", who, answer, at=now)
    _feedback_audit(by, feedback, "answer", before, finding=finding)
    return feedback


@transaction.atomic
def feedback_dismiss(
    *, by: Actor, feedback: Feedback, reason: str, at: dt.datetime | None = None
) -> Feedback:
    """The office sets aside abuse, advertising or nonsense (it then counts nowhere)."""
    _require_office(by, "feedback.route_feedback", feedback.center_id)
    feedback = _locked_feedback(feedback, set(FeedbackStatus.waiting()), "dismissed")
    reason = _text(reason, "reason", required=_("State why it is dismissed."))
    now = _now(at)
    before = feedback.status
    feedback.status = FeedbackStatus.DISMISSED
    feedback.dismissed_at = now
    feedback.dismiss_reason = reason
    feedback.save()
    _entry(feedback, "dismiss", _by_name(by), reason, at=now)
    _feedback_audit(by, feedback, "dismiss", before, reason=reason)
    return feedback


@transaction.atomic
def feedback_accept(*, feedback: Feedback, at: dt.datetime | None = None) -> Feedback:
    """The submitter is satisfied with the answer: closed."""
    feedback = _locked_feedback(feedback, {FeedbackStatus.ANSWERED}, "closed")
    now = _now(at)
    before = feedback.status
    feedback.status = FeedbackStatus.CLOSED
    feedback.closed_at = now
    feedback.save(update_fields=["status", "closed_at"])
    _entry(feedback, "accept", PUBLIC_NAME, at=now)
    _feedback_audit(None, feedback, "accept", before)
    return feedback


@transaction.atomic
def feedback_reopen(*, feedback: Feedback, reason: str, at: dt.datetime | None = None) -> Feedback:
    """The submitter is not satisfied: the same unit answers again, with a fresh deadline. Each
    may be reopened as often as the center allows (once by default)."""
    feedback = _locked_feedback(feedback, {FeedbackStatus.ANSWERED}, "reopened")
    center = Center.objects.get(pk=feedback.center_id)
    allowed = settings_of(center).max_reopens
    if feedback.reopen_count >= allowed:
        raise DomainError(
            _(
                "This {kind} has been reopened {n} time(s), as many as allowed. If you are still "
                "not satisfied, please call the center's office."
            ).format(kind=feedback.get_kind_display(), n=feedback.reopen_count),
            field="status",
        )
    reason = _text(
        reason, "reason", required=_("Say what is still not resolved."), limit=MAX_CONTENT
    )
    now = _now(at)
    before = feedback.status
    feedback.status = FeedbackStatus.REOPENED
    feedback.reopen_count += 1
    feedback.answer_due = _due(center, now, _answer_days(center, feedback.kind))
    feedback.save(update_fields=["status", "reopen_count", "answer_due"])
    _entry(feedback, "reopen", PUBLIC_NAME, reason, at=now)
    _feedback_audit(None, feedback, "reopen", before, reason=reason)
    return feedback
