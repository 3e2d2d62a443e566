"""core.exports: the one helper every spreadsheet writer uses so text is never a formula."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from govhall.core.exports import csv_text, put


@pytest.mark.parametrize("text", ["=1+1", "+86 138", "-2+3", "@SUM(A1)", "\t=1", "王建华"])
def test_text_is_stored_as_a_string_cell_and_reads_back_unchanged(text):
    # given
    book = Workbook()
    put(book.active, 1, 1, text)
    out = io.BytesIO()
    book.save(out)
    # when
    cell = load_workbook(io.BytesIO(out.getvalue())).active["A1"]
    # then
    assert (cell.value, cell.data_type) == (text, "s")


def test_control_characters_are_dropped_rather_than_failing_the_export():
    book = Workbook()
    assert put(book.active, 1, 1, "王\x01建华").value == "王建华"


def test_numbers_are_written_as_numbers():
    book = Workbook()
    assert put(book.active, 1, 1, -5).data_type == "n"


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ("=1+1", "'=1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("王建华", "王建华"),
        (-5, "-5"),
    ],
)
def test_a_csv_field_that_would_start_a_formula_is_prefixed_with_a_quote(value, field):
    assert csv_text(value) == field
