"""The window's review of a file sent through a supplement notice's link (网络上传补正)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from govhall.cases.models import SupplementUpload
from govhall.core.access import Actor, require
from govhall.core.audit import audit_record
from govhall.core.errors import DomainError


@transaction.atomic
def supplement_upload_review(
    *, by: Actor, upload: SupplementUpload, accepted: bool, note: str = ""
) -> SupplementUpload:
    """Accept an uploaded material, or ask for it again with what is wrong (while the notice is open)."""
    case = upload.notice.case
    require(by, "cases.handle_case", center_id=case.center_id, unit_id=case.unit_id)
    upload = SupplementUpload.objects.select_for_update().select_related("notice").get(pk=upload.pk)
    if upload.notice.resolved_at is not None:
        raise DomainError(
            _("The supplement notice is already settled: its files can no longer be reviewed."),
            field="decision",
        )
    note = (note or "").strip()
    if not accepted and not note:
        raise DomainError(_("Tell the applicant what is wrong with the file."), field="note")
    if len(note) > 400:
        raise DomainError(_("The review note is too long."), field="note")
    before = {"accepted": upload.accepted, "review_note": upload.review_note}
    upload.accepted = accepted
    upload.review_note = note
    upload.save(update_fields=["accepted", "review_note"])
    audit_record(
        by=by,
        action="case.supplement_upload_review",
        obj=upload,
        center_id=case.center_id,
        before=before,
        after={"accepted": accepted, "review_note": note, "case": case.number},
    )
    return upload
