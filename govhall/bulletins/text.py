"""The bulletin's words: pure functions of the month's figures, in the manner of the reference
bulletin (随县政务服务【2016】第3期), and the document they make with the office's texts.

Everything here is Chinese by nature (an official document), so it is data, not translation.
No ORM, no clock: the renderers and the tests call these with figures alone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from govhall.bulletins.types import JournalNote, MonthFigures

DIGITS = "零一二三四五六七八九"

# How the bulletin names each violation found on inspection (实名通报).
VIOLATION_NAMES: dict[str, str] = {
    "late_or_early": "迟到早退",
    "off_post": "脱岗串岗",
    "tv_or_chat": "上班看电视、聊天",
    "rude": "服务态度粗暴",
    "poor_service": "服务质量不高",
    "other": "其他违反工作纪律行为",
}
PENDING = "（待评定）"
# What the bulletin says of a register that holds nothing for the month and was not confirmed
# kept: the records are silent, so the bulletin states no absence (bulletins/registers.py).
NOT_RECORDED = "本月未登记{}情况。"
REGISTER_NAMES: dict[str, str] = {
    "cases": "业务办件",
    "attendance": "考勤",
    "leave": "请假",
    "outings": "外出办事",
    "patrols": "巡查签到",
    "inspections": "日常巡查",
    "feedback": "投诉、留言",
    "journal": "工作日志",
}


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 25 → 二十五 (headings and 前五名)."""
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else DIGITS[tens]
    return f"{head}十{DIGITS[ones] if ones else ''}"


def chinese_date(day: dt.date) -> str:
    """2017年1月5日."""
    return f"{day.year}年{day.month}月{day.day}日"


