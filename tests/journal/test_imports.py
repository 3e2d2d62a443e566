"""import_data journal: 类型, 日期, 单位, 姓名, 内容 — all rows or none, bad rows named."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from govhall.core.imports import ImportFailed, run_import
from govhall.journal import selectors
from govhall.journal.choices import EntryKind
from govhall.journal.models import JournalEntry
from tests.journal.conftest import at

GOOD = (
    "类型,日期,单位,姓名,内容\n"
    "领导督办,2016-12-02,,县人大常委会副主任 某某一行,对大厅环境及电子政务公开提出了意见\n"
    "媒体报道,2016-12-08,,湖北日报,第三版刊发《服务群众的“最后一公里”》\n"
    "信息报送,2016-12-09,公安局,赵首席,出入境窗口信息简报\n"
    "其他工作,2016-12-15,,,大厅电子政务公开触摸屏投入运行\n"
    "好人好事,2016-12-20,公安局,钱办事,主动延时服务\n"
    "好人好事,2016-12-21,,孙房产,帮助同事解决电脑难题\n"
)


def write(tmp_path, text):
    path = tmp_path / "journal.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_import_files_each_kind_where_the_bulletin_reads_it(hall, tmp_path):
    # when
    with time_machine.travel(at(2017, 1, 3, 9, 0)):
        call_command(
            "import_data", "journal", str(write(tmp_path, GOOD)), "--center", hall.a.name,
            stdout=StringIO(),
        )  # fmt: skip
    # then
    assert JournalEntry.objects.count() == 6
    report = JournalEntry.objects.get(kind=EntryKind.MEDIA_REPORT)
    assert (report.outlet, report.title) == ("湖北日报", "服务群众的“最后一公里”")
    assert (
        JournalEntry.objects.get(kind=EntryKind.LEADER_VISIT).person
        == "县人大常委会副主任 某某一行"
    )
    assert selectors.info_submission_units(center=hall.a, month="2016-12") == [hall.x]
    deeds = selectors.good_deeds(center=hall.a, month="2016-12")
    assert [(d.staff, d.unit) for d in deeds] == [("钱办事", "公安局"), ("孙房产", "住建局")]
    # importing the same file again adds nothing
    with time_machine.travel(at(2017, 1, 3, 9, 0)):
        run_import(kind="journal", path=write(tmp_path, GOOD), center=hall.a)
    assert JournalEntry.objects.count() == 6


def test_import_refuses_every_bad_row_and_writes_nothing(hall, tmp_path):
    bad = (
        "类型,日期,单位,姓名,内容\n"
        "其他工作,2016-12-15,,,触摸屏投入运行\n"  # fine
        "闲聊,2016-12-15,,,x\n"  # unknown kind
        "其他工作,2016年12月15日,,,x\n"  # bad date
        "信息报送,2016-12-09,水务局,,简报\n"  # unknown unit
        "信息报送,2016-12-09,,,简报\n"  # no unit
        "好人好事,2016-12-20,,查无此人,好事\n"  # unknown staff
        "好人好事,2016-12-20,住建局,钱办事,好事\n"  # not of that unit
        "领导督办,2016-12-02,,,意见\n"  # who is missing
        "其他工作,2099-01-01,,,未来\n"  # future
    )
    with pytest.raises(ImportFailed) as refused:
        run_import(kind="journal", path=Path(write(tmp_path, bad)), center=hall.a)
    problems = {(p.row, p.column) for p in refused.value.problems}
    assert problems == {
        (3, "类型"),
        (4, "日期"),
        (5, "单位"),
        (6, "单位"),
        (7, "姓名"),
        (8, "姓名"),
        (9, "姓名"),
        (10, "日期"),
    }
    assert not JournalEntry.objects.exists()
