"""Demo oversight for December 2016 in 随县政务服务中心, after the reference bulletin.

Every unit gets its head and its supervising deputy (invented names); only the leaders of 发改局,
住建局 and 教育局 sign in during the month (the bulletin's 巡查签到 complaint), and the office's
inspections show the problems the bulletin names: a window opened only at 14:20, watching TV and
chatting at work, a post left empty.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from govhall.demo.data.org import DEMO_CENTER
from govhall.demo.logins import LEADER
from govhall.org.models import Center, Staff, Unit, Window
from govhall.oversight import services
from govhall.oversight.choices import LeaderRole, ViolationKind
from govhall.oversight.models import UnitLeader

# unit → (head, deputy); every name is invented.
LEADERS: dict[str, tuple[str, str]] = {
    "公安局": ("陶正国", "胡振邦"),
    "住建局": ("邵文斌", "熊立伟"),
    "林业局": ("齐永红", "万志刚"),
    "财政局": ("庞建业", "邹国强"),
    "发改局": ("覃立新", "高建明"),
    "经信局": ("伍振华", "段海波"),
    "食药监局": ("向德林", "龚立平"),
    "水利局": ("洪海洋", "严卫东"),
    "教育局": ("牛志国", "黄春林"),
    "国土资源局": ("甘永祥", "傅成军"),
    "环保局": ("包立军", "章明华"),
    "人社局": ("左春华", "易红梅"),
    "民政局": ("骆建文", "车志勇"),
    "卫计局": ("邢国荣", "武文娟"),
    "工商局": ("柏长林", "孟庆丰"),
    "质监局": ("苗红军", "尹建新"),
    "国税局": ("滕宏亮", "柳永平"),
    "地税局": ("祝永康", "俞德明"),
    "交通运输局": ("鲁建平", "顾长江"),
    "农业局": ("宁国富", "聂春生"),
    "文体新广局": ("舒文华", "殷晓光"),
    "商务局": ("卜志明", "樊志军"),
}

HALL_TZ = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int) -> dt.datetime:
    """A moment of December 2016 in the hall's time."""
    return dt.datetime(2016, 12, day, hour, minute, tzinfo=HALL_TZ)


# (unit, leader, signed in, signed out, notes) — local times of December 2016.
PATROLS: list[tuple[str, str, dt.datetime, dt.datetime, str]] = [
    (
        "发改局",
        "高建明",
        at(6, 9, 10),
        at(6, 11, 50),
        "检查窗口工作纪律，了解项目审批办件情况。",
    ),
    (
        "住建局",
        "熊立伟",
        at(13, 9, 0),
        at(13, 12, 0),
        "督查住建、房产窗口年底办件高峰的服务情况，指导房产交易业务。",
    ),
    (
        "发改局",
        "高建明",
        at(20, 14, 40),
        at(20, 17, 10),
        "现场协调窗口人员延时服务安排。",
    ),
    (
        "教育局",
        "牛志国",
        at(22, 15, 0),
        at(22, 16, 30),
        "看望窗口工作人员，检查教育窗口服务指南公开情况。",
    ),
]

# (unit, window or None, staff or None, kind, local time, description, points)
INSPECTIONS: list[tuple[str, str | None, str | None, str, dt.datetime, str, str]] = [
    (
        "环保局",
        "环保窗口",
        None,
        ViolationKind.LATE_OR_EARLY,
        at(12, 14, 20),
        "下午上班时间已过，环保窗口至下午二点二十才有人办公，办事群众在窗口前等候。",
        "2",
    ),
    (
        "国土资源局",
        None,
        "叶子涵",
        ViolationKind.TV_OR_CHAT,
        at(15, 10, 5),
        "上班时间在窗口用手机观看电视节目。",
        "2",
    ),
    (
        "民政局",
        None,
        "卢思琪",
        ViolationKind.TV_OR_CHAT,
        at(19, 9, 40),
        "上班时间与邻近窗口人员聊天，办事群众等候无人接待。",
        "1",
    ),
    (
        "人社局",
        None,
        "苏明哲",
        ViolationKind.OFF_POST,
        at(21, 15, 30),
        "离开就业窗口近一小时，未办理外出登记，B角未到岗替岗，窗口空岗。",
        "2",
    ),
]


def _phone(name: str) -> str:
    # Deterministic, obviously fictitious numbers (the 0000 block is not assigned to people).
    return f"1380000{sum(ord(ch) for ch in name) % 10000:04d}"


def load_oversight_demo(stdout: Any) -> None:
    """Leaders, December's sign-ins and inspections; left alone once the leaders exist."""
    center = Center.objects.filter(name=DEMO_CENTER).first()
    if center is None:
        stdout.write(f"{DEMO_CENTER} is not loaded; no demo oversight.")
        return
    if UnitLeader.objects.filter(center=center).exists():
        stdout.write(f"{DEMO_CENTER} already has its unit leaders; oversight left as it is.")
        return
    units = {u.name: u for u in Unit.objects.filter(center=center)}
    account = get_user_model().objects.filter(username=LEADER.username).first()
    leaders: dict[tuple[str, str], UnitLeader] = {}
    for unit_name, unit in units.items():
        head, deputy = LEADERS.get(unit_name, ("", ""))
        for name, role, title in (
            (head, LeaderRole.HEAD, "局长"),
            (deputy, LeaderRole.DEPUTY, "副局长"),
        ):
            if not name:
                continue
            linked = account if (unit_name, name) == (LEADER.unit, LEADER.leader) else None
            leaders[(unit_name, name)] = services.unit_leader_create(
                by=None,
                unit=unit,
                name=name,
                title=title,
                role=role,
                phone=_phone(name),
                user=linked,
            )
    for unit_name, name, signed_in, signed_out, notes in PATROLS:
        services.patrol_record(
            by=None,
            leader=leaders[(unit_name, name)],
            signed_in_at=signed_in,
            signed_out_at=signed_out,
            notes=notes,
        )
    for unit_name, window_name, staff_name, kind, when, description, points in INSPECTIONS:
        unit = units[unit_name]
        services.inspection_create(
            by=None,
            center=center,
            kind=kind,
            occurred_at=when,
            description=description,
            points=points,
            unit=unit,
            window=Window.objects.get(unit=unit, name=window_name) if window_name else None,
            staff=Staff.objects.get(unit=unit, name=staff_name) if staff_name else None,
        )
    stdout.write(
        f"巡查：{len(leaders)} 位单位领导，2016年12月 {len(PATROLS)} 次巡查签到、"
        f"{len(INSPECTIONS)} 条日常巡查记录"
    )
