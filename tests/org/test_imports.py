"""import_data units|staff: CSV or XLSX, all rows or none, every problem named by row and column."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from govhall.core.imports import ImportFailed, run_import
from govhall.org.models import Center, Post, Staff, Unit, Window


def write_csv(tmp_path: Path, text: str, name: str = "data.csv", bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def write_xlsx(tmp_path: Path, rows: list[list[object]], name: str = "data.xlsx") -> Path:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


UNITS_CSV = "单位,窗口,楼层\n公安局,出入境窗口,一楼\n公安局,户政窗口,一楼\n住建局,房产窗口,二楼\n"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_data", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_units_import_creates_the_center_units_and_windows(tmp_path):
    # when
    out, _err = run(
        "units", str(write_csv(tmp_path, UNITS_CSV, bom=True)), "--center", "随县政务服务中心"
    )
    # then
    center = Center.objects.get(name="随县政务服务中心")
    assert set(Unit.objects.filter(center=center).values_list("name", flat=True)) == {
        "公安局",
        "住建局",
    }
    assert Window.objects.get(name="房产窗口").floor == "二楼"
    assert "3" in out


@pytest.mark.django_db
def test_reimporting_the_same_units_changes_nothing_but_updated_floors(tmp_path):
    run("units", str(write_csv(tmp_path, UNITS_CSV)), "--center", "随县政务服务中心")
    run("units", str(write_csv(tmp_path, UNITS_CSV.replace("二楼", "三楼"), name="b.csv")))
    assert Window.objects.count() == 3
    assert Window.objects.get(name="房产窗口").floor == "三楼"


@pytest.mark.django_db
def test_a_refused_file_for_a_new_center_leaves_no_center_behind(tmp_path):
    bad = write_csv(tmp_path, "单位,窗口\n公安局,\n")
    with pytest.raises(CommandError, match="Nothing was imported|未导入|没有导入"):
        run("units", str(bad), "--center", "新中心")
    assert not Center.objects.exists()


@pytest.mark.django_db
def test_a_missing_required_column_is_named(tmp_path):
    bad = write_csv(tmp_path, "单位,楼层\n公安局,一楼\n")
    with pytest.raises(ImportFailed) as failed:
        run_import(kind="units", path=bad, center=Center.objects.create(name="c"))
    assert [(p.row, p.column) for p in failed.value.problems] == [(1, "窗口")]


@pytest.mark.django_db
def test_units_from_an_xlsx_first_sheet(tmp_path):
    path = write_xlsx(
        tmp_path, [["单位", "窗口", "楼层"], ["林业局", "林业窗口", 2], [None, None, None]]
    )
    center = Center.objects.create(name="c")
    result = run_import(kind="units", path=path, center=center)
    assert result.rows == 1
    assert Window.objects.get(name="林业窗口").floor == "2"


STAFF_CSV = (
    "姓名,单位,窗口,角色,B角,手机\n"
    "周一,公安局,出入境窗口,首席代表,吴二,13900001111\n"
    "吴二,公安局,出入境窗口,工作人员,周一,\n"
    "郑三,住建局,房产窗口,工作人员,王四,\n"
    "王四,住建局,房产窗口,首席代表,郑三,0722-4321000\n"
)


@pytest.fixture
def units_loaded(tmp_path, db):
    run(
        "units",
        str(write_csv(tmp_path, UNITS_CSV, name="units.csv")),
        "--center",
        "随县政务服务中心",
    )
    return Center.objects.get()


def test_staff_import_creates_people_chiefs_and_ab_posts_referring_to_later_rows(
    tmp_path, units_loaded
):
    # when
    run("staff", str(write_csv(tmp_path, STAFF_CSV)))
    # then
    assert Staff.objects.get(name="周一").is_chief
    assert Staff.objects.get(name="王四").phone == "0722-4321000"
    assert Post.objects.get(primary__name="郑三").backup.name == "王四"
    assert Post.objects.get(primary__name="周一").backup.name == "吴二"


def test_every_bad_staff_row_is_reported_and_nothing_is_written(tmp_path, units_loaded):
    # given
    bad = (
        "姓名,单位,窗口,角色,B角,手机\n"
        "周一,公安局,出入境窗口,首席代表,,\n"  # good
        ",公安局,出入境窗口,工作人员,,\n"  # row 3: no name
        "吴二,交通局,交通窗口,工作人员,,\n"  # row 4: unknown unit
        "郑三,住建局,不存在窗口,工作人员,,\n"  # row 5: unknown window
        "王四,住建局,房产窗口,科长,,\n"  # row 6: unknown role
        "钱五,公安局,出入境窗口,首席代表,,\n"  # row 7: second chief
        "孙六,公安局,户政窗口,工作人员,没这人,\n"  # row 8: unknown backup
        "李七,公安局,户政窗口,工作人员,,12345\n"  # row 9: bad phone
    )
    # when
    with pytest.raises(ImportFailed) as failed:
        run_import(kind="staff", path=write_csv(tmp_path, bad), center=units_loaded)
    # then
    where = [(p.row, p.column) for p in failed.value.problems]
    assert where == [
        (3, "姓名"),
        (4, "单位"),
        (5, "窗口"),
        (6, "角色"),
        (7, "角色"),
        (8, "B角"),
        (9, "手机"),
    ]
    assert not Staff.objects.exists()
    assert not Post.objects.exists()


TWO_NAMESAKES = "张同,公安局,出入境窗口,工作人员,\n张同,住建局,房产窗口,工作人员,\n"


def test_a_backup_name_prefers_the_colleague_of_the_same_unit(tmp_path, units_loaded):
    rows = "姓名,单位,窗口,角色,B角\n" + TWO_NAMESAKES + "赵甲,公安局,户政窗口,工作人员,张同\n"
    run_import(kind="staff", path=write_csv(tmp_path, rows), center=units_loaded)
    assert Post.objects.get(primary__name="赵甲").backup.unit.name == "公安局"


def test_a_backup_name_shared_by_people_of_other_units_is_refused_as_ambiguous(
    tmp_path, units_loaded
):
    # given: a third unit asks for 张同, who exists in two other units
    third = Unit.objects.create(center=units_loaded, name="林业局")
    Window.objects.create(center=units_loaded, unit=third, name="林业窗口")
    rows = "姓名,单位,窗口,角色,B角\n" + TWO_NAMESAKES + "韩丁,林业局,林业窗口,工作人员,张同\n"
    # when
    with pytest.raises(ImportFailed) as failed:
        run_import(kind="staff", path=write_csv(tmp_path, rows), center=units_loaded)
    # then
    assert [(p.row, p.column) for p in failed.value.problems] == [(4, "B角")]
    assert not Staff.objects.filter(name="韩丁").exists()


def test_an_unknown_kind_and_a_missing_file_are_refused_clearly(tmp_path, units_loaded):
    with pytest.raises(CommandError, match="units"):
        run("people", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError):
        run("units", str(tmp_path / "missing.csv"))


def test_a_file_that_is_not_utf8_is_refused(tmp_path, units_loaded):
    path = tmp_path / "gbk.csv"
    path.write_bytes("单位,窗口\n公安局,出入境窗口\n".encode("gbk"))
    with pytest.raises(ImportFailed, match="UTF-8"):
        run_import(kind="units", path=path, center=units_loaded)


def test_the_import_page_reports_problems_by_row(client, hall, tmp_path):
    # given
    client.force_login(hall.user("office_a"))
    upload = write_csv(tmp_path, "单位,窗口\n,出入境窗口\n")
    # when
    with upload.open("rb") as handle:
        response = client.post("/org/import/", {"kind": "units", "file": handle})
    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert "单位" in page
    assert ">2<" in page
    assert Unit.objects.filter(center=hall.a).count() == 2
