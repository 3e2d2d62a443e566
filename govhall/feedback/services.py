"""Writes of public feedback: ratings (好差评), the rectification a bad rating opens, the
validity review, and complaints (投诉) and messages (留言) from routing to the submitter's verdict.

Staff services take `by` and check its permission and scope (None is the system: the demo and
imports). Public services take no account: the signed link, the case number with the phone's
last digits, or the reference code is the key, checked by the face or here under a rate limit;
their audit entries name the system. `at` records history (demo, imports); faces never pass it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.choices import CaseStatus
from govhall.cases.models import Case, Consultation
from govhall.cases.public_services import LOOKUPS_PER_IP, RateLimited, public_case_lookup
from govhall.core.access import Actor, require
from govhall.core.audit import audit_record, snapshot
from govhall.core.calendar import get_calendar
from govhall.core.errors import DomainError, NotAllowed
from govhall.core.ratelimit import hit
from govhall.feedback.choices import (
    FeedbackChannel,
    FeedbackKind,
    FeedbackStatus,
    Finding,
    FollowUpResult,
    RatingChannel,
    RatingLevel,
    RatingReview,
    RatingTag,
    RectificationStatus,
)
from govhall.feedback.models import (
    Feedback,
    FeedbackEntry,
    FeedbackSettings,
    FollowUp,
    Rating,
    Rectification,
)
from govhall.feedback.rules import deadline_after
from govhall.feedback.selectors import settings_of
from govhall.org.hours import hours_of
from govhall.org.models import Center, Unit
from govhall.org.scoping import scope_for
from govhall.org.services import clean_phone

# Case statuses an applicant may rate: the case has ended with a decision.
RATABLE = frozenset({CaseStatus.COMPLETED, CaseStatus.REJECTED, CaseStatus.RETURNED})

MAX_COMMENT = 500
MAX_TAGS = 5
MAX_SUBJECT = 60
MIN_CONTENT = 5
MAX_CONTENT = 1000
MAX_NAME = 50
MAX_TEXT = 2000  # staff texts: notes, outcomes, answers
# After this many calls nobody answered, the follow-up counts as made (三次未接通).
UNREACHABLE_LIMIT = 3

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


def _now(at: dt.datetime | None = None) -> dt.datetime:
    return at if at is not None else timezone.now()


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value).replace(tzinfo=None)


def _due(center: Center, start: dt.datetime, days: int) -> dt.datetime:
    """The aware moment a limit of `days` working days from `start` ends, in the center's hours."""
    local = deadline_after(
        calendar=get_calendar(center), hours=hours_of(center), start=_local(start), days=days
    )
    return timezone.make_aware(local)


def _by_name(by: Actor) -> str:
    if by is None:
        return "系统"
    staff = getattr(by, "staff", None)
    return staff.name if staff else (by.get_full_name() or by.get_username())


