"""Ratings (好差评): an applicant rates a finished case or a consultation once, at the window
or on the web; the unit may ask the office to find a bad rating invalid."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from govhall.cases.choices import CaseStatus
from govhall.cases.models import Case, Consultation
from govhall.cases.public_services import public_case_lookup
from govhall.core.access import Actor, require
from govhall.core.audit import audit_record
from govhall.core.errors import DomainError
from govhall.feedback.choices import (
    RatingChannel,
    RatingLevel,
    RatingReview,
    RatingTag,
    RectificationStatus,
)
from govhall.feedback.models import Rating, Rectification
from govhall.feedback.services._common import _now, _require_office, _text
from govhall.feedback.services.rectification import _rectification_open

# Case statuses an applicant may rate: the case has ended with a decision.
RATABLE = frozenset({CaseStatus.COMPLETED, CaseStatus.REJECTED, CaseStatus.RETURNED})

MAX_COMMENT = 500
MAX_TAGS = 5


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
