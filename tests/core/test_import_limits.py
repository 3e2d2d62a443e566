"""Import files that cannot stop the server (issue 15.5): a zip bomb, a sheet of too many rows
or columns, a CSV past its limits are refused with a message naming the limit, before openpyxl
parses them and before anything is written; the import pages state the limits."""

from __future__ import annotations

import re
import time
import zipfile
from io import StringIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from govhall.catalog.workbook import import_workbook
from govhall.core.imports import ImportFailed, run_import
from govhall.org.models import Center, Unit

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def bomb(path: Path, *, megabytes: int) -> Path:
    """An XLSX whose one sheet is `megabytes` of identical rows, deflated to a small file."""
    row = (
        b'<row><c t="inlineStr"><is><t>' + "公安局".encode() * 20 + b"</t></is></c></row>"
    ) * 1000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", f'<workbook xmlns="{SHEET_NS}"/>')
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<worksheet xmlns="{SHEET_NS}"><sheetData>'.encode())
            for _ in range(megabytes * 1024 * 1024 // len(row) + 1):
                sheet.write(row)
            sheet.write(b"</sheetData></worksheet>")
    return path


def xlsx(path: Path, rows: list[list[Any]]) -> Path:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


@pytest.fixture
def openpyxl_never_opens(monkeypatch: Any) -> None:
    """A refused workbook must be refused before openpyxl spends memory and time on it."""

    def load_workbook(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("openpyxl opened a workbook that should have been refused")

    monkeypatch.setattr(openpyxl, "load_workbook", load_workbook)


def refusal(**kwargs: Any) -> str:
    with pytest.raises(ImportFailed) as failed:
        run_import(**kwargs)
    return str(failed.value)


@pytest.mark.django_db
def test_a_zip_bomb_workbook_is_refused_unread_naming_the_limit(
    tmp_path, hall, openpyxl_never_opens
):
    # given: a sheet of 60 MB of rows in a file of a few hundred KB
    path = bomb(tmp_path / "bomb.xlsx", megabytes=60)
    assert path.stat().st_size < 2 * 1024 * 1024
    # when
    started = time.monotonic()
    message = refusal(kind="units", path=path, center=hall.a)
    # then: refused from the zip's directory, long before the 5 s the issue allows
    assert "工作簿解压后超过 50 MB" in message
    assert time.monotonic() - started < 5


@pytest.mark.django_db
def test_import_data_refuses_a_zip_bomb_and_creates_no_center(tmp_path, openpyxl_never_opens):
    # given
    path = bomb(tmp_path / "bomb.xlsx", megabytes=60)
    err = StringIO()
    # when
    with pytest.raises(CommandError):
        call_command("import_data", "units", str(path), "--center", "新中心", stderr=err)
    # then
    assert "50 MB" in err.getvalue()
    assert not Center.objects.filter(name="新中心").exists()


@pytest.mark.django_db
def test_a_part_compressed_beyond_any_spreadsheet_is_refused(tmp_path, hall, openpyxl_never_opens):
    # given: under the size limit, but deflated a thousandfold
    path = bomb(tmp_path / "dense.xlsx", megabytes=12)
    # when
    message = refusal(kind="units", path=path, center=hall.a)
    # then
    assert "xl/worksheets/sheet1.xml" in message
    assert "压缩比超过 100 倍" in message


@pytest.mark.django_db
def test_the_catalog_workbook_refuses_a_zip_bomb_too(tmp_path, hall, openpyxl_never_opens):
    path = bomb(tmp_path / "bomb.xlsx", megabytes=60)
    with pytest.raises(ImportFailed) as failed:
        import_workbook(path=path, center=hall.a, by=None)
    assert "工作簿解压后超过 50 MB" in str(failed.value)


@pytest.mark.django_db
def test_a_sheet_over_the_row_limit_is_refused_whole_and_one_at_the_limit_is_imported(
    tmp_path, hall, settings
):
    # given
    settings.GOVHALL_IMPORT_MAX_ROWS = 50
    header = ["单位", "窗口"]
    at_limit = xlsx(tmp_path / "50.xlsx", [header, *[["单位甲", f"窗口{n}"] for n in range(50)]])
    over = xlsx(tmp_path / "51.xlsx", [header, *[["单位乙", f"窗口{n}"] for n in range(51)]])
    # when
    message = refusal(kind="units", path=over, center=hall.a)
    result = run_import(kind="units", path=at_limit, center=hall.a)
    # then
    assert "工作表超过 50 行" in message
    assert not Unit.objects.filter(name="单位乙").exists()
    assert result.rows == 50


@pytest.mark.django_db
def test_a_row_wider_than_the_column_limit_is_refused_naming_the_row(tmp_path, hall):
    # given: a valid header, then a row reaching column 101 (CW)
    path = xlsx(tmp_path / "wide.xlsx", [["单位", "窗口"], ["公安局", "户政窗口", *["x"] * 99]])
    # when
    with pytest.raises(ImportFailed) as failed:
        run_import(kind="units", path=path, center=hall.a)
    # then
    [problem] = failed.value.problems
    assert problem.row == 2
    assert "超过 100 列" in problem.message


@pytest.mark.django_db
def test_a_single_far_cell_with_a_false_dimension_is_refused_without_padding(tmp_path, hall):
    # given: a sheet stating A1:B2 whose second row holds a cell in the last column, XFD
    path = tmp_path / "far.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        source = zipfile.ZipFile(xlsx(tmp_path / "plain.xlsx", [["单位", "窗口"]]))
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"</sheetData>",
                    b'<row r="2"><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
                )
            archive.writestr(info, data)
    # when
    with pytest.raises(ImportFailed) as failed:
        run_import(kind="units", path=path, center=hall.a)
    # then
    assert "超过 100 列" in str(failed.value)


@pytest.mark.django_db
def test_a_bloated_style_sheet_is_refused_unread(tmp_path, hall, openpyxl_never_opens):
    # given: 110,000 distinct cell formats, which openpyxl would build whole
    formats = "".join(
        f'<xf numFmtId="{n}" fontId="0" fillId="0" borderId="0" xfId="0"/>' for n in range(110_000)
    )
    path = tmp_path / "styles.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        source = zipfile.ZipFile(xlsx(tmp_path / "plain.xlsx", [["单位", "窗口"], ["公安局", "x"]]))
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/styles.xml":
                data = re.sub(
                    rb'<cellXfs count="\d+">', f'<cellXfs count="110000">{formats}'.encode(), data
                )
            archive.writestr(info, data)
    # when / then
    assert "超过 100,000 项" in refusal(kind="units", path=path, center=hall.a)


@pytest.mark.django_db
def test_a_workbook_declaring_a_document_type_is_refused(tmp_path, hall):
    # given: an entity in the sheet, the seed of a "billion laughs"
    path = tmp_path / "dtd.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        source = zipfile.ZipFile(xlsx(tmp_path / "plain.xlsx", [["单位", "窗口"], ["公安局", "x"]]))
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"<worksheet", b'<!DOCTYPE worksheet [<!ENTITY u "\xe6\x9e\x97">]><worksheet', 1
                )
            archive.writestr(info, data)
    # when / then
    assert "文档类型声明" in refusal(kind="units", path=path, center=hall.a)
    assert not Unit.objects.filter(name="公安局", center=hall.a, windows__name="x").exists()


