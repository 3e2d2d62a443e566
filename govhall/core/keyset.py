"""Keyset ("seek") pagination: every page costs the same, however deep.

Offset pagination makes the database walk past every earlier row, so page 5,000 of a
ten-million-case list takes seconds. Here a page ends with an opaque cursor holding the sort
key of its last row; the next page asks for rows strictly after that key, which an index on
the same columns answers directly.

    page = keyset_page(cases, ("-accepted_at", "-id"), request.GET.get("cursor"), size=50)
    page.rows, page.next_cursor, page.has_next

Order fields are model field names, "-" for descending; the last one must be unique (the
primary key) so the order is total. Nullable fields are not supported: filter them out or
order by a non-null stand-in.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from govhall.core.errors import DomainError

MAX_PAGE_SIZE = 200


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
        else:
            parsed = None
        if parsed is None:
            raise ValueError("bad cursor value")
        return parsed
    if value is None or isinstance(value, (int, str, float)):
        return value
    raise ValueError("bad cursor value")


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps([_encode_value(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, width: int) -> list[Any]:
    """The sort key a cursor holds; a tampered or foreign cursor is a clear input error."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if not isinstance(values, list) or len(values) != width:
            raise ValueError("bad cursor width")
        return [_decode_value(v) for v in values]
    except (ValueError, binascii.Error, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DomainError(
            _("The page cursor is not valid; start again from the first page."), field="cursor"
        ) from exc


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
    return condition


def keyset_page(
    queryset: QuerySet, order: tuple[str, ...], cursor: str | None, size: int = 50
) -> KeysetPage:
    """One page of `queryset` in `order`, starting after `cursor` (None: the first page)."""
    size = max(1, min(int(size), MAX_PAGE_SIZE))
    queryset = queryset.order_by(*order)
    if cursor:
        queryset = queryset.filter(_after(order, decode_cursor(cursor, len(order))))
    rows = list(queryset[: size + 1])
    if len(rows) <= size:
        return KeysetPage(rows=rows, next_cursor=None)
    rows = rows[:size]
    last = rows[-1]
    return KeysetPage(
        rows=rows, next_cursor=encode_cursor([getattr(last, f.lstrip("-")) for f in order])
    )