def _text(value: str, field: str, *, required: str | None, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(required, field=field)
    if len(value) > limit:
        raise DomainError(
            _("The text is too long: at most {n} characters ({m} given).").format(
                n=limit, m=len(value)
            ),
            field=field,
        )
    return value


def _require_unit(by: Actor, perm: str, center_id: int, unit_id: int | None) -> None:
    """Refuse unless `by` holds `perm` for the unit; a record without a unit is the office's."""
    require(by, perm, center_id=center_id, unit_id=unit_id)
    if by is not None and unit_id is None and not scope_for(by).sees_unit(center_id, None):
        raise NotAllowed(_("You are not allowed to do this here."))


def _require_office(by: Actor, perm: str, center_id: int) -> None:
    _require_unit(by, perm, center_id, None)


# --- settings ----------------------------------------------------------------------------------


@transaction.atomic
def feedback_settings_update(
    *,
    by: Actor,
    center: Center,
    contact_days: int,
    rectify_days: int,
    complaint_days: int,
    message_days: int,
    max_reopens: int,
) -> FeedbackSettings:
    """Set the center's limits for bad ratings and for answering complaints and messages."""
    _require_office(by, "feedback.change_feedbacksettings", center.pk)
    limits = {
        "contact_days": (contact_days, 1, 10),
        "rectify_days": (rectify_days, 1, 60),
        "complaint_days": (complaint_days, 1, 60),
        "message_days": (message_days, 1, 60),
        "max_reopens": (max_reopens, 0, 5),
    }
    for field, (value, low, high) in limits.items():
        if not low <= value <= high:
            raise DomainError(
                _("Enter a number from {low} to {high}.").format(low=low, high=high), field=field
            )
    FeedbackSettings.objects.get_or_create(center=center)
    row = FeedbackSettings.objects.select_for_update().get(center=center)
    before = snapshot(row)
    for field, (value, _low, _high) in limits.items():
        setattr(row, field, value)
    row.save()
    audit_record(
        by=by, action="feedback.settings", obj=row, center_id=center.pk, before=before,
        after=snapshot(row),
    )  # fmt: skip
    return row


# --- ratings -----------------------------------------------------------------------------------


def clean_tags(tags: Iterable[str]) -> list[str]:
    """The ticked tags, known ones only, each once, in the list's order."""
    chosen = list(dict.fromkeys(str(t) for t in tags or ()))
    if any(t not in RatingTag.values for t in chosen):
        raise DomainError(_("Choose tags from the list."), field="tags")
    if len(chosen) > MAX_TAGS:
        raise DomainError(_("Choose at most {n} tags.").format(n=MAX_TAGS), field="tags")
    return [t for t in RatingTag.values if t in chosen]


def _already_rated(what: str) -> DomainError:
    return DomainError(
        _("{what} has already been rated. Each case is rated once: thank you.").format(what=what),
        field="rating",
    )


@transaction.atomic
def rating_submit(
    *,
    by: Actor = None,
    case: Case | None = None,
    consultation: Consultation | None = None,
    level: int,
    tags: Iterable[str] = (),
    comment: str = "",
    channel: str,
    at: dt.datetime | None = None,
) -> Rating:
    """好差评: the applicant rates a finished case (or a consultation) once. At the window the
    pad runs in the staff's session (`by`, who must serve the unit); by the receipt's QR code or
    on the web the public rates (`by` None). 不满意 and 非常不满意 open a rectification task."""
    if (case is None) == (consultation is None):
        raise DomainError(_("Rate one case or one consultation."), field="case")
    if channel not in RatingChannel.values:
        raise DomainError(_("Unknown rating channel."), field="channel")
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if level not in RatingLevel.values:
        raise DomainError(_("Choose how satisfied you are."), field="level")
    chosen = clean_tags(tags)
    comment = _text(comment, "comment", required=None, limit=MAX_COMMENT)
    now = _now(at)
    if case is not None:
        require(by, "feedback.use_rating_pad", center_id=case.center_id, unit_id=case.unit_id)
        # The lock makes a double tap (or a pad and a phone at once) wait for the first rating.
        case = Case.objects.select_for_update().get(pk=case.pk)
        what = _("Case {number}").format(number=case.number)
        if case.status not in RATABLE:
            raise DomainError(
                _(
                    "Case {number} is not finished yet ({status}): it can be rated once it is "
                    "completed."
                ).format(number=case.number, status=case.get_status_display()),
                field="status",
            )
        if Rating.objects.filter(case=case).exists():
            raise _already_rated(what)
        target: dict[str, Any] = {
            "center_id": case.center_id,
            "unit_id": case.unit_id,
            "window_id": case.window_id,
            "staff_id": case.completed_by_id or case.accepted_by_id or case.received_by_id,
            "case": case,
        }
    elif consultation is not None:
        require(
            by,
            "feedback.use_rating_pad",
            center_id=consultation.center_id,
            unit_id=consultation.unit_id,
        )
        consultation = (
            Consultation.objects.select_for_update(of=("self",))
            .select_related("staff")
            .get(pk=consultation.pk)
        )
        what = _("This consultation")
        if Rating.objects.filter(consultation=consultation).exists():
            raise _already_rated(what)
        staff = consultation.staff
        window_id = staff.window_id if staff and staff.unit_id == consultation.unit_id else None
        target = {
            "center_id": consultation.center_id,
            "unit_id": consultation.unit_id,
            "window_id": window_id,
            "staff_id": consultation.staff_id,
            "consultation": consultation,
        }
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                level=level, tags=chosen, comment=comment, channel=channel, rated_at=now, **target
            )
    except IntegrityError:
        raise _already_rated(what) from None
    audit_record(
        by=by,
        action="rating.submit",
        obj=rating,
        center_id=rating.center_id,
        after={
            "case": rating.case_id,
            "consultation": rating.consultation_id,
            "level": level,
            "tags": chosen,
            "channel": channel,
        },
    )
    if rating.is_bad:
        _rectification_open(rating, now)
    return rating


