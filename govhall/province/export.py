"""The month's cases as JSON lines, streamed in keyset batches and resumable by cursor.

Lines are ordered by (accepted_at, id), so every batch starts right after the previous one's
last key and memory stays constant however many cases the month holds. After each batch the
cursor of its last line is reported; an export started again with that cursor cuts the file
after that line (dropping anything half-written after it) and appends the rest, so the file
ends up byte-for-byte what a single run would have written.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from govhall.cases.models import Case
from govhall.core.errors import DomainError
from govhall.core.keyset import MAX_PAGE_SIZE, decode_cursor, encode_cursor, keyset_page
from govhall.core.months import month_bounds, parse_month
from govhall.org.models import Center
from govhall.province import payloads

ORDER = ("accepted_at", "id")


@dataclass(frozen=True)
class ExportResult:
    lines: int  # written by this run
    cursor: str | None  # after the last line in the file


def month_range(month: str) -> tuple[dt.datetime, dt.datetime]:
    """YYYY-MM → [first moment, first moment of the next month) in the hall's time zone."""
    first = parse_month(month)
    if first is None:
        raise DomainError(_("Give the month as YYYY-MM, e.g. 2016-12."), field="month")
    return month_bounds(first)


def month_cases(center: Center, month: str) -> QuerySet[Case]:
    """Cases accepted in the month (不予受理 was never accepted and is not among them)."""
    start, end = month_range(month)
    return Case.objects.filter(
        center=center, accepted_at__gte=start, accepted_at__lt=end
    ).select_related("center", "unit", "item")


def encode_line(case: Case) -> bytes:
    line = json.dumps(payloads.export_line(case), ensure_ascii=False, separators=(",", ":"))
    return line.encode("utf-8") + b"\n"


def resume_offset(path: Path, cursor: str) -> int:
    """The byte offset just after the line the cursor points at (scanned line by line)."""
    case_id = decode_cursor(cursor, len(ORDER))[-1]
    if not path.exists():
        raise DomainError(
            _("{file} does not exist: export again without --cursor.").format(file=path),
            field="cursor",
        )
    offset = 0
    with path.open("rb") as existing:
        for raw in existing:
            if not raw.endswith(b"\n"):
                break  # a half-written last line
            offset += len(raw)
            try:
                found = json.loads(raw).get("id") == case_id
            except (ValueError, AttributeError):
                found = False
            if found:
                return offset
    raise DomainError(
        _("{file} holds no line for this cursor: export again without --cursor.").format(file=path),
        field="cursor",
    )


def export_month(
    *,
    center: Center,
    month: str,
    out: Path,
    cursor: str | None = None,
    batch_size: int = MAX_PAGE_SIZE,
    on_batch: Callable[[str, int], None] | None = None,
) -> ExportResult:
    """Write (or, with a cursor, complete) the month's JSON-lines file."""
    cases = month_cases(center, month)
    if cursor:
        offset = resume_offset(out, cursor)
        handle = out.open("r+b")
        handle.truncate(offset)
        handle.seek(offset)
    else:
        handle = out.open("wb")
    written = 0
    with handle:
        while True:
            page = keyset_page(cases, ORDER, cursor, size=batch_size)
            if not page.rows:
                break
            for case in page.rows:
                handle.write(encode_line(case))
            written += len(page.rows)
            last = page.rows[-1]
            cursor = encode_cursor([last.accepted_at, last.pk])
            handle.flush()
            if on_batch is not None:
                on_batch(cursor, written)
            if not page.has_next:
                break
    return ExportResult(lines=written, cursor=cursor)
