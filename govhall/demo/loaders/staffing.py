"""Demo staffing for December 2016 in 随县政务服务中心, built through the real services.

The bulletin's figures: 13 leave person-times (事假、病假、公休) totalling 35 working days in
December, 6 outings, and posts left with nobody at them. Punches are invented but stable (a
checksum of name and day), mostly on time with a few late arrivals and an early departure.
"""

from __future__ import annotations

import datetime as dt
import zlib
from typing import Any

from django.utils import timezone

from govhall.core.calendar import get_calendar
from govhall.demo.data.org import DEMO_CENTER
from govhall.demo.logins import DEMO_PASSWORD, DIRECTOR
from govhall.org import services as org
from govhall.org.models import Center, HallHours, Staff
from govhall.staffing import selectors, services
from govhall.staffing.choices import Half, LeaveKind, PunchKind
from govhall.staffing.models import Leave, LeaveRule
from govhall.staffing.rules import month_days

MONTH = dt.date(2016, 12, 1)

# (name, from month, from day, morning opens, closes, afternoon opens, closes)
HOURS = [
    ("冬季作息时间", 10, 1, (8, 30), (12, 0), (14, 0), (17, 30)),
    ("夏季作息时间", 5, 1, (8, 30), (12, 0), (15, 0), (18, 0)),
]

P, S, A = LeaveKind.PERSONAL, LeaveKind.SICK, LeaveKind.ANNUAL
AM, PM = Half.AM, Half.PM
# (name, type, from, from half, to, to half, reason): 13 leaves, 35 working days in December.
LEAVES = [
    ("冯佳慧", S, "2016-11-29", AM, "2016-12-02", PM, "感冒发烧住院"),  # 2 of its 4 days in Dec
    ("卢思琪", P, "2016-12-01", AM, "2016-12-02", PM, "家中老人生病"),  # 2
    ("孙雨桐", P, "2016-12-05", AM, "2016-12-06", PM, "孩子生病"),  # 2
    ("沈可欣", A, "2016-12-05", AM, "2016-12-09", PM, "年休假"),  # 5
    ("曹婉清", P, "2016-12-08", AM, "2016-12-08", AM, "办理个人事务"),  # 0.5
    ("梁思雨", S, "2016-12-12", AM, "2016-12-14", PM, "腰伤"),  # 3
    ("宋佳琪", P, "2016-12-14", AM, "2016-12-15", PM, "回老家办事"),  # 2
    ("叶子涵", P, "2016-12-16", PM, "2016-12-19", PM, "家中有事"),  # 1.5 (the weekend not counted)
    ("潘晓玲", A, "2016-12-19", AM, "2016-12-23", PM, "年休假"),  # 5
    ("魏晨阳", A, "2016-12-20", AM, "2016-12-23", PM, "年休假"),  # 4
    ("田欣然", S, "2016-12-26", AM, "2016-12-28", PM, "肠胃炎"),  # 3
    ("金梦瑶", S, "2016-12-27", AM, "2016-12-28", PM, "感冒"),  # 2
    ("秦语嫣", P, "2016-12-28", AM, "2016-12-30", PM, "陪护家人"),  # 3
]

# (name, out, back or None, reason, cover or None): 6 outings.
OUTINGS = [
    ("贺文博", "2016-12-07 09:30", "2016-12-07 11:00", "到县公安局送审出入境材料", None),
    ("许国栋", "2016-12-08 14:30", "2016-12-08 15:30", "到财政局报送报表", None),
    ("邓志强", "2016-12-13 14:40", None, "到施工现场核查", None),  # never closed: flagged
    ("彭嘉怡", "2016-12-20 09:00", "2016-12-20 11:30", "到发改局报送项目材料", "董明轩"),
    # 潘晓玲 (his backup) is on leave and nobody covers: the window stands empty.
    ("袁立群", "2016-12-21 14:40", "2016-12-21 17:00", "到局里参加会议", None),
    ("郭建华", "2016-12-22 09:00", "2016-12-22 10:30", "到林业局汇报工作", None),
]

# Departures from the usual day: (name, day) → arrival, departure (None: no punch).
SPECIAL_DAYS: dict[tuple[str, int], tuple[tuple[int, int] | None, tuple[int, int] | None]] = {
    ("韩立新", 6): ((8, 47), (17, 36)),  # 17 minutes late
    ("魏晨阳", 12): ((8, 41), (17, 33)),  # 11 minutes late
    ("蒋梦洁", 19): ((9, 5), (17, 40)),  # 35 minutes late
    ("石建平", 23): ((8, 20), (17, 5)),  # left 25 minutes early
    ("江永胜", 9): ((8, 18), None),  # forgot to clock out
    ("唐晓峰", 15): (None, None),  # did not come, while 宋佳琪 (whom he backs up) was on leave
    ("邓志强", 13): ((8, 22), None),  # went out at 14:40 and never registered his return
}