def _rectification_open(rating: Rating, now: dt.datetime) -> Rectification:
    center = Center.objects.get(pk=rating.center_id)
    limits = settings_of(center)
    task = Rectification.objects.create(
        rating=rating,
        center_id=rating.center_id,
        unit_id=rating.unit_id,
        opened_at=now,
        contact_due=_due(center, now, limits.contact_days),
        rectify_due=_due(center, now, limits.rectify_days),
    )
    audit_record(
        by=None, action="rectification.open", obj=task, center_id=task.center_id,
        after=snapshot(task),
    )  # fmt: skip
    return task


def rating_lookup(*, number: str, digits: str, client: str) -> Case:
    """The case to rate on the web, by its number and the last 4 digits of the applicant's
    phone, under the same guessing limits as the progress lookup."""
    return public_case_lookup(
        number=number,
        digits=digits,
        client=client,
        scope="rating",
        too_many=_("Too many attempts. Please try again later, or ask at the hall's window."),
    )


# --- the validity review -------------------------------------------------------------------------


def _locked_rating(rating: Rating) -> Rating:
    return Rating.objects.select_for_update().get(pk=rating.pk)


@transaction.atomic
def rating_review_request(
    *, by: Actor, rating: Rating, reason: str, at: dt.datetime | None = None
) -> Rating:
    """The unit asks the office to find a bad rating invalid (恶意差评), saying why."""
    require(by, "feedback.handle_rectification", center_id=rating.center_id, unit_id=rating.unit_id)
    rating = _locked_rating(rating)
    if not rating.is_bad:
        raise DomainError(
            _("Only a bad rating can be reviewed at the unit's request."), field="rating"
        )
    if rating.review != RatingReview.NONE:
        raise DomainError(
            _("This rating's review is already {state}.").format(state=rating.get_review_display()),
            field="status",
        )
    reason = _text(reason, "reason", required=_("Say why the rating should be found invalid."))
    rating.review = RatingReview.REQUESTED
    rating.review_requested_at = _now(at)
    rating.review_requested_by = by
    rating.review_request_reason = reason
    rating.save()
    audit_record(
        by=by, action="rating.review_request", obj=rating, center_id=rating.center_id,
        before={"review": RatingReview.NONE}, after={"review": rating.review, "reason": reason},
    )  # fmt: skip
    return rating


@transaction.atomic
def rating_review(
    *, by: Actor, rating: Rating, valid: bool, reason: str = "", at: dt.datetime | None = None
) -> Rating:
    """The office's verdict on a rating: valid, or invalid with a reason (恶意差评, a rating of
    someone else's case …). An invalid rating counts nowhere and its open task is cancelled."""
    _require_office(by, "feedback.review_rating", rating.center_id)
    rating = _locked_rating(rating)
    if rating.review in (RatingReview.VALID, RatingReview.INVALID):
        raise DomainError(
            _("This rating has already been reviewed: {state}.").format(
                state=rating.get_review_display()
            ),
            field="status",
        )
    reason = _text(
        reason,
        "reason",
        required=None if valid else _("State why the rating is invalid."),
    )
    before = rating.review
    now = _now(at)
    rating.review = RatingReview.VALID if valid else RatingReview.INVALID
    rating.reviewed_at = now
    rating.reviewed_by = by
    rating.review_note = reason
    rating.save()
    audit_record(
        by=by, action="rating.review", obj=rating, center_id=rating.center_id,
        before={"review": before}, after={"review": rating.review, "reason": reason},
    )  # fmt: skip
    task = Rectification.objects.select_for_update().filter(rating=rating).first()
    if not valid and task is not None and task.is_active:
        previous = task.status
        task.status = RectificationStatus.CANCELLED
        task.cancelled_at = now
        task.save(update_fields=["status", "cancelled_at"])
        audit_record(
            by=by, action="rectification.cancel", obj=task, center_id=task.center_id,
            before={"status": previous}, after={"status": task.status},
        )  # fmt: skip
    return rating


