"""Importing records from CSV or XLSX, all or nothing, with every bad row reported.

Each app registers its kinds (`units`, `staff`, …) with `register`. An importer receives the
rows as dicts keyed by the Chinese headers of DESIGN.md §5, reports problems through
`ImportErrors`, and writes through the app's services inside one transaction: if any row is
wrong, nothing is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.parsers import expat

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.access import Actor

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet


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

MB = 1024 * 1024
# A zip member this small is not worth refusing for its ratio: a theme or a style sheet compresses well.
RATIO_FLOOR = MB
# An XLSX has a dozen parts, or a few hundred with pictures; more is a file built to exhaust.
MAX_PARTS = 10_000
# Element names as expat reports them with namespace_separator=" ".
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WORKSHEET, SHARED_STRINGS = f"{SHEET_NS} worksheet", f"{SHEET_NS} sst"
ROW, CELL = f"{SHEET_NS} row", f"{SHEET_NS} c"
# Styles, defined names, properties: an ordinary workbook has a few hundred elements; 100,000
# distinct cell formats cost openpyxl about 9 s and 175 MB (docs/imports.md).
MAX_SETTINGS = 100_000
# How an XML part begins (UTF-8, or UTF-16 with or without its byte order mark).
XML_STARTS = (b"<", b"\xff\xfe", b"\xfe\xff", b"\x00<")


@dataclass(frozen=True)
class ImportLimits:
    """What an import file may hold, so that no file can exhaust a worker (settings.py)."""

    upload_mb: int
    unpacked_mb: int
    ratio: int
    rows: int
    columns: int

    @property
    def rows_text(self) -> str:
        """100,000: grouped as the refusal messages write it, whatever the page's locale."""
        return f"{self.rows:,}"


def import_limits() -> ImportLimits:
    return ImportLimits(
        upload_mb=settings.GOVHALL_IMPORT_MAX_UPLOAD_MB,
        unpacked_mb=settings.GOVHALL_IMPORT_MAX_UNPACKED_MB,
        ratio=settings.GOVHALL_IMPORT_MAX_RATIO,
        rows=settings.GOVHALL_IMPORT_MAX_ROWS,
        columns=settings.GOVHALL_IMPORT_MAX_COLUMNS,
    )


def upload_too_large(size: int) -> str | None:
    """The message refusing an upload of `size` bytes, or None when it is small enough."""
    limit = import_limits().upload_mb
    if size > limit * MB:
        return _("The file is larger than {limit} MB.").format(limit=limit)
    return None


def _refuse(message: str, row: int | None = None) -> ImportFailed:
    return ImportFailed([ImportProblem(row, None, message)])


def _too_many_rows(limits: ImportLimits) -> ImportFailed:
    return _refuse(
        _(
            "The sheet has more than {limit:,} rows; split it into files of at most {limit:,} rows."
        ).format(limit=limits.rows)
    )


def _too_many_columns(limits: ImportLimits, row: int | None) -> ImportFailed:
    return _refuse(
        _("more than {limit} columns; a sheet may have at most {limit} columns.").format(
            limit=limits.columns
        ),
        row,
    )


def _not_xlsx() -> ImportFailed:
    return _refuse(_("The file is not a readable XLSX workbook."))


