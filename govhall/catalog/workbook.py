"""The catalog workbook: every part of every item in one XLSX, one sheet per part.

The sheets are keyed by 事项编码. The same columns serve the blank template, the export and
the import, so an exported workbook imports back unchanged. Imported items are the hall's
existing catalog and are published at once (`item_import_published`); an item whose content
is unchanged is left alone, so a re-import adds no versions.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from govhall.catalog import services
from govhall.catalog.choices import (
    Category,
    CopyForm,
    FeeMode,
    HandlingType,
    ItemStatus,
    MaterialKind,
    MaterialSource,
    Medium,
    Necessity,
    Part,
    RiskLevel,
    Target,
    VersionState,
)
from govhall.catalog.models import ItemVersion, ServiceItem
from govhall.catalog.rules import HALF, limit_problems
from govhall.core.access import Actor
from govhall.core.errors import DomainError
from govhall.core.exports import put
from govhall.core.imports import (
    ImportFailed,
    ImportProblem,
    ImportResult,
    Row,
    open_xlsx,
    sheet_values,
)
from govhall.org.models import Center, Unit
from govhall.org.scoping import scoped

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# --- Chinese labels of the choices (a data contract, like the headers) ------------------------

CATEGORY_LABELS = {
    Category.LICENSING: "行政许可",
    Category.BENEFIT: "行政给付",
    Category.CONFIRMATION: "行政确认",
    Category.REWARD: "行政奖励",
    Category.RULING: "行政裁决",
    Category.OTHER_POWER: "其他行政权力",
    Category.PUBLIC_SERVICE: "公共服务",
}
HANDLING_LABELS = {HandlingType.IMMEDIATE: "即办件", HandlingType.PROMISED: "承诺件"}
TARGET_LABELS = {Target.PERSON: "自然人", Target.ORG: "法人", Target.BOTH: "自然人、法人"}
FEE_MODE_LABELS = {FeeMode.FREE: "免费", FeeMode.CHARGED: "收费"}
MATERIAL_KIND_LABELS = {
    MaterialKind.CERTIFICATE: "证件证书证明",
    MaterialKind.FORM: "申请表格文书",
    MaterialKind.OTHER: "其他",
}
MATERIAL_SOURCE_LABELS = {
    MaterialSource.APPLICANT: "申请人自备",
    MaterialSource.GOVERNMENT: "政府部门核发",
}
NECESSITY_LABELS = {
    Necessity.REQUIRED: "必要",
    Necessity.OPTIONAL: "非必要",
    Necessity.DEFERRABLE: "容缺后补",
}
COPY_FORM_LABELS = {
    CopyForm.ORIGINAL: "原件",
    CopyForm.COPY: "复印件",
    CopyForm.BOTH: "原件和复印件",
}
MEDIUM_LABELS = {Medium.PAPER: "纸质", Medium.ELECTRONIC: "电子", Medium.BOTH: "纸质或电子"}
RISK_LEVEL_LABELS = {RiskLevel.HIGH: "高", RiskLevel.MEDIUM: "中", RiskLevel.LOW: "低"}
YES_NO_LABELS = {True: "是", False: "否"}

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- reading and writing one cell -------------------------------------------------------------


class Refused(ValueError):
    """A cell's value cannot be read; the message says why."""


def read_text(value: str) -> str:
    return value.strip()


def write_text(value: Any) -> str:
    return str(value or "").strip()


def choice_reader(
    labels: dict[Any, str], aliases: dict[str, Any] | None = None
) -> Callable[[str], Any]:
    """Read a Chinese label (or an accepted alias); empty means "not stated"."""
    lookup: dict[str, Any] = {label: key for key, label in labels.items()}
    lookup.update(aliases or {})

    def read(value: str) -> Any:
        value = value.strip()
        if not value:
            return None
        if value in lookup:
            return lookup[value]
        raise Refused(
            _("“{value}” is not one of: {choices}").format(
                value=value, choices=" / ".join(labels.values())
            )
        )

    return read


def choice_writer(labels: dict[Any, str]) -> Callable[[Any], str]:
    def write(value: Any) -> str:
        return labels.get(value, "")

    return write


_CATEGORY_CODES = {code: code for code in Category.values} | {
    str(int(code)): code for code in Category.values
}
read_category = choice_reader(CATEGORY_LABELS, _CATEGORY_CODES)
read_handling = choice_reader(HANDLING_LABELS, {"即办": "immediate", "承诺": "promised"})
read_target = choice_reader(
    TARGET_LABELS,
    {
        "个人": Target.PERSON,
        "企业": Target.ORG,
        **{f"自然人{sep}法人": Target.BOTH for sep in (",", "，", "/", "和", "及", "；", ";")},
    },
)

