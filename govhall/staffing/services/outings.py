"""Outings (外出办事登记): leaving the post on business, coming back, and outings recorded
as they were."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.access import Actor, require
from govhall.core.audit import audit_record, snapshot
from govhall.core.errors import DomainError
from govhall.org.models import Staff
from govhall.staffing import selectors
from govhall.staffing.choices import RecordSource
from govhall.staffing.models import Outing
from govhall.staffing.rules import DAY_END, minute
from govhall.staffing.services._common import _check_cover, _gap_message, _now, _own, _short


def _outing_span(
    out_at: dt.datetime, back_at: dt.datetime | None
) -> tuple[dt.date, tuple[int, int]]:
    day = timezone.localdate(out_at)
    start = minute(timezone.localtime(out_at).time())
    if back_at is None or timezone.localdate(back_at) > day:
        return day, (start, DAY_END)
    return day, (start, minute(timezone.localtime(back_at).time()))


@transaction.atomic
def outing_register(
    *,
    by: Actor,
    staff: Staff,
    reason: str,
    out_at: dt.datetime | None = None,
    back_at: dt.datetime | None = None,
    cover: Staff | None = None,
) -> Outing:
    """Register leaving the post on business; refused without a named cover when the post
    would be left with nobody (the backup away as well)."""
    own = _own(by, staff)
    require(
        by,
        "staffing.register_outing" if own else "staffing.add_outing",
        center_id=staff.center_id,
        unit_id=staff.unit_id,
    )
    if not staff.is_active:
        raise DomainError(_("{name} no longer works in the hall.").format(name=staff.name))
    reason = _short(reason, "reason", _("Reason"), 200)
    now = _now()
    out_at = out_at or now
    if out_at > now + dt.timedelta(minutes=5):
        raise DomainError(_("Register an outing when leaving, not before."), field="out_at")
    if back_at is not None and back_at <= out_at:
        raise DomainError(_("The return must be after leaving."), field="back_at")
    still_out = selectors.open_outing(staff)
    if still_out is not None:
        raise DomainError(
            _("{name} is still out since {time}: register that return first.").format(
                name=staff.name, time=timezone.localtime(still_out.out_at).strftime("%m-%d %H:%M")
            ),
            field="out_at",
        )
    cover = _check_cover(cover, staff)
    if cover is None:
        gaps = selectors.post_gaps(staff=staff, spans=[_outing_span(out_at, back_at)])
        if gaps:
            raise DomainError(_gap_message(gaps), field="cover")
    return _outing_create(
        by=by, staff=staff, reason=reason, out_at=out_at, back_at=back_at, cover=cover,
        source=RecordSource.SELF if own else RecordSource.OFFICE, action="outing.register",
    )  # fmt: skip


def _outing_create(
    *,
    by: Actor,
    staff: Staff,
    reason: str,
    out_at: dt.datetime,
    back_at: dt.datetime | None,
    cover: Staff | None,
    source: str,
    action: str,
) -> Outing:
    out_date = timezone.localdate(out_at)
    outing = Outing.objects.create(
        center_id=staff.center_id,
        unit_id=staff.unit_id,
        staff=staff,
        out_at=out_at,
        out_date=out_date,
        back_at=back_at,
        returned_late=back_at is not None and timezone.localdate(back_at) > out_date,
        reason=reason,
        cover=cover,
        source=source,
        registered_by=by,
        registered_at=_now(),
    )
    audit_record(
        by=by, action=action, obj=outing, center_id=staff.center_id, after=snapshot(outing)
    )
    return outing


@transaction.atomic
def outing_return(*, by: Actor, outing: Outing, back_at: dt.datetime | None = None) -> Outing:
    """Register coming back; a return on a later day stays flagged."""
    outing = Outing.objects.select_for_update().select_related("staff").get(pk=outing.pk)
    if not _own(by, outing.staff):
        require(by, "staffing.change_outing", center_id=outing.center_id, unit_id=outing.unit_id)
    if outing.back_at is not None:
        raise DomainError(_("The return is already registered."), field="back_at")
    back_at = back_at or _now()
    if back_at <= outing.out_at:
        raise DomainError(_("The return must be after leaving."), field="back_at")
    if back_at > _now() + dt.timedelta(minutes=5):
        raise DomainError(_("A return cannot be registered in the future."), field="back_at")
    before = snapshot(outing, ["back_at", "returned_late"])
    outing.back_at = back_at
    outing.returned_late = timezone.localdate(back_at) > outing.out_date
    outing.save(update_fields=["back_at", "returned_late"])
    audit_record(
        by=by,
        action="outing.return",
        obj=outing,
        center_id=outing.center_id,
        before=before,
        after=snapshot(outing, ["back_at", "returned_late"]),
    )
    return outing


@transaction.atomic
def outing_record(
    *,
    by: Actor,
    staff: Staff,
    out_at: dt.datetime,
    back_at: dt.datetime | None,
    reason: str,
    cover: Staff | None = None,
) -> Outing:
    """Record an outing as it was (imports, history): the cover rule is not applied again."""
    require(by, "staffing.add_outing", center_id=staff.center_id, unit_id=staff.unit_id)
    reason = _short(reason, "reason", _("Reason"), 200)
    if back_at is not None and back_at <= out_at:
        raise DomainError(_("The return must be after leaving."), field="back_at")
    return _outing_create(
        by=by, staff=staff, reason=reason, out_at=out_at, back_at=back_at,
        cover=_check_cover(cover, staff), source=RecordSource.IMPORT, action="outing.record",
    )  # fmt: skip
