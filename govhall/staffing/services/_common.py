"""Helpers the staffing services share: the clock, short texts, whose record it is, and the
cover named for an absence (leave and outings alike)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.access import Actor
from govhall.core.errors import DomainError
from govhall.org.models import Staff
from govhall.org.selectors import may_cover
from govhall.staffing import selectors


def _now() -> dt.datetime:
    return timezone.now()


def _short(value: str, field: str, label: str, max_length: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("{field} is required.").format(field=label), field=field)
    if len(value) > max_length:
        raise DomainError(
            _("{field} is too long (at most {n} characters).").format(field=label, n=max_length),
            field=field,
        )
    return value


def _own(by: Actor, staff: Staff) -> bool:
    return by is not None and staff.user_id is not None and staff.user_id == by.pk


def _check_cover(cover: Staff | None, staff: Staff) -> Staff | None:
    if cover is None:
        return None
    if cover.center_id != staff.center_id or not cover.is_active:
        raise DomainError(_("The cover must be a staff member of this center."), field="cover")
    if cover.pk == staff.pk:
        raise DomainError(_("Name someone else to cover the post."), field="cover")
    if not may_cover(staff=staff, other=cover):
        raise DomainError(
            _(
                "{cover} is not of {unit}: the cover is named from the same unit (another "
                "unit's staff only for a one-person unit)."
            ).format(cover=cover.name, unit=staff.unit.name),
            field="cover",
        )
    return cover


def _gap_message(gaps: Sequence[selectors.PostGap]) -> str:
    shown = "；".join(str(g) for g in gaps[:3])
    more = len(gaps) - 3
    if more > 0:
        shown += _(" and {n} more").format(n=more)
    return _(
        "This would leave a post with nobody at it ({gaps}). Name a colleague who will cover."
    ).format(gaps=shown)