_DAYS = re.compile(r"^(\d+(?:\.\d+)?)\s*(?:个?工作日|天)?$")
_AMOUNT = re.compile(r"^(\d{1,8}(?:\.\d{1,2})?)\s*元?$")


def read_days(value: str) -> Decimal | None:
    """Working days, whole or half (行政许可法 第八十二条: limits count working days)."""
    value = value.strip()
    if not value:
        return None
    match = _DAYS.match(value)
    days = Decimal(match.group(1)) if match else None
    if days is None or days > 9999 or days % HALF:
        raise Refused(
            _(
                "“{value}” is not a number of working days; write whole or half days, e.g. 5 or 0.5"
            ).format(value=value)
        )
    return days.quantize(Decimal("0.1"))


def read_amount(value: str) -> Decimal | None:
    value = value.strip()
    if not value:
        return None
    match = _AMOUNT.match(value)
    if match is None:
        raise Refused(
            _("“{value}” is not an amount in yuan, e.g. 160 or 12.50").format(value=value)
        )
    return Decimal(match.group(1)).quantize(Decimal("0.01"))


def write_number(value: Any) -> int | float | str:
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def read_copies(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not re.fullmatch(r"\d{1,3}", value):
        raise Refused(_("“{value}” is not a number of copies").format(value=value))
    return int(value)


def read_visits(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if value not in ("0", "1", "2"):
        raise Refused(_("“{value}” must be 0, 1 or 2").format(value=value))
    return int(value)


read_yes_no = choice_reader(
    YES_NO_LABELS, {"True": True, "False": False, "TRUE": True, "FALSE": False}
)


def read_lines(value: str) -> str:
    """Several entries in one cell, separated by ；(stored one per line)."""
    return "\n".join(part.strip() for part in re.split(r"[；;\r\n]+", value) if part.strip())


def write_lines(value: Any) -> str:
    return "；".join(line.strip() for line in str(value or "").splitlines() if line.strip())


def write_int(value: Any) -> int | str:
    return "" if value is None else int(value)


# --- the columns ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its Chinese header, the model field, and how cells read and write."""

    header: str
    field: str
    read: Callable[[str], Any] = read_text
    write: Callable[[Any], Any] = write_text
    required: bool = False
    labels: tuple[str, ...] = ()  # offered in a dropdown
    width: int = 16
    note: str = ""


def _choice(
    header: str,
    field: str,
    labels: dict[Any, str],
    reader: Callable[[str], Any] | None = None,
    **kwargs: Any,
) -> Column:
    return Column(
        header,
        field,
        read=reader or choice_reader(labels),
        write=choice_writer(labels),
        labels=tuple(labels.values()),
        note=kwargs.pop("note", "") or "／".join(labels.values()),
        **kwargs,
    )


CODE = Column("事项编码", "code", required=True, width=22, note="事项的实施编码，各表以此对应")
UNIT = Column("单位", "unit", required=True, width=14, note="入驻单位名称，须已在系统中")

BASIC_COLUMNS: tuple[Column, ...] = (
    Column("事项名称", "name", required=True, width=28),
    Column("基本编码", "basic_code", width=16, note="国家12位基本编码"),
    _choice(
        "事项类型",
        "category",
        CATEGORY_LABELS,
        read_category,
        required=True,
        width=14,
        note="行政许可／行政给付／行政确认／行政奖励／行政裁决／其他行政权力／公共服务，"
        "或国家代码 01/05/07/08/09/20/21",
    ),
    _choice("服务对象", "target", TARGET_LABELS, read_target, width=14),
    _choice("办件类型", "handling_type", HANDLING_LABELS, read_handling, required=True, width=10),
    Column(
        "法定时限",
        "legal_days",
        read_days,
        write_number,
        required=True,
        width=10,
        note="工作日，可为半天（如 0.5）",
    ),
    Column(
        "承诺时限",
        "promised_days",
        read_days,
        write_number,
        required=True,
        width=10,
        note="工作日，可为半天；即办件为 0；不得超过法定时限",
    ),
    Column("设定依据", "legal_basis", width=30),
    Column(
        "到现场次数",
        "visits",
        read_visits,
        write_int,
        labels=("0", "1", "2"),
        width=10,
        note="0／1／2",
    ),
    Column(
        "特别程序", "special_procedures", read_lines, write_lines, width=24, note="多项用“；”分隔"
    ),
    Column("受理条件", "conditions", width=30),
    Column("办理地点", "place", width=20),
    Column("办理时间", "hours", width=20),
    Column("通办范围", "service_scope", width=20),
    Column("办件结果", "result_name", width=16),
    Column("结果类型", "result_type", width=10, note="证照、批文、其他……"),
    Column("咨询电话", "phone", width=16),
    _choice(
        "收费", "fee_mode", FEE_MODE_LABELS, width=8, note="免费／收费（收费时在收费标准表列明）"
    ),
    _choice("无需表格", "no_forms", YES_NO_LABELS, read_yes_no, width=10, note="是／否"),
    Column("决定文件", "decision_document", width=24, note="如 随县政办发[2016]55号"),
)


@dataclass(frozen=True)
class Sheet:
    """A sheet of the workbook: the 基本信息表, or one list part keyed by 事项编码."""

    title: str
    part: str | None  # None: the 基本信息表
    columns: tuple[Column, ...]

    @property
    def all_columns(self) -> tuple[Column, ...]:
        if self.part is None:
            return (CODE, self.columns[0], UNIT, *self.columns[1:])
        return (CODE, *self.columns)

    def column_for(self, field_name: str | None) -> str | None:
        for column in self.all_columns:
            if column.field == field_name:
                return column.header
        return None


INSTRUCTIONS = "说明"
BASIC = Sheet("基本信息表", None, BASIC_COLUMNS)
PART_SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "申报材料",
        Part.MATERIALS,
        (
            Column("材料名称", "name", required=True, width=30),
            _choice("材料类型", "kind", MATERIAL_KIND_LABELS, width=14),
            _choice("来源渠道", "source", MATERIAL_SOURCE_LABELS, width=14),
            _choice("必要性", "necessity", NECESSITY_LABELS, width=10),
            _choice("原件或复印件", "copy_form", COPY_FORM_LABELS, width=14),
            Column("份数", "copies", read_copies, write_int, width=6),
            _choice("材料形式", "medium", MEDIUM_LABELS, width=12),
            Column("备注", "note", width=24),
        ),
    ),
    Sheet(
        "收费标准",
        Part.FEES,
        (
            Column("收费项目", "name", required=True, width=24),
            Column("金额（元）", "amount", read_amount, write_number, width=10),
            Column("计费单位", "unit_text", width=10, note="如 每本"),
            Column("收费依据", "basis", width=36),
        ),
    ),
    Sheet(
        "服务表格",
        Part.FORMS,
        (Column("表格名称", "name", required=True, width=36, note="表格文件在事项页面上传"),),
    ),
    Sheet(
        "办理环节",
        Part.STEPS,
        (
            Column(
                "环节名称",
                "name",
                required=True,
                width=12,
                note="收件、受理、审查、决定、制证、送达……",
            ),
            Column("办理岗位", "role", width=16),
            Column(
                "时限（工作日）",
                "limit_days",
                read_days,
                write_number,
                width=12,
                note="各环节之和不得超过承诺时限",
            ),
            Column("审查标准", "standard", width=36),
        ),
    ),
    Sheet(
        "廉政风险点",
        Part.RISKS,
        (
            Column("办理环节", "step", required=True, width=12),
            Column("风险点", "risk", required=True, width=30),
            _choice("风险等级", "level", RISK_LEVEL_LABELS, width=10),
            Column("防控措施", "measure", required=True, width=36),
        ),
    ),
    Sheet(
        "常见问题",
        Part.FAQS,
        (
            Column("问题", "question", required=True, width=36),
            Column("解答", "answer", required=True, width=48),
        ),
    ),
)
SHEETS: tuple[Sheet, ...] = (BASIC, *PART_SHEETS)
SHEET_FOR_PART = {sheet.part: sheet for sheet in PART_SHEETS}
SHEET_ORDER = {sheet.title: index for index, sheet in enumerate(SHEETS, start=1)}

