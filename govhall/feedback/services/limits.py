"""The center's limits for bad ratings (contact, rectification) and for answering complaints
and messages."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from govhall.core.access import Actor
from govhall.core.audit import audit_record, snapshot
from govhall.core.errors import DomainError
from govhall.feedback.models import FeedbackSettings
from govhall.feedback.services._common import _require_office
from govhall.org.models import Center


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
