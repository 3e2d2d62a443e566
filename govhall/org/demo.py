"""Demo organization: 随县政务服务中心 with its units, windows, staff, A/B posts and logins.

Unit names follow the reference bulletin; every person's name is invented.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from govhall.org import services
from govhall.org.choices import Role, StaffRole
from govhall.org.models import Center, Staff, Unit

DEMO_CENTER = "随县政务服务中心"
DEMO_PASSWORD = "govhall-demo"  # noqa: S105 (published on the login page of the demo)

# (unit, full name, floor, [(window, number, [staff names; the first listed in the unit is chief])])
UNITS: list[tuple[str, str, str, list[tuple[str, str, list[str]]]]] = [
    (
        "公安局",
        "随县公安局",
        "一楼",
        [
            ("出入境窗口", "A01", ["周晓岚", "贺文博", "孙雨桐"]),
            ("户政窗口", "A02", ["黎建国", "冯佳慧"]),
            ("车管窗口", "A03", ["韩立新", "蒋梦洁"]),
        ],
    ),
    (
        "住建局",
        "随县住房和城乡建设局",
        "一楼",
        [
            ("住建窗口", "A04", ["邓志强", "沈可欣"]),
            ("房产窗口", "A05", ["罗振宇", "宋佳琪", "唐晓峰"]),
        ],
    ),
    ("林业局", "随县林业局", "二楼", [("林业窗口", "B01", ["郭建华", "梁思雨", "谢雅婷"])]),
    ("财政局", "随县财政局", "二楼", [("财政窗口", "B02", ["许国栋", "曹婉清"])]),
    ("发改局", "随县发展和改革局", "二楼", [("发改窗口", "B03", ["彭嘉怡"])]),
    ("经信局", "随县经济和信息化局", "二楼", [("经信窗口", "B04", ["董明轩"])]),
    ("食药监局", "随县食品药品监督管理局", "二楼", [("食药监窗口", "B05", ["袁立群", "潘晓玲"])]),
    ("水利局", "随县水利局", "二楼", [("水利窗口", "B06", ["蔡文涛", "田欣然"])]),
    ("教育局", "随县教育局", "二楼", [("教育窗口", "B07", ["姜宏伟", "范雨萱"])]),
    ("国土资源局", "随县国土资源局", "一楼", [("国土窗口", "A06", ["杜海军", "叶子涵"])]),
    ("环保局", "随县环境保护局", "二楼", [("环保窗口", "B08", ["程静文", "魏晨阳"])]),
    (
        "人社局",
        "随县人力资源和社会保障局",
        "一楼",
        [
            ("社保窗口", "A07", ["吕国庆", "丁雅琴"]),
            ("就业窗口", "A08", ["苏明哲"]),
        ],
    ),
    ("民政局", "随县民政局", "一楼", [("民政窗口", "A09", ["任晓东", "卢思琪"])]),
    ("卫计局", "随县卫生和计划生育局", "二楼", [("卫计窗口", "B09", ["姚志远", "方慧敏"])]),
    (
        "工商局",
        "随县工商行政管理局",
        "一楼",
        [("工商注册窗口", "A10", ["石建平", "钟晓雯", "崔永康"])],
    ),
    ("质监局", "随县质量技术监督局", "二楼", [("质监窗口", "B10", ["汪德胜"])]),
    ("国税局", "随县国家税务局", "一楼", [("国税窗口", "A11", ["陆海涛", "金梦瑶"])]),
    ("地税局", "随县地方税务局", "一楼", [("地税窗口", "A12", ["戴宏图", "夏晓琳"])]),
    ("交通运输局", "随县交通运输局", "二楼", [("交通窗口", "B11", ["邱振华", "秦语嫣"])]),
    ("农业局", "随县农业局", "二楼", [("农业窗口", "B12", ["江永胜", "白若溪"])]),
    ("文体新广局", "随县文体新广局", "二楼", [("文化窗口", "B13", ["孔令辉"])]),
    ("商务局", "随县商务局", "二楼", [("商务窗口", "B14", ["黎明远", "毛婧怡"])]),
]

# Units staffed by one person borrow a neighbour as backup (the bulletin's 发改局 works alone).
LONE_BACKUPS = {
    "彭嘉怡": "董明轩",
    "董明轩": "彭嘉怡",
    "苏明哲": "丁雅琴",
    "汪德胜": "程静文",
    "孔令辉": "黎明远",
}

# (username, role, unit or None, staff name to link or None, display name)
ACCOUNTS: list[tuple[str, str, str | None, str | None, str]] = [
    ("office", Role.OFFICE, None, None, "管理办 陈思远"),
    ("chief", Role.CHIEF, "公安局", "周晓岚", "周晓岚"),
    ("clerk", Role.WINDOW_STAFF, "公安局", "贺文博", "贺文博"),
    ("leader", Role.UNIT_LEADER, "发改局", None, "发改局分管领导 高建明"),
    ("supervisor", Role.SUPERVISOR, None, None, "电子监察 林慧"),
]


def load_org_demo(stdout: Any) -> Center | None:
    """Create the demo center unless it exists; returns the new center (None if it existed)."""
    if Center.objects.filter(name=DEMO_CENTER).exists():
        stdout.write(f"{DEMO_CENTER} already loaded; left as it is.")
        return None
    center = services.center_create(
        by=None,
        name=DEMO_CENTER,
        short_name="随县政务服务",
        office_name="随县政务服务中心管理办公室",
    )
    center.address = "湖北省随州市随县厉山镇神农大道"
    center.phone = "0722-4321000"
    center.save(update_fields=["address", "phone"])
    for position, (unit_name, full_name, floor, windows) in enumerate(UNITS, start=1):
        unit = services.unit_create(
            by=None, center=center, name=unit_name, full_name=full_name, position=position
        )
        first = True
        for window_name, number, names in windows:
            window = services.window_create(
                by=None, unit=unit, name=window_name, number=number, floor=floor
            )
            for name in names:
                services.staff_create(
                    by=None,
                    unit=unit,
                    window=window,
                    name=name,
                    role=StaffRole.CHIEF if first else StaffRole.CLERK,
                    phone=_demo_phone(name),
                    staff_no=f"{number}{names.index(name) + 1:02d}",
                )
                first = False
    _pair_posts(center)
    _create_accounts(center)
    stdout.write(
        f"{DEMO_CENTER}: {Unit.objects.filter(center=center).count()} units, "
        f"{Staff.objects.filter(center=center).count()} staff."
    )
    return center


def _demo_phone(name: str) -> str:
    # Deterministic, obviously fictitious numbers (the 0000 block is not assigned to people).
    digits = sum(ord(ch) for ch in name) % 10000
    return f"1390000{digits:04d}"


def _pair_posts(center: Center) -> None:
    """Within a window, each person is covered by the next one; lone staff by a neighbour."""
    by_name = {s.name: s for s in Staff.objects.filter(center=center)}
    for _unit_name, _full, _floor, windows in UNITS:
        for _window, _number, names in windows:
            for i, name in enumerate(names):
                backup_name = (
                    LONE_BACKUPS.get(name) if len(names) == 1 else names[(i + 1) % len(names)]
                )
                if backup_name:
                    services.post_set(by=None, primary=by_name[name], backup=by_name[backup_name])


def _create_accounts(center: Center) -> None:
    user_model = get_user_model()
    for username, role, unit_name, staff_name, display in ACCOUNTS:
        unit = Unit.objects.get(center=center, name=unit_name) if unit_name else None
        staff = Staff.objects.get(center=center, name=staff_name) if staff_name else None
        services.account_create(
            by=None,
            center=center,
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            unit=unit,
            staff=staff,
            full_name=display,
        )
    if not user_model.objects.filter(username="admin").exists():
        user_model.objects.create_superuser("admin", "", DEMO_PASSWORD, first_name="系统管理员")
