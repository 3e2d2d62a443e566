"""Pure rules of attendance, leave and A/B cover: no database, cheap to test thoroughly.

Times within a day are minutes after midnight (local time) and spans are half-open intervals
[start, end): the hall's sessions, a leave's part of a day, an outing, the time a post stood
empty. Days are counted over the WorkCalendar and the hall's hours of each date.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from govhall.core.months import month_first_last
from govhall.core.workdays import WorkCalendar
from govhall.core.worktime import DayHours
from govhall.staffing.choices import ApprovalLevel, DayPart, DayStatus, Half, PunchKind

DAY_END = 24 * 60
Interval = tuple[int, int]

# --- minutes and intervals --------------------------------------------------------------------


def minute(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def clock(minutes: int) -> dt.time:
    """Minutes after midnight as a time (the end of the day shows as 23:59)."""
    minutes = max(0, min(minutes, DAY_END - 1))
    return dt.time(minutes // 60, minutes % 60)


def normalize(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, merged, non-empty intervals within the day."""
    cleaned = sorted(
        (max(0, s), min(DAY_END, e)) for s, e in intervals if min(DAY_END, e) > max(0, s)
    )
    merged: list[Interval] = []
    for start, end in cleaned:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def intersect(a: Iterable[Interval], b: Iterable[Interval]) -> list[Interval]:
    result = []
    for s1, e1 in normalize(a):
        for s2, e2 in normalize(b):
            start, end = max(s1, s2), min(e1, e2)
            if end > start:
                result.append((start, end))
    return normalize(result)


def subtract(a: Iterable[Interval], b: Iterable[Interval]) -> list[Interval]:
    result = normalize(a)
    for cut_start, cut_end in normalize(b):
        pieces: list[Interval] = []
        for start, end in result:
            if cut_end <= start or cut_start >= end:
                pieces.append((start, end))
                continue
            if start < cut_start:
                pieces.append((start, cut_start))
            if cut_end < end:
                pieces.append((cut_end, end))
        result = pieces
    return result


def measure(intervals: Iterable[Interval]) -> int:
    return sum(end - start for start, end in normalize(intervals))


def open_intervals(hours: DayHours) -> list[Interval]:
    """The hall's two sessions of a working day."""
    return [(minute(start), minute(end)) for start, end in hours.sessions()]


def part_interval(
    part: str, hours: DayHours, start: dt.time | None = None, end: dt.time | None = None
) -> Interval:
    """The span of a day a leave's part takes: the morning runs to noon closing, the
    afternoon from it; hours are taken as given."""
    noon = minute(hours.morning_end)
    if part == DayPart.AM:
        return (0, noon)
    if part == DayPart.PM:
        return (noon, DAY_END)
    if part == DayPart.HOURS and start is not None and end is not None:
        return (minute(start), minute(end))
    return (0, DAY_END)


# --- leave days -------------------------------------------------------------------------------

HALF_DAY = Decimal("0.5")
ONE_DAY = Decimal(1)


@dataclass(frozen=True)
class LeavePart:
    """One working day of a leave: the whole day, a half, or some hours, and what it counts."""

    date: dt.date
    part: str
    amount: Decimal
    start_time: dt.time | None = None
    end_time: dt.time | None = None


def leave_parts(
    *,
    calendar: WorkCalendar,
    start_date: dt.date,
    start_half: str,
    end_date: dt.date,
    end_half: str,
) -> list[LeavePart]:
    """The working days of a leave from a half-day to a half-day (both included).

    A leave from Friday afternoon to Monday noon counts 1 day: the weekend between is not a
    working day, and each end counts half.
    """
    parts = []
    day = start_date
    while day <= end_date:
        if calendar.is_workday(day):
            morning = not (day == start_date and start_half == Half.PM)
            afternoon = not (day == end_date and end_half == Half.AM)
            if morning and afternoon:
                parts.append(LeavePart(day, DayPart.WHOLE, ONE_DAY))
            elif morning:
                parts.append(LeavePart(day, DayPart.AM, HALF_DAY))
            elif afternoon:
                parts.append(LeavePart(day, DayPart.PM, HALF_DAY))
        day += dt.timedelta(days=1)
    return parts


