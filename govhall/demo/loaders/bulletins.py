"""Demo bulletins of 随县政务服务中心: 第1期 (October 2016) and 第2期 (November) published, and
第3期 — December, the reference bulletin — as the office's draft with its texts, so that
`manage.py bulletin 2016-12` gives 随县政务服务【2016】第3期.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from govhall.bulletins import services
from govhall.bulletins.choices import Register
from govhall.bulletins.models import Bulletin
from govhall.demo.data.org import DEMO_CENTER
from govhall.org.models import Center

PUBLISHED = (
    (dt.date(2016, 10, 1), dt.date(2016, 11, 4)),
    (dt.date(2016, 11, 1), dt.date(2016, 12, 5)),
)
DECEMBER = dt.date(2016, 12, 1)
DECEMBER_ISSUED = dt.date(2017, 1, 5)

DECEMBER_INTRO = (
    "12月份，县政务服务中心有序推进标准化建设，狠抓电子政务公开、行政效能提速，窗口工作人员"
    "工作作风进一步好转，窗口办事效率进一步提高，政务公示公开进一步完善，中心整体运行情况良好。"
    "现将12月份政务服务中心工作情况通报如下："
)
DECEMBER_PROBLEMS = """\
1.AB角制度落实不到位。少数窗口工作人员请假过频、过长，经常性外出办事而无人替岗，造成了窗口岗位空岗、服务断档，办事人跑冤枉路。一定程度上降低了办事效率，拉低了中心整体服务效能水平。
2.巡查签到执行率过低。我中心印发的《11月份窗口工作情况通报》要求，各入驻单位分管领导应定量不定期到政务服务中心督查对应窗口工作人员的工作纪律、加强业务指导，巡查后应履行签到制。从12月份中心管理办公室《巡查签到表》看出，除发改局、住建局、教育局分管领导签到外，其余单位分管领导均未按照要求落实“窗口巡查签到”制度。
3.自律性仍有待提高。中心少数窗口有时下午二点二十才有人办公，上班看电视、聊天等现象也不同程度存在。"""
DECEMBER_PLANS = """\
1.开展2016年度评先活动。2017年元月，中心将开展2016年度窗口工作人员考核及评选2016年度优秀窗口和优秀个人申报评选工作，各入驻单位应给予积极支持，确保考核评选圆满完成。
2.进一步强化窗口规范化建设，并落到实处。自2017年元月起，中心将以考核通报为抓手、以提高效能服务为目标，进一步加强对窗口人员监督管理，重点围绕“AB角”工作机制、巡查签到制、出勤及满意度评价展开，对不按时打考勤、迟到早退、脱岗串岗、服务质量不高、态度粗暴等现象进行实名通报；同时，对窗口人员请假超过1天、月累计超过3天的，需向政务服务中心管理办公室提供所在单位盖章同意的请假条。
3.开展政务服务事项梳理审查工作。2017年第一季度，政务服务中心将结合《县人民政府办公室关于取消、调整和保留行政审批项目的通知》（随县政办发〔2016〕55号）文件有关精神，重点推进政务服务事项梳理审查工作，以实现我县电子监察和统一电子政务平台的实际应用。梳理事项共计196项，各单位应围绕所涉事项，按照基本信息表、权利流程图、申报材料、收费标准、服务表格、办理环节信息、廉政风险点信息、常见问题等八项内容报送相关资料。具体要求中心将于春节后，以《通知》形式发送。"""


def load_bulletins_demo(stdout: Any) -> None:
    """The demo center's three issues of 2016; a center with bulletins is left alone."""
    center = Center.objects.filter(name=DEMO_CENTER).first()
    if center is None:
        stdout.write(f"{DEMO_CENTER} is not loaded; no demo bulletins.")
        return
    if Bulletin.objects.filter(center=center).exists():
        stdout.write(f"{DEMO_CENTER} already has bulletins; left as they are.")
        return
    for month, issued_on in PUBLISHED:
        bulletin = services.bulletin_create(by=None, center=center, month=month)
        services.bulletin_update_texts(by=None, bulletin=bulletin, issued_on=issued_on)
        services.bulletin_publish(by=None, bulletin=bulletin)
    # December's complaint register holds nothing: the office confirms it was kept, so the
    # issue may say "本月未收到投诉及留言" (bulletins/registers.py).
    services.register_confirm(by=None, center=center, month=DECEMBER, register=Register.FEEDBACK)
    december = services.bulletin_create(by=None, center=center, month=DECEMBER)
    services.bulletin_update_texts(
        by=None,
        bulletin=december,
        intro=DECEMBER_INTRO,
        problems=DECEMBER_PROBLEMS,
        plans=DECEMBER_PLANS,
        issued_on=DECEMBER_ISSUED,
    )
    stdout.write(
        f"通报：{center.short_name or center.name}【2016】第1期、第2期已发布，"
        f"第{december.number}期（12月份）为草稿"
    )