def _local(text: str) -> dt.datetime:
    naive = dt.datetime.strptime(text, "%Y-%m-%d %H:%M")  # noqa: DTZ007 (made aware)
    return timezone.make_aware(naive)


def _at(day: dt.date, hm: tuple[int, int]) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(*hm)))


def _spread(name: str, day: dt.date, span: int) -> int:
    return zlib.crc32(f"{name}{day.isoformat()}".encode()) % span


def load_staffing_demo(stdout: Any) -> None:
    """December 2016's leave, outings, punches and vacancies (idempotent)."""
    center = Center.objects.filter(name=DEMO_CENTER).first()
    if center is None:
        return
    if Leave.objects.filter(center=center, start_date__lte=dt.date(2016, 12, 31)).exists():
        stdout.write("Staffing demo already loaded; left as it is.")
        return
    staff = {s.name: s for s in Staff.objects.filter(center=center, is_active=True)}
    _hours_and_rules(center)
    leaves = [
        services.leave_record(
            by=None,
            staff=staff[name],
            kind=kind,
            start_date=dt.date.fromisoformat(start),
            start_half=start_half,
            end_date=dt.date.fromisoformat(end),
            end_half=end_half,
            reason=reason,
        )  # fmt: skip
        for name, kind, start, start_half, end, end_half, reason in LEAVES
    ]
    for name, out, back, reason, cover in OUTINGS:
        services.outing_record(
            by=None, staff=staff[name], out_at=_local(out), back_at=_local(back) if back else None,
            reason=reason, cover=staff[cover] if cover else None,
        )  # fmt: skip
    punches = _punches(center, staff, leaves)
    services.attendance_punches_import(by=None, center=center, punches=punches)
    calendar = get_calendar(center)
    vacancies = 0
    for day in month_days(MONTH):
        if calendar.is_workday(day):
            vacancies += len(services.vacancies_record(center=center, date=day))
    _pending_request(staff)
    person_times, days = selectors.leave_figures(center=center, month=MONTH)
    stdout.write(
        f"{DEMO_CENTER} 2016年12月: {person_times} leave person-times ({days} working days), "
        f"{selectors.outing_count(center=center, month=MONTH)} outings, {len(punches)} punches, "
        f"{vacancies} vacancies."
    )


def _hours_and_rules(center: Center) -> None:
    if not HallHours.objects.filter(center=center).exists():
        for name, month, day, ms, me, as_, ae in HOURS:
            org.hall_hours_create(
                by=None, center=center, name=name, from_month=month, from_day=day,
                morning_start=dt.time(*ms), morning_end=dt.time(*me),
                afternoon_start=dt.time(*as_), afternoon_end=dt.time(*ae),
            )  # fmt: skip
    if not LeaveRule.objects.filter(center=center).exists():
        services.leave_rules_install_defaults(by=None, center=center)
    user = selectors.office_accounts(center).filter(username=DIRECTOR.username).first()
    if user is None:
        user = org.account_create(
            by=None, center=center, username=DIRECTOR.username, password=DEMO_PASSWORD,
            role=DIRECTOR.role, full_name=DIRECTOR.display,
        )  # fmt: skip
    services.attendance_settings_update(
        by=None,
        center=center,
        networks="127.0.0.0/8\n::1/128\n192.168.10.0/24",
        leaders=[user],
    )


def _punches(
    center: Center, staff: dict[str, Staff], leaves: list[Leave]
) -> list[tuple[Staff, dt.datetime, str]]:
    """Every working day of the month for every person: in before 8:30, out after 17:30."""
    taken = {(d.staff_id, d.date): d.part for leave in leaves for d in leave.leave_days.all()}
    calendar = get_calendar(center)
    punches = []
    for person in staff.values():
        for day in month_days(MONTH):
            if not calendar.is_workday(day):
                continue
            part = taken.get((person.pk, day))
            if part == "whole":
                continue
            arrival: tuple[int, int] | None = (8, 5 + _spread(person.name, day, 22))
            departure: tuple[int, int] | None = (17, 31 + _spread(person.name, day, 14))
            if part == "am":
                arrival = (14, 10 + _spread(person.name, day, 15))
            elif part == "pm":
                departure = (12, 1 + _spread(person.name, day, 8))
            arrival, departure = SPECIAL_DAYS.get((person.name, day.day), (arrival, departure))
            if arrival is not None:
                punches.append((person, _at(day, arrival), PunchKind.CLOCK_IN))
            if departure is not None:
                punches.append((person, _at(day, departure), PunchKind.CLOCK_OUT))
    return punches


def _pending_request(staff: dict[str, Staff]) -> None:
    """A request waiting for its chain: two days in January, the stamped note not yet uploaded."""
    clerk = staff["贺文博"]
    if clerk.user is None:
        return
    services.leave_request(
        by=clerk.user, staff=clerk, kind=LeaveKind.PERSONAL,
        start_date=dt.date(2017, 1, 3), end_date=dt.date(2017, 1, 4), reason="回老家办理房产手续",
    )  # fmt: skip