def hours_part(
    *, calendar: WorkCalendar, hours: DayHours, day: dt.date, start: dt.time, end: dt.time
) -> LeavePart | None:
    """A leave of some hours within one day counts its open minutes over the day's length."""
    if not calendar.is_workday(day):
        return None
    minutes = measure(intersect([(minute(start), minute(end))], open_intervals(hours)))
    if minutes <= 0:
        return None
    amount = (Decimal(minutes) / Decimal(hours.minutes)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return LeavePart(day, DayPart.HOURS, min(max(amount, Decimal("0.01")), ONE_DAY), start, end)


def parts_overlap(a: LeavePart, b: LeavePart, hours: DayHours) -> bool:
    """Whether two leave parts of the same person take some of the same time of a day."""
    if a.date != b.date:
        return False
    first = part_interval(a.part, hours, a.start_time, a.end_time)
    second = part_interval(b.part, hours, b.start_time, b.end_time)
    return measure(intersect([first], [second])) > 0


def days_by_month(parts: Iterable[LeavePart]) -> dict[dt.date, Decimal]:
    """A leave's working days in each month it touches (keyed by the month's first day)."""
    totals: dict[dt.date, Decimal] = {}
    for part in parts:
        key = part.date.replace(day=1)
        totals[key] = totals.get(key, Decimal(0)) + part.amount
    return totals


def needs_stamped_note(*, days: Decimal, month_totals: Iterable[Decimal]) -> bool:
    """请假超过1天、月累计超过3天: the unit's stamped approval note must be on file."""
    return days > ONE_DAY or any(total > 3 for total in month_totals)


# --- the approval chain -------------------------------------------------------------------------


@dataclass(frozen=True)
class ApprovalRule:
    """Leaves of `kind` ("" any kind) up to `max_days` (None: any length) end at `level`."""

    kind: str
    max_days: Decimal | None
    level: str


DEFAULT_RULES = (
    ApprovalRule("", Decimal(1), ApprovalLevel.CHIEF),
    ApprovalRule("", Decimal(2), ApprovalLevel.OFFICE),
    ApprovalRule("", None, ApprovalLevel.LEADER),
)


def final_level(*, days: Decimal, kind: str, rules: Sequence[ApprovalRule]) -> str:
    """The highest step a leave needs: the tightest rule for its kind, else for any kind."""
    rules = rules or DEFAULT_RULES
    for group in ([r for r in rules if r.kind == kind], [r for r in rules if not r.kind]):
        fitting = [r for r in group if r.max_days is None or days <= r.max_days]
        if fitting:
            best = min(fitting, key=lambda r: (r.max_days is None, r.max_days or 0))
            return best.level
    return ApprovalLevel.LEADER


def approval_chain(*, days: Decimal, kind: str, rules: Sequence[ApprovalRule]) -> list[str]:
    """Every step from the unit's chief up to the final one, in order."""
    order = ApprovalLevel.order()
    top = final_level(days=days, kind=kind, rules=rules)
    return order[: order.index(top) + 1]


def next_level(level: str) -> str | None:
    order = ApprovalLevel.order()
    index = order.index(level)
    return order[index + 1] if index + 1 < len(order) else None


# --- attendance ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Punch:
    at: int  # minutes after midnight
    kind: str


@dataclass(frozen=True)
class DayResult:
    """One working day of one person: what happened, and by how many minutes."""

    status: str
    late_minutes: int = 0
    early_minutes: int = 0
    required_minutes: int = 0
    leave_minutes: int = 0
    outing_minutes: int = 0
    missing_in: bool = False
    missing_out: bool = False
    arrival: int | None = None
    departure: int | None = None

    @property
    def present(self) -> bool:
        return self.status in {
            DayStatus.ON_TIME,
            DayStatus.LATE,
            DayStatus.LEFT_EARLY,
            DayStatus.MISSING_PUNCH,
        }


def infer_kind(at: dt.time, hours: DayHours) -> str:
    """A terminal punch without its direction: before the middle of the open day it is an
    arrival, after it a departure."""
    middle = (minute(hours.morning_start) + minute(hours.afternoon_end)) // 2
    return PunchKind.CLOCK_IN if minute(at) < middle else PunchKind.CLOCK_OUT


def resolve_day(
    *,
    workday: bool,
    hours: DayHours,
    punches: Sequence[Punch] = (),
    leave: Sequence[Interval] = (),
    outings: Sequence[Interval] = (),
    now: int | None = None,
) -> DayResult:
    """On time, late, left early, missing a punch, absent, on leave or out on business.

    The time a person must be at the window is the hall's open time less their leave and their
    outings. Late counts the minutes of that time before the first clock-in (no grace), left
    early those after the last clock-out. An outing counts as being at work: leaving for one
    needs no clock-out, returning from one no clock-in. `now` (minutes) judges a day still in
    progress: nothing is missing or absent before its time has passed.
    """
    if not workday:
        return DayResult(DayStatus.OFF)
    open_time = open_intervals(hours)
    leave_time = intersect(leave, open_time)
    rest = subtract(open_time, leave_time)
    outing_time = intersect(outings, rest)
    required = subtract(rest, outing_time)
    base = {
        "required_minutes": measure(required),
        "leave_minutes": measure(leave_time),
        "outing_minutes": measure(outing_time),
    }
    if not required:
        status = (
            DayStatus.LEAVE if base["leave_minutes"] >= base["outing_minutes"] else DayStatus.OUTING
        )
        return DayResult(status, **base)

    day_outings = normalize(outings)
    ins = sorted(p.at for p in punches if p.kind == PunchKind.CLOCK_IN)
    outs = sorted(p.at for p in punches if p.kind == PunchKind.CLOCK_OUT)
    arrivals = ins + [start for start, _end in day_outings]
    departures = outs + [end for _start, end in day_outings]
    arrival = min(arrivals) if arrivals else None
    departure = max(departures) if departures else None
    if departure is not None and (
        (arrival is not None and departure <= arrival) or (ins and ins[-1] > departure)
    ):
        departure = None  # came back after the last departure on record
    started = now is None or now > required[0][0]
    over = now is None or now >= required[-1][1]
    if not started:
        status = DayStatus.ON_TIME if arrival is not None else DayStatus.PENDING
        return DayResult(status, arrival=arrival, **base)
    if arrival is None and departure is None:
        return DayResult(DayStatus.ABSENT if over else DayStatus.PENDING, **base)

    late = measure(intersect(required, [(0, arrival)])) if arrival is not None else 0
    early = (
        measure(intersect(required, [(departure, DAY_END)]))
        if over and departure is not None
        else 0
    )
    missing_in = arrival is None
    missing_out = over and departure is None
    if late:
        status = DayStatus.LATE
    elif early:
        status = DayStatus.LEFT_EARLY
    elif missing_in or missing_out:
        status = DayStatus.MISSING_PUNCH
    else:
        status = DayStatus.ON_TIME
    return DayResult(
        status,
        late_minutes=late,
        early_minutes=early,
        missing_in=missing_in,
        missing_out=missing_out,
        arrival=arrival,
        departure=departure,
        **base,
    )


# --- A/B cover ------------------------------------------------------------------------------------


def vacancy(
    *, hours: DayHours, primary_away: Sequence[Interval], backup_away: Sequence[Interval]
) -> tuple[int, str | None]:
    """Minutes a post stood empty (holder and backup both away, nobody named to cover) and
    which half of the day: "am", "pm", "whole" or None."""
    open_time = open_intervals(hours)
    empty = intersect(intersect(primary_away, backup_away), open_time)
    minutes = measure(empty)
    if not minutes:
        return 0, None
    morning = measure(intersect(empty, [open_time[0]])) > 0
    afternoon = measure(intersect(empty, [open_time[1]])) > 0
    if morning and afternoon:
        return minutes, "whole"
    return minutes, "am" if morning else "pm"


def overlaps_open_time(hours: DayHours, a: Sequence[Interval], b: Sequence[Interval]) -> bool:
    """Whether two absences share some of the hall's open time."""
    return measure(intersect(intersect(a, b), open_intervals(hours))) > 0


# --- the hall's network --------------------------------------------------------------------------

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
DEFAULT_NETWORKS = "127.0.0.0/8\n::1/128"


def parse_networks(text: str) -> list[Network]:
    """One CIDR per line (or separated by commas); raises ValueError naming the bad entry."""
    networks = []
    for entry in text.replace(",", "\n").splitlines():
        entry = entry.strip()
        if not entry or entry.startswith("#"):
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(entry) from None
    return networks


def address_allowed(address: str, networks: Iterable[Network]) -> bool:
    """Whether a client address lies in one of the hall's networks."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip.version == net.version and ip in net for net in networks)


# --- uploads -----------------------------------------------------------------------------------


NOTE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".pdf"})
MAX_NOTE_BYTES = 10 * 1024 * 1024


# --- months -----------------------------------------------------------------------------------


def month_days(month: dt.date) -> list[dt.date]:
    first, last = month_first_last(month)
    return [first + dt.timedelta(days=i) for i in range(last.day)]
