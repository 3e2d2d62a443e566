"""What a version changes against the published one, part by part (the office's review).

Pure: it compares two plain snapshots (built by `selectors.version_snapshot`), no ORM. A part is
a few fields (the 基本信息表, the fee declaration …) and rows (materials, fees, steps …). Rows
carry no identity across versions (a new draft copies them), so they are paired up: identical
rows first, then rows with the same key (a material's name, a question), in order; what is left
is added or removed. Files are compared by their stored names, which are random per upload:
the same name is the same file, a new name a replaced one.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

Row = Mapping[str, str]


@dataclass(frozen=True)
class PartSnapshot:
    """One part of a version as the reviewer reads it: display values, keyed by field."""

    fields: Mapping[str, str] = field(default_factory=dict)
    rows: Sequence[Row] = ()
    # Which row field pairs rows of the two versions (a material's name, a FAQ's question).
    key: str = ""
    # Field names holding stored file names, reported as "file replaced", never by name.
    files: frozenset[str] = frozenset()
    # What the page calls each field.
    labels: Mapping[str, str] = field(default_factory=dict)


# Part value (catalog.choices.Part) → its snapshot.
Snapshot = Mapping[str, PartSnapshot]


class PartStatus(enum.StrEnum):
    UNCHANGED = "unchanged"
    CHANGED = "changed"
    ADDED = "added"  # the item has no published version: everything is new


class RowStatus(enum.StrEnum):
    SAME = "same"
    CHANGED = "changed"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True)
class FieldChange:
    """One field's old and new value ("" when absent)."""

    key: str
    label: str
    old: str
    new: str
    is_file: bool = False

    @property
    def file_note(self) -> str:
        """For a file: added, removed or replaced (the names say nothing to the reader)."""
        if not self.is_file:
            return ""
        if not self.old:
            return "added"
        return "removed" if not self.new else "replaced"


@dataclass(frozen=True)
class RowDiff:
    """A row of the new version (or a removed one of the old) and how it changed.

    `old_index` is the row of the old version it pairs with (None when added); `changes` are
    the fields that differ, so that the old row with the changes applied is the new row.
    """

    status: RowStatus
    old_index: int | None
    new_index: int | None
    row: Row  # the new row, or the old one when removed
    changes: tuple[FieldChange, ...] = ()
    cells: tuple[tuple[str, str], ...] = ()  # (label, value) of the row's non-file fields


@dataclass(frozen=True)
class PartDiff:
    part: str
    status: PartStatus
    fields: tuple[FieldChange, ...] = ()
    rows: tuple[RowDiff, ...] = ()  # in the new version's order, then the removed ones
    reordered: bool = False  # the same rows, in another order
    files: frozenset[str] = frozenset()  # the part's file fields

    @property
    def changed(self) -> bool:
        return self.status != PartStatus.UNCHANGED

    @property
    def row_changes(self) -> tuple[RowDiff, ...]:
        return tuple(r for r in self.rows if r.status != RowStatus.SAME)

    @property
    def files_changed(self) -> bool:
        """A file was added, removed or replaced (in a field or a row)."""
        if any(c.is_file for c in self.fields):
            return True
        for r in self.rows:
            if any(c.is_file for c in r.changes):
                return True
            if r.status in (RowStatus.ADDED, RowStatus.REMOVED) and any(
                r.row.get(name) for name in self.files
            ):
                return True
        return False

    def counts(self) -> dict[str, int]:
        """How many rows were added, removed and changed."""
        return {s.value: sum(1 for r in self.rows if r.status == s) for s in RowStatus}


@dataclass(frozen=True)
class VersionDiff:
    """Every part of the new version against the old one (None: a new item)."""

    is_new: bool
    parts: tuple[PartDiff, ...]

    @property
    def changed_parts(self) -> tuple[PartDiff, ...]:
        return tuple(p for p in self.parts if p.changed)

    @property
    def is_empty(self) -> bool:
        return not self.changed_parts


