"""The demo city: 湖北省 → 随州市 → 随县 and two small fictional county halls (青溪县, 明湖县),
each with three units, a few items and a few dozen cases in December 2016 and in the last two
months before today, some ratings and patrol sign-ins — enough for the regional bulletin to rank
three centers. Built through the real services, on the clock each record happened at; small on
purpose, so load_demo stays fast.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from govhall.cases import services as cases
from govhall.catalog import services as catalog
from govhall.core import clock
from govhall.core.calendar import get_calendar
from govhall.core.months import month_start, shift_month
from govhall.demo.data.org import DEMO_CENTER
from govhall.demo.logins import DEMO_PASSWORD, REGION
from govhall.feedback import services as feedback
from govhall.feedback.choices import RatingChannel
from govhall.org import services as org
from govhall.org.choices import RegionKind, StaffRole
from govhall.org.models import Center, Region, Staff, Unit
from govhall.oversight import services as oversight

PROVINCE, CITY = "湖北省", "随州市"
# (county, hall, short name, units: (unit, window number, item code, item name, promised days,
# chief, clerk)); fictional counties and people.
HALLS: tuple[tuple[str, str, str, tuple[tuple[str, str, str, str, int, str, str], ...]], ...] = (
    (
        "青溪县",
        "青溪县政务服务中心",
        "青溪县政务服务",
        (
            ("公安局", "A01", "QX001", "居民身份证换领", 5, "杜明远", "岑晓雨"),
            ("人社局", "A02", "QX002", "社会保障卡申领", 3, "骆青山", "蒲思琪"),
            ("市场监管局", "A03", "QX003", "个体工商户设立登记", 3, "闵浩然", "卜玉洁"),
        ),
    ),
    (
        "明湖县",
        "明湖县政务服务中心",
        "明湖县政务服务",
        (
            ("公安局", "B01", "MH001", "居民身份证换领", 5, "柏云飞", "苗雅静"),
            ("住建局", "B02", "MH002", "建筑工程施工许可", 7, "滕志强", "邬小婉"),
            ("不动产登记中心", "B03", "MH003", "不动产抵押登记", 5, "卞承志", "芮佳音"),
        ),
    ),
)
DECEMBER = dt.date(2016, 12, 1)
CASES_PER_UNIT = 6  # a month, per unit
LATE_EVERY = 5  # every fifth promised case is completed a day after its deadline


def load_regions_demo(stdout: Any) -> None:
    """The region tree, the two small halls and the regional supervisor's login, once."""
    if Region.objects.filter(name=CITY).exists():
        stdout.write(f"{CITY} already loaded; left as it is.")
        return
    province = org.region_create(by=None, name=PROVINCE, kind=RegionKind.PROVINCE)
    city = org.region_create(
        by=None, name=CITY, kind=RegionKind.CITY, parent=province, short_name="随州市政务服务"
    )
    sui = org.region_create(by=None, name="随县", kind=RegionKind.COUNTY, parent=city)
    demo = Center.objects.filter(name=DEMO_CENTER).first()
    if demo is not None:
        org.center_place_in_region(by=None, center=demo, region=sui)
    months = _months()
    for index, (county, name, short_name, units) in enumerate(HALLS):
        region = org.region_create(by=None, name=county, kind=RegionKind.COUNTY, parent=city)
        center = org.center_create(
            by=None, name=name, short_name=short_name, office_name=f"{name}管理办公室"
        )
        org.center_place_in_region(by=None, center=center, region=region)
        rng = random.Random(f"{name}-{months[-1]:%Y-%m}")  # noqa: S311 (demo data, not secrets)
        for position, spec in enumerate(units, start=1):
            _unit(center, position, spec, months, rng, signs=position <= 2 + index % 2)
    user = get_user_model().objects.create_user(
        username=REGION.username, password=DEMO_PASSWORD, first_name=REGION.display
    )
    org.region_membership_grant(by=None, user=user, region=city)
    stdout.write(f"{CITY}: {len(HALLS) + 1} centers; login {REGION.username} reads them all.")


def local_datetime(moment: dt.datetime) -> dt.datetime:
    """A naive hall-local moment made aware (Asia/Shanghai)."""
    return timezone.make_aware(moment)


