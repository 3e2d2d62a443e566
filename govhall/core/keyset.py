"""Keyset ("seek") pagination: every page costs the same, however deep.

Offset pagination makes the database walk past every earlier row, so page 5,000 of a
ten-million-case list takes seconds. Here a page ends with an opaque cursor holding the sort
key of its last row; the next page asks for rows strictly after that key, which an index on
the same columns answers directly.

    page = keyset_page(cases, ("-accepted_at", "-id"), request.GET.get("cursor"), size=50)
    page.rows, page.next_cursor, page.has_next

Order fields are model field names or relation paths ("unit__position"), "-" for descending;
the last one must be unique (the primary key) so the order is total. Nullable fields are not
supported: filter them out or order by a non-null stand-in (a null key raises ValueError).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from govhall.core.errors import DomainError

MAX_PAGE_SIZE = 200
# A cursor holds a few sort values; anything longer is forged. Refusing it here keeps the answer
# a clear 400 naming `cursor` well before a server refuses the request line (gunicorn: 4,094).
MAX_CURSOR_LENGTH = 500


@dataclass(frozen=True)
class KeysetPage:
    rows: list[Any]
    next_cursor: str | None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"dec": str(value)}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        if "dt" in value:
            parsed = parse_datetime(str(value["dt"]))
        elif "d" in value:
            parsed = parse_date(str(value["d"]))
        elif "dec" in value:
            parsed = Decimal(str(value["dec"]))
            if not parsed.is_finite():
                raise ValueError("bad cursor value")
        else:
            parsed = None
        if parsed is None:
            raise ValueError("bad cursor value")
        return parsed
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("bad cursor value")
    if isinstance(value, (int, str, float)):
        return value
    # None too: a seek condition against NULL matches nothing and would end the list silently.
    raise ValueError("bad cursor value")


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps([_encode_value(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _bad_cursor() -> DomainError:
    return DomainError(
        _("The page cursor is not valid; start again from the first page."), field="cursor"
    )


# What a forged cursor can raise: undecodable text, and (once its values meet the model's
# fields) a value of the wrong type — "abc" for a date, a date for an integer.
CURSOR_ERRORS = (
    ValueError,
    TypeError,
    binascii.Error,
    InvalidOperation,
    ValidationError,
)


def decode_cursor(cursor: str, width: int) -> list[Any]:
    """The sort key a cursor holds; a tampered or foreign cursor is a clear input error."""
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise _bad_cursor()
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")).decode())
        if not isinstance(values, list) or len(values) != width:
            raise ValueError("bad cursor width")
        return [_decode_value(v) for v in values]
    except CURSOR_ERRORS as exc:  # UnicodeError and JSONDecodeError are ValueErrors
        raise _bad_cursor() from exc


def _value_of(row: Any, path: str) -> Any:
    """The sort value of a row (a model instance or a .values() dict); "a__b" follows relations."""
    if isinstance(row, dict):
        return row[path]
    value = row
    for part in path.split("__"):
        value = getattr(value, part)
    return value


def _after(order: tuple[str, ...], values: list[Any]) -> Q:
    """Rows strictly after `values` in `order`: (a > x) or (a = x and b > y) or …"""
    condition = Q()
    for i, field in enumerate(order):
        name = field.lstrip("-")
        op = "lt" if field.startswith("-") else "gt"
        step = Q(**{f"{name}__{op}": values[i]})
        for j in range(i):
            step &= Q(**{order[j].lstrip("-"): values[j]})
        condition |= step
    # The OR above is exact but no index can seek it; the redundant bound on the leading column
    # (a >= x) lets the database start the index scan at the cursor instead of walking to it.
    lead = order[0].lstrip("-")
    bound = "lte" if order[0].startswith("-") else "gte"
    return Q(**{f"{lead}__{bound}": values[0]}) & condition


def keyset_page(
    queryset: QuerySet, order: tuple[str, ...], cursor: str | None, size: int = 50
) -> KeysetPage:
    """One page of `queryset` in `order`, starting after `cursor` (None: the first page)."""
    size = max(1, min(int(size), MAX_PAGE_SIZE))
    queryset = queryset.order_by(*order)
    if cursor:
        values = decode_cursor(cursor, len(order))
        try:
            # The lookups convert the values to the fields' types here, before any query runs.
            queryset = queryset.filter(_after(order, values))
        except CURSOR_ERRORS as exc:
            raise _bad_cursor() from exc
    rows = list(queryset[: size + 1])
    if len(rows) <= size:
        return KeysetPage(rows=rows, next_cursor=None)
    rows = rows[:size]
    key = [_value_of(rows[-1], f.lstrip("-")) for f in order]
    if any(value is None for value in key):
        # NULL compares as unknown: the next page would silently come back empty.
        raise ValueError(f"keyset_page cannot order by a null value: {order}")
    return KeysetPage(rows=rows, next_cursor=encode_cursor(key))
