"""Importing records from CSV or XLSX, all or nothing, with every bad row reported.

Each app registers its kinds (`units`, `staff`, …) with `register`. An importer receives the
rows as dicts keyed by the Chinese headers of DESIGN.md §5, reports problems through
`ImportErrors`, and writes through the app's services inside one transaction: if any row is
wrong, nothing is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet shows it: the header is row 1
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "").strip()


@dataclass
class ImportProblem:
    row: int | None
    column: str | None
    message: str
    sheet: str | None = None

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(_("sheet “{sheet}”").format(sheet=self.sheet))
        if self.row is not None:
            where.append(_("row {row}").format(row=self.row))
        if self.column:
            where.append(_("column “{column}”").format(column=self.column))
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class ImportFailed(Exception):
    """The import was refused; nothing was written."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class ImportErrors:
    problems: list[ImportProblem] = field(default_factory=list)

    def add(self, row: Row | None, column: str | None, message: str) -> None:
        self.problems.append(ImportProblem(row.number if row else None, column, message))

    def __bool__(self) -> bool:
        return bool(self.problems)


@dataclass(frozen=True)
class ImportResult:
    kind: str
    rows: int
    created: int
    updated: int


@dataclass(frozen=True)
class ImportKind:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    run: Callable[..., tuple[int, int]]  # (center, rows, errors, by) -> (created, updated)
    description: str = ""


KINDS: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> None:
    KINDS[kind.name] = kind


Table = tuple[list[str], list[Row]]


def read_table(path: Path) -> Table:
    """Rows of a CSV (UTF-8, BOM optional) or of an XLSX's first sheet; blank rows skipped."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(path)
    if suffix in {".csv", ".txt"}:
        return _read_csv(path.read_bytes())
    raise ImportFailed([ImportProblem(None, None, _("Use a .csv or .xlsx file."))])


def _read_csv(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(
            [ImportProblem(None, None, _("The file is not UTF-8 text; save it as “CSV UTF-8”."))]
        ) from exc
    reader = csv.reader(io.StringIO(text))
    return _rows(list(reader))


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ImportFailed(
            [ImportProblem(None, None, _("The file is not a readable XLSX workbook."))]
        ) from exc
    sheet = workbook.worksheets[0]
    table = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return _rows(table)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return (
            value.strftime("%Y-%m-%d %H:%M")
            if (value.hour, value.minute) != (0, 0)
            else value.strftime("%Y-%m-%d")
        )
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _rows(table: list[list[str]]) -> Table:
    """Headers (first row, BOM and spaces stripped) and the non-blank rows after them."""
    if not table:
        return [], []
    headers = [(h or "").strip() for h in table[0]]
    rows = []
    for index, cells in enumerate(table[1:], start=2):
        if not any((c or "").strip() for c in cells):
            continue
        values = {h: (cells[i] if i < len(cells) else "") or "" for i, h in enumerate(headers) if h}
        rows.append(Row(index, values))
    return headers, rows


def run_import(*, kind: str, path: Path, center: Any, by: Any = None) -> ImportResult:
    """Import one file; raises ImportFailed listing every problem, having written nothing."""
    spec = KINDS.get(kind)
    if spec is None:
        known = "、".join(sorted(KINDS))
        raise ImportFailed(
            [
                ImportProblem(
                    None,
                    None,
                    _("Unknown kind “{kind}”; use one of: {known}.").format(kind=kind, known=known),
                )
            ]
        )
    headers, rows = read_table(path)
    if not headers:
        raise ImportFailed([ImportProblem(None, None, _("The file is empty."))])
    missing = [c for c in spec.required if c not in headers]
    if missing:
        raise ImportFailed([ImportProblem(1, c, _("required column is missing")) for c in missing])
    if not rows:
        raise ImportFailed([ImportProblem(None, None, _("The file has headers but no rows."))])
    errors = ImportErrors()
    for row in rows:
        for column, value in row.values.items():
            # PostgreSQL text cannot hold NUL: refuse the cell rather than fail on the write.
            if "\x00" in value:
                errors.add(row, column, _("contains a NUL character; save the file as text"))
    if errors:
        raise ImportFailed(errors.problems)
    with transaction.atomic():
        created, updated = spec.run(center=center, rows=rows, errors=errors, by=by)
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ImportFailed(sorted(errors.problems, key=lambda p: p.row or 0))
    return ImportResult(kind=kind, rows=len(rows), created=created, updated=updated)


def parse_local_datetime(value: str) -> dt.datetime:
    """`YYYY-MM-DD HH:MM` in the hall's local time (DESIGN.md §5)."""
    naive = dt.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M")  # noqa: DTZ007 (made aware below)
    return timezone.make_aware(naive)


def parse_date(value: str) -> dt.date:
    return dt.date.fromisoformat(value.strip())


def unique_by(items: Iterable[Any], key: Callable[[Any], Any]) -> dict[Any, list[Any]]:
    """Group items by key: names in a hall are not unique, so importers must see duplicates."""
    grouped: dict[Any, list[Any]] = {}
    for item in items:
        grouped.setdefault(key(item), []).append(item)
    return grouped