@pytest.mark.django_db
def test_a_csv_with_more_rows_than_the_limit_is_refused(tmp_path, hall, settings):
    settings.GOVHALL_IMPORT_MAX_ROWS = 50
    path = tmp_path / "many.csv"
    path.write_text("单位,窗口\n" + "".join(f"单位{n},窗口\n" for n in range(51)), encoding="utf-8")
    assert "工作表超过 50 行" in refusal(kind="units", path=path, center=hall.a)
    assert not Unit.objects.filter(name__startswith="单位").exists()


@pytest.mark.django_db
def test_a_csv_row_wider_than_the_column_limit_is_refused(tmp_path, hall):
    path = tmp_path / "wide.csv"
    path.write_text("单位,窗口\n公安局,户政窗口" + ",x" * 99 + "\n", encoding="utf-8")
    assert "第 2 行" in refusal(kind="units", path=path, center=hall.a)


@pytest.mark.django_db
def test_a_csv_larger_than_the_limit_is_refused_unread(tmp_path, hall, settings):
    settings.GOVHALL_IMPORT_MAX_UNPACKED_MB = 1
    path = tmp_path / "big.csv"
    path.write_text("单位,窗口,楼层\n公安局,户政窗口," + "楼" * 400_000 + "\n", encoding="utf-8")
    assert "文件超过 1 MB" in refusal(kind="units", path=path, center=hall.a)


@pytest.mark.django_db
def test_a_csv_cell_past_the_csv_modules_limit_gets_a_message_not_a_crash(tmp_path, hall):
    path = tmp_path / "long.csv"
    path.write_text('单位,窗口\n公安局,"' + "窗" * 200_000 + '"\n', encoding="utf-8")
    assert "CSV 无法读取" in refusal(kind="units", path=path, center=hall.a)


def test_the_import_page_states_the_limits(login, hall):
    page = login("office_a").get(reverse("org:import"))
    text = page.content.decode()
    assert "文件不超过 20 MB" in text
    assert "解压后不超过 50 MB" in text
    assert "100,000 行、100 列" in text


def test_the_catalog_workbook_page_states_the_limits(login, hall):
    text = login("office_a").get(reverse("catalog:workbook")).content.decode()
    assert "100,000 行、100 列" in text


def test_the_upload_limit_follows_the_setting(login, hall, settings):
    # given
    settings.GOVHALL_IMPORT_MAX_UPLOAD_MB = 1
    upload = SimpleUploadedFile(
        "units.csv", ("单位,窗口,楼层\n公安局,户政窗口," + "楼" * 400_000 + "\n").encode()
    )
    # when
    page = login("office_a").post(reverse("org:import"), {"kind": "units", "file": upload})
    # then
    assert "文件超过 1 MB" in page.content.decode()
    assert not Unit.objects.filter(name="公安局", windows__name="户政窗口").exists()