# --- rectification -----------------------------------------------------------------------------


def _locked_task(by: Actor, task: Rectification, allowed: set[str], action: str) -> Rectification:
    require(by, "feedback.handle_rectification", center_id=task.center_id, unit_id=task.unit_id)
    task = Rectification.objects.select_for_update().get(pk=task.pk)
    if task.status not in allowed:
        raise DomainError(
            _("The task is {status}: it cannot be {action} now.").format(
                status=task.get_status_display(), action=action
            ),
            field="status",
        )
    return task


def _task_audit(by: Actor, task: Rectification, action: str, before: str, **after: Any) -> None:
    audit_record(
        by=by, action=f"rectification.{action}", obj=task, center_id=task.center_id,
        before={"status": before}, after={"status": task.status, **after},
    )  # fmt: skip


@transaction.atomic
def rectification_contact(
    *, by: Actor, task: Rectification, note: str, at: dt.datetime | None = None
) -> Rectification:
    """核实并联系: the unit has verified the rating and talked with the applicant."""
    task = _locked_task(by, task, {RectificationStatus.OPEN}, "marked contacted")
    note = _text(note, "note", required=_("Write what verification and the contact found."))
    before = task.status
    task.status = RectificationStatus.CONTACTED
    task.contacted_at = _now(at)
    task.contacted_by = by
    task.contact_note = note
    task.save()
    _task_audit(by, task, "contact", before, note=note)
    return task


@transaction.atomic
def rectification_rectify(
    *, by: Actor, task: Rectification, outcome: str, at: dt.datetime | None = None
) -> Rectification:
    """整改: the unit records what it changed; the follow-up call comes next."""
    task = _locked_task(by, task, {RectificationStatus.CONTACTED}, "rectified")
    outcome = _text(outcome, "outcome", required=_("Write the outcome of the rectification."))
    before = task.status
    task.status = RectificationStatus.RECTIFIED
    task.rectified_at = _now(at)
    task.rectified_by = by
    task.outcome = outcome
    task.save()
    _task_audit(by, task, "rectify", before, outcome=outcome)
    return task


@transaction.atomic
def rectification_follow_up(
    *, by: Actor, task: Rectification, result: str, note: str = "", at: dt.datetime | None = None
) -> FollowUp:
    """回访: log a call to the applicant and its result. A call that reaches them closes the
    task; after three calls nobody answered, so does the third."""
    task = _locked_task(by, task, {RectificationStatus.RECTIFIED}, "followed up")
    if result not in FollowUpResult.values:
        raise DomainError(_("Choose the result of the call."), field="result")
    note = _text(note, "note", required=None)
    now = _now(at)
    call = FollowUp.objects.create(
        rectification=task, called_at=now, called_by=by, caller_name=_by_name(by),
        result=result, note=note,
    )  # fmt: skip
    unreachable = task.follow_ups.filter(result=FollowUpResult.UNREACHABLE).count()
    before = task.status
    if result != FollowUpResult.UNREACHABLE or unreachable >= UNREACHABLE_LIMIT:
        task.status = RectificationStatus.CLOSED
        task.closed_at = now
        task.save(update_fields=["status", "closed_at"])
    _task_audit(by, task, "follow_up", before, result=result, note=note)
    return call


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
