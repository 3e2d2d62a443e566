"""A bulletin that states only what the records show (issue 19, point 7): absences only from a
register kept that month, no bulletin of a month without records, units counted only from the
day they came to the hall, the 存在问题 draft from named sources, and sentences that read right."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from govhall.bulletins import text
from govhall.bulletins.figures import figures
from govhall.bulletins.registers import kept_registers
from govhall.bulletins.services import register_confirm, register_withdraw
from govhall.bulletins.types import REGISTERS, JournalNote, MonthFigures, PatrolFigures
from govhall.core.errors import DomainError
from govhall.org.models import Unit
from tests.bulletins.conftest import DECEMBER
from tests.factories import CenterFactory, UnitFactory, WindowFactory

pytestmark = pytest.mark.usefixtures("after_the_month")


def hand(*, registers: tuple[str, ...] = REGISTERS, **overrides) -> MonthFigures:
    base = MonthFigures(
        center="随县政务服务中心", short_name="随县政务服务", office="随县政务服务中心管理办公室",
        month=DECEMBER, year=2016, number=3, active_units=4, registers=registers,
    )  # fmt: skip
    return replace(base, **overrides)


def without(*names: str) -> tuple[str, ...]:
    return tuple(r for r in REGISTERS if r not in names)


# --- absences only from a kept register --------------------------------------------------------


def test_full_attendance_is_claimed_only_from_the_months_punches():
    # given a month with leave and outings but no attendance punch
    found = hand(registers=without("attendance"), outings=2)
    # when
    sentence = text.attendance_sentence(found)
    # then
    assert "全勤" not in sentence
    assert sentence.endswith("外出办事登记2次；本月无考勤打卡记录，出勤情况未记录。")
    # and with punches it is said
    assert "其余窗口人员基本全勤到岗" in text.attendance_sentence(
        replace(found, registers=REGISTERS)
    )


def test_every_absence_sentence_needs_its_register():
    # given a month whose registers were none of them kept
    found = hand(registers=())
    # then no sentence says that something did not happen
    assert text.feedback_sentence(found) == "本月未登记投诉、留言情况。"
    assert text.visits_sentence(found) == "本月未登记领导督办情况。"
    assert text.media_sentence(found) == "本月未登记媒体报道情况。"
    assert text.info_sentence(found) == "本月未登记信息报送情况。"
    assert text.other_work_sentence(found) == "本月未登记其他工作情况。"
    assert text.violations_sentence(found) == "本月未登记日常巡查情况。"
    assert text.cases_sentence(found).startswith("12月份，县政务服务中心未登记业务办件。")
    assert "未发生业务受理" not in text.cases_sentence(found)
    assert text.attendance_sentence(found) == (
        "12月份，县政务服务中心窗口工作人员未登记请假；未登记外出办事；"
        "本月无考勤打卡记录，出勤情况未记录。"
    )
    assert (
        text.patrol_sentence(replace(found, patrol=PatrolFigures((), ("公安局",))))
        == "12月份中心管理办公室未登记巡查签到。"
    )
    assert text.problems_draft(found) == [
        "本月巡查签到、日常巡查、投诉、留言未登记，存在问题请中心管理办公室据实填写。"
    ]
    # and with the registers kept, the absences are stated
    kept = replace(found, registers=REGISTERS)
    assert text.feedback_sentence(kept) == "本月未收到投诉及留言。"
    assert text.problems_draft(kept) == ["本月未发现突出问题。"]


def test_the_office_confirms_an_empty_register_kept_and_may_take_it_back(hall, december):
    # given December of center B: a case, but no complaint or message
    office = hall.user("office_b")
    assert "feedback" not in kept_registers(center=hall.b, month=DECEMBER)
    assert text.feedback_sentence(figures(hall.b, DECEMBER)) == "本月未登记投诉、留言情况。"
    # when the office confirms the register was kept
    register_confirm(by=office, center=hall.b, month="2016-12", register="feedback")
    # then the bulletin may say so
    assert text.feedback_sentence(figures(hall.b, DECEMBER)) == "本月未收到投诉及留言。"
    # and taking the confirmation back takes the sentence back
    register_withdraw(by=office, center=hall.b, month="2016-12", register="feedback")
    assert "feedback" not in kept_registers(center=hall.b, month=DECEMBER)


def test_attendance_cannot_be_confirmed_by_hand(hall):
    with pytest.raises(DomainError) as caught:
        register_confirm(by=None, center=hall.a, month="2016-12", register="attendance")
    assert caught.value.field == "register"


def test_a_clerk_of_another_center_cannot_confirm_a_register(hall):
    with pytest.raises(Exception):  # noqa: B017, PT011 — NotAllowed from core.access
        register_confirm(
            by=hall.user("office_b"), center=hall.a, month="2016-12", register="feedback"
        )


# --- a month without records --------------------------------------------------------------------


def test_the_bulletin_of_a_month_without_records_is_refused_unless_allowed(hall, december):
    # when the office asks for a month nothing was recorded in
    with pytest.raises(CommandError) as caught:
        call_command("bulletin", "2015-03", center=hall.a.name, stdout=StringIO())
    # then it is refused, saying why (CommandError: exit status 1)
    assert "2015-03" in str(caught.value)
    assert "--allow-empty" in str(caught.value)
    # and --allow-empty writes it, stating no absence
    out = StringIO()
    call_command(
        "bulletin", "2015-03", center=hall.a.name, format="html", allow_empty=True, stdout=out
    )
    assert "全勤" not in out.getvalue()
    assert "未登记投诉、留言情况" in out.getvalue()


def test_a_month_imported_without_punches_does_not_claim_full_attendance(db, tmp_path: Path):
    # given a hall whose December 2016 is imported: its units, then consultations, no punches
    units = tmp_path / "units.csv"
    units.write_text("单位,窗口\n人社局,人社窗口\n民政局,民政窗口\n", encoding="utf-8")
    consultations = tmp_path / "consultations.csv"
    consultations.write_text(
        "单位,受理人,咨询时间,人次,内容\n人社局,,2016-12-08 09:30,3,社保转移\n", encoding="utf-8"
    )
    center = "丙政务服务中心"
    for kind, path in (("units", units), ("consultations", consultations)):
        call_command("import_data", kind, str(path), center=center, stdout=StringIO())
    # when the bulletin is written
    out = StringIO()
    call_command("bulletin", "2016-12", center=center, format="html", stdout=out)
    html = out.getvalue()
    # then it says attendance was not recorded, and claims no absence of cases
    assert "全勤" not in html
    assert "出勤情况未记录" in html
    assert "未发生业务受理办件" not in html
    # and the consulted unit was in the hall from its first imported record
    assert Unit.objects.get(name="人社局").created_on == dt.date(2016, 12, 8)


# --- units that came later ------------------------------------------------------------------------


def test_units_stationed_after_the_month_are_not_listed(hall, december):
    # given a unit that came to the hall in 2017
    later = UnitFactory(center=hall.a, name="税务局", position=9, created_on=dt.date(2017, 2, 1))
    WindowFactory(unit=later, name="税务窗口", created_on=dt.date(2017, 2, 1))
    # when
    found = figures(hall.a, DECEMBER)
    # then it is neither a unit without cases nor one whose leader did not sign in
    assert "税务局" not in found.units_without_cases
    assert "税务局" not in found.patrol.unsigned_units
    assert found.units_without_cases == ("经信局",)


# --- the 存在问题 draft ---------------------------------------------------------------------------


def test_the_problems_draft_numbers_the_sentences_of_its_sources_in_order():
    # given a source the queue might add (late window openings), placed after the patrols
    def late_openings(_figures: MonthFigures) -> str:
        return "窗口开门不及时。本月公安局窗口3次迟于上班时间叫号。"

    found = hand(patrol=PatrolFigures(("住建局",), ("公安局",)), complaints=1)
    sources = (*text.PROBLEM_SOURCES[:2], late_openings, *text.PROBLEM_SOURCES[2:])
    # when
    draft = text.problems_draft(found, sources=sources)
    # then
    assert [line.split("。", 1)[0] for line in draft] == [
        "1.巡查签到执行率过低",
        "2.窗口开门不及时",
        "3.服务质量仍有差距",
    ]


def test_unsigned_patrols_are_a_problem_only_from_a_kept_sheet():
    found = hand(registers=without("patrols"), patrol=PatrolFigures((), ("公安局",)))
    assert not any("巡查签到" in line and "执行率" in line for line in text.problems_draft(found))


# --- sentences that read right ------------------------------------------------------------------


def test_a_print_report_is_published_and_a_broadcast_is_aired():
    paper = JournalNote(
        dt.date(2016, 12, 8), outlet="湖北日报", section="第三版", title="最后一公里"
    )
    tv = JournalNote(
        dt.date(2016, 12, 14), outlet="随州社会全方位", section="栏目专题", title="出入境窗口"
    )
    web = JournalNote(dt.date(2016, 12, 15), outlet="随州新闻网", title="延时服务")
    found = hand(media_reports=(paper, tv, web))
    assert text.media_sentence(found) == (
        "12月8日，《湖北日报》第三版刊发《最后一公里》。"
        "12月14日，《随州社会全方位》栏目专题播出《出入境窗口》。"
        "12月15日，《随州新闻网》发布《延时服务》。"
    )


def test_signed_units_are_listed_in_the_order_of_their_first_sign_in(hall, december):
    # given 住建局 (position 2) signed in on 12月13日; 公安局 (position 1) signs in later
    from govhall.oversight import services as oversight
    from govhall.oversight.models import UnitLeader
    from tests.supervision.conftest import at

    leader = UnitLeader.objects.get(unit=hall.x)
    oversight.patrol_record(by=None, leader=leader, signed_in_at=at(2016, 12, 20, 9, 0))
    # when
    found = figures(hall.a, DECEMBER)
    # then the sheet's order, not the hall's
    assert found.patrol.signed_units == ("住建局", "公安局")


def test_another_center_starts_with_nothing_kept(db):
    center = CenterFactory(name="丁政务服务中心")
    assert kept_registers(center=center, month=DECEMBER) == ()
