"""The bulletin's sentences: each one read against the records built in conftest (December in
center A), then the variants the month may take, on figures written by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from govhall.bulletins import text
from govhall.bulletins.figures import figures
from govhall.bulletins.types import (
    Awards,
    CaseTotals,
    GoodDeedNote,
    InfoSubmission,
    JournalNote,
    LeaveFigures,
    MonthFigures,
    PatrolFigures,
    Timeliness,
    UnitCases,
    UnitConsultations,
    UnitCount,
)
from tests.bulletins.conftest import DECEMBER


@pytest.fixture
def month(hall, december, after_the_month):
    return figures(hall.a, DECEMBER)


# --- on the records --------------------------------------------------------------------------


def test_case_sentence_reads_the_months_cases(month):
    assert text.cases_sentence(month) == (
        "12月份，甲政务服务中心各窗口单位共受理业务办件6件，办结5件，其中，即办件2件，承诺件3件。"
        "受理业务前二名窗口单位为：公安局(4件)、住建局(2件)。"
        "同时，咨询件较多的窗口单位为经信局(6人次)；未发生业务受理办件的窗口单位为经信局。"
    )


def test_info_sentence_names_the_submitting_window(month):
    assert text.info_sentence(month) == "本月除公安局出入境窗口报送信息简报外，其余单位均未报送。"


def test_visits_media_and_other_work_come_from_the_journal(month):
    assert text.visits_sentence(month) == (
        "12月2日，县人大常委会副主任某某一行到县政务服务中心大厅巡视，对大厅内部环境提出了意见。"
    )
    assert text.media_sentence(month) == (
        "12月8日，《湖北日报》第三版刊发《服务群众的“最后一公里”》，以图文形式报道了中心优化服务的情况。"
    )
    assert text.other_work_sentence(month) == "12月中旬，中心大厅电子政务公开触摸屏投入运行。"


def test_attendance_sentence_counts_leave_and_outings(month):
    assert text.attendance_sentence(month) == (
        "12月份，甲政务服务中心窗口工作人员请事假、病假、公休3人次，合计5天；外出办事登记2次；"
        "其余窗口人员基本全勤到岗、按时上下班。"
    )


def test_good_deeds_and_named_violations(month):
    assert text.good_deeds_sentence(month) == (
        "住建局房产窗口工作人员孙房产，利用午休时间为群众办理房产交易手续。"
    )
    assert text.violations_sentence(month) == (
        "本月日常巡查发现以下违反工作纪律的情况，予以通报："
        "12月12日，公安局出入境窗口工作人员钱办事上午九点零五分才到岗（迟到早退）。"
    )


def test_feedback_sentence_counts_complaints_and_messages(month):
    assert text.feedback_sentence(month) == "本月收到投诉1件、留言1件，已答复0件。"


def test_awards_wait_for_the_office(month):
    assert [lead + line for lead, line in text.award_lines(month)] == [
        "（一）评为12月份“红旗窗口”的窗口单位：（待评定）",
        "（二）评为12月份“星级首席”的窗口首席代表：（待评定）",
        "（三）评为12月份“服务标兵”称号的窗口工作人员：（待评定）",
    ]


def test_problems_are_drafted_from_measured_problems(month):
    problems = text.problems_draft(month)
    assert problems[0].startswith("1.AB角制度落实不到位。本月公安局(1次)窗口共出现空岗1次")
    assert problems[1] == (
        "2.巡查签到执行率过低。从12月份中心管理办公室《巡查签到表》看出，"
        "除住建局分管领导签到外，其余单位分管领导均未按照要求落实“窗口巡查签到”制度。"
    )
    assert problems[2] == "3.自律性仍有待提高。本月日常巡查发现迟到早退1起，涉及公安局等窗口单位。"
    # 住建局's permit accepted on 12-12 was due on 12-15 and is still open
    assert problems[3] == "4.部分承诺件超期办理。本月1件承诺件超过承诺时限。"
    assert problems[4] == "5.服务质量仍有差距。本月收到群众投诉1件。"


def test_the_document_follows_the_reference_structure(month):
    doc = text.build_document(month, text.Texts.drafts(month), issued_on=dt.date(2017, 1, 5))
    headings = [b.text for b in doc.blocks if b.kind in ("h1", "h2")]
    assert headings == [
        "一、运行情况", "（一）窗口工作", "（二）窗口人员", "（三）投诉、留言情况",
        "二、量化评比", "三、存在问题", "四、下步工作打算及要求",
    ]  # fmt: skip
    leads = [b.lead for b in doc.blocks if b.lead and not b.lead.startswith("（")]
    assert leads[:8] == [
        "1.业务受理。", "2.信息报送。", "3.领导督办。", "4.媒体报道。", "5.其他工作。",
        "1.考勤记录。", "2.好人好事。", "3.实名通报。",
    ]  # fmt: skip
    assert doc.issue == "测试政务服务【2016】第1期"
    assert doc.imprint == "甲政务服务中心管理办公室\u3000\u30002017年1月5日印发"
    assert doc.title == "12月份窗口工作情况通报"


# --- variants, on figures written by hand -------------------------------------------------------


def hand(**overrides) -> MonthFigures:
    base = MonthFigures(
        center="随县政务服务中心",
        short_name="随县政务服务",
        office="随县政务服务中心管理办公室",
        month=DECEMBER,
        year=2016,
        number=3,
        active_units=4,
    )
    return replace(base, **overrides)


def test_the_reference_sentence_for_the_top_five():
    found = hand(
        cases=CaseTotals(6560, 6496, 5720, 776, 0),
        top_units=tuple(
            UnitCases(name, None, n)
            for name, n in (
                ("公安局", 3932),
                ("住建局", 1075),
                ("林业局", 770),
                ("财政局", 236),
                ("发改局", 146),
            )
        ),  # fmt: skip
        top_consultation_units=(UnitConsultations("经信局", None, 26),),
        units_without_cases=("经信局",),
    )
    assert text.cases_sentence(found) == (
        "12月份，县政务服务中心各窗口单位共受理业务办件6560件，办结6496件，其中，即办件5720件，"
        "承诺件776件。受理业务前五名窗口单位为：公安局(3932件)、住建局(1075件)、林业局(770件)、"
        "财政局(236件)、发改局(146件)。同时，咨询件较多的窗口单位为经信局(26人次)；"
        "未发生业务受理办件的窗口单位为经信局。"
    )


def test_tied_consultations_name_every_unit_at_the_top():
    found = hand(
        top_consultation_units=(
            UnitConsultations("住建局", None, 5),
            UnitConsultations("经信局", None, 5),
            UnitConsultations("公安局", None, 2),
        )
    )
    assert "咨询件较多的窗口单位为住建局(5人次)、经信局(5人次)；" in text.cases_sentence(found)


def test_a_quiet_month():
    found = hand()
    assert text.cases_sentence(found).endswith(
        "同时，各窗口单位本月未登记咨询件；各窗口单位均发生了业务受理办件。"
    )
    assert text.info_sentence(found) == "本月各窗口单位均未报送信息简报。"
    assert text.visits_sentence(found) == "本月无领导到中心督办检查。"
    assert text.media_sentence(found) == "本月无媒体报道。"
    assert text.attendance_sentence(found) == (
        "12月份，县政务服务中心窗口工作人员无请假；无外出办事登记；窗口人员全勤到岗、按时上下班。"
    )
    assert text.feedback_sentence(found) == "本月未收到投诉及留言。"
    assert text.good_deeds_sentence(found) == "本月未登记好人好事。"
    assert text.problems_draft(found) == ["本月未发现突出问题。"]


def test_the_reference_attendance_sentence():
    found = hand(
        leave=LeaveFigures(13, Decimal(35)), leave_kinds=("事假", "病假", "公休"), outings=6
    )
    assert text.attendance_sentence(found) == (
        "12月份，县政务服务中心窗口工作人员请事假、病假、公休13人次，合计35天；外出办事登记6次；"
        "其余窗口人员基本全勤到岗、按时上下班。"
    )
    half = hand(leave=LeaveFigures(2, Decimal("2.5")), leave_kinds=("事假",))
    assert "请事假2人次，合计2.5天；无外出办事登记" in text.attendance_sentence(half)


def test_the_reference_patrol_sentence():
    found = hand(patrol=PatrolFigures(("发改局", "住建局", "教育局"), ("公安局", "林业局")))
    assert text.patrol_sentence(found) == (
        "从12月份中心管理办公室《巡查签到表》看出，除发改局、住建局、教育局分管领导签到外，"
        "其余单位分管领导均未按照要求落实“窗口巡查签到”制度。"
    )
    nobody = hand(patrol=PatrolFigures((), ("公安局",)))
    assert "各入驻单位分管领导均未按照要求落实" in text.patrol_sentence(nobody)
    everybody = hand(patrol=PatrolFigures(("公安局",), ()))
    assert "各入驻单位分管领导均已按照要求落实" in text.patrol_sentence(everybody)
    assert not any("巡查签到" in p for p in text.problems_draft(everybody))


def test_info_when_every_unit_submitted_and_plain_windows():
    found = hand(
        active_units=2,
        info_submission_units=("公安局", "住建局"),
        info_submissions=(
            InfoSubmission(dt.date(2016, 12, 1), "公安局", "公安局出入境窗口", "简报"),
            InfoSubmission(dt.date(2016, 12, 2), "住建局", "住建局住建窗口", "简报"),
        ),
    )
    assert text.info_sentence(found) == "本月各窗口单位均报送了信息简报。"
    assert text.info_submitters(found) == ["公安局出入境窗口", "住建局"]


def test_feedback_answered_and_awards_named():
    found = hand(
        complaints=2,
        messages=0,
        feedback_answered=2,
        awards=Awards(("公安局", "住建局"), ("刘凯",), ("徐显妮",)),
    )
    assert text.feedback_sentence(found) == "本月收到投诉2件，均已答复。"
    assert text.award_lines(found)[0] == (
        "（一）",
        "评为12月份“红旗窗口”的窗口单位：公安局、住建局。",
    )


def test_good_deed_of_a_units_plain_window_names_the_unit():
    found = hand(
        good_deeds=(
            GoodDeedNote(dt.date(2016, 12, 5), "住建局", "住建局住建窗口", "张三", "热心。"),
        )
    )
    assert text.good_deeds_sentence(found) == "住建局窗口工作人员张三，热心。"


def test_media_report_without_a_title_and_overdue_problems():
    found = hand(
        media_reports=(
            JournalNote(dt.date(2016, 12, 14), outlet="《随州日报》", content="中心的延时服务。"),
        ),
        timeliness=Timeliness(yellow=2, red=1, overdue=1),
        vacancies=(UnitCount("人社局", None, 2),),
    )
    assert text.media_sentence(found) == "12月14日，《随州日报》报道了中心的延时服务。"
    problems = text.problems_draft(found)
    assert problems[0].startswith("1.AB角制度落实不到位。本月人社局(2次)窗口共出现空岗2次")
    assert (
        problems[1]
        == "2.部分承诺件超期办理。本月电子监察发出黄牌2张、红牌1张，1件承诺件超过承诺时限。"
    )


def test_office_lines_keep_their_numbers():
    found = hand()
    texts = text.Texts(title="t", problems="1．第一点\n\n2、第二点\n没有编号", plans="")
    doc = text.build_document(found, texts, issued_on=dt.date(2017, 1, 5))
    index = [b.text for b in doc.blocks].index("三、存在问题")
    assert [(b.lead, b.text) for b in doc.blocks[index + 1 : index + 4]] == [
        ("1.", "第一点"), ("2.", "第二点"), ("", "没有编号"),
    ]  # fmt: skip
    assert doc.blocks[-1].text == "无。"  # 下步工作 left empty


def test_hall_names_and_numbers():
    assert text.hall_in_text("随县政务服务中心") == "县政务服务中心"
    assert text.hall_in_text("随州市政务服务中心") == "市政务服务中心"
    assert text.hall_in_text("甲政务服务中心") == "甲政务服务中心"
    assert [text.chinese_number(n) for n in (1, 5, 10, 12, 20, 25)] == [
        "一", "五", "十", "十二", "二十", "二十五"
    ]  # fmt: skip