# Uploaded files are not in the workbook; a row keeps the file of the same-named row before it.
FILE_FIELDS = {Part.MATERIALS: ("blank_form", "sample"), Part.FORMS: ("file",)}
VERSION_CHECK_EXCLUDE = [
    "item",
    "number",
    "state",
    "change_type",
    "created_by",
    "reviewed_by",
    "flowchart_image",
]


def read_row(
    row: Row, columns: Iterable[Column], report: Callable[[str, str], None]
) -> dict[str, Any]:
    """The values of the columns present in the row; problems go to `report(header, message)`."""
    values: dict[str, Any] = {}
    for column in columns:
        if column.header not in row.values:
            continue
        text = row.get(column.header)
        if column.required and not text:
            report(column.header, _("must not be empty"))
            continue
        try:
            values[column.field] = column.read(text)
        except Refused as refused:
            report(column.header, str(refused))
    return values


def read_code(text: str) -> str:
    if len(text) > 40:
        raise Refused(_("an item code has at most 40 characters"))
    return text


# --- what an item says ------------------------------------------------------------------------


@dataclass
class Content:
    """What an item says: its unit, its 基本信息表 and its list parts (files kept by name)."""

    unit: Unit
    basic: dict[str, Any]
    rows: dict[str, list[dict[str, Any]]]

    def key(self) -> tuple[Any, ...]:
        """The content as the workbook shows it: equal keys mean nothing to import."""
        basic = tuple(c.write(self.basic.get(c.field)) for c in BASIC_COLUMNS)
        parts = tuple(
            tuple(tuple(c.write(r.get(c.field)) for c in sheet.columns) for r in self.rows[part])
            for part, sheet in SHEET_FOR_PART.items()
        )
        return (self.unit.pk, basic, parts)


