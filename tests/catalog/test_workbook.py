"""The catalog workbook: template, export, import (all or nothing) and the page around them."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from govhall.catalog import services
from govhall.catalog.choices import ItemStatus, VersionState
from govhall.catalog.models import FormFile, ItemVersion, ServiceItem
from govhall.catalog.workbook import build_template, export_catalog, import_workbook
from govhall.core.imports import ImportFailed
from tests.catalog.builders import complete_basic, publish_item

SHEETS = [
    "说明",
    "基本信息表",
    "申报材料",
    "收费标准",
    "服务表格",
    "办理环节",
    "廉政风险点",
    "常见问题",
]
PARTS = ("materials", "fee_lines", "forms", "steps", "risks", "faqs")
BASIC_FIELDS = (
    "name",
    "basic_code",
    "category",
    "target",
    "handling_type",
    "legal_days",
    "promised_days",
    "legal_basis",
    "visits",
    "special_procedures",
    "conditions",
    "place",
    "hours",
    "service_scope",
    "result_name",
    "result_type",
    "phone",
    "fee_mode",
    "no_forms",
    "decision_document",
)


def content(item: ServiceItem) -> dict[str, Any]:
    """What the public reads of an item, whatever the code: the unit, the basics, the parts."""
    version = item.current or item.versions.order_by("-number").first()
    files = ["id", "version", "position", "blank_form", "sample", "file"]
    return {
        "unit": item.unit_id,
        "basic": {f: getattr(version, f) for f in BASIC_FIELDS},
        "parts": {
            part: [model_to_dict(r, exclude=files) for r in getattr(version, part).all()]
            for part in PARTS
        },
    }


def rich_item(hall: Any, code: str = "Z001") -> ServiceItem:
    """An item using every column and every choice the workbook knows."""
    item, _created = services.item_import_published(
        by=None,
        center=hall.a,
        unit=hall.y,
        code=code,
        basic=complete_basic(
            "商品房预售许可",
            basic_code="000201017000",
            category="01",
            target="both",
            handling_type="promised",
            legal_days=Decimal("20"),
            promised_days=Decimal("7.5"),
            visits=0,
            special_procedures="专家评审\n现场勘验",
            service_scope="随县",
            result_type="批文",
            phone="=0722-1234567",
            fee_mode="free",
            no_forms=True,
            conditions="多行条件：\n一、已取得土地使用权\n二、已办理规划许可",
        ),
        rows={
            "materials": [
                {
                    "name": "营业执照",
                    "kind": "certificate",
                    "source": "government",
                    "necessity": "deferrable",
                    "copy_form": "both",
                    "copies": 3,
                    "medium": "both",
                    "note": "加盖公章",
                },
                {
                    "name": "申请书",
                    "kind": "form",
                    "source": "applicant",
                    "necessity": "optional",
                    "copy_form": "copy",
                    "copies": 0,
                    "medium": "electronic",
                },
                {"name": "其他材料", "kind": "other"},
            ],
            "fees": [
                {"name": "测绘费", "amount": Decimal("12.50"), "unit_text": "每平方米"},
                {"name": "其他费用", "basis": "按实收取"},
            ],
            "forms": [],
            "steps": [
                {"name": "受理", "role": "窗口", "limit_days": Decimal("0.5"), "standard": "齐全"},
                {"name": "审查", "role": "科室", "limit_days": Decimal("7")},
            ],
            "risks": [
                {"step": "受理", "risk": "吃拿卡要", "level": "high", "measure": "公开承诺"},
                {"step": "审查", "risk": "随意降低标准", "level": "low", "measure": "集体审议"},
            ],
            "faqs": [{"question": "需要几天？", "answer": "7.5个工作日。"}],
        },
    )
    return item


def save(tmp_path: Path, data: bytes, name: str = "catalog.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def edit(path: Path, change: Any) -> Path:
    """Open a workbook, let `change(workbook)` edit it, save it under a new name."""
    workbook = load_workbook(path)
    change(workbook)
    edited = path.with_name("edited-" + path.name)
    workbook.save(edited)
    return edited


def recode(workbook: Workbook, prefix: str = "N") -> None:
    for sheet in workbook.worksheets[1:]:
        for (cell,) in sheet.iter_rows(min_row=2, max_col=1):
            if cell.value:
                cell.value = prefix + cell.value


def set_cell(sheet: Any, row: int, header: str, value: Any) -> None:
    headers = [c.value for c in sheet[1]]
    sheet.cell(row, headers.index(header) + 1).value = value


def problems_of(path: Path, hall: Any) -> list[tuple[str | None, int | None, str | None]]:
    with pytest.raises(ImportFailed) as failed:
        import_workbook(path=path, center=hall.a, by=None)
    return [(p.sheet, p.row, p.column) for p in failed.value.problems]


def a_workbook(tmp_path: Path, hall: Any) -> Path:
    """An export of center A holding one complete item and one rich item."""
    publish_item(hall.a, hall.x, code="P001")
    rich_item(hall)
    return save(tmp_path, export_catalog(center=hall.a, user=hall.user("office_a")))


# --- template ---------------------------------------------------------------------------------


def test_the_template_downloads_and_opens_with_every_sheet(login):
    # when
    response = login("clerk_x").get(reverse("catalog:workbook_template"))
    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == SHEETS
    basic = [c.value for c in workbook["基本信息表"][1]]
    assert basic[:3] == ["事项编码", "事项名称", "单位"]
    assert {"办件类型", "法定时限", "承诺时限", "到现场次数", "特别程序", "受理条件"} <= set(basic)
    assert {"收费", "无需表格", "决定文件"} <= set(basic)
    materials = [c.value for c in workbook["申报材料"][1]]
    assert materials[0] == "事项编码"
    assert {"材料名称", "必要性", "原件或复印件", "材料形式", "来源渠道", "材料类型"} <= set(
        materials
    )
    assert workbook["申报材料"]["B2"].value  # the example item
    dropdowns = [v.formula1 for v in workbook["申报材料"].data_validations.dataValidation]
    assert '"必要,非必要,容缺后补"' in dropdowns
    assert '"高,中,低"' in [
        v.formula1 for v in workbook["廉政风险点"].data_validations.dataValidation
    ]
    assert "说明" in workbook["说明"]["A1"].value or workbook["说明"]["A2"].value


def test_the_filled_in_template_imports_its_example_item(hall, tmp_path):
    # given the template as downloaded (its example belongs to 公安局, which center A has)
    path = save(tmp_path, build_template())
    # when
    result = import_workbook(path=path, center=hall.a, by=hall.user("office_a"))
    # then
    assert (result.rows, result.created) == (1, 1)
    item = ServiceItem.objects.get(center=hall.a)
    assert item.is_public
    assert [m.name for m in item.current.materials.all()] == [
        "居民身份证",
        "中国公民出入境证件申请表",
    ]
    assert item.current.steps.count() == 3


# --- export and round trip --------------------------------------------------------------------


def test_export_then_import_keeps_every_part(hall, tmp_path):
    # given an export, with every item given a new code so the import creates copies
    path = edit(a_workbook(tmp_path, hall), recode)
    originals = {item.code: content(item) for item in ServiceItem.objects.all()}
    # when
    result = import_workbook(path=path, center=hall.a, by=hall.user("office_a"))
    # then
    assert (result.rows, result.created, result.updated) == (2, 2, 0)
    for code, original in originals.items():
        copy = ServiceItem.objects.get(code="N" + code)
        assert copy.is_public
        assert content(copy) == original


def test_importing_an_unchanged_export_changes_nothing(hall, tmp_path):
    # given an export that also holds a never-published draft
    path = a_workbook(tmp_path, hall)
    draft = services.item_create(
        by=None,
        unit=hall.x,
        code="D001",
        name="户口迁入",
        category="07",
        handling_type="immediate",
    )
    path = save(tmp_path, export_catalog(center=hall.a, user=hall.user("office_a")), "all.xlsx")
    before = {item.code: content(item) for item in ServiceItem.objects.all()}
    versions = ItemVersion.objects.count()
    # when
    result = import_workbook(path=path, center=hall.a, by=hall.user("office_a"))
    # then
    assert (result.rows, result.created, result.updated) == (3, 0, 0)
    assert ItemVersion.objects.count() == versions
    assert {item.code: content(item) for item in ServiceItem.objects.all()} == before
    draft.refresh_from_db()
    assert draft.status == ItemStatus.DRAFT


def test_an_edited_export_publishes_a_new_version_of_the_changed_item_only(hall, tmp_path):
    # given the export with one FAQ answer changed
    path = a_workbook(tmp_path, hall)

    def change(workbook: Workbook) -> None:
        faqs = workbook["常见问题"]
        for row in faqs.iter_rows(min_row=2):
            if row[0].value == "Z001":
                row[2].value = "一般7个半工作日。"

    # when
    result = import_workbook(path=edit(path, change), center=hall.a, by=None)
    # then
    assert (result.created, result.updated) == (0, 1)
    rich = ServiceItem.objects.get(code="Z001")
    assert rich.current.number == 2
    assert rich.current.faqs.get().answer == "一般7个半工作日。"
    assert rich.current.materials.count() == 3
    assert ServiceItem.objects.get(code="P001").versions.count() == 1


def test_uploaded_form_files_are_kept_by_name(hall, tmp_path):
    # given a form with its uploaded file
    item = publish_item(hall.a, hall.x, code="P001")
    FormFile.objects.filter(version=item.current).update(file="catalog/forms/apply.pdf")
    path = save(tmp_path, export_catalog(center=hall.a, user=hall.user("office_a")))

    def change(workbook: Workbook) -> None:
        set_cell(workbook["基本信息表"], 2, "承诺时限", 8)

    # when
    import_workbook(path=edit(path, change), center=hall.a, by=None)
    # then
    item.refresh_from_db()
    assert item.current.promised_days == 8
    assert item.current.forms.get().file.name == "catalog/forms/apply.pdf"


def test_list_rows_alone_replace_that_part_of_a_catalog_item(hall, tmp_path):
    # given a workbook holding only two FAQ rows for an item already in the catalog
    item = publish_item(hall.a, hall.x, code="P001")
    workbook = Workbook()
    workbook.active.title = "基本信息表"
    workbook.active.append(
        ["事项编码", "事项名称", "单位", "事项类型", "办件类型", "法定时限", "承诺时限"]
    )
    faqs = workbook.create_sheet("常见问题")
    faqs.append(["事项编码", "问题", "解答"])
    faqs.append(["P001", "能否代办？", "可以，须带委托书。"])
    faqs.append(["P001", "要带照片吗？", "不用，现场采集。"])
    path = tmp_path / "faqs.xlsx"
    workbook.save(path)
    # when
    result = import_workbook(path=path, center=hall.a, by=None)
    # then
    assert result.updated == 1
    item.refresh_from_db()
    assert [f.question for f in item.current.faqs.all()] == ["能否代办？", "要带照片吗？"]
    assert item.current.materials.count() == 2
    assert item.current.name == "普通护照签发"


def test_an_export_holds_only_what_the_user_may_see(hall, tmp_path):
    # given items in both centers and both units of center A
    publish_item(hall.a, hall.x, code="P001")
    rich_item(hall)
    publish_item(hall.b, hall.z, code="L001", name="林木采伐许可证核发")
    # when
    office = load_workbook(io.BytesIO(export_catalog(center=hall.a, user=hall.user("office_a"))))
    chief = load_workbook(io.BytesIO(export_catalog(center=hall.a, user=hall.user("chief_x"))))
    # then
    codes = {row[0] for row in office["基本信息表"].iter_rows(min_row=2, values_only=True)}
    assert codes == {"P001", "Z001"}
    for sheet in office.worksheets[1:]:
        assert "L001" not in {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    chief_codes = {row[0] for row in chief["基本信息表"].iter_rows(min_row=2, values_only=True)}
    assert chief_codes == {"P001"}


def test_the_export_page_never_shows_another_centers_items(hall, login):
    publish_item(hall.a, hall.x, code="P001")
    publish_item(hall.b, hall.z, code="L001", name="林木采伐许可证核发")
    # when
    response = login("office_b").get(reverse("catalog:workbook_export"))
    # then
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["基本信息表"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == ["L001"]
    assert all(
        "P001" not in {r[0] for r in sheet.iter_rows(min_row=2, values_only=True)}
        for sheet in workbook.worksheets[1:]
    )


# --- refusals ---------------------------------------------------------------------------------


def test_a_bad_materials_row_is_refused_by_sheet_row_and_column_and_nothing_is_imported(
    hall, tmp_path
):
    # given new codes for both items, and a bad necessity in the third material row
    path = a_workbook(tmp_path, hall)

    def change(workbook: Workbook) -> None:
        recode(workbook)
        set_cell(workbook["申报材料"], 4, "必要性", "可选")

    versions = ItemVersion.objects.count()
    # when
    with pytest.raises(ImportFailed) as failed:
        import_workbook(path=edit(path, change), center=hall.a, by=None)
    # then
    [problem] = failed.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("申报材料", 4, "必要性")
    assert "可选" in problem.message
    assert "申报材料" in str(problem)
    assert not ServiceItem.objects.filter(code__startswith="N").exists()
    assert ItemVersion.objects.count() == versions


def test_every_problem_in_every_sheet_is_listed(hall, tmp_path):
    path = a_workbook(tmp_path, hall)

    def change(workbook: Workbook) -> None:
        set_cell(workbook["基本信息表"], 2, "单位", "林业局")
        workbook["基本信息表"].append(["P001"])  # repeated code
        workbook["收费标准"].append(["Z001", "", "十元"])  # no name, bad amount
        workbook["办理环节"].append(["Z001", "决定", "局长", "x"])
        workbook["廉政风险点"].append(["Z001", "受理", "风险", "极高", "措施"])
        workbook["常见问题"].append(["NOPE", "问题", "解答"])  # unknown code

    # then
    assert problems_of(edit(path, change), hall) == [
        ("基本信息表", 2, "单位"),
        ("基本信息表", 4, "事项编码"),
        ("收费标准", 5, "收费项目"),
        ("收费标准", 5, "金额（元）"),
        ("办理环节", 7, "时限（工作日）"),
        ("廉政风险点", 5, "风险等级"),
        ("常见问题", 4, "事项编码"),
    ]


def test_steps_that_overrun_the_promised_limit_are_refused_on_their_sheet(hall, tmp_path):
    path = a_workbook(tmp_path, hall)

    def change(workbook: Workbook) -> None:
        workbook["办理环节"].append(["Z001", "决定", "局长", 1])

    # P001's three steps come first, then Z001's two (rows 5, 6) and the new one (row 7)
    assert problems_of(edit(path, change), hall) == [("办理环节", 5, "时限（工作日）")]


def test_limit_problems_are_named_on_the_basic_sheet(hall, tmp_path):
    path = a_workbook(tmp_path, hall)

    def change(workbook: Workbook) -> None:
        set_cell(workbook["基本信息表"], 2, "承诺时限", 30)  # the legal limit is 15

    assert ("基本信息表", 2, "承诺时限") in problems_of(edit(path, change), hall)


def test_a_list_row_for_an_unknown_item_is_refused(hall, tmp_path):
    path = a_workbook(tmp_path, hall)

    def change(workbook: Workbook) -> None:
        workbook["服务表格"].append(["Q999", "某表"])

    with pytest.raises(ImportFailed) as failed:
        import_workbook(path=edit(path, change), center=hall.a, by=None)
    [problem] = failed.value.problems
    assert (problem.sheet, problem.column) == ("服务表格", "事项编码")
    assert "Q999" in problem.message


def test_a_workbook_without_the_basic_sheet_is_refused(hall, tmp_path):
    workbook = Workbook()
    workbook.active.title = "申报材料"
    workbook.active.append(["事项编码", "材料名称"])
    workbook.active.append(["P001", "身份证"])
    path = tmp_path / "parts.xlsx"
    workbook.save(path)
    assert problems_of(path, hall) == [("基本信息表", None, None)]


def test_unknown_sheets_are_ignored(hall, tmp_path):
    path = a_workbook(tmp_path, hall)

    def change(workbook: Workbook) -> None:
        recode(workbook)
        notes = workbook.create_sheet("备忘")
        notes.append(["随便写", "不导入"])

    result = import_workbook(path=edit(path, change), center=hall.a, by=None)
    assert result.created == 2


def test_a_missing_required_column_is_named_with_its_sheet(hall, tmp_path):
    path = a_workbook(tmp_path, hall)

    def change(workbook: Workbook) -> None:
        workbook["常见问题"].delete_cols(3)

    assert problems_of(edit(path, change), hall) == [("常见问题", 1, "解答")]


def test_a_file_that_is_not_a_workbook_is_refused(hall, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"not a zip")
    assert problems_of(path, hall) == [(None, None, None)]


# --- the page ---------------------------------------------------------------------------------


def upload(client: Any, path: Path, name: str = "catalog.xlsx") -> Any:
    with path.open("rb") as handle:
        return client.post(reverse("catalog:workbook"), {"file": _named(handle, name)})


def _named(handle: Any, name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, handle.read())


def test_the_page_offers_downloads_to_readers_and_upload_to_the_office(login, hall):
    page = login("chief_x").get(reverse("catalog:workbook"))
    assert page.status_code == 200
    assert reverse("catalog:workbook_template") in page.content.decode()
    assert 'type="file"' not in page.content.decode()
    office = login("office_a").get(reverse("catalog:workbook"))
    assert 'type="file"' in office.content.decode()


def test_a_chief_may_not_upload(login, hall, tmp_path):
    path = save(tmp_path, build_template())
    response = upload(login("chief_x"), path)
    assert response.status_code == 403
    assert not ServiceItem.objects.exists()


def test_the_office_uploads_a_workbook(login, hall, tmp_path):
    path = save(tmp_path, build_template())
    # when
    response = upload(login("office_a"), path)
    # then
    assert response.status_code == 302
    item = ServiceItem.objects.get(center=hall.a)
    assert item.status == ItemStatus.PUBLISHED
    assert item.current.state == VersionState.PUBLISHED
    page = login("office_a").get(response["Location"])
    assert "1" in "".join(str(m) for m in page.context["messages"])


def test_a_refused_upload_lists_sheet_row_and_column_and_imports_nothing(login, hall, tmp_path):
    path = edit(
        save(tmp_path, build_template()),
        lambda workbook: set_cell(workbook["申报材料"], 3, "来源渠道", "路边捡"),
    )
    # when
    response = upload(login("office_a"), path)
    # then
    assert response.status_code == 200
    [problem] = response.context["problems"]
    assert (problem.sheet, problem.row, problem.column) == ("申报材料", 3, "来源渠道")
    html = response.content.decode()
    assert "申报材料" in html
    assert "路边捡" in html
    assert not ServiceItem.objects.exists()


def test_only_xlsx_files_are_accepted(login, hall, tmp_path):
    path = tmp_path / "items.csv"
    path.write_text("事项编码\n")
    response = upload(login("office_a"), path, name="items.csv")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_anonymous_visitors_are_sent_to_login(client, hall):
    response = client.get(reverse("catalog:workbook_export"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