def month_day(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def amount(value: Decimal | int) -> str:
    """35 → "35", 2.5 → "2.5" (working days may be halves)."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def hall_in_text(center_name: str) -> str:
    """How the bulletin refers to its own hall: 随县政务服务中心 → 县政务服务中心."""
    position = max(
        center_name.rfind(mark, 0, max(center_name.find("政务"), 0)) for mark in "县市区"
    )
    return center_name[position:] if position > 0 else center_name


def month_name(figures: MonthFigures) -> str:
    """12月份."""
    return f"{figures.month.month}月份"


def _listed(names: Iterable[str]) -> str:
    return "、".join(names)


def _clause(text: str) -> str:
    """A sentence as a clause: its closing full stop (or semicolon) removed."""
    return text.strip().rstrip("。；;.").strip()


def _book(name: str) -> str:
    """《湖北日报》: the title marks once, whether the journal wrote them or not."""
    name = name.strip().strip("《》")
    return f"《{name}》" if name else ""


def specific_window(unit: str, window: str) -> str:
    """The window when its name says more than the unit's (公安局出入境窗口), else "": a unit's
    plain window (住建局住建窗口, 住建局窗口) is named by the unit alone."""
    rest = window.removeprefix(unit) if unit else window
    plain = {"", "窗口", f"{unit}窗口", f"{unit.removesuffix('局')}窗口", "综合窗口"}
    return "" if rest in plain else window


def _where(unit: str, window: str) -> str:
    """公安局出入境窗口, else 住建局窗口."""
    return specific_window(unit, window) or f"{unit}窗口"


def _sentences(clauses: Sequence[str], *, joiner: str = "；") -> str:
    parts = [_clause(c) for c in clauses if _clause(c)]
    return joiner.join(parts) + "。" if parts else ""


# --- 一、运行情况 (一)窗口工作 ------------------------------------------------------------------


def title(figures: MonthFigures) -> str:
    """12月份窗口工作情况通报."""
    return f"{month_name(figures)}窗口工作情况通报"


def intro_draft(figures: MonthFigures) -> str:
    hall, month = hall_in_text(figures.center), month_name(figures)
    return (
        f"{month}，{hall}各窗口单位认真履行职责，窗口工作人员工作作风进一步好转，"
        f"窗口办事效率进一步提高，中心整体运行情况良好。现将{month}政务服务中心工作情况通报如下："
    )


def cases_sentence(figures: MonthFigures) -> str:
    """1.业务受理: totals, the top five, the most consulted units, units without cases."""
    c = figures.cases
    if not figures.kept("cases"):
        text = f"{month_name(figures)}，{hall_in_text(figures.center)}未登记业务办件。"
    else:
        text = (
            f"{month_name(figures)}，{hall_in_text(figures.center)}各窗口单位共受理业务办件"
            f"{c.accepted}件，办结{c.completed}件，其中，即办件{c.completed_immediate}件，"
            f"承诺件{c.completed_promised}件。"
        )
    top = figures.top_units
    if len(top) > 1:
        text += f"受理业务前{chinese_number(len(top))}名窗口单位为：" + _listed(
            f"{u.unit}({u.accepted}件)" for u in top
        )
        text += "。"
    elif top:
        text += f"受理业务的窗口单位为：{top[0].unit}({top[0].accepted}件)。"
    clauses = []
    consulted = figures.top_consultation_units
    if consulted:
        most = consulted[0].person_times
        clauses.append(
            "咨询件较多的窗口单位为"
            + _listed(
                f"{u.unit}({u.person_times}人次)" for u in consulted if u.person_times == most
            )
        )
    else:
        clauses.append("各窗口单位本月未登记咨询件")
    if not figures.kept("cases"):
        pass  # no case register: which units had none is not known
    elif figures.units_without_cases:
        clauses.append("未发生业务受理办件的窗口单位为" + _listed(figures.units_without_cases))
    elif figures.active_units:
        clauses.append("各窗口单位均发生了业务受理办件")
    return text + "同时，" + _sentences(clauses)


def _minutes(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def queue_sentence(figures: MonthFigures) -> str:
    """排队叫号: numbers taken and served, waits, windows late to open — only in a month the
    queue issued numbers (no queue, no sentence)."""
    q = figures.queue
    if not q.tickets:
        return ""
    text = (
        f"排队叫号系统共发号{q.tickets}个，叫号办理{q.served}个，"
        f"群众平均等候{_minutes(q.average_wait_minutes)}分钟，最长等候{q.max_wait_minutes}分钟"
    )
    if q.late_openings:
        late = _listed(
            f"{_where(x.unit, x.window)}({month_day(x.date)}{x.first_call}首次叫号)"
            for x in q.late_openings[:5]
        )
        more = f"等{len(q.late_openings)}次" if len(q.late_openings) > 5 else ""
        text += f"；开门后超时未叫号的窗口有{late}{more}"
    return text + "。"


def info_submitters(figures: MonthFigures) -> list[str]:
    """Who submitted, in the hall's order of units: the window when known (公安局出入境窗口)."""
    names: list[str] = []
    for unit in figures.info_submission_units:
        windows = [
            specific_window(unit, s.submitter) or unit
            for s in figures.info_submissions
            if s.unit == unit
        ]
        for name in windows or [unit]:
            if name not in names:
                names.append(name)
    return names


def info_sentence(figures: MonthFigures) -> str:
    """2.信息报送: 本月除公安局出入境窗口报送信息简报外，其余单位均未报送。"""
    submitters = info_submitters(figures)
    if not submitters and not figures.kept("journal"):
        return NOT_RECORDED.format("信息报送")
    if not submitters:
        return "本月各窗口单位均未报送信息简报。"
    if figures.active_units and len(figures.info_submission_units) >= figures.active_units:
        return "本月各窗口单位均报送了信息简报。"
    return f"本月除{_listed(submitters)}报送信息简报外，其余单位均未报送。"


def _visit(note: JournalNote) -> str:
    return f"{month_day(note.date)}，{note.person}{_clause(note.content)}"


def visits_sentence(figures: MonthFigures) -> str:
    """3.领导督办: 12月2日，县人大常委会副主任…一行到县政务服务中心大厅巡视，…；12月6日，…。"""
    if not figures.leader_visits and not figures.kept("journal"):
        return NOT_RECORDED.format("领导督办")
    if not figures.leader_visits:
        return "本月无领导到中心督办检查。"
    return _sentences([_visit(n) for n in figures.leader_visits])


# How the journal's outlet and programme show the medium: television and radio broadcast
# (栏目, 频道 …), the web and social accounts publish online, everything else is print (第三版).
BROADCAST_WORDS = ("栏目", "节目", "频道", "电视", "广播", "电台", "新闻联播")
ONLINE_WORDS = ("网", "微信", "公众号", "客户端", "微博", "抖音", "头条")
PUBLISHED_AS = {"print": "刊发", "broadcast": "播出", "online": "发布"}


def medium_of(note: JournalNote) -> str:
    """ "broadcast" (《随州社会全方位》栏目), "online" (随州新闻网) or "print" (《湖北日报》第三版)."""
    words = f"{note.outlet}{note.section}"
    if any(w in words for w in BROADCAST_WORDS):
        return "broadcast"
    if any(w in words for w in ONLINE_WORDS):
        return "online"
    return "print"


def _report(note: JournalNote) -> str:
    """12月8日，《湖北日报》第三版刊发《…》; 12月14日，《随州社会全方位》栏目专题播出《…》."""
    where = f"{_book(note.outlet)}{note.section}"
    text = f"{month_day(note.date)}，{where}"
    if note.title:
        text += f"{PUBLISHED_AS[medium_of(note)]}{_book(note.title)}"
        if note.content:
            text += f"，{_clause(note.content)}"
    else:
        text += f"报道了{_clause(note.content)}"
    return text


def media_sentence(figures: MonthFigures) -> str:
    """4.媒体报道: one sentence per report."""
    if not figures.media_reports and not figures.kept("journal"):
        return NOT_RECORDED.format("媒体报道")
    if not figures.media_reports:
        return "本月无媒体报道。"
    return _sentences([_report(n) for n in figures.media_reports], joiner="。")


def other_work_sentence(figures: MonthFigures) -> str:
    """5.其他工作."""
    if not figures.other_work and not figures.kept("journal"):
        return NOT_RECORDED.format("其他工作")
    if not figures.other_work:
        return "本月无其他工作需要通报。"
    return _sentences([n.content or n.title for n in figures.other_work], joiner="。")


# --- (二)窗口人员 ------------------------------------------------------------------------------


def attendance_sentence(figures: MonthFigures) -> str:
    """1.考勤记录: 请事假、病假、公休13人次，合计35天；外出办事登记6次；其余…按时上下班。"""
    head = f"{month_name(figures)}，{hall_in_text(figures.center)}窗口工作人员"
    leave, outings = figures.leave, figures.outings
    clauses = []
    if leave.person_times:
        kinds = _listed(figures.leave_kinds) or "假"
        clauses.append(f"{head}请{kinds}{leave.person_times}人次，合计{amount(leave.days)}天")
    else:
        clauses.append(f"{head}无请假" if figures.kept("leave") else f"{head}未登记请假")
    if outings:
        clauses.append(f"外出办事登记{outings}次")
    else:
        clauses.append("无外出办事登记" if figures.kept("outings") else "未登记外出办事")
    if not figures.kept("attendance"):
        clauses.append("本月无考勤打卡记录，出勤情况未记录")
    elif leave.person_times or outings:
        clauses.append("其余窗口人员基本全勤到岗、按时上下班")
    else:
        clauses.append("窗口人员全勤到岗、按时上下班")
    return _sentences(clauses)


def good_deeds_sentence(figures: MonthFigures) -> str:
    """2.好人好事: 公安局出入境窗口工作人员徐显妮，在…坚持工作；…。"""
    if not figures.good_deeds:
        return "本月未登记好人好事。"
    return _sentences(
        [
            f"{_where(g.unit, g.window)}工作人员{g.staff}，{_clause(g.story)}"
            for g in figures.good_deeds
        ]
    )


def violation_name(kind: str, label: str = "") -> str:
    return VIOLATION_NAMES.get(kind) or label or "违反工作纪律"


def violations_sentence(figures: MonthFigures) -> str:
    """3.实名通报: who, when, what (named, as 下步工作 announced)."""
    if not figures.violations and not figures.kept("inspections"):
        return NOT_RECORDED.format("日常巡查")
    if not figures.violations:
        return "本月日常巡查未发现违反工作纪律的行为。"
    items = []
    for v in figures.violations:
        who = (
            f"{_where(v.unit, v.window)}工作人员{v.staff}" if v.staff else _where(v.unit, v.window)
        )
        items.append(
            f"{month_day(v.date)}，{who}{_clause(v.description)}"
            f"（{violation_name(v.kind, v.kind_label)}）"
        )
    return "本月日常巡查发现以下违反工作纪律的情况，予以通报：" + _sentences(items)


def feedback_sentence(figures: MonthFigures) -> str:
    """(三)投诉、留言情况: 本月未收到投诉及留言。"""
    complaints, messages = figures.complaints, figures.messages
    if not complaints and not messages and not figures.kept("feedback"):
        return NOT_RECORDED.format("投诉、留言")
    if not complaints and not messages:
        return "本月未收到投诉及留言。"
    parts = []
    if complaints:
        parts.append(f"投诉{complaints}件")
    if messages:
        parts.append(f"留言{messages}件")
    total = complaints + messages
    answered = (
        "均已答复" if figures.feedback_answered >= total else f"已答复{figures.feedback_answered}件"
    )
    return f"本月收到{_listed(parts)}，{answered}。"


# --- 二、量化评比 --------------------------------------------------------------------------------


def award_lines(figures: MonthFigures) -> list[tuple[str, str]]:
    """(lead, text) for (一)红旗窗口 (二)星级首席 (三)服务标兵; （待评定） while undecided."""
    month = f"{figures.month.month}月份"
    awards = figures.awards
    rows = [
        (f"评为{month}“红旗窗口”的窗口单位：", awards.red_flag_units),
        (f"评为{month}“星级首席”的窗口首席代表：", awards.star_chiefs),
        (f"评为{month}“服务标兵”称号的窗口工作人员：", awards.service_stars),
    ]
    return [
        (f"（{chinese_number(index)}）", text + (f"{_listed(names)}。" if names else PENDING))
        for index, (text, names) in enumerate(rows, start=1)
    ]


# --- 三、存在问题 / 四、下步工作 (drafts for the office) ------------------------------------------


def patrol_sentence(figures: MonthFigures) -> str:
    """除发改局、住建局、教育局分管领导签到外，其余单位分管领导均未按照要求落实…"""
    signed, unsigned = figures.patrol.signed_units, figures.patrol.unsigned_units
    head = f"从{month_name(figures)}中心管理办公室《巡查签到表》看出，"
    rule = "按照要求落实“窗口巡查签到”制度"
    if not unsigned:
        return f"{head}各入驻单位分管领导均已{rule}。"
    if not signed and not figures.kept("patrols"):
        return f"{month_name(figures)}中心管理办公室未登记巡查签到。"
    if not signed:
        return f"{head}各入驻单位分管领导均未{rule}。"
    return f"{head}除{_listed(signed)}分管领导签到外，其余单位分管领导均未{rule}。"


def _violation_counts(figures: MonthFigures) -> str:
    counts: dict[str, int] = {}
    for v in figures.violations:
        name = violation_name(v.kind, v.kind_label)
        counts[name] = counts.get(name, 0) + 1
    return _listed(f"{name}{n}起" for name, n in counts.items())


def vacancy_problem(figures: MonthFigures) -> str | None:
    """空岗 recorded in the month (A/B posts left empty)."""
    if not figures.vacancies:
        return None
    units = _listed(f"{v.unit}({v.count}次)" for v in figures.vacancies)
    return (
        f"AB角制度落实不到位。本月{units}窗口共出现空岗{figures.vacancy_total}次，"
        "少数窗口工作人员请假或外出办事时无人替岗，造成了窗口岗位空岗、服务断档，"
        "办事人跑冤枉路，拉低了中心整体服务效能水平。"
    )


def patrol_problem(figures: MonthFigures) -> str | None:
    """Units whose leaders did not sign in — only from a kept 巡查签到表."""
    if not figures.patrol.unsigned_units or not figures.kept("patrols"):
        return None
    return f"巡查签到执行率过低。{patrol_sentence(figures)}"


def violation_problem(figures: MonthFigures) -> str | None:
    """Violations found on the office's daily inspection."""
    if not figures.violations:
        return None
    units = _listed(dict.fromkeys(v.unit for v in figures.violations))
    return (
        f"自律性仍有待提高。本月日常巡查发现{_violation_counts(figures)}，涉及{units}等窗口单位。"
    )


def overdue_problem(figures: MonthFigures) -> str | None:
    """Red cards and promised cases past their deadline (电子监察)."""
    t = figures.timeliness
    if not (t.red or t.overdue):
        return None
    parts = []
    if t.yellow or t.red:
        parts.append(f"电子监察发出黄牌{t.yellow}张、红牌{t.red}张")
    if t.overdue:
        parts.append(f"{t.overdue}件承诺件超过承诺时限")
    return f"部分承诺件超期办理。本月{'，'.join(parts)}。"


def late_opening_problem(figures: MonthFigures) -> str | None:
    """Windows whose first call came late after opening (排队叫号, derived from the calls)."""
    late = figures.queue.late_openings
    if not late:
        return None
    units = _listed(dict.fromkeys(x.unit for x in late))
    return (
        f"部分窗口开门办公不及时。排队叫号系统记录{units}等窗口"
        f"{len(late)}次在开门后超时才首次叫号，群众排队等候。"
    )


def complaint_problem(figures: MonthFigures) -> str | None:
    if not figures.complaints:
        return None
    return f"服务质量仍有差距。本月收到群众投诉{figures.complaints}件。"


ProblemSource = Callable[[MonthFigures], "str | None"]

# 三、存在问题's sources, in the order the draft lists them: each a function of the figures
# returning one sentence or None; `problems_draft` numbers them.
PROBLEM_SOURCES: tuple[ProblemSource, ...] = (
    vacancy_problem,
    patrol_problem,
    late_opening_problem,
    violation_problem,
    overdue_problem,
    complaint_problem,
)

# The registers whose silence the draft reads as "no problem".
PROBLEM_REGISTERS = ("patrols", "inspections", "feedback")


def draft_problems(sentences: Sequence[str], figures: MonthFigures) -> list[str]:
    """三、存在问题 from the sources' sentences, numbered: the draft the office edits. With no
    sentence, "no problem found" only when the registers it reads were kept."""
    points = [s for s in sentences if s]
    if points:
        return [f"{index}.{text}" for index, text in enumerate(points, start=1)]
    silent = [r for r in PROBLEM_REGISTERS if not figures.kept(r)]
    if not silent:
        return ["本月未发现突出问题。"]
    names = _listed(REGISTER_NAMES[r] for r in silent)
    return [f"本月{names}未登记，存在问题请中心管理办公室据实填写。"]


def problems_draft(
    figures: MonthFigures, *, sources: Sequence[ProblemSource] = PROBLEM_SOURCES
) -> list[str]:
    """三、存在问题, drafted from the month's measured problems; the office edits it."""
    return draft_problems([s for source in sources if (s := source(figures))], figures)


def plans_draft(figures: MonthFigures) -> list[str]:
    """四、下步工作打算及要求, a starting point for the office."""
    points = []
    if figures.vacancies:
        points.append(
            "严格落实AB角工作机制。A角请假或外出办事时，B角必须到岗替岗，确保窗口不空岗、服务不断档。"
        )
    if figures.patrol.unsigned_units:
        points.append(
            "严格执行巡查签到制度。各入驻单位分管领导应定量不定期到政务服务中心督查对应窗口工作人员的"
            "工作纪律、加强业务指导，巡查后应履行签到制。"
        )
    points.append(
        "进一步强化窗口规范化建设。中心将以考核通报为抓手、以提高效能服务为目标，"
        "对不按时打考勤、迟到早退、脱岗串岗、服务质量不高、态度粗暴等现象进行实名通报。"
    )
    points.append(
        "严格请假管理。窗口人员请假超过1天、月累计超过3天的，需向政务服务中心管理办公室"
        "提供所在单位盖章同意的请假条。"
    )
    return [f"{index}.{text}" for index, text in enumerate(points, start=1)]


# --- the document ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Texts:
    """What the office writes or edits: the title, the opening, 存在问题, 下步工作, 抄送."""

    title: str = ""
    intro: str = ""
    problems: str = ""
    plans: str = ""
    copy_to: str = ""

    @classmethod
    def drafts(cls, figures: MonthFigures) -> Texts:
        return cls(
            title=title(figures),
            intro=intro_draft(figures),
            problems="\n".join(problems_draft(figures)),
            plans="\n".join(plans_draft(figures)),
        )


@dataclass(frozen=True)
class Block:
    """One line of the body: a 一、 heading (h1, 黑体), a （一） heading (h2, 楷体), or a paragraph
    (p, 仿宋) whose `lead` is its numbered point (1.业务受理。 in 仿宋, （一） in 楷体)."""

    kind: str
    text: str
    lead: str = ""

    @property
    def lead_is_kai(self) -> bool:
        return self.lead.startswith("（")


@dataclass(frozen=True)
class Appendix:
    key: str  # "units" or "trend": which chart
    title: str


@dataclass(frozen=True)
class Document:
    """The bulletin as every format lays it out."""

    masthead: str  # 随县政务服务简报
    issue: str  # 随县政务服务【2016】第3期
    issue_line: str  # 【2016】第3期
    office: str
    issued_on: dt.date
    title: str
    intro: str
    blocks: tuple[Block, ...]
    appendices: tuple[Appendix, ...]
    copy_to: str
    figures: MonthFigures

    @property
    def date_text(self) -> str:
        return chinese_date(self.issued_on)

    @property
    def imprint(self) -> str:
        """版记: 随县政务服务中心管理办公室　　2017年1月5日印发."""
        return f"{self.office}\u3000\u3000{self.date_text}印发"

    @property
    def copy_line(self) -> str:
        """抄送：县委办、县政府办。 (empty when nobody is copied)."""
        return f"抄送：{self.copy_to.rstrip('。')}。" if self.copy_to else ""

    @property
    def appendix_note(self) -> str:
        """附件说明 after the body: 附件：1.… 2.…"""
        if len(self.appendices) == 1:
            return f"附件：{self.appendices[0].title}"
        items = "\u3000".join(f"{i}.{a.title}" for i, a in enumerate(self.appendices, start=1))
        return f"附件：{items}"


POINT = re.compile(r"^\s*(\d{1,2}\s*[.．、])\s*")


def _points(text: str) -> list[Block]:
    """The office's lines: one paragraph each, a leading 1. kept as the point's number."""
    blocks = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        match = POINT.match(line)
        if match:
            lead = re.sub(r"\s+", "", match.group(1)).replace("．", ".").replace("、", ".")
            blocks.append(Block("p", line[match.end() :], lead))
        else:
            blocks.append(Block("p", line))
    return blocks or [Block("p", "无。")]


def body_blocks(figures: MonthFigures, texts: Texts) -> list[Block]:
    blocks = [
        Block("h1", "一、运行情况"),
        Block("h2", "（一）窗口工作"),
        Block("p", cases_sentence(figures) + queue_sentence(figures), "1.业务受理。"),
        Block("p", info_sentence(figures), "2.信息报送。"),
        Block("p", visits_sentence(figures), "3.领导督办。"),
        Block("p", media_sentence(figures), "4.媒体报道。"),
        Block("p", other_work_sentence(figures), "5.其他工作。"),
        Block("h2", "（二）窗口人员"),
        Block("p", attendance_sentence(figures), "1.考勤记录。"),
        Block("p", good_deeds_sentence(figures), "2.好人好事。"),
    ]
    if figures.violations:
        blocks.append(Block("p", violations_sentence(figures), "3.实名通报。"))
    blocks += [
        Block("h2", "（三）投诉、留言情况"),
        Block("p", feedback_sentence(figures)),
        Block("h1", "二、量化评比"),
        *(Block("p", text, lead) for lead, text in award_lines(figures)),
        Block("h1", "三、存在问题"),
        *_points(texts.problems),
        Block("h1", "四、下步工作打算及要求"),
        *_points(texts.plans),
    ]
    return blocks


def masthead_of(figures: MonthFigures) -> str:
    """The periodical's name in red: 随县政务服务简报."""
    return (
        figures.short_name if figures.short_name.endswith("简报") else f"{figures.short_name}简报"
    )


def build_document(figures: MonthFigures, texts: Texts, *, issued_on: dt.date) -> Document:
    month = month_name(figures)
    return Document(
        masthead=masthead_of(figures),
        issue=figures.issue,
        issue_line=f"【{figures.year}】第{figures.number}期",
        office=figures.office,
        issued_on=issued_on,
        title=texts.title or title(figures),
        intro=texts.intro,
        blocks=tuple(body_blocks(figures, texts)),
        appendices=(
            Appendix("units", f"{month}各窗口单位受理办件情况"),
            Appendix("trend", "近12个月受理、办结办件情况"),
        ),
        copy_to=texts.copy_to.strip(),
        figures=figures,
    )


def plain_text(document: Document) -> str:
    """The bulletin as plain text (the shape of reference/bulletin-2016-12.txt)."""
    lines = [document.issue, document.title]
    if document.intro:
        lines.append(document.intro)
    for block in document.blocks:
        lines.append(f"{block.lead}{block.text}")
    lines.append(document.appendix_note)
    if document.copy_to:
        lines.append(document.copy_line)
    lines.append(document.imprint)
    return "\n".join(lines) + "\n"
