"""Demo catalog of 随县政务服务中心, published through the real catalog services.

About one item in six is published lacking a part (risk points, FAQs, the forms or the fees
statement), and a few items are mid-review, so the 2017 Q1 梳理审查 campaign has work to show.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from govhall.catalog import services
from govhall.catalog.models import ItemVersion, ServiceItem
from govhall.demo import files as demo_files
from govhall.demo.data.catalog import (
    CATALOG,
    DECISION,
    HOURS,
    HOURS_EXIT,
    RISKS,
    SCOPE,
    SCOPE_EXIT,
    STEPS,
    ItemSpec,
    build,
    material_row,
    split_days,
)
from govhall.demo.data.org import DEMO_CENTER
from govhall.org.models import Center, Unit, Window

CAMPAIGN = "2017年第一季度政务服务事项梳理审查"
EXIT_WINDOW = "出入境窗口"

# Which part an incomplete item lacks, in turn; every INCOMPLETE_EVERY-th eligible item lacks one.
DEFECTS = ("risks", "faqs", "forms", "fees", "risks+faqs")
INCOMPLETE_EVERY = 6

# Items the review workflow uses (they must be complete) and items the tests look for.
DRAFTED = ("建筑工程施工许可证核发", "居住证申领")
SUBMITTED = ("林木采伐许可证核发", "食品经营许可（新办）")
RETURNED = "水土保持方案审批"
SUSPENDED = "互联网上网服务营业场所经营单位设立审批"
CANCELLED = "煤炭经营资格审查（初审）"
KEPT_COMPLETE = {
    *DRAFTED,
    *SUBMITTED,
    RETURNED,
    SUSPENDED,
    CANCELLED,
    "普通护照签发",
    "植物检疫证书核发",
}
NEW_ITEM_UNIT = "食药监局"

# Items whose forms carry real files (a blank form, a filled-in sample) and a flowchart image,
# so every file link of the demo kiosk opens; the others are drawn from their steps.
WITH_FILES = (
    "普通护照签发",
    "居民身份证申领",
    "居住证申领",
    "建筑工程施工许可证核发",
    "林木采伐许可证核发",
    "食品经营许可（新办）",
    "企业名称预先核准",
)


@dataclass
class Built:
    items: dict[str, ServiceItem]
    incomplete: list[tuple[str, str]]  # (item name, defect)
    next_seq: dict[str, int]  # unit name → next free sequence number
    skipped: int


def load_catalog_demo(stdout: Any) -> None:
    """Publish the demo catalog once; an existing catalog (or a missing center) is left alone."""
    center = Center.objects.filter(name=DEMO_CENTER).first()
    if center is None:
        stdout.write(f"{DEMO_CENTER} is not loaded; no demo catalog.")
        return
    if ServiceItem.objects.filter(center=center).exists():
        stdout.write(f"{DEMO_CENTER} already has a catalog; left as it is.")
        return
    started = time.monotonic()
    with transaction.atomic():
        built = _publish_catalog(center)
        workflow = _review_workflow(built)
        services.campaign_create(
            by=None,
            center=center,
            name=CAMPAIGN,
            document=DECISION,
            starts_on=date(2017, 1, 3),
            due_on=date(2017, 3, 31),
        )
    published = ServiceItem.objects.filter(center=center, status="published").count()
    stdout.write(
        f"{DEMO_CENTER} catalog: {len(built.items) + 1} items, {published} published "
        f"({len(built.incomplete)} incomplete), {workflow}; campaign {CAMPAIGN}; "
        f"{time.monotonic() - started:.1f}s."
        + (f" {built.skipped} items skipped (unit or window missing)." if built.skipped else "")
    )


def _publish_catalog(center: Center) -> Built:
    units = {u.name: u for u in Unit.objects.filter(center=center)}
    windows: dict[tuple[str, str], tuple[Window, int]] = {}
    for window in Window.objects.filter(center=center).select_related("unit").order_by("number"):
        index = 1 + sum(1 for unit_name, _w in windows if unit_name == window.unit.name)
        windows[(window.unit.name, window.name)] = (window, index)

    built = Built(items={}, incomplete=[], next_seq={}, skipped=0)
    eligible = 0
    for unit_name, window_name, office, specs in CATALOG:
        unit = units.get(unit_name)
        found = windows.get((unit_name, window_name))
        if unit is None or found is None:
            built.skipped += len(specs)
            continue
        window, index = found
        for spec in specs:
            seq = built.next_seq.get(unit_name, 1)
            built.next_seq[unit_name] = seq + 1
            basic, rows = build(spec, office=office)
            basic.update(_placement(unit, window, index, spec, seq))
            if spec.name not in KEPT_COMPLETE:
                eligible += 1
                if eligible % INCOMPLETE_EVERY == 0:
                    defect = DEFECTS[(eligible // INCOMPLETE_EVERY - 1) % len(DEFECTS)]
                    _leave_out(defect, basic, rows)
                    built.incomplete.append((spec.name, defect))
            if spec.name in WITH_FILES:
                _attach_files(spec.name, basic, rows)
            item, _created = services.item_import_published(
                by=None,
                center=center,
                unit=unit,
                code=f"4213210{unit.position:02d}{seq:03d}",
                basic=basic,
                rows=rows,
            )
            built.items[spec.name] = item
    return built


def _upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def _attach_files(item: str, basic: dict[str, Any], rows: dict[str, list[Any]]) -> None:
    """Give the item's forms a blank PDF and a filled-in sample, and the item a flowchart image
    (uploads like a unit's, checked and renamed by the catalog services)."""
    forms = {row["name"] for row in rows["forms"]}
    for material in rows["materials"]:
        if material["name"] in forms:
            title = material["name"]
            blank = demo_files.blank_form_pdf(title, item)
            material["blank_form"] = _upload(f"{title}.pdf", blank, "application/pdf")
            sample = demo_files.sample_pdf(title, item)
            material["sample"] = _upload(f"{title}（样本）.pdf", sample, "application/pdf")
    for form in rows["forms"]:
        blank = demo_files.blank_form_pdf(form["name"], item)
        form["file"] = _upload(f"{form['name']}.pdf", blank, "application/pdf")
    steps = tuple((step["name"], step["role"]) for step in rows["steps"])
    basic["flowchart_image"] = _upload(
        f"{item}流程图.png", demo_files.flowchart_png(item, steps), "image/png"
    )


def _placement(unit: Unit, window: Window, index: int, spec: ItemSpec, seq: int) -> dict[str, Any]:
    exit_window = window.name == EXIT_WINDOW
    return {
        "basic_code": f"00{spec.category}{unit.position:02d}{seq:03d}000",
        "place": f"{DEMO_CENTER}{window.floor}{window.number}窗口（{window.name}）",
        "hours": HOURS_EXIT if exit_window else HOURS,
        "service_scope": SCOPE_EXIT if exit_window else SCOPE,
        "phone": f"0722-4321{unit.position:02d}{index}",
    }


def _leave_out(defect: str, basic: dict[str, Any], rows: dict[str, list[Any]]) -> None:
    for part in defect.split("+"):
        rows[part] = []
        if part == "forms":
            basic["no_forms"] = False
        elif part == "fees":
            basic["fee_mode"] = ""


def _steps_for(version: ItemVersion, promised: Decimal) -> list[dict[str, Any]]:
    """The version's steps with their limits shared out again over a new promised limit."""
    steps = list(version.steps.all())
    weights = {name: w for template in STEPS.values() for name, _r, w in template}
    days = split_days(promised, [weights.get(s.name, 1) for s in steps])
    return [
        {"name": s.name, "role": s.role, "limit_days": d, "standard": s.standard}
        for s, d in zip(steps, days, strict=True)
    ]


def _shorten(version: ItemVersion, promised: Decimal) -> None:
    services.version_set_rows(
        by=None, version=version, part="steps", rows=_steps_for(version, promised)
    )
    services.version_update_basic(by=None, version=version, promised_days=promised)


def _start(item: ServiceItem, note: str, change_type: str = "change") -> ItemVersion:
    return services.version_start(
        by=None, item=item, change_type=change_type, decision_document=DECISION, change_note=note
    )


def _review_workflow(built: Built) -> str:
    items = built.items
    # Drafts the units are still working on.
    draft = _start(items[DRAFTED[0]], "按“放管服”改革要求，承诺时限由5个工作日压缩至3个工作日。")
    _shorten(draft, Decimal("3"))
    draft = _start(items[DRAFTED[1]], "增加居住登记凭证为可选材料，方便已登记居住的群众。")
    materials = [
        material_row(m)
        for m in ("居住证申领登记表", "身份证", "照片", "合法稳定住所、就业或就读证明")
    ]
    materials.append(material_row("?居住登记凭证"))
    services.version_set_rows(by=None, version=draft, part="materials", rows=materials)
    drafts = 2
    lacking_risks = next((n for n, d in built.incomplete if d.startswith("risks")), None)
    if lacking_risks:
        draft = _start(items[lacking_risks], "补充廉政风险点信息。")
        steps = [s.name for s in draft.steps.all() if s.name in RISKS]
        rows = [
            {"step": step, "risk": risk.format(name=lacking_risks), "level": level, "measure": m}
            for step in steps[:3]
            for risk, level, m in [RISKS[step]]
        ]
        services.version_set_rows(by=None, version=draft, part="risks", rows=rows)
        drafts += 1

    # Two changes waiting for the office.
    version = _start(
        items[SUBMITTED[0]], "承诺时限由10个工作日压缩至7个工作日，农户申请实行延时服务。"
    )
    _shorten(version, Decimal("7"))
    services.version_submit(by=None, version=version)
    version = _start(items[SUBMITTED[1]], "食品安全管理人员培训合格证明改为容缺后补。")
    rows = [
        {**row, "necessity": "deferrable"} if "培训合格证明" in row["name"] else row
        for row in version.materials.values(
            "name",
            "kind",
            "source",
            "necessity",
            "copy_form",
            "copies",
            "medium",
            "note",
            "blank_form",
            "sample",
        )
    ]
    services.version_set_rows(by=None, version=version, part="materials", rows=rows)
    services.version_submit(by=None, version=version)

    # One sent back with the office's comments.
    version = _start(items[RETURNED], "承诺时限由15个工作日压缩至10个工作日。")
    _shorten(version, Decimal("10"))
    services.version_submit(by=None, version=version)
    services.version_return(
        by=None,
        version=version,
        comment="承诺时限压缩后未说明技术评审如何在时限内完成；请核实“审查”环节时限，"
        "并在特别程序中写明技术评审的组织方式后重新报送。",
    )

    # A new item a unit has started (新增), not yet complete.
    unit = items[SUBMITTED[1]].unit
    seq = built.next_seq.get(NEW_ITEM_UNIT, 1)
    new_item = services.item_create(
        by=None,
        unit=unit,
        code=f"4213210{unit.position:02d}{seq:03d}",
        name="食品小作坊登记证核发",
        category="01",
        handling_type="promised",
        target="person",
        legal_days=20,
        promised_days=15,
        decision_document=DECISION,
        basic_code=f"0001{unit.position:02d}{seq:03d}000",
        legal_basis="《中华人民共和国食品安全法》第三十六条；《湖北省食品安全条例》第二十四条",
        result_name="食品小作坊登记证",
        result_type="证照",
    )
    draft = new_item.versions.get()
    services.version_set_rows(
        by=None,
        version=draft,
        part="materials",
        rows=[
            material_row(m) for m in ("食品小作坊登记申请表", "身份证", "场所", "从业人员健康证明")
        ],
    )

    # One suspended and one cancelled by the county's decision.
    for name, change_type, note in (
        (SUSPENDED, "suspend", "按上级文化主管部门要求暂停受理新设申请，新的审批办法出台后恢复。"),
        (CANCELLED, "cancel", "煤炭经营资格审批已由国家取消，本县相应初审事项一并取消。"),
    ):
        version = _start(items[name], note, change_type)
        services.version_submit(by=None, version=version)
        services.version_approve(by=None, version=version, comment="同意。")
    return f"{drafts + 1} drafts (1 new), 2 submitted, 1 returned, 1 suspended, 1 cancelled"
