"""Reads of the work journal, for its pages and for the bulletin."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from govhall.core.access import Viewer
from govhall.core.months import month_start, shift_month
from govhall.journal.choices import EntryKind
from govhall.journal.models import JournalEntry
from govhall.org.models import Center, Unit
from govhall.org.scoping import scope_for


def _month(month: dt.date | str) -> tuple[dt.date, dt.date]:
    start = month_start(month)
    return start, shift_month(start, 1)


def visible_entries(user: Viewer, center: Center) -> QuerySet[JournalEntry]:
    """The center's entries the person may read: the office and supervisors all of them; unit
    roles the center's general entries (visits, reports, other work) and their own unit's."""
    entries = JournalEntry.objects.filter(center=center)
    scope = scope_for(user)
    if scope.everything or center.pk in scope.wide_center_ids:
        return entries
    if center.pk not in scope.center_ids:
        return entries.none()
    return entries.filter(Q(unit__isnull=True) | Q(unit_id__in=scope.unit_ids))


def journal_list(
    *,
    user: Viewer,
    center: Center,
    kind: str = "",
    month: dt.date | None = None,
    unit_id: int | None = None,
) -> QuerySet[JournalEntry]:
    entries = visible_entries(user, center).select_related("unit", "staff__window__unit")
    if kind:
        entries = entries.filter(kind=kind)
    if month is not None:
        start, end = _month(month)
        entries = entries.filter(date__gte=start, date__lt=end)
    if unit_id:
        entries = entries.filter(unit_id=unit_id)
    return entries.order_by("-date", "-pk")


def journal_get(*, user: Viewer, center: Center, pk: int) -> JournalEntry | None:
    return (
        visible_entries(user, center)
        .select_related("unit", "staff__window__unit", "created_by")
        .filter(pk=pk)
        .first()
    )


def journal_entries(
    *, center: Center, month: dt.date | str, kind: str | None = None
) -> list[JournalEntry]:
    """The month's entries (of one kind, if given) in date order, for the bulletin."""
    start, end = _month(month)
    entries = JournalEntry.objects.filter(center=center, date__gte=start, date__lt=end)
    if kind:
        entries = entries.filter(kind=kind)
    return list(entries.select_related("unit", "staff__window__unit").order_by("date", "pk"))


def journal_recorded(*, center: Center, month: dt.date | str) -> bool:
    """Whether the office's journal (visits, media reports, submissions, other work, good deeds)
    holds any entry of the month."""
    start, end = _month(month)
    return JournalEntry.objects.filter(center=center, date__gte=start, date__lt=end).exists()


def info_submission_units(*, center: Center, month: dt.date | str) -> list[Unit]:
    """Units that submitted information (信息报送) in the month, in the hall's order."""
    start, end = _month(month)
    submitted = JournalEntry.objects.filter(
        unit=OuterRef("pk"),
        kind=EntryKind.INFO_SUBMISSION,
        date__gte=start,
        date__lt=end,
    )
    return list(
        Unit.objects.filter(center=center)
        .filter(Exists(submitted))
        .order_by("position", "sort_key")
    )


@dataclass(frozen=True)
class GoodDeed:
    """A good deed (好人好事) as the bulletin tells it: who, where, and the story."""

    id: int
    date: dt.date
    staff: str
    staff_id: int
    unit: str
    window: str
    story: str


def good_deeds(*, center: Center, month: dt.date | str) -> list[GoodDeed]:
    entries = journal_entries(center=center, month=month, kind=EntryKind.GOOD_DEED)
    return [
        GoodDeed(
            id=e.pk,
            date=e.date,
            staff=e.staff.name,
            staff_id=e.staff_id,
            unit=e.unit.name if e.unit_id else e.staff.unit.name,
            window=str(e.staff.window) if e.staff.window_id else "",
            story=e.content,
        )
        for e in entries
        if e.staff_id
    ]
