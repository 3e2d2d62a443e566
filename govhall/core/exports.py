"""Writing spreadsheets whose text stays text: a cell a user typed is never run as a formula.

A name such as `=HYPERLINK("http://…","点此")` or `@SUM(…)` that reaches a workbook or a CSV
would be evaluated by Excel or WPS when the office opens the export (OWASP: CSV injection).
Every workbook writer puts text through `put_text`, every CSV writer through `csv_text`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

# The control characters XML 1.0 cannot hold; openpyxl raises on them (its ILLEGAL_CHARACTERS_RE).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
# What Excel, WPS and LibreOffice read as the start of a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def put_text(cell: Cell, text: str) -> Cell:
    """Text stored as a string cell: never a formula, whatever it starts with."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)  # openpyxl refuses control characters
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
    return cell


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write one value: text through `put_text`, numbers and dates as they are."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        return put_text(cell, value)
    cell.value = value
    return cell


def csv_text(value: Any) -> str:
    """A CSV field that no spreadsheet runs as a formula: text gets a leading `'` (OWASP's rule);
    numbers are written as they are, so -5 stays a number."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return str(value)
