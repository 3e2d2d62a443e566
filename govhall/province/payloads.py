"""What the hall tells the province, and what the monthly export holds: plain JSON, personal
data masked unless the link is configured to send it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from govhall.cases.choices import CaseStatus
from govhall.cases.models import Case
from govhall.core.text import mask_id_number, mask_name, mask_phone
from govhall.feedback.choices import LEVEL_NAMES
from govhall.feedback.models import Rating
from govhall.province.choices import MessageEvent

# The case statuses that are news to the platform, and the event each reports.
CASE_EVENTS: dict[str, str] = {
    CaseStatus.ACCEPTED: MessageEvent.ACCEPTED,
    CaseStatus.COMPLETED: MessageEvent.COMPLETED,
    CaseStatus.REJECTED: MessageEvent.CLOSED,
    CaseStatus.RETURNED: MessageEvent.CLOSED,
    CaseStatus.WITHDRAWN: MessageEvent.CLOSED,
    CaseStatus.VOIDED: MessageEvent.CLOSED,
}


def iso(value: dt.datetime | dt.date | None) -> str | None:
    """Local time with its offset (2016-12-08T09:30:00+08:00), dates as YYYY-MM-DD."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def _id(value: str, full: bool) -> str:
    return value if full or not value else mask_id_number(value)


def _phone(value: str, full: bool) -> str:
    return value if full or not value else mask_phone(value)


def case_payload(case: Case, event: str, *, full_personal_data: bool) -> dict[str, Any]:
    """The case as it stands after `event`: what the platform records for it."""
    return {
        "event": event,
        "case_number": case.number,
        "center": case.center.name,
        "unit": case.unit.name,
        "window": case.window.name if case.window_id else None,
        "item_code": case.item.code,
        "item_name": case.item.name,
        "handling_type": case.handling_type,
        "promised_days": str(case.promised_days),
        "channel": case.channel,
        "status": case.status,
        "result": case.result or None,
        "reason": case.close_reason or None,
        "applicant": {
            "name": case.applicant_name,
            "id_number": _id(case.applicant_id_number, full_personal_data),
            "phone": _phone(case.applicant_phone, full_personal_data),
        },
        "agent": (
            {
                "name": case.agent_name,
                "id_number": _id(case.agent_id_number, full_personal_data),
                "phone": _phone(case.agent_phone, full_personal_data),
            }
            if case.agent_name
            else None
        ),
        "received_at": iso(case.received_at),
        "accepted_at": iso(case.accepted_at),
        "due_date": iso(case.due_date),
        "completed_at": iso(case.completed_at),
        "closed_at": iso(case.closed_at),
    }


def rating_payload(rating: Rating) -> dict[str, Any]:
    """好差评: one rating, by level 1 (非常不满意) to 5 (非常满意)."""
    return {
        "event": MessageEvent.RATED,
        "case_number": rating.case.number if rating.case_id else None,
        "consultation": rating.consultation_id is not None,
        "center": rating.center.name,
        "unit": rating.unit.name,
        "window": rating.window.name if rating.window_id else None,
        "level": int(rating.level),
        "level_name": LEVEL_NAMES.get(rating.level, ""),
        "tags": list(rating.tags or []),
        "comment": rating.comment,
        "channel": rating.channel,
        "rated_at": iso(rating.rated_at),
    }


def export_line(case: Case) -> dict[str, Any]:
    """One line of the monthly export: always masked (the file leaves the system)."""
    return {
        "id": case.pk,
        "case_number": case.number,
        "center": case.center.name,
        "unit": case.unit.name,
        "item_code": case.item.code,
        "item_name": case.item.name,
        "handling_type": case.handling_type,
        "promised_days": str(case.promised_days),
        "channel": case.channel,
        "status": case.status,
        "result": case.result or None,
        "applicant_name": mask_name(case.applicant_name),
        "applicant_id_number": _id(case.applicant_id_number, False),
        "applicant_phone": _phone(case.applicant_phone, False),
        "received_at": iso(case.received_at),
        "accepted_at": iso(case.accepted_at),
        "due_date": iso(case.due_date),
        "completed_at": iso(case.completed_at),
        "closed_at": iso(case.closed_at),
    }
