"""The monthly attendance sheet as an XLSX workbook (openpyxl), laid out for A4 landscape."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from govhall.core.exports import put
from govhall.staffing.selectors import Sheet

THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTERED = Alignment(horizontal="center", vertical="center", wrap_text=True)
FILLS = {
    "day-late": PatternFill("solid", fgColor="FFF4D6"),
    "day-missing": PatternFill("solid", fgColor="FFF4D6"),
    "day-absent": PatternFill("solid", fgColor="FDEAEA"),
    "day-leave": PatternFill("solid", fgColor="E8F0FB"),
    "day-outing": PatternFill("solid", fgColor="E3F4E8"),
}
OFF_FILL = PatternFill("solid", fgColor="EEEEEE")


def sheet_workbook(sheet: Sheet) -> bytes:
    """One row per person, one column per day, then the month's totals."""
    book = Workbook()
    ws = book.active
    ws.title = f"{sheet.month:%Y-%m}"
    unit = sheet.unit.name if sheet.unit else ""
    title = _("{center} {unit} attendance, {year}-{month:02d}").format(
        center=sheet.center.name, unit=unit, year=sheet.month.year, month=sheet.month.month
    )
    totals_heads = [
        _("Present"),
        _("Late"),
        _("Late (min)"),
        _("Left early"),
        _("Early (min)"),
        _("Missing punch"),
        _("Absent"),
        _("Leave (days)"),
        _("Outings"),
    ]
    width = 1 + len(sheet.days) + len(totals_heads)
    put(ws, 1, 1, title).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    heads = [_("Name"), *(str(d.day) for d, _w in sheet.days), *totals_heads]
    for col, text in enumerate(heads, start=1):
        cell = put(ws, 2, col, text)
        cell.font = Font(bold=True)
        cell.alignment = CENTERED
        cell.border = BOX
        if 1 < col <= 1 + len(sheet.days) and not sheet.days[col - 2][1]:
            cell.fill = OFF_FILL
    for r, row in enumerate(sheet.rows, start=3):
        put(ws, r, 1, row.staff.name).border = BOX
        for c, day_cell in enumerate(row.cells, start=2):
            cell = put(ws, r, c, day_cell.text)
            cell.alignment = CENTERED
            cell.border = BOX
            fill = FILLS.get(day_cell.css) or (None if sheet.days[c - 2][1] else OFF_FILL)
            if fill is not None:
                cell.fill = fill
        t = row.totals
        values = [
            t.present, t.late, t.late_minutes, t.early, t.early_minutes, t.missing, t.absent,
            float(t.leave_days), t.outings,
        ]  # fmt: skip
        for c, value in enumerate(values, start=2 + len(sheet.days)):
            cell = put(ws, r, c, value)
            cell.alignment = CENTERED
            cell.border = BOX
    ws.column_dimensions["A"].width = 10
    for col in range(2, 2 + len(sheet.days)):
        ws.column_dimensions[get_column_letter(col)].width = 5.5
    for col in range(2 + len(sheet.days), width + 1):
        ws.column_dimensions[get_column_letter(col)].width = 8
    ws.freeze_panes = "B3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
