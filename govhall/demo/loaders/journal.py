"""Demo work journal of December 2016 in 随县政务服务中心, after the reference bulletin.

The visitors' names are invented (the bulletin's real names are not reused); the good deeds are
told of invented demo staff (govhall/demo/data/org.py), modelled on the bulletin's stories.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from govhall.demo.data.org import DEMO_CENTER
from govhall.journal import services
from govhall.journal.choices import EntryKind
from govhall.journal.models import JournalEntry
from govhall.org.models import Center, Staff, Unit

D = dt.date

# (date, who, unit or None, what happened) — the bulletin files the press interviews here too.
VISITS = [
    (
        D(2016, 12, 2),
        "县人大常委会副主任陈光耀一行",
        None,
        "到县政务服务中心大厅巡视，对大厅内部环境及电子政务公开提出了意见，"
        "并对窗口人员服务态度及中心日常管理给予了肯定。",
    ),
    (
        D(2016, 12, 6),
        "湖北日报、随州日报等新闻媒体",
        None,
        "深入县政务服务中心大厅访群众、看布局、问成效，集中采访报道中心围绕深化行政审批制度改革，"
        "推进服务群众“最后一公里”的工作情况。",
    ),
    (
        D(2016, 12, 8),
        "随州社会全方位栏目组",
        "公安局",
        "到县中心大厅围绕出入境相关审批事项进行专访。",
    ),
]

# (date, outlet, page or programme, title, unit or None, summary)
REPORTS = [
    (
        D(2016, 12, 8),
        "湖北日报",
        "第三版",
        "服务群众的“最后一公里”",
        None,
        "以图文形式报道了中心党员干部转作风，优化服务、延时、错时服务群众，"
        "并将145项行政审批事项纳入一站式服务的情况。",
    ),
    (
        D(2016, 12, 14),
        "随州社会全方位",
        "栏目专题",
        "县政务服务中心出入境窗口业务开展情况",
        "公安局",
        "出入境窗口已正式开设2月有余，办件量已达122笔，咨询人数共计200余人次，"
        "服务对象除随县本地户籍居民外，可同时服务曾都区户籍群众；对具有特殊需求的群众，"
        "已开通延时预约等绿色通道。",
    ),
]

OTHER_WORK = [
    (
        D(2016, 12, 15),
        "大厅电子政务公开触摸屏投入运行",
        "12月中旬，中心大厅电子政务公开触摸屏投入运行，群众可通过自行操作触摸屏，"
        "了解已进驻行政审批事项的基本情况。",
    ),
]

# (date, unit, submitted by, title) — only 公安局出入境窗口 reported this month.
SUBMISSIONS = [
    (D(2016, 12, 9), "公安局", "周晓岚", "出入境窗口信息简报：开设两月办件122笔"),
    (D(2016, 12, 23), "公安局", "周晓岚", "出入境窗口信息简报：开通延时预约绿色通道"),
]

# (date, staff, story)
GOOD_DEEDS = [
    (
        D(2016, 12, 5),
        "孙雨桐",
        "在孩子年幼多病需要照顾等家庭困难面前，积极主动克服，坚持工作。",
    ),
    (
        D(2016, 12, 7),
        "贺文博",
        "在通宵加班参与县公安局案件办理后，谢绝领导让其休息调整的关爱，坚守工作岗位，热情服务群众。",
    ),
    (
        D(2016, 12, 9),
        "彭嘉怡",
        "在业务量较大且独自进驻的情况下，“延时服务”成常态，多次中午休息时间加班办理业务，"
        "得到了办事群众的赞赏和肯定。",
    ),
    (
        D(2016, 12, 12),
        "沈可欣",
        "在完成自身业务办理后，利用午休时间热心帮助发改局窗口同事汇总项目表格，"
        "并多次帮助中心其他部门同事解决电脑技术难题，随叫随到。",
    ),
    (
        D(2016, 12, 14),
        "宋佳琪",
        "与同事唐晓峰在年底房产交易量骤增的情况下，仍耐心、热情接待办事群众，"
        "对部分证件不齐全的代办人，采取网络上传补正的方式有效解决问题，避免了群众来回跑路。",
    ),
    (
        D(2016, 12, 16),
        "潘晓玲",
        "通过“预约代理”服务方式，为乡镇个体经营户办理了《食品经营许可证》地址变更手续，"
        "为群众提供了便捷服务。",
    ),
    (
        D(2016, 12, 19),
        "梁思雨",
        "主动“延时服务”，为农户办理植物检疫证书。",
    ),
    (
        D(2016, 12, 20),
        "谢雅婷",
        "主动“延时服务”，连续四天中午加班，并多次利用周末时间，为农户办理林木采伐许可证。",
    ),
    (
        D(2016, 12, 22),
        "田欣然",
        "办理光伏发电项目水土保持方案申报时，得知当事人在外地，采取电子传输《服务指南》扫描件的方式，"
        "指导当事人通过微信发送补正资料电子版，减少了当事人往返奔波。",
    ),
    (
        D(2016, 12, 27),
        "范雨萱",
        "拾得办事群众遗忘的户口本后，根据业务记载簿主动联系失主，得知失主已乘火车去往外地，"
        "及时将户口本寄往失主所在地；失主发来红包表示感谢，如数奉还。",
    ),
]


def load_journal_demo(stdout: Any) -> None:
    """December 2016's journal; left alone once the demo center has journal entries."""
    center = Center.objects.filter(name=DEMO_CENTER).first()
    if center is None:
        stdout.write(f"{DEMO_CENTER} is not loaded; no demo journal.")
        return
    if JournalEntry.objects.filter(center=center).exists():
        stdout.write(f"{DEMO_CENTER} already has a work journal; left as it is.")
        return
    units = {u.name: u for u in Unit.objects.filter(center=center)}
    staff = {s.name: s for s in Staff.objects.filter(center=center, is_active=True)}

    def add(**fields: Any) -> None:
        services.journal_entry_create(by=None, center=center, **fields)

    for date, who, unit, content in VISITS:
        add(
            kind=EntryKind.LEADER_VISIT,
            date=date,
            person=who,
            unit=units[unit] if unit else None,
            content=content,
        )
    for date, outlet, section, title, unit, content in REPORTS:
        add(
            kind=EntryKind.MEDIA_REPORT,
            date=date,
            outlet=outlet,
            section=section,
            title=title,
            unit=units[unit] if unit else None,
            content=content,
        )
    for date, title, content in OTHER_WORK:
        add(kind=EntryKind.OTHER_WORK, date=date, title=title, content=content)
    for date, unit, who, title in SUBMISSIONS:
        add(kind=EntryKind.INFO_SUBMISSION, date=date, unit=units[unit], person=who, title=title)
    for date, name, story in GOOD_DEEDS:
        add(kind=EntryKind.GOOD_DEED, date=date, staff=staff[name], content=story)
    stdout.write(
        f"工作日志：2016年12月 {len(VISITS)} 条领导督办、{len(REPORTS)} 条媒体报道、"
        f"{len(SUBMISSIONS)} 条信息报送、{len(GOOD_DEEDS)} 条好人好事"
    )
