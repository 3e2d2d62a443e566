"""Outbox writes hooked to the changes they report. They run inside the service's transaction
(post_save fires within `Model.save`), so a rolled-back change leaves no message behind."""

from __future__ import annotations

from typing import Any

from govhall.cases.choices import CaseSource
from govhall.cases.models import Case
from govhall.feedback.models import Rating
from govhall.province.choices import MessageEvent, MessageKind
from govhall.province.models import OutboxMessage, ProvinceLink
from govhall.province.payloads import CASE_EVENTS, case_payload, rating_payload
from govhall.province.services import outbox_write


def _link_flags(center_id: int) -> list[bool]:
    """[send_personal_data] when the center has a provincial link, [] when it has none."""
    return list(
        ProvinceLink.objects.filter(center_id=center_id).values_list(
            "send_personal_data", flat=True
        )[:1]
    )


def case_saved(sender: Any, instance: Case, raw: bool = False, **kwargs: Any) -> None:
    """Acceptance, completion and closing of a case handled in the system (imported history is
    the platform's past already, and is not sent)."""
    if raw or instance.source != CaseSource.APP:
        return
    event = CASE_EVENTS.get(instance.status)
    if event is None:
        return
    key = f"case:{instance.pk}:{event}"
    flags = _link_flags(instance.center_id)
    if not flags or OutboxMessage.objects.filter(dedupe_key=key).exists():
        return
    outbox_write(
        center_id=instance.center_id,
        kind=MessageKind.CASE,
        event=event,
        dedupe_key=key,
        reference=instance.number,
        payload=case_payload(instance, event, full_personal_data=flags[0]),
        case=instance,
    )


def rating_saved(
    sender: Any, instance: Rating, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    """A new rating (好差评) goes to the platform once; its later validity review does not."""
    if raw or not created or not _link_flags(instance.center_id):
        return
    reference = (
        instance.case.number if instance.case_id else f"consultation-{instance.consultation_id}"
    )
    outbox_write(
        center_id=instance.center_id,
        kind=MessageKind.RATING,
        event=MessageEvent.RATED,
        dedupe_key=f"rating:{instance.pk}",
        reference=reference,
        payload=rating_payload(instance),
        case=instance.case if instance.case_id else None,
        rating=instance,
    )