def _months() -> list[dt.date]:
    """December 2016 and the two months up to today (the living demo's)."""
    this = month_start(clock.now().date())
    return sorted({DECEMBER, shift_month(this, -1), this})


def _unit(
    center: Center,
    position: int,
    spec: tuple[str, str, str, str, int, str, str],
    months: list[dt.date],
    rng: random.Random,
    *,
    signs: bool,
) -> None:
    unit_name, number, code, item_name, days, chief_name, clerk_name = spec
    with clock.replaying(local_datetime(dt.datetime(2016, 11, 1, 9, 0))):  # noqa: DTZ001 (local)
        unit = org.unit_create(by=None, center=center, name=unit_name, position=position)
        window = org.window_create(by=None, unit=unit, name=f"{unit_name}窗口", number=number)
        chief = org.staff_create(
            by=None, unit=unit, window=window, name=chief_name, role=StaffRole.CHIEF
        )
        clerk = org.staff_create(by=None, unit=unit, window=window, name=clerk_name)
        org.post_set(by=None, primary=clerk, backup=chief)
        org.post_set(by=None, primary=chief, backup=clerk)
        item, _created = catalog.item_import_published(
            by=None, center=center, unit=unit, code=code, basic=_basic(item_name, days), rows={}
        )
        leader = oversight.unit_leader_create(
            by=None, unit=unit, name=f"{unit_name}分管领导", title="副局长"
        )
    for month in months:
        _month_cases(unit, item, days, [chief, clerk], month, rng)
        if signs:
            day = _workdays(month)[min(3, len(_workdays(month)) - 1)]
            when = local_datetime(dt.datetime.combine(day, dt.time(10, 0)))
            if when < clock.now():
                oversight.patrol_record(by=None, leader=leader, signed_in_at=when)


def _basic(name: str, days: int) -> dict[str, Any]:
    return {
        "name": name,
        "category": "01",
        "target": "person",
        "handling_type": "promised",
        "legal_days": days * 2,
        "promised_days": days,
        "legal_basis": "《中华人民共和国行政许可法》",
        "conditions": "本县居民",
        "place": "政务服务中心一楼",
        "hours": "周一至周五",
        "result_name": name,
        "fee_mode": "free",
    }


def _workdays(month: dt.date) -> list[dt.date]:
    calendar = get_calendar()
    end = shift_month(month, 1)
    days = [month + dt.timedelta(days=n) for n in range((end - month).days)]
    return [d for d in days if calendar.is_workday(d)]


def _month_cases(
    unit: Unit,
    item: Any,
    promised_days: int,
    staff: list[Staff],
    month: dt.date,
    rng: random.Random,
) -> None:
    """A few cases received and accepted on the month's working days, most completed within
    their promised days (every LATE_EVERY-th a day late), each completed one rated."""
    now = clock.now()
    days = [
        d for d in _workdays(month) if local_datetime(dt.datetime.combine(d, dt.time(17))) < now
    ]
    if not days or not unit.is_active:
        return
    calendar = get_calendar()
    for n in range(CASES_PER_UNIT):
        day = days[rng.randrange(len(days))]
        by = staff[n % 2].user  # None: the hall's own system (the staff have no logins)
        received = local_datetime(dt.datetime.combine(day, dt.time(9, rng.randrange(60))))
        with clock.replaying(received):
            case = cases.case_receive(
                by=by, item=item, applicant_name=f"{'赵钱孙李周吴郑王'[n % 8]}某",
                applicant_phone=f"1390000{rng.randrange(10000):04d}",
            )  # fmt: skip
            case = cases.case_accept(by=by, case=case)
        finish = day
        for _step in range(rng.randint(1, promised_days) + (n % LATE_EVERY == 0)):
            finish += dt.timedelta(days=1)
            while not calendar.is_workday(finish):
                finish += dt.timedelta(days=1)
        done_at = local_datetime(dt.datetime.combine(finish, dt.time(15, rng.randrange(60))))
        if done_at >= now:
            continue
        with clock.replaying(done_at):
            case = cases.case_complete(by=by, case=case, result="granted")
        feedback.rating_submit(
            case=case,
            level=rng.choice((5, 5, 5, 4, 4, 3, 2)),
            channel=RatingChannel.QR,
            at=done_at + dt.timedelta(minutes=30),
        )