def _field_value(obj: Any, name: str) -> Any:
    value = getattr(obj, name)
    return value.name if hasattr(value, "storage") else value  # a FieldFile by its stored name


def _basic_fields() -> tuple[str, ...]:
    return (*(c.field for c in BASIC_COLUMNS), "flowchart_image")


def _basic_of(version: ItemVersion) -> dict[str, Any]:
    return {f: _field_value(version, f) for f in _basic_fields()}


def load_contents(items: Iterable[ServiceItem]) -> dict[int, Content]:
    """Each item's content: its published version, else its latest one (by item id)."""
    items = list(items)
    never_published = [item.pk for item in items if item.current_id is None]
    latest: dict[int, int] = {}
    for item_id, version_id in (
        ItemVersion.objects.filter(item_id__in=never_published)
        .order_by("item_id", "-number")
        .values_list("item_id", "pk")
    ):
        latest.setdefault(item_id, version_id)
    chosen = {item.pk: item.current_id or latest.get(item.pk) for item in items}
    versions = ItemVersion.objects.in_bulk([v for v in chosen.values() if v])
    rows: dict[int, dict[str, list[dict[str, Any]]]] = {
        pk: {part: [] for part in services.ROW_PARTS} for pk in versions
    }
    for part, (model, fields) in services.ROW_PARTS.items():
        for obj in model.objects.filter(version_id__in=list(versions)).order_by(
            "version_id", "position", "pk"
        ):
            rows[obj.version_id][part].append({f: _field_value(obj, f) for f in fields})
    contents = {}
    for item in items:
        version = versions.get(chosen[item.pk] or 0)
        if version is not None:
            contents[item.pk] = Content(item.unit, _basic_of(version), rows[version.pk])
    return contents


def _complete_row(part: str, values: dict[str, Any]) -> dict[str, Any]:
    """A row with the model's defaults for what the sheet left empty."""
    model, fields = services.ROW_PARTS[part]
    obj = model(**{k: v for k, v in values.items() if v is not None})
    return {f: _field_value(obj, f) for f in fields}


def merge_content(
    *,
    unit: Unit,
    basic: dict[str, Any],
    rows: dict[str, list[dict[str, Any]]],
    previous: Content | None,
) -> Content:
    """The item after the import: given values over the previous content (or the defaults).

    A list part given replaces the previous one; a part not given is kept as it was.
    """
    merged = dict(previous.basic) if previous else _basic_of(ItemVersion())
    merged.update({k: v for k, v in basic.items() if v is not None})
    parts = {part: list(previous.rows[part]) if previous else [] for part in services.ROW_PARTS}
    for part, given in rows.items():
        completed = [_complete_row(part, r) for r in given]
        before = {r["name"]: r for r in parts[part]} if part in FILE_FIELDS else {}
        for row in completed:
            for name in FILE_FIELDS.get(part, ()):
                old = before.get(row["name"])
                if old and not row[name]:
                    row[name] = old[name]
        parts[part] = completed
    return Content(unit, merged, parts)


@dataclass(frozen=True)
class Fault:
    """A problem with an item's content: in its 基本信息表 (part None) or a row of a list part."""

    part: str | None
    index: int | None
    field: str | None
    message: str


def _validation_faults(error: ValidationError, part: str | None, index: int | None) -> list[Fault]:
    if not hasattr(error, "error_dict"):
        return [Fault(part, index, None, " ".join(error.messages))]
    return [
        Fault(part, index, None if name == "__all__" else name, " ".join(messages))
        for name, messages in error.message_dict.items()
    ]