def diff_fields(old: Row, new: Row, part: PartSnapshot) -> tuple[FieldChange, ...]:
    """The fields whose values differ, in the new snapshot's order then the old-only ones."""
    keys = list(new) + [k for k in old if k not in new]
    return tuple(
        FieldChange(
            key=k,
            label=part.labels.get(k, k),
            old=old.get(k, ""),
            new=new.get(k, ""),
            is_file=k in part.files,
        )
        for k in keys
        if old.get(k, "") != new.get(k, "")
    )


def _cells(row: Row, part: PartSnapshot) -> tuple[tuple[str, str], ...]:
    return tuple((part.labels.get(k, k), v) for k, v in row.items() if v and k not in part.files)


def pair_rows(old: Sequence[Row], new: Sequence[Row], key: str) -> list[int | None]:
    """For each new row, the old row it continues (None: added): identical rows first, then
    rows with the same key, each old row used once, earliest first."""
    left = list(range(len(old)))
    pairs: list[int | None] = [None] * len(new)
    for j, row in enumerate(new):
        for i in left:
            if old[i] == row:
                pairs[j] = i
                left.remove(i)
                break
    if key:
        for j, row in enumerate(new):
            if pairs[j] is not None:
                continue
            for i in left:
                if old[i].get(key, "") == row.get(key, ""):
                    pairs[j] = i
                    left.remove(i)
                    break
    return pairs


def diff_part(name: str, old: PartSnapshot | None, new: PartSnapshot) -> PartDiff:
    """One part of the new version against the old one (None: the item is new)."""
    base = old or PartSnapshot()
    fields = diff_fields(base.fields, new.fields, new)
    pairs = pair_rows(base.rows, new.rows, new.key)
    rows: list[RowDiff] = []
    for j, (row, i) in enumerate(zip(new.rows, pairs, strict=True)):
        if i is None:
            rows.append(RowDiff(RowStatus.ADDED, None, j, row, cells=_cells(row, new)))
            continue
        changes = diff_fields(base.rows[i], row, new)
        row_status = RowStatus.CHANGED if changes else RowStatus.SAME
        rows.append(RowDiff(row_status, i, j, row, changes, _cells(row, new)))
    used = {i for i in pairs if i is not None}
    rows += [
        RowDiff(RowStatus.REMOVED, i, None, row, cells=_cells(row, new))
        for i, row in enumerate(base.rows)
        if i not in used
    ]
    kept = [i for i in pairs if i is not None]
    reordered = kept != sorted(kept)
    status: PartStatus
    if old is None:
        status = PartStatus.ADDED
    elif fields or reordered or any(r.status != RowStatus.SAME for r in rows):
        status = PartStatus.CHANGED
    else:
        status = PartStatus.UNCHANGED
    return PartDiff(name, status, fields, tuple(rows), reordered, new.files)


def diff_versions(old: Snapshot | None, new: Snapshot) -> VersionDiff:
    """Every part of `new` against `old`, in the order of `new` (the eight parts)."""
    return VersionDiff(
        is_new=old is None,
        parts=tuple(
            diff_part(name, None if old is None else old.get(name, PartSnapshot()), part)
            for name, part in new.items()
        ),
    )


def apply_part(old: PartSnapshot, diff: PartDiff) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The new part's fields and rows rebuilt from the old part and the reported changes only
    (added rows come whole): the check that a diff says everything that changed."""
    fields = dict(old.fields)
    for change in diff.fields:
        _set(fields, change)
    rows: list[dict[str, str]] = []
    for entry in sorted(
        (r for r in diff.rows if r.status != RowStatus.REMOVED),
        key=lambda r: r.new_index if r.new_index is not None else -1,
    ):
        if entry.old_index is None:
            rows.append(dict(entry.row))
            continue
        row = dict(old.rows[entry.old_index])
        for change in entry.changes:
            _set(row, change)
        rows.append(row)
    return fields, rows


def _set(values: dict[str, str], change: FieldChange) -> None:
    if change.new:
        values[change.key] = change.new
    else:
        values.pop(change.key, None)
