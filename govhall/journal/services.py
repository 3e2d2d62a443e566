"""Every write to the work journal: checked, in one transaction, audited.

The office enters every kind; a unit's chief may enter, correct and delete the information
submissions (信息报送) of their own unit, and nothing else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.access import Actor, require
from govhall.core.audit import audit_record, snapshot
from govhall.core.errors import DomainError, NotAllowed
from govhall.core.unchanged import UNCHANGED, Unchanged, given
from govhall.core.uploads import IMAGES, PDF, checked_upload
from govhall.journal.choices import EntryKind
from govhall.journal.models import JournalEntry
from govhall.org.models import Center, Staff, Unit

MAX_CONTENT = 4000
LIMITS = {"person": 200, "outlet": 100, "section": 60, "title": 200, "content": MAX_CONTENT}


def _require_write(by: Actor, verb: str, *, center_id: int, kind: str, unit_id: int | None) -> None:
    """The office may write every entry; a unit's chief only its own unit's submissions."""
    try:
        require(by, f"journal.{verb}_journalentry", center_id=center_id)
    except NotAllowed:
        if kind != EntryKind.INFO_SUBMISSION or unit_id is None:
            raise
        require(by, "journal.submit_info", center_id=center_id, unit_id=unit_id)


def _labels() -> dict[str, str]:
    return {
        "person": _("Who"),
        "outlet": _("Media outlet"),
        "section": _("Page or programme"),
        "title": _("Title"),
        "content": _("Content"),
        "unit": _("Unit"),
        "staff": _("Staff member"),
    }


def _required(kind: str) -> tuple[str, ...]:
    return {
        EntryKind.LEADER_VISIT: ("person", "content"),
        EntryKind.MEDIA_REPORT: ("outlet", "title"),
        EntryKind.INFO_SUBMISSION: ("unit", "title"),
        EntryKind.OTHER_WORK: ("content",),
        EntryKind.GOOD_DEED: ("staff", "content"),
    }[kind]


def _check(entry: JournalEntry) -> None:
    """The entry's fields, cleaned and checked against its kind (raises on the first problem)."""
    if entry.kind not in EntryKind.values:
        raise DomainError(_("Unknown kind “{kind}”.").format(kind=entry.kind), field="kind")
    if not isinstance(entry.date, dt.date):
        raise DomainError(_("Give the date."), field="date")
    if entry.date > timezone.localdate():
        raise DomainError(_("The date is in the future."), field="date")
    labels = _labels()
    for name, limit in LIMITS.items():
        value = (getattr(entry, name) or "").strip()
        if len(value) > limit:
            raise DomainError(
                _("{field} is too long (at most {n} characters).").format(
                    field=labels[name], n=limit
                ),
                field=name,
            )
        setattr(entry, name, value)
    entry.link = (entry.link or "").strip()
    if entry.link:
        try:
            URLValidator(schemes=["http", "https"])(entry.link)
        except ValidationError as exc:
            raise DomainError(
                _("The link must start with http:// or https://."), field="link"
            ) from exc
    if entry.staff is not None:
        if entry.staff.center_id != entry.center_id:
            raise DomainError(_("The staff member works in another center."), field="staff")
        if entry.unit is not None and entry.unit.pk != entry.staff.unit_id:
            raise DomainError(
                _("{name} does not work for {unit}.").format(
                    name=entry.staff.name, unit=entry.unit.name
                ),
                field="staff",
            )
        entry.unit = entry.staff.unit
    if entry.unit is not None and entry.unit.center_id != entry.center_id:
        raise DomainError(_("The unit belongs to another center."), field="unit")
    for name in _required(entry.kind):
        if not getattr(entry, name):
            raise DomainError(_("{field} is required.").format(field=labels[name]), field=name)


def _attach(entry: JournalEntry, clipping: Any) -> None:
    if clipping:
        entry.clipping = checked_upload(
            clipping, allowed=(*IMAGES, PDF), field="clipping", prefix="clipping"
        )


@transaction.atomic
def journal_entry_create(
    *,
    by: Actor,
    center: Center,
    kind: str,
    date: dt.date,
    unit: Unit | None = None,
    staff: Staff | None = None,
    person: str = "",
    outlet: str = "",
    section: str = "",
    title: str = "",
    link: str = "",
    content: str = "",
    clipping: Any = None,
) -> JournalEntry:
    """Enter a leader's visit, a media report, a unit's submission, other work or a good deed."""
    unit_id = unit.pk if unit is not None else (staff.unit_id if staff is not None else None)
    _require_write(by, "add", center_id=center.pk, kind=kind, unit_id=unit_id)
    entry = JournalEntry(
        center=center,
        kind=kind,
        date=date,
        unit=unit,
        staff=staff,
        person=person,
        outlet=outlet,
        section=section,
        title=title,
        link=link,
        content=content,
        created_by=by,
    )
    _check(entry)
    _attach(entry, clipping)
    entry.save()
    audit_record(
        by=by, action="journal.create", obj=entry, center_id=center.pk, after=snapshot(entry)
    )
    return entry


@transaction.atomic
def journal_entry_update(
    *,
    by: Actor,
    entry: JournalEntry,
    clipping: Any = None,
    remove_clipping: bool = False,
    kind: str | Unchanged = UNCHANGED,
    date: dt.date | Unchanged = UNCHANGED,
    unit: Unit | None | Unchanged = UNCHANGED,
    staff: Staff | None | Unchanged = UNCHANGED,
    person: str | Unchanged = UNCHANGED,
    outlet: str | Unchanged = UNCHANGED,
    section: str | Unchanged = UNCHANGED,
    title: str | Unchanged = UNCHANGED,
    link: str | Unchanged = UNCHANGED,
    content: str | Unchanged = UNCHANGED,
) -> JournalEntry:
    """Correct an entry; a chief may neither move a submission to another unit nor change its kind."""
    changes = given(
        kind=kind, date=date, unit=unit, staff=staff, person=person, outlet=outlet,
        section=section, title=title, link=link, content=content,
    )  # fmt: skip
    _require_write(by, "change", center_id=entry.center_id, kind=entry.kind, unit_id=entry.unit_id)
    entry = (
        # Lock only the entry: PostgreSQL refuses FOR UPDATE on the nullable side of a join.
        JournalEntry.objects.select_for_update(of=("self",))
        .select_related("unit", "staff")
        .get(pk=entry.pk)
    )
    before = snapshot(entry)
    for name, value in changes.items():
        setattr(entry, name, value)
    if "staff" in changes and "unit" not in changes:
        entry.unit = None if entry.kind != EntryKind.INFO_SUBMISSION else entry.unit
    _check(entry)
    _require_write(by, "change", center_id=entry.center_id, kind=entry.kind, unit_id=entry.unit_id)
    if clipping:
        _attach(entry, clipping)
    elif remove_clipping:
        entry.clipping = ""
    entry.save()
    audit_record(
        by=by,
        action="journal.update",
        obj=entry,
        center_id=entry.center_id,
        before=before,
        after=snapshot(entry),
    )
    return entry


@transaction.atomic
def journal_entry_delete(*, by: Actor, entry: JournalEntry) -> None:
    """Delete an entry entered in error (its content stays in the audit trail)."""
    _require_write(by, "delete", center_id=entry.center_id, kind=entry.kind, unit_id=entry.unit_id)
    audit_record(
        by=by,
        action="journal.delete",
        obj=entry,
        center_id=entry.center_id,
        before=snapshot(entry),
    )
    entry.delete()
