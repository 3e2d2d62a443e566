"""Pure staffing rules: day resolution, leave days, the approval chain, A/B vacancy, networks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govhall.core.uploads import sniff
from govhall.core.workdays import WorkCalendar
from govhall.core.worktime import DayHours
from govhall.staffing.choices import ApprovalLevel, DayPart, DayStatus, Half, LeaveKind, PunchKind
from govhall.staffing.rules import (
    ApprovalRule,
    LeavePart,
    Punch,
    address_allowed,
    approval_chain,
    days_by_month,
    hours_part,
    infer_kind,
    intersect,
    leave_parts,
    measure,
    needs_stamped_note,
    normalize,
    parse_networks,
    parts_overlap,
    resolve_day,
    subtract,
    vacancy,
)

WINTER = DayHours()  # 8:30–12:00, 14:30–17:30
SUMMER = DayHours(afternoon_start=dt.time(15, 0), afternoon_end=dt.time(18, 0))
# 2016: National Day 10月1日–7日 off, 10月8日 (Sat) and 9日 (Sun) worked.
NATIONAL_DAY = {dt.date(2016, 10, i): False for i in range(3, 8)} | {
    dt.date(2016, 10, 8): True,
    dt.date(2016, 10, 9): True,
}
CALENDAR = WorkCalendar(NATIONAL_DAY, [2016])


def hm(h: int, m: int = 0) -> int:
    return h * 60 + m


IN, OUT = PunchKind.CLOCK_IN, PunchKind.CLOCK_OUT


# --- intervals ------------------------------------------------------------------------------


def test_intervals_merge_intersect_and_subtract():
    assert normalize([(5, 10), (8, 12), (20, 20)]) == [(5, 12)]
    assert intersect([(0, 10)], [(5, 15)]) == [(5, 10)]
    assert subtract([(0, 10)], [(3, 4)]) == [(0, 3), (4, 10)]
    assert measure([(0, 10), (5, 20)]) == 20


# --- day resolution ---------------------------------------------------------------------------


def test_a_day_clocked_at_opening_and_closing_is_on_time():
    result = resolve_day(
        workday=True, hours=WINTER, punches=[Punch(hm(8, 30), IN), Punch(hm(17, 30), OUT)]
    )
    assert result.status == DayStatus.ON_TIME
    assert (result.late_minutes, result.early_minutes) == (0, 0)


def test_late_counts_minutes_after_the_morning_start_with_no_grace():
    result = resolve_day(
        workday=True, hours=WINTER, punches=[Punch(hm(8, 31), IN), Punch(hm(17, 40), OUT)]
    )
    assert result.status == DayStatus.LATE
    assert result.late_minutes == 1


def test_an_afternoon_arrival_is_late_by_the_open_time_missed_not_the_lunch_break():
    result = resolve_day(
        workday=True, hours=WINTER, punches=[Punch(hm(14, 40), IN), Punch(hm(17, 30), OUT)]
    )
    assert result.late_minutes == 210 + 10  # the whole morning and ten minutes


def test_leaving_early_counts_the_minutes_before_closing():
    result = resolve_day(
        workday=True, hours=WINTER, punches=[Punch(hm(8, 20), IN), Punch(hm(17, 5), OUT)]
    )
    assert result.status == DayStatus.LEFT_EARLY
    assert result.early_minutes == 25


def test_no_punch_on_a_working_day_is_absent_and_on_a_day_off_nothing():
    assert resolve_day(workday=True, hours=WINTER).status == DayStatus.ABSENT
    assert resolve_day(workday=False, hours=WINTER).status == DayStatus.OFF


def test_a_missing_clock_out_is_a_missing_punch():
    result = resolve_day(workday=True, hours=WINTER, punches=[Punch(hm(8, 10), IN)])
    assert result.status == DayStatus.MISSING_PUNCH
    assert result.missing_out


def test_a_morning_on_leave_moves_the_expected_arrival_to_the_afternoon():
    result = resolve_day(
        workday=True,
        hours=WINTER,
        punches=[Punch(hm(14, 25), IN), Punch(hm(17, 35), OUT)],
        leave=[(0, hm(12))],
    )
    assert result.status == DayStatus.ON_TIME
    assert result.leave_minutes == 210


def test_a_whole_day_on_leave_or_out_on_business_resolves_so():
    assert resolve_day(workday=True, hours=WINTER, leave=[(0, 1440)]).status == DayStatus.LEAVE
    out = resolve_day(workday=True, hours=WINTER, outings=[(hm(8), hm(18))])
    assert out.status == DayStatus.OUTING


def test_leaving_on_an_outing_needs_no_clock_out():
    result = resolve_day(
        workday=True,
        hours=WINTER,
        punches=[Punch(hm(8, 25), IN)],
        outings=[(hm(14, 40), 1440)],
    )
    assert result.status == DayStatus.ON_TIME
    assert not result.missing_out


def test_a_day_in_progress_is_not_judged_before_its_time():
    early = resolve_day(workday=True, hours=WINTER, now=hm(8, 0))
    assert early.status == DayStatus.PENDING
    morning = resolve_day(workday=True, hours=WINTER, punches=[Punch(hm(8, 20), IN)], now=hm(10))
    assert morning.status == DayStatus.ON_TIME


minutes = st.integers(min_value=0, max_value=1439)


@given(arrival=minutes, departure=minutes)
def test_late_and_early_never_exceed_the_time_required(arrival, departure):
    result = resolve_day(
        workday=True, hours=WINTER, punches=[Punch(arrival, IN), Punch(departure, OUT)]
    )
    assert result.late_minutes + result.early_minutes <= result.required_minutes
    assert result.status != DayStatus.ABSENT


@given(first=minutes, second=minutes)
def test_arriving_later_is_never_less_late(first, second):
    a, b = sorted((first, second))
    punches = [Punch(hm(17, 30), OUT)]
    earlier = resolve_day(workday=True, hours=SUMMER, punches=[Punch(a, IN), *punches])
    later = resolve_day(workday=True, hours=SUMMER, punches=[Punch(b, IN), *punches])
    assert earlier.late_minutes <= later.late_minutes


@given(arrival=st.integers(min_value=hm(8, 30), max_value=hm(12)))
def test_a_morning_arrival_is_late_by_exactly_the_minutes_after_opening(arrival):
    result = resolve_day(
        workday=True, hours=WINTER, punches=[Punch(arrival, IN), Punch(hm(17, 30), OUT)]
    )
    assert result.late_minutes == arrival - hm(8, 30)
    assert (result.status == DayStatus.LATE) == (arrival > hm(8, 30))


@given(
    punches=st.lists(st.builds(Punch, minutes, st.sampled_from([IN, OUT])), min_size=0, max_size=6),
    leave_start=minutes,
    leave_length=st.integers(min_value=0, max_value=1440),
)
def test_whatever_the_punches_a_day_covered_by_leave_is_leave(punches, leave_start, leave_length):
    covered = resolve_day(workday=True, hours=WINTER, punches=punches, leave=[(0, 1440)])
    assert covered.status == DayStatus.LEAVE
    partial = resolve_day(
        workday=True,
        hours=WINTER,
        punches=punches,
        leave=[(leave_start, leave_start + leave_length)],
    )
    assert partial.leave_minutes + partial.required_minutes == WINTER.minutes
    if not punches and partial.required_minutes:
        assert partial.status == DayStatus.ABSENT


def test_a_terminal_punch_is_an_arrival_before_the_middle_of_the_day():
    assert infer_kind(dt.time(8, 29), WINTER) == IN
    assert infer_kind(dt.time(12, 59), WINTER) == IN
    assert infer_kind(dt.time(13, 0), WINTER) == OUT


# --- leave days -------------------------------------------------------------------------------


def test_a_leave_across_a_weekend_counts_only_working_days():
    # Friday 2016-12-16 to Monday 2016-12-19
    parts = leave_parts(
        calendar=CALENDAR, start_date=dt.date(2016, 12, 16), start_half=Half.AM,
        end_date=dt.date(2016, 12, 19), end_half=Half.PM,
    )  # fmt: skip
    assert [p.date.day for p in parts] == [16, 19]
    assert sum(p.amount for p in parts) == 2


def test_a_leave_across_national_day_skips_the_holiday_and_counts_the_adjusted_saturday():
    parts = leave_parts(
        calendar=CALENDAR, start_date=dt.date(2016, 9, 30), start_half=Half.AM,
        end_date=dt.date(2016, 10, 8), end_half=Half.PM,
    )  # fmt: skip
    assert [p.date for p in parts] == [dt.date(2016, 9, 30), dt.date(2016, 10, 8)]
    assert days_by_month(parts) == {dt.date(2016, 9, 1): 1, dt.date(2016, 10, 1): 1}


def test_half_days_at_either_end_count_half():
    parts = leave_parts(
        calendar=CALENDAR, start_date=dt.date(2016, 12, 16), start_half=Half.PM,
        end_date=dt.date(2016, 12, 20), end_half=Half.AM,
    )  # fmt: skip
    assert [(p.date.day, p.part, p.amount) for p in parts] == [
        (16, DayPart.PM, Decimal("0.5")),
        (19, DayPart.WHOLE, Decimal(1)),
        (20, DayPart.AM, Decimal("0.5")),
    ]
    one_morning = leave_parts(
        calendar=CALENDAR, start_date=dt.date(2016, 12, 8), start_half=Half.AM,
        end_date=dt.date(2016, 12, 8), end_half=Half.AM,
    )  # fmt: skip
    assert [(p.part, p.amount) for p in one_morning] == [(DayPart.AM, Decimal("0.5"))]


def test_hours_count_as_a_share_of_the_days_open_time():
    part = hours_part(
        calendar=CALENDAR, hours=WINTER, day=dt.date(2016, 12, 8),
        start=dt.time(9, 0), end=dt.time(12, 15),
    )  # fmt: skip
    assert part is not None
    assert part.amount == Decimal("0.46")  # 180 of 390 minutes
    saturday = hours_part(
        calendar=CALENDAR, hours=WINTER, day=dt.date(2016, 12, 10),
        start=dt.time(9, 0), end=dt.time(11, 0),
    )  # fmt: skip
    assert saturday is None


def test_a_morning_and_an_afternoon_of_the_same_day_do_not_overlap():
    day = dt.date(2016, 12, 8)
    am = LeavePart(day, DayPart.AM, Decimal("0.5"))
    pm = LeavePart(day, DayPart.PM, Decimal("0.5"))
    hours = LeavePart(day, DayPart.HOURS, Decimal("0.2"), dt.time(9), dt.time(10))
    assert not parts_overlap(am, pm, WINTER)
    assert parts_overlap(am, hours, WINTER)
    assert not parts_overlap(pm, hours, WINTER)


@pytest.mark.parametrize(
    ("days", "totals", "needed"),
    [
        (Decimal(1), [Decimal(1)], False),
        (Decimal("1.5"), [Decimal("1.5")], True),
        (Decimal("0.5"), [Decimal(3)], False),
        (Decimal("0.5"), [Decimal("3.5")], True),
    ],
)
def test_the_stamped_note_is_needed_over_1_day_or_over_3_in_the_month(days, totals, needed):
    assert needs_stamped_note(days=days, month_totals=totals) is needed


# --- the approval chain -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "chain"),
    [
        (Decimal("0.5"), ["chief"]),
        (Decimal(1), ["chief"]),
        (Decimal("1.5"), ["chief", "office"]),
        (Decimal(2), ["chief", "office"]),
        (Decimal(5), ["chief", "office", "leader"]),
    ],
)
def test_the_default_chain_grows_with_the_days(days, chain):
    assert approval_chain(days=days, kind=LeaveKind.PERSONAL, rules=[]) == chain


def test_a_rule_for_one_type_wins_over_the_general_rules():
    rules = [
        ApprovalRule("", Decimal(1), ApprovalLevel.CHIEF),
        ApprovalRule("", None, ApprovalLevel.LEADER),
        ApprovalRule(LeaveKind.SICK, Decimal(5), ApprovalLevel.OFFICE),
    ]
    assert approval_chain(days=Decimal(4), kind=LeaveKind.SICK, rules=rules) == ["chief", "office"]
    assert approval_chain(days=Decimal(4), kind=LeaveKind.PERSONAL, rules=rules) == [
        "chief",
        "office",
        "leader",
    ]
    # longer than any sick-leave rule: the general rules decide
    assert approval_chain(days=Decimal(8), kind=LeaveKind.SICK, rules=rules)[-1] == "leader"


# --- A/B vacancy ----------------------------------------------------------------------------------


def test_a_post_is_vacant_only_while_both_are_away():
    minutes_empty, half = vacancy(
        hours=WINTER, primary_away=[(0, 1440)], backup_away=[(hm(14, 40), hm(17))]
    )
    assert (minutes_empty, half) == (140, "pm")
    assert vacancy(hours=WINTER, primary_away=[(0, hm(12))], backup_away=[(hm(12), 1440)]) == (
        0,
        None,
    )
    assert vacancy(hours=WINTER, primary_away=[(0, 1440)], backup_away=[(0, 1440)])[1] == "whole"


# --- networks and files -----------------------------------------------------------------------


def test_only_addresses_in_the_halls_networks_are_allowed():
    networks = parse_networks("192.168.10.0/24\n::1/128, 10.1.2.3")
    assert address_allowed("192.168.10.77", networks)
    assert address_allowed("::1", networks)
    assert address_allowed("::ffff:192.168.10.5", networks)
    assert address_allowed("10.1.2.3", networks)
    assert not address_allowed("192.168.11.1", networks)
    assert not address_allowed("not an address", networks)
    with pytest.raises(ValueError, match="300.1.1.1"):
        parse_networks("192.168.1.0/24\n300.1.1.1")


def test_files_are_judged_by_their_content():
    assert sniff(b"%PDF-1.7 ...").extension == ".pdf"
    assert sniff(b"\x89PNG\r\n\x1a\n....").extension == ".png"
    assert sniff(b"\xff\xd8\xff\xe0").extension == ".jpg"
    assert sniff(b"MZ\x90\x00") is None
