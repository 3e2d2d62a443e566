"""docs/imports.md states every import kind's columns exactly as its importer reads them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from govhall.core.imports import KINDS

DOC = Path(__file__).resolve().parents[2] / "docs" / "imports.md"
SECTION = "## File formats · 导入文件格式"
KIND_HEADING = re.compile(r"^### `([a-z_]+)`", re.MULTILINE)


def _formats() -> str:
    text = DOC.read_text(encoding="utf-8")
    assert SECTION in text, f"docs/imports.md has no “{SECTION}” section"
    return text.split(SECTION, 1)[1]


def documented_columns() -> dict[str, dict[str, str]]:
    """kind → {column: "required" | "optional"}, from the first table under each kind's heading."""
    text = _formats()
    headings = list(KIND_HEADING.finditer(text))
    kinds: dict[str, dict[str, str]] = {}
    for heading, following in zip(headings, [*headings[1:], None], strict=True):
        body = text[heading.end() : following.start() if following else len(text)]
        rows = [line for line in body.splitlines() if line.startswith("|")]
        columns: dict[str, str] = {}
        for line in rows[2:]:  # after the header and the |---| line
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            columns[cells[0].strip("`")] = cells[1]
        kinds[heading.group(1)] = columns
    return kinds


def test_the_doc_has_a_table_for_every_registered_kind_and_no_other() -> None:
    # given the kinds the importers register
    registered = set(KINDS)
    # when the doc's sections are read
    documented = set(documented_columns())
    # then they are the same kinds
    assert {"units", "staff", "items", "cases", "leaves", "outings"} <= registered
    assert documented == registered


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_doc_lists_exactly_the_required_and_optional_columns_of_each_kind(kind: str) -> None:
    # given what the importer of this kind requires and accepts
    spec = KINDS[kind]
    # when its table in the doc is read
    columns = documented_columns().get(kind, {})
    # then the doc marks the same columns required and optional, and no other
    assert sorted(c for c, need in columns.items() if need == "required") == sorted(spec.required)
    assert sorted(c for c, need in columns.items() if need == "optional") == sorted(spec.optional)
    assert set(columns.values()) <= {"required", "optional"}


def test_the_general_rules_state_formats_and_all_or_nothing() -> None:
    # given the section's opening rules
    rules = _formats().split("### `", 1)[0]
    # then a reader learns the file types, time and date formats and the all-or-nothing rule
    for phrase in ("UTF-8", "XLSX", "`YYYY-MM-DD HH:MM`", "`YYYY-MM-DD`", "All or nothing"):
        assert phrase in rules