def read_table(path: Path) -> Table:
    """Rows of a CSV (UTF-8, BOM optional) or of an XLSX's first sheet; blank rows skipped."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(path)
    if suffix in {".csv", ".txt"}:
        return _read_csv(path)
    raise ImportFailed([ImportProblem(None, None, _("Use a .csv or .xlsx file."))])


def _read_csv(path: Path) -> Table:
    """Streamed and counted: a CSV past the size, row or column limit is refused as read."""
    limits = import_limits()
    if path.stat().st_size > limits.unpacked_mb * MB:
        raise _refuse(_("The file is larger than {limit} MB.").format(limit=limits.unpacked_mb))
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            return _rows(reader, limits)
        except UnicodeDecodeError as exc:
            raise _refuse(_("The file is not UTF-8 text; save it as “CSV UTF-8”.")) from exc
        except csv.Error as exc:
            raise _refuse(
                _(
                    "The CSV cannot be read here (a cell longer than 131,072 characters, or a quote "
                    "that is never closed)."
                ),
                reader.line_num,
            ) from exc


# --- XLSX: inspected before openpyxl reads it -------------------------------------------------


class _Scan:
    """Counts what each XML part of a workbook holds as expat streams it, refusing past the limits.

    openpyxl gathers a whole <row> before yielding it and pads rows to the sheet's stated
    dimension, so a sheet of one row with millions of cells, or a false dimension, would fill
    memory inside openpyxl; and it builds every other part (styles, names, properties) whole,
    at about 2 KB of memory an element. This pass reads in constant memory and stops at the first
    excess. Document type declarations are refused: a spreadsheet never needs one, a bomb does.
    """

    def __init__(self, limits: ImportLimits) -> None:
        self.limits = limits
        self.settings = 0  # elements outside the sheets and their shared strings, all parts
        self.part = ""

    def begin(self) -> None:
        self.part = ""
        self.rows = self.row_number = self.cells = self.column = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if not self.part:
            self.part = name
        if self.part == WORKSHEET:
            if name == ROW:
                self.row(attrs)
            elif name == CELL:
                self.cell(attrs)
        elif self.part != SHARED_STRINGS:
            self.settings += 1
            if self.settings > MAX_SETTINGS:
                raise _refuse(
                    _(
                        "The workbook's styles and settings hold more than {limit:,} entries (an "
                        "ordinary workbook has a few hundred); copy the data into a new workbook."
                    ).format(limit=MAX_SETTINGS)
                )

    def row(self, attrs: dict[str, str]) -> None:
        self.rows += 1
        if self.rows > self.limits.rows + 1:  # the header row is not counted
            raise _too_many_rows(self.limits)
        reference = attrs.get("r", "")
        self.row_number = int(reference) if reference.isdigit() else self.row_number + 1
        self.cells = self.column = 0

    def cell(self, attrs: dict[str, str]) -> None:
        self.cells += 1
        letters = attrs.get("r", "").rstrip("0123456789")
        self.column = _column_number(letters) if letters else self.column + 1
        if self.cells > self.limits.columns or self.column > self.limits.columns:
            raise _too_many_columns(self.limits, self.row_number or None)

    def doctype(self, *args: Any) -> None:
        raise _refuse(
            _(
                "The workbook declares a document type, which a spreadsheet never needs; it is "
                "refused."
            )
        )


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper()[:4]:  # XFD, the last column, has three letters
        number = number * 26 + (ord(letter) - 64)
    return number


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, scan: _Scan) -> None:
    with archive.open(info) as member:
        chunk = member.read(64 * 1024)
        if not chunk.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(XML_STARTS):
            return  # a picture or another binary part: openpyxl does not parse it as XML
        scan.begin()
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = scan.start
        parser.StartDoctypeDeclHandler = scan.doctype
        while chunk:
            parser.Parse(chunk, False)
            chunk = member.read(64 * 1024)
        parser.Parse(b"", True)


def inspect_xlsx(path: Path) -> None:
    """Refuse an XLSX that would cost more to read than the limits allow, before openpyxl opens it.

    The sizes a zip states are trusted as bounds: zipfile never inflates a member past its stated
    size (a member that lies about it fails its checksum), so a bomb is refused from the central
    directory alone, in milliseconds, and every part actually read is streamed through expat.
    """
    limits = import_limits()
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_PARTS:
                raise _not_xlsx()
            names = {info.filename for info in infos}
            if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
                raise _not_xlsx()
            if sum(info.file_size for info in infos) > limits.unpacked_mb * MB:
                raise _refuse(
                    _(
                        "The workbook unpacks to more than {limit} MB; split it into smaller files."
                    ).format(limit=limits.unpacked_mb)
                )
            for info in infos:
                if info.file_size > RATIO_FLOOR and info.file_size > limits.ratio * max(
                    info.compress_size, 1
                ):
                    raise _refuse(
                        _(
                            "A part of the workbook ({part}) is compressed more than {limit} times; "
                            "no spreadsheet needs that, so the file is refused."
                        ).format(part=info.filename, limit=limits.ratio)
                    )
            scan = _Scan(limits)
            for info in infos:
                _scan_part(archive, info, scan)
    except ImportFailed:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        expat.ExpatError,
        EOFError,
        OSError,
        NotImplementedError,  # a compression method zipfile does not know
        RuntimeError,  # an encrypted member
    ) as exc:
        raise _not_xlsx() from exc


@contextmanager
def open_xlsx(path: Path) -> Iterator[Workbook]:
    """The workbook, read-only and streamed, once `inspect_xlsx` has let it through."""
    from openpyxl import load_workbook

    inspect_xlsx(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise _not_xlsx() from exc
    try:
        yield workbook
    finally:
        workbook.close()


def sheet_values(sheet: ReadOnlyWorksheet) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows as values, counted as read: the dimension a file states may be false."""
    limits = import_limits()
    sheet.reset_dimensions()  # else openpyxl pads every row to the stated width
    rows = 0
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if len(values) > limits.columns:
            raise _too_many_columns(limits, number)
        if any(v is not None for v in values):
            rows += 1
            if rows > limits.rows + 1:
                raise _too_many_rows(limits)
        yield values


def _read_xlsx(path: Path) -> Table:
    limits = import_limits()
    with open_xlsx(path) as workbook:
        if not workbook.worksheets:
            raise _not_xlsx()
        cells = ([_cell_text(v) for v in row] for row in sheet_values(workbook.worksheets[0]))
        return _rows(cells, limits)


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


def _rows(table: Iterable[list[str]], limits: ImportLimits) -> Table:
    """Headers (first row, BOM and spaces stripped) and the non-blank rows after them, counted
    against the limits as they are read."""
    lines = iter(table)
    first = next(lines, None)
    if first is None:
        return [], []
    if len(first) > limits.columns:
        raise _too_many_columns(limits, 1)
    headers = [(h or "").strip() for h in first]
    rows = []
    for index, cells in enumerate(lines, start=2):
        if len(cells) > limits.columns:
            raise _too_many_columns(limits, index)
        if not any((c or "").strip() for c in cells):
            continue
        if len(rows) >= limits.rows:
            raise _too_many_rows(limits)
        values = {h: (cells[i] if i < len(cells) else "") or "" for i, h in enumerate(headers) if h}
        rows.append(Row(index, values))
    return headers, rows


def run_import(*, kind: str, path: Path, center: Any, by: Actor = None) -> ImportResult:
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
