"""import_data items: CSV or XLSX, published at once, every bad row named, nothing half-written."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from govhall.catalog.choices import FeeMode, ItemStatus, VersionState
from govhall.catalog.models import ItemVersion, ServiceItem
from govhall.catalog.services import version_start
from govhall.core.imports import ImportFailed, run_import
from tests.catalog.builders import publish_item

HEADER = "事项编码,事项名称,单位,事项类型,办件类型,法定时限,承诺时限,收费标准"
GOOD = [
    "P001,普通护照签发,公安局,行政许可,承诺件,15,7,160",
    "P002,户口迁移,公安局,07,即办件,1,0,不收费",
    "Z001,商品房预售许可,住建局,行政许可,承诺件,20,0.5,按《湖北省物价局鄂价费〔2012〕1号》收取",
]


def write_csv(tmp_path: Path, lines: list[str], header: str = HEADER, bom: bool = True) -> Path:
    path = tmp_path / "items.csv"
    text = "\n".join([header, *lines]) + "\n"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def import_items(path: Path, hall, by=None):
    return run_import(kind="items", path=path, center=hall.a, by=by)


def refusals(path: Path, hall) -> list[tuple[int | None, str | None]]:
    with pytest.raises(ImportFailed) as failed:
        import_items(path, hall)
    return [(p.row, p.column) for p in failed.value.problems]


def test_a_csv_of_items_is_published_at_once(hall, tmp_path):
    # when
    result = import_items(write_csv(tmp_path, GOOD), hall, by=hall.user("office_a"))
    # then
    assert (result.rows, result.created, result.updated) == (3, 3, 0)
    passport = ServiceItem.objects.get(center=hall.a, code="P001")
    assert passport.status == ItemStatus.PUBLISHED
    assert passport.is_public
    assert passport.current.state == VersionState.PUBLISHED
    assert passport.unit == hall.x
    assert passport.current.category == "01"
    assert passport.current.handling_type == "promised"
    assert (passport.current.legal_days, passport.current.promised_days) == (15, 7)
    assert passport.current.fee_mode == FeeMode.CHARGED
    fee = passport.current.fee_lines.get()
    assert (fee.amount, fee.basis) == (Decimal("160.00"), "160")


def test_free_items_and_half_days_and_national_codes_are_read(hall, tmp_path):
    # when
    import_items(write_csv(tmp_path, GOOD), hall)
    # then
    moving = ServiceItem.objects.get(code="P002").current
    assert (moving.category, moving.handling_type, moving.promised_days) == (
        "07",
        "immediate",
        0,
    )
    assert moving.fee_mode == FeeMode.FREE
    assert not moving.fee_lines.exists()
    presale = ServiceItem.objects.get(code="Z001").current
    assert presale.promised_days == Decimal("0.5")
    assert presale.fee_lines.get().amount is None
    assert presale.fee_lines.get().basis.startswith("按《湖北省物价局")


def test_optional_columns_fill_the_basic_information(hall, tmp_path):
    header = HEADER + ",基本编码,服务对象,设定依据,办理地点,办理时间,通办范围,办件结果,咨询电话"
    line = (
        "P001,普通护照签发,公安局,行政许可,承诺件,15,7,免费,000123456789,自然人、法人,"
        "《护照法》第五条,一楼出入境窗口,周一至周五,随县、曾都区户籍居民,护照,0722-1234567"
    )
    # when
    import_items(write_csv(tmp_path, [line], header=header), hall)
    # then
    version = ServiceItem.objects.get(code="P001").current
    assert version.basic_code == "000123456789"
    assert version.target == "both"
    assert version.legal_basis == "《护照法》第五条"
    assert version.service_scope == "随县、曾都区户籍居民"
    assert version.phone == "0722-1234567"


def test_an_xlsx_of_items_is_read_from_its_first_sheet(hall, tmp_path):
    # given numbers typed as numbers, as Excel keeps them
    workbook = Workbook()
    workbook.active.append(HEADER.split(","))
    workbook.active.append(["P001", "普通护照签发", "公安局", 1, "承诺件", 15, 7.5, 160])
    workbook.active.append(["P002", "户口迁移", "公安局", "行政确认", "即办件", 1, 0, "免费"])
    path = tmp_path / "items.xlsx"
    workbook.save(path)
    # when
    result = import_items(path, hall)
    # then
    assert result.created == 2
    passport = ServiceItem.objects.get(code="P001")
    assert passport.category == "01"
    assert passport.current.promised_days == Decimal("7.5")


def test_the_command_imports_items_into_the_named_center(hall, tmp_path):
    # when
    out = StringIO()
    call_command(
        "import_data", "items", str(write_csv(tmp_path, GOOD)), "--center", hall.a.name, stdout=out
    )
    # then
    assert ServiceItem.objects.filter(center=hall.a, status=ItemStatus.PUBLISHED).count() == 3


def test_the_command_reports_every_problem_and_imports_nothing(hall, tmp_path):
    bad = write_csv(tmp_path, [*GOOD, "P004,林木采伐许可,林业局,行政许可,承诺件,20,10,免费"])
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_data", "items", str(bad), "--center", hall.a.name, stderr=err)
    assert "林业局" in err.getvalue()
    assert "5" in err.getvalue()
    assert not ServiceItem.objects.exists()


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("P009,某事项,林业局,行政许可,承诺件,20,10,免费", "单位"),
        ("P009,某事项,公安局,行政审批,承诺件,20,10,免费", "事项类型"),
        ("P009,某事项,公安局,行政许可,加急件,20,10,免费", "办件类型"),
        ("P009,某事项,公安局,行政许可,承诺件,10,20,免费", "承诺时限"),
        ("P009,某事项,公安局,行政许可,即办件,1,1,免费", "承诺时限"),
        ("P009,某事项,公安局,行政许可,承诺件,十五,10,免费", "法定时限"),
        ("P009,某事项,公安局,行政许可,承诺件,20,五天,免费", "承诺时限"),
        ("P009,某事项,公安局,行政许可,承诺件,20,0.3,免费", "承诺时限"),
        ("P009,某事项,公安局,行政许可,承诺件,20,0,免费", "承诺时限"),
        ("P009,,公安局,行政许可,承诺件,20,10,免费", "事项名称"),
        (",某事项,公安局,行政许可,承诺件,20,10,免费", "事项编码"),
    ],
)
def test_a_bad_row_is_refused_by_row_and_column_and_nothing_is_written(
    hall, tmp_path, line, column
):
    # given two good rows and a bad one between them
    path = write_csv(tmp_path, [GOOD[0], line, GOOD[1]])
    # when / then
    assert refusals(path, hall) == [(3, column)]
    assert not ServiceItem.objects.exists()
    assert not ItemVersion.objects.exists()


def test_messages_say_what_is_wrong(hall, tmp_path):
    path = write_csv(
        tmp_path,
        [
            "P001,普通护照签发,林业局,行政许可,承诺件,15,7,免费",
            "P002,户口迁移,公安局,行政许可,承诺件,十五,7,免费",
            "P003,户口迁出,公安局,行政许可,承诺件,5,7,免费",
        ],
    )
    with pytest.raises(ImportFailed) as failed:
        import_items(path, hall)
    messages = [str(p) for p in failed.value.problems]
    assert "林业局" in messages[0]
    assert "十五" in messages[1]
    assert len(messages) == 3


def test_a_code_repeated_in_the_file_is_refused_naming_the_first_row(hall, tmp_path):
    path = write_csv(tmp_path, [GOOD[0], GOOD[1], GOOD[0].replace("普通护照", "电子护照")])
    with pytest.raises(ImportFailed) as failed:
        import_items(path, hall)
    [problem] = failed.value.problems
    assert (problem.row, problem.column) == (4, "事项编码")
    assert "2" in problem.message
    assert not ServiceItem.objects.exists()


def test_every_bad_row_is_reported_not_just_the_first(hall, tmp_path):
    path = write_csv(
        tmp_path,
        [
            "P001,普通护照签发,林业局,行政许可,承诺件,15,7,免费",
            GOOD[1],
            "P003,户口迁出,公安局,行政审批,加急件,5,7,免费",
        ],
    )
    assert refusals(path, hall) == [(2, "单位"), (4, "事项类型"), (4, "办件类型")]


def test_a_missing_required_column_is_named(hall, tmp_path):
    path = write_csv(
        tmp_path, ["P001,普通护照签发,公安局,行政许可,承诺件,15,7"], header=HEADER[:-5]
    )
    assert refusals(path, hall) == [(1, "收费标准")]


def test_reimporting_an_item_publishes_a_new_version_and_keeps_its_other_parts(hall, tmp_path):
    # given a complete item in the catalog
    item = publish_item(hall.a, hall.x, code="P001")
    first = item.current
    # when the file changes its limits
    result = import_items(
        write_csv(tmp_path, ["P001,普通护照签发,公安局,行政许可,承诺件,15,10,160"]), hall
    )
    # then
    assert (result.created, result.updated) == (0, 1)
    item.refresh_from_db()
    assert item.current.number == 2
    assert item.current.promised_days == 10
    assert item.current.materials.count() == first.materials.count() == 2
    assert item.current.steps.count() == 3
    assert item.current.legal_basis == first.legal_basis
    first.refresh_from_db()
    assert first.state == VersionState.SUPERSEDED


def test_importing_the_same_file_twice_adds_no_version(hall, tmp_path):
    path = write_csv(tmp_path, GOOD)
    import_items(path, hall)
    # when
    result = import_items(path, hall)
    # then
    assert (result.created, result.updated) == (0, 0)
    assert ItemVersion.objects.count() == 3


def test_limits_that_no_longer_fit_the_kept_steps_are_refused(hall, tmp_path):
    # given an item whose steps take 7 days
    publish_item(hall.a, hall.x, code="P001")
    # when the file promises 3 days
    path = write_csv(tmp_path, ["P001,普通护照签发,公安局,行政许可,承诺件,15,3,160"])
    # then
    assert refusals(path, hall) == [(2, "承诺时限")]


def test_an_item_under_review_is_not_overtaken_by_an_import(hall, tmp_path):
    item = publish_item(hall.a, hall.x, code="P001")
    version_start(by=None, item=item, change_type="change", decision_document="文件")
    path = write_csv(tmp_path, ["P001,普通护照签发,公安局,行政许可,承诺件,15,8,160"])
    assert refusals(path, hall) == [(2, "事项编码")]


def test_the_items_of_another_center_are_untouched(hall, tmp_path):
    # given the same code in center B
    other = publish_item(hall.b, hall.z, code="P001", name="林木采伐许可证核发")
    # when
    import_items(write_csv(tmp_path, GOOD), hall)
    # then
    other.refresh_from_db()
    assert other.name == "林木采伐许可证核发"
    assert other.versions.count() == 1
