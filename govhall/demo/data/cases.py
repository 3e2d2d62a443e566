"""The figures the demo's case history is built to: December 2016 as the reference bulletin
reports it (随县政务服务【2016】第3期), and smaller earlier months for trends.

Every person and company is invented; phone numbers are in the unassigned 1390000 block.
"""

from __future__ import annotations

import datetime as dt

SEED = 20161231
FIRST_MONTH = dt.date(2016, 9, 1)
MONTHS = (dt.date(2016, 9, 1), dt.date(2016, 10, 1), dt.date(2016, 11, 1), dt.date(2016, 12, 1))
DECEMBER = dt.date(2016, 12, 1)
YEAR_END = dt.date(2016, 12, 31)  # the demo's "today": cases not closed by then are still open

# The bulletin's December: 6560 accepted; 6496 completed, 5720 immediate and 776 promised.
ACCEPTED = 6560
COMPLETED_IMMEDIATE = 5720
COMPLETED_PROMISED = 776

# Cases accepted in December per unit: (immediate, promised). 公安局 3932, 住建局 1075, 林业局 770,
# 财政局 236, 发改局 146 lead; 经信局 accepts none; the rest share the other 401, each under 146.
# A unit's split follows its catalog: 发改局, 水利局, 国土资源局 … have no immediate items.
DECEMBER_CASES: dict[str, tuple[int, int]] = {
    "公安局": (3822, 110),
    "住建局": (905, 170),
    "林业局": (470, 300),
    "财政局": (220, 16),
    "发改局": (0, 146),
    "地税局": (100, 0),
    "国税局": (71, 4),
    "工商局": (44, 18),
    "人社局": (30, 10),
    "食药监局": (10, 12),
    "交通运输局": (12, 6),
    "卫计局": (12, 4),
    "教育局": (8, 4),
    "环保局": (4, 6),
    "商务局": (7, 2),
    "质监局": (5, 3),
    "水利局": (0, 6),
    "国土资源局": (0, 5),
    "民政局": (0, 8),
    "农业局": (0, 7),
    "文体新广局": (0, 3),
}
NO_CASES_IN_DECEMBER = "经信局"
# 经信局's few cases of the autumn: (month, count) of a 2-day item, all closed within the month.
QUIET_UNIT_CASES = ((dt.date(2016, 9, 1), 2), (dt.date(2016, 10, 1), 1), (dt.date(2016, 11, 1), 3))
QUIET_UNIT_ITEM = "工业企业技术改造项目备案"

# Earlier months against December, per unit (each unit's figure varies a little around it).
MONTH_FACTOR = {dt.date(2016, 9, 1): 0.70, dt.date(2016, 10, 1): 0.60, dt.date(2016, 11, 1): 0.85}
# 住建局's 房产 business grows towards the year's end (年底房产交易量骤增).
YEAR_END_SURGE = "住建局"

# 公安局出入境窗口 opened in October 2016; by 12-14 it had handled 122 cases (the bulletin's
# 12-14 report). Its cases per period: (first day, last day, immediate, promised) — December's
# promised counts leave out the cases the demo takes through the lifecycle services.
EXIT_UNIT, EXIT_WINDOW = "公安局", "出入境窗口"
EXIT_OPENED = dt.date(2016, 10, 10)
EXIT_REPORT_DAY = dt.date(2016, 12, 14)
EXIT_REPORT_CASES = 122
EXIT_PERIODS: tuple[tuple[dt.date, dt.date, int, int], ...] = (
    (EXIT_OPENED, dt.date(2016, 10, 31), 3, 35),
    (dt.date(2016, 11, 1), dt.date(2016, 11, 30), 4, 48),
    (dt.date(2016, 12, 1), EXIT_REPORT_DAY, 3, 27),
    (dt.date(2016, 12, 15), dt.date(2016, 12, 31), 3, 21),
)

# Shares of the month's cases: refused at the door (不予受理), returned (退件), completed late.
REJECTED_SHARE = 0.006
RETURNED_SHARE = 0.01
DECEMBER_RETURNED = 5
LATE_SHARE = 0.03
# Units with one December case still open past its deadline at the year's end (red on 12-30).
OVERDUE_AT_YEAR_END = ("住建局", "林业局", "发改局")
OVERDUE_DUE_FROM = dt.date(2016, 12, 20)

