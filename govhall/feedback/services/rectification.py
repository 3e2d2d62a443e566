"""Rectification (整改) of a bad rating: the task it opens, contacting the applicant, the
unit's changes and the follow-up calls (回访) that close it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from govhall.core.access import Actor, require
from govhall.core.audit import audit_record, snapshot
from govhall.core.errors import DomainError
from govhall.feedback.choices import FollowUpResult, RectificationStatus
from govhall.feedback.models import FollowUp, Rating, Rectification
from govhall.feedback.selectors import settings_of
from govhall.feedback.services._common import _by_name, _due, _now, _text
from govhall.org.models import Center

# After this many calls nobody answered, the follow-up counts as made (三次未接通).
UNREACHABLE_LIMIT = 3


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