def check_content(content: Content) -> list[Fault]:
    """Everything the database and the limit rules would refuse, found before writing."""
    faults: list[Fault] = []
    version = ItemVersion(**content.basic)
    try:
        version.full_clean(
            exclude=VERSION_CHECK_EXCLUDE, validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        faults += _validation_faults(error, None, None)
    steps = content.rows[Part.STEPS]
    for name, code in limit_problems(
        handling_type=content.basic["handling_type"],
        legal_days=content.basic["legal_days"],
        promised_days=content.basic["promised_days"],
        step_days=[Decimal(str(s["limit_days"] or 0)) for s in steps],
    ):
        message = str(services.LIMIT_MESSAGES[code])
        if name == "steps":
            faults.append(Fault(Part.STEPS, None, "limit_days", message))
        else:
            faults.append(Fault(None, None, name, message))
    for part, rows in content.rows.items():
        model, _fields = services.ROW_PARTS[part]
        skip = ["version", *FILE_FIELDS.get(part, ())]
        for index, values in enumerate(rows):
            try:
                model(**{k: v for k, v in values.items() if k not in skip}).full_clean(exclude=skip)
            except ValidationError as error:
                faults += _validation_faults(error, part, index)
    return faults


@dataclass
class ItemPlan:
    """One item to import: its code, its content after the import and what it said before."""

    code: str
    content: Content
    item: ServiceItem | None
    previous: Content | None
    where: Any = None  # the caller's note of where the item was read (row numbers)

    @property
    def changed(self) -> bool:
        return self.previous is None or self.content.key() != self.previous.key()


def open_item_ids(items: Iterable[ServiceItem]) -> set[int]:
    """Items with a version being drafted or reviewed: an import may not overtake it."""
    return set(
        ItemVersion.objects.filter(
            item__in=[item.pk for item in items], state__in=VersionState.open()
        ).values_list("item_id", flat=True)
    )


def state_fault(plan: ItemPlan, open_items: set[int]) -> Fault | None:
    """Why the item may not take a new version now, if it may not."""
    if plan.item is None or not plan.changed:
        return None
    if plan.item.status == ItemStatus.CANCELLED:
        return Fault(None, None, "code", _("A cancelled item cannot be changed."))
    if plan.item.pk in open_items:
        return Fault(
            None,
            None,
            "code",
            _("Item {code} has a version under review; finish that first.").format(code=plan.code),
        )
    return None


def publish_plans(
    plans: Iterable[ItemPlan],
    *,
    center: Center,
    by: Actor,
    report: Callable[[ItemPlan, Fault], None],
) -> tuple[int, int]:
    """Publish every changed item; (created, updated). Refusals go to `report`."""
    created = updated = 0
    for plan in plans:
        if not plan.changed:
            continue
        basic = {k: v for k, v in plan.content.basic.items() if k != "flowchart_image" or v}
        try:
            _item, was_created = services.item_import_published(
                by=by,
                center=center,
                unit=plan.content.unit,
                code=plan.code,
                basic=basic,
                rows=plan.content.rows,
            )
        except DomainError as error:
            if error.field in ("steps", "limit_days"):
                report(plan, Fault(Part.STEPS, None, "limit_days", error.message))
            else:
                report(plan, Fault(None, None, error.field, error.message))
            continue
        except ValidationError as error:
            for fault in _validation_faults(error, None, None):
                report(plan, fault)
            continue
        if was_created:
            created += 1
        else:
            updated += 1
    return created, updated


# --- template and export ----------------------------------------------------------------------

GUIDE = (
    "1. 每张表的第一行是列名，请勿修改；从第二行起每行一条记录。红色列名为必填列。",
    "2. 基本信息表每行一个事项；其他各表每行是某个事项的一条内容，用“事项编码”与基本信息表对应。",
    "3. 事项编码已在事项库中的，导入后生成新版本并立即公布；内容没有改变的事项不产生新版本。"
    "新编码的事项导入后即公布。",
    "4. 某个事项在申报材料、收费标准等表中有行时，以表中的行替换该部分；没有行时该部分保持不变。"
    "要删除某部分的全部内容，请在事项页面修改。",
    "5. 时限以工作日计，可为半天（如 0.5）；即办件的承诺时限为 0；承诺时限不得超过法定时限，"
    "各办理环节时限之和不得超过承诺时限。",
    "6. 服务表格和申报材料的样表只填名称，文件请在事项页面上传；已上传的文件按名称保留。",
    "7. 整个文件全部正确才会导入；有任何错误时不导入任何内容，并逐条列出错误所在的表、行、列和原因。",
    "8. 不认识的工作表会被忽略（如本说明表）。",
)
TEMPLATE_GUIDE = "9. 各表中的示例事项仅供参考，导入前请删除。"

EXAMPLE_CODE = "示例-0001"
EXAMPLE: dict[str | None, list[dict[str, Any]]] = {
    None: [
        {
            "code": EXAMPLE_CODE,
            "name": "普通护照签发",
            "unit": "公安局",
            "basic_code": "",
            "category": Category.LICENSING,
            "target": Target.PERSON,
            "handling_type": HandlingType.PROMISED,
            "legal_days": Decimal("15"),
            "promised_days": Decimal("7"),
            "legal_basis": "《中华人民共和国护照法》第五条",
            "visits": 1,
            "special_procedures": "",
            "conditions": "本县户籍居民",
            "place": "政务服务中心一楼出入境窗口",
            "hours": "周一至周五 8:30-12:00，14:30-17:30",
            "service_scope": "随县、曾都区户籍居民",
            "result_name": "中华人民共和国普通护照",
            "result_type": "证照",
            "phone": "0722-0000000",
            "fee_mode": FeeMode.CHARGED,
            "no_forms": False,
            "decision_document": "随县政办发[2016]55号",
        }
    ],
    Part.MATERIALS: [
        {
            "name": "居民身份证",
            "kind": MaterialKind.CERTIFICATE,
            "source": MaterialSource.GOVERNMENT,
            "necessity": Necessity.REQUIRED,
            "copy_form": CopyForm.ORIGINAL,
            "copies": 1,
            "medium": Medium.PAPER,
            "note": "",
        },
        {
            "name": "中国公民出入境证件申请表",
            "kind": MaterialKind.FORM,
            "source": MaterialSource.APPLICANT,
            "necessity": Necessity.REQUIRED,
            "copy_form": CopyForm.ORIGINAL,
            "copies": 1,
            "medium": Medium.PAPER,
            "note": "现场领取或下载",
        },
    ],
    Part.FEES: [
        {
            "name": "护照工本费",
            "amount": Decimal("120"),
            "unit_text": "每本",
            "basis": "发改价格〔2017〕1186号",
        }
    ],
    Part.FORMS: [{"name": "中国公民出入境证件申请表"}],
    Part.STEPS: [
        {
            "name": "受理",
            "role": "窗口工作人员",
            "limit_days": Decimal("1"),
            "standard": "材料齐全",
        },
        {
            "name": "审核",
            "role": "出入境管理科",
            "limit_days": Decimal("4"),
            "standard": "符合条件",
        },
        {"name": "制证", "role": "省公安厅", "limit_days": Decimal("2"), "standard": ""},
    ],
    Part.RISKS: [
        {
            "step": "受理",
            "risk": "对符合条件的申请不予受理",
            "level": RiskLevel.MEDIUM,
            "measure": "一次性告知，首问负责",
        }
    ],
    Part.FAQS: [{"question": "多久能拿到护照？", "answer": "受理后7个工作日。"}],
}


def build_template() -> bytes:
    """The blank workbook: instructions, headers, dropdowns and one example item."""
    rows: dict[str | None, list[dict[str, Any]]] = {
        part: [{"code": EXAMPLE_CODE, **row} for row in values] if part else values
        for part, values in EXAMPLE.items()
    }
    return _workbook_bytes(rows, guide=(*GUIDE, TEMPLATE_GUIDE))


def export_catalog(*, center: Center, user: Any) -> bytes:
    """Every item the user may see, with its published version (else its latest one)."""
    items = list(
        scoped(ServiceItem.objects.filter(center=center), user)
        .select_related("unit")
        .order_by("unit__position", "unit__sort_key", "sort_key", "code")
    )
    contents = load_contents(items)
    rows: dict[str | None, list[dict[str, Any]]] = {sheet.part: [] for sheet in SHEETS}
    for item in items:
        content = contents.get(item.pk)
        if content is None:
            continue
        rows[None].append({"code": item.code, "unit": item.unit.name, **content.basic})
        for part in SHEET_FOR_PART:
            rows[part] += [{"code": item.code, **row} for row in content.rows[part]]
    return _workbook_bytes(rows, guide=GUIDE)


def _workbook_bytes(rows: dict[str | None, list[dict[str, Any]]], *, guide: Iterable[str]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    _write_guide(workbook.active, guide)
    for sheet in SHEETS:
        _write_sheet(workbook.create_sheet(sheet.title), sheet, rows.get(sheet.part, []))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_guide(sheet: Worksheet, guide: Iterable[str]) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.title = INSTRUCTIONS
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 16
    sheet.column_dimensions["C"].width = 8
    sheet.column_dimensions["D"].width = 70
    sheet.append(["政务服务事项库导入导出表"])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in guide:
        sheet.append([line])
    sheet.append([])
    sheet.append(["工作表", "列名", "必填", "填写说明"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for part_sheet in SHEETS:
        for column in part_sheet.all_columns:
            sheet.append(
                [part_sheet.title, column.header, "是" if column.required else "", column.note]
            )
            sheet.cell(sheet.max_row, 4).alignment = Alignment(wrap_text=True)


def _write_sheet(sheet: Worksheet, spec: Sheet, rows: list[dict[str, Any]]) -> None:
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    columns = spec.all_columns
    sheet.append([c.header for c in columns])
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell, column in zip(sheet[1], columns, strict=True):
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        cell.fill = fill
    sheet.freeze_panes = "B2"
    for index, values in enumerate(rows, start=2):
        for number, column in enumerate(columns, start=1):
            value = column.write(values.get(column.field))
            if value == "":
                continue
            put(sheet, index, number, value)  # text stays text, never a formula
    last = max(len(rows) + 1, 1000)
    for number, column in enumerate(columns, start=1):
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = column.width
        if column.labels:
            validation = DataValidation(
                type="list", formula1='"{}"'.format(",".join(column.labels)), allow_blank=True
            )
            validation.error = _("Choose one of the listed values.")
            validation.showErrorMessage = True
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{last}")
        elif column.read is read_text or column.field == "code":
            sheet.column_dimensions[letter].number_format = "@"


# --- import -----------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES_NO_LABELS[value]
    if isinstance(value, dt.datetime):
        return (
            value.strftime("%Y-%m-%d %H:%M")
            if (value.hour, value.minute) != (0, 0)
            else (value.strftime("%Y-%m-%d"))
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _read_workbook(path: Path) -> dict[str, tuple[list[str], list[Row]]]:
    """Each sheet by its title: its headers and its non-blank rows (the header is row 1)."""
    sheets: dict[str, tuple[list[str], list[Row]]] = {}
    with open_xlsx(path) as workbook:
        for worksheet in workbook.worksheets:
            title = worksheet.title.strip()
            if title not in SHEET_ORDER or title in sheets:
                continue
            table = sheet_values(worksheet)
            headers = [_cell_text(v).strip() for v in next(table, ())]
            rows = []
            for number, cells in enumerate(table, start=2):
                texts = [_cell_text(v) for v in cells]
                if any(t.strip() for t in texts):
                    values = {
                        h: (texts[i] if i < len(texts) else "") for i, h in enumerate(headers)
                    }
                    rows.append(Row(number, {h: v for h, v in values.items() if h}))
            sheets[title] = (headers, rows)
    return sheets


@dataclass
class _Problems:
    items: list[ImportProblem] = field(default_factory=list)

    def add(self, sheet: Sheet, row: int | None, column: str | None, message: str) -> None:
        self.items.append(ImportProblem(row, column, message, sheet=sheet.title))

    def failed(self) -> ImportFailed:
        return ImportFailed(
            sorted(self.items, key=lambda p: (SHEET_ORDER.get(p.sheet or "", 0), p.row or 0))
        )


@dataclass
class _Where:
    """Where an item was read: its 基本信息表 row, and the rows of each list part."""

    basic_row: int | None = None
    part_rows: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class _Reading:
    """The rows of a workbook read against one center's units and catalog."""

    units: dict[str, Unit]
    existing: dict[str, ServiceItem]
    problems: _Problems = field(default_factory=_Problems)
    where: dict[str, _Where] = field(default_factory=dict)
    basics: dict[str, tuple[Unit, dict[str, Any]]] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)
    given: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)

    def read_basic(self, rows: list[Row]) -> None:
        """基本信息表: one row per item."""
        for row in rows:
            before = len(self.problems.items)

            def report(column: str, message: str, row: Row = row) -> None:
                self.problems.add(BASIC, row.number, column, message)

            code = _read_code(row, report)
            if code and code in self.where:
                report(CODE.header, _("repeats row {row}").format(row=self.where[code].basic_row))
                continue
            if code:
                self.where[code] = _Where(basic_row=row.number)
            unit = _read_unit(row, self.units, report)
            values = read_row(row, BASIC_COLUMNS, report)
            if len(self.problems.items) > before or unit is None:
                self.broken.add(code)
            else:
                self.basics[code] = (unit, values)

    def read_part(self, sheet: Sheet, rows: list[Row]) -> None:
        """A list sheet: rows keyed by 事项编码, of items in the 基本信息表 or the catalog."""
        part = str(sheet.part)
        for row in rows:
            before = len(self.problems.items)

            def report(column: str, message: str, row: Row = row) -> None:
                self.problems.add(sheet, row.number, column, message)

            code = _read_code(row, report)
            if code and code not in self.where and code not in self.existing:
                report(
                    CODE.header,
                    _("item {code} is neither in sheet “{sheet}” nor in the catalog").format(
                        code=code, sheet=BASIC.title
                    ),
                )
                continue
            values = read_row(row, sheet.columns, report)
            if not code or len(self.problems.items) > before:
                continue
            self.given.setdefault(code, {}).setdefault(part, []).append(values)
            self.where.setdefault(code, _Where()).part_rows.setdefault(part, []).append(row.number)

    def plans(self) -> list[ItemPlan]:
        """The items to import, each checked as a whole (limits, lengths, its state)."""
        previous = load_contents(self.existing.values())
        open_items = open_item_ids(self.existing.values())
        plans = []
        for code, where in self.where.items():
            item = self.existing.get(code)
            if code in self.broken:
                continue
            if code in self.basics:
                unit, basic = self.basics[code]
            elif item is not None:
                unit, basic = item.unit, {}
            else:
                continue
            before = previous.get(item.pk) if item else None
            plan = ItemPlan(
                code=code,
                content=merge_content(
                    unit=unit, basic=basic, rows=self.given.get(code, {}), previous=before
                ),
                item=item,
                previous=before,
                where=where,
            )
            faults = check_content(plan.content)
            if fault := state_fault(plan, open_items):
                faults.append(fault)
            for fault in faults:
                _report_fault(self.problems, plan, fault)
            if not faults:
                plans.append(plan)
        return plans


def import_workbook(*, path: Path, center: Center, by: Actor) -> ImportResult:
    """Import a filled-in workbook, all or nothing; raises ImportFailed listing every problem."""
    sheets = _read_workbook(path)
    problems = _Problems()
    if BASIC.title not in sheets:
        problems.add(
            BASIC, None, None, _("The workbook has no sheet “{sheet}”.").format(sheet=BASIC.title)
        )
        raise problems.failed()
    present = [sheet for sheet in SHEETS if sheet.title in sheets]
    for sheet in present:
        headers = sheets[sheet.title][0]
        for column in sheet.all_columns:
            if column.required and column.header not in headers:
                problems.add(sheet, 1, column.header, _("required column is missing"))
    if not problems.items and not any(sheets[sheet.title][1] for sheet in present):
        problems.add(BASIC, None, None, _("The workbook holds no items."))
    if problems.items:
        raise problems.failed()

    codes = {row.get(CODE.header) for sheet in present for row in sheets[sheet.title][1]}
    reading = _Reading(
        units={unit.name: unit for unit in Unit.objects.filter(center=center)},
        existing={
            item.code: item
            for item in ServiceItem.objects.filter(
                center=center, code__in=codes - {""}
            ).select_related("unit")
        },
        problems=problems,
    )
    reading.read_basic(sheets[BASIC.title][1])
    for sheet in PART_SHEETS:
        if sheet.title in sheets:
            reading.read_part(sheet, sheets[sheet.title][1])
    plans = reading.plans()
    if problems.items:
        raise problems.failed()

    with transaction.atomic():
        created, updated = publish_plans(
            plans,
            center=center,
            by=by,
            report=lambda plan, fault: _report_fault(problems, plan, fault),
        )
        if problems.items:
            transaction.set_rollback(True)
    if problems.items:
        raise problems.failed()
    return ImportResult(kind="workbook", rows=len(plans), created=created, updated=updated)


def _read_code(row: Row, report: Callable[[str, str], None]) -> str:
    text = row.get(CODE.header)
    if not text:
        report(CODE.header, _("must not be empty"))
        return ""
    try:
        return read_code(text)
    except Refused as refused:
        report(CODE.header, str(refused))
        return ""


def _read_unit(row: Row, units: dict[str, Unit], report: Callable[[str, str], None]) -> Unit | None:
    name = row.get(UNIT.header)
    if not name:
        report(UNIT.header, _("must not be empty"))
        return None
    unit = units.get(name)
    if unit is None:
        report(UNIT.header, _("unknown unit “{unit}”; import the units first").format(unit=name))
    return unit


def _report_fault(problems: _Problems, plan: ItemPlan, fault: Fault) -> None:
    """Name the sheet, row and column where the item's fault can be fixed."""
    where: _Where = plan.where
    rows = where.part_rows.get(fault.part or "", [])
    if fault.part is not None and rows:
        sheet = SHEET_FOR_PART[fault.part]
        row = rows[fault.index] if fault.index is not None and fault.index < len(rows) else rows[0]
        problems.add(sheet, row, sheet.column_for(fault.field), fault.message)
        return
    if fault.part == Part.STEPS and fault.field == "limit_days":
        field_name: str | None = "promised_days"  # the kept steps no longer fit the limits
    else:
        field_name = fault.field if fault.part is None else None
    if where.basic_row is not None:
        problems.add(BASIC, where.basic_row, BASIC.column_for(field_name), fault.message)
        return
    # Only list rows name the item: point at the first of them.
    part, numbers = next(iter(where.part_rows.items()))
    problems.add(SHEET_FOR_PART[part], numbers[0], CODE.header, fault.message)