# Items that draw more applications than their neighbours in the catalog.
POPULAR = {
    "机动车转移登记": 6,
    "核发机动车检验合格标志": 5,
    "机动车驾驶证换证": 3,
    "户籍证明出具": 3,
    "出生登记": 2,
    "普通护照签发": 5,
    "往来港澳通行证及签注签发": 4,
    "居民身份证申领": 3,
    "商品房买卖合同网签备案": 5,
    "房屋所有权转移登记": 6,
    "房屋抵押登记": 3,
    "植物检疫证书核发": 6,
    "林木采伐许可证核发": 4,
    "契税纳税申报": 4,
    "存量房交易税收征收": 3,
    "代开增值税普通发票": 3,
    "个体工商户设立登记": 4,
    "企业投资项目备案": 4,
}

# Consultation person-times per unit and month. In December 经信局 has the most (26): the
# bulletin names it. 出入境窗口 counts apart: (first day, last day, person-times); by 12-14 it
# had answered 200-odd enquiries.
CONSULTATIONS: dict[dt.date, dict[str, int]] = {
    dt.date(2016, 9, 1): {
        "经信局": 12,
        "公安局": 21,
        "住建局": 15,
        "林业局": 9,
        "工商局": 11,
        "人社局": 6,
    },
    dt.date(2016, 10, 1): {
        "经信局": 9,
        "公安局": 14,
        "住建局": 12,
        "林业局": 7,
        "工商局": 8,
        "发改局": 5,
    },
    dt.date(2016, 11, 1): {
        "经信局": 17,
        "公安局": 18,
        "住建局": 16,
        "林业局": 10,
        "工商局": 9,
        "发改局": 6,
        "食药监局": 4,
    },
    dt.date(2016, 12, 1): {
        "经信局": 26,
        "公安局": 2,  # besides 出入境窗口: 20 in all
        "住建局": 18,
        "工商局": 15,
        "林业局": 12,
        "发改局": 9,
        "人社局": 8,
        "财政局": 6,
        "食药监局": 5,
        "国税局": 4,
        "地税局": 3,
    },
}
EXIT_CONSULTATIONS: tuple[tuple[dt.date, dt.date, int], ...] = (
    (EXIT_OPENED, dt.date(2016, 10, 31), 95),
    (dt.date(2016, 11, 1), dt.date(2016, 11, 30), 92),
    (dt.date(2016, 12, 1), EXIT_REPORT_DAY, 16),
    (dt.date(2016, 12, 15), dt.date(2016, 12, 31), 2),
)
TOPICS = ("所需材料", "办理时限", "收费标准", "办理流程", "申请条件", "办理进度")
EXIT_TOPICS = (
    "护照办理材料",
    "港澳签注种类",
    "赴台签注",
    "曾都区户籍能否办理",
    "延时预约",
    "加急办理",
)

# --- invented applicants ---------------------------------------------------------------------

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石贾夏韦付方白邹孟熊秦邱江尹薛段侯龙史陶贺顾毛郝龚邵万钱严覃武戴莫孔汤"
)
GIVEN = "建国华明军平伟强文玉兰英秀红霞敏燕桂海林志杰涛波斌超磊鹏刚健德成家荣俊峰雪梅凤洁琴云莉娟新亮宏良"
# Names printed in the reference bulletin are never given to invented people.
BULLETIN_PEOPLE = frozenset(
    {
        "刘凯",
        "肖诗忠",
        "刘婷月",
        "王芳",
        "潜继钊",
        "徐显妮",
        "廖天资",
        "王小曼",
        "张煜杭",
        "何星星",
        "曾子辉",
        "雷春梅",
        "刘静",
        "刘琪琳",
        "刘小丽",
        "何勇",
        "黄道金",
    }
)
TOWNS = (
    "厉山",
    "高城",
    "殷店",
    "草店",
    "小林",
    "淮河",
    "万和",
    "尚市",
    "唐县镇",
    "吴山",
    "新街",
    "安居",
)
TRADES = (
    "农业开发",
    "建材",
    "商贸",
    "林业",
    "食品",
    "物流",
    "建筑工程",
    "香菇",
    "电子科技",
    "汽车运输",
)
