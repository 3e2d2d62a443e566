"""Import kind `items` (DESIGN.md §5): one row per item, its 基本信息表 and its fees.

The cells are read as in the catalog workbook (`govhall.catalog.workbook`). Imported items
are the hall's existing catalog, published at once. An item already in the catalog keeps the
parts the file does not carry (materials, steps …); an unchanged item gets no new version.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govhall.catalog.choices import FeeMode, Part
from govhall.catalog.models import ServiceItem
from govhall.catalog.workbook import (
    BASIC,
    BASIC_COLUMNS,
    CODE,
    UNIT,
    Fault,
    ItemPlan,
    Refused,
    check_content,
    load_contents,
    merge_content,
    open_item_ids,
    publish_plans,
    read_amount,
    read_code,
    read_row,
    state_fault,
)
from govhall.core.access import Actor
from govhall.core.imports import ImportErrors, ImportKind, Row, register
from govhall.org.models import Center, Unit

FEES = "收费标准"
FREE_WORDS = {"", "不收费", "免费", "无", "0"}
# The file's columns: the workbook's 基本信息表 less 收费, which 收费标准 states here.
ITEM_COLUMNS = tuple(c for c in BASIC_COLUMNS if c.field != "fee_mode")
REQUIRED = ("事项编码", "事项名称", "单位", "事项类型", "办件类型", "法定时限", "承诺时限", FEES)
OPTIONAL = tuple(c.header for c in ITEM_COLUMNS if not c.required)


def read_fees(text: str, name: str) -> tuple[str, list[dict[str, Any]]]:
    """收费标准 as written: free, or one fee line whose basis is the text."""
    text = text.strip()
    try:
        amount = read_amount(text)
    except Refused:
        amount = None
    if text in FREE_WORDS or amount == Decimal("0"):
        return FeeMode.FREE, []
    return FeeMode.CHARGED, [{"name": name, "amount": amount, "basis": text}]


def _column(fault: Fault) -> str | None:
    """The column of the file where a fault in the item's content can be fixed."""
    if fault.part is None:
        return BASIC.column_for(fault.field)
    if fault.part == Part.FEES:
        return FEES
    if fault.part == Part.STEPS:
        return BASIC.column_for("promised_days")  # kept steps no longer fit the new limit
    return None


def import_items(
    *, center: Center, rows: list[Row], errors: ImportErrors, by: Actor
) -> tuple[int, int]:
    """事项编码, 事项名称, 单位, 事项类型, 办件类型, 法定时限, 承诺时限, 收费标准 (+ optional columns)."""
    units = {unit.name: unit for unit in Unit.objects.filter(center=center)}
    existing = {
        item.code: item
        for item in ServiceItem.objects.filter(
            center=center, code__in={row.get(CODE.header) for row in rows}
        ).select_related("unit")
    }
    previous = load_contents(existing.values())
    open_items = open_item_ids(existing.values())
    seen: dict[str, int] = {}
    plans: list[ItemPlan] = []
    for row in rows:
        before = len(errors.problems)

        def report(column: str, message: str, row: Row = row) -> None:
            errors.add(row, column, message)

        code = row.get(CODE.header)
        if not code:
            report(CODE.header, _("must not be empty"))
        elif code in seen:
            report(CODE.header, _("repeats row {row}").format(row=seen[code]))
            continue
        else:
            seen[code] = row.number
            try:
                read_code(code)
            except Refused as refused:
                report(CODE.header, str(refused))
        unit_name = row.get(UNIT.header)
        unit = units.get(unit_name)
        if not unit_name:
            report(UNIT.header, _("must not be empty"))
        elif unit is None:
            report(
                UNIT.header,
                _("unknown unit “{unit}”; import the units first").format(unit=unit_name),
            )
        basic = read_row(row, ITEM_COLUMNS, report)
        if len(errors.problems) > before or unit is None:
            continue
        basic["fee_mode"], fee_rows = read_fees(row.get(FEES), basic["name"])
        item = existing.get(code)
        plan = ItemPlan(
            code=code,
            content=merge_content(
                unit=unit,
                basic=basic,
                rows={Part.FEES: fee_rows},
                previous=previous.get(item.pk) if item else None,
            ),
            item=item,
            previous=previous.get(item.pk) if item else None,
            where=row,
        )
        faults = check_content(plan.content)
        if fault := state_fault(plan, open_items):
            faults.append(fault)
        for fault in faults:
            errors.add(row, _column(fault), fault.message)
        if not faults:
            plans.append(plan)
    if errors:
        return 0, 0
    return publish_plans(
        plans,
        center=center,
        by=by,
        report=lambda plan, fault: errors.add(plan.where, _column(fault), fault.message),
    )


register(
    ImportKind(
        name="items",
        required=REQUIRED,
        optional=OPTIONAL,
        run=import_items,
        description=gettext_lazy("service items (the catalog), published at once"),
    )
)
