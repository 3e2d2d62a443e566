"""Helpers the feedback services share: the clock, deadlines in the center's working days,
staff texts and the unit-or-office permission check."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.access import Actor, require
from govhall.core.calendar import get_calendar
from govhall.core.errors import DomainError, NotAllowed
from govhall.feedback.rules import deadline_after
from govhall.org.hours import hours_of
from govhall.org.models import Center
from govhall.org.scoping import scope_for

MAX_TEXT = 2000  # staff texts: notes, outcomes, answers


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
