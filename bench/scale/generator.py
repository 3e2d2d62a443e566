"""Scale data: one center with years of realistic cases, fast enough for ten million of them.

The organisation (units, windows, staff, items, hours, leave) goes through the ORM; the big
tables (cases, consultations, ratings, warnings, case counters) are streamed as rows: with
PostgreSQL's COPY (psycopg 3), with the table's secondary indexes and foreign keys dropped
and rebuilt in the same transaction; with SQLite as batched INSERTs.

The rules are the app's own: cases are accepted on working days of `get_calendar()` within
the hall's hours (`org.hours.hours_of`), and due dates come from `core.worktime` — the functions
`cases.services.recompute_due` calls — memoised per (day, limit), so each is computed once.
Generated history bypasses the audit trail, like imported history, and has no timeline lines.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from bench.scale import names
from govhall.cases.choices import CaseSource, CaseStatus, Channel, Result
from govhall.cases.models import Case, CaseCounter, Consultation
from govhall.catalog.choices import Category, HandlingType, ItemStatus, Target, VersionState
from govhall.catalog.models import ItemVersion, ServiceItem
from govhall.core import clock
from govhall.core.calendar import get_calendar
from govhall.core.months import month_end, shift_month
from govhall.core.text import pinyin_key, pinyin_readings
from govhall.core.workdays import WorkCalendar
from govhall.core.worktime import DayHours, immediate_deadline, promised_deadline
from govhall.feedback.models import Rating
from govhall.org.choices import StaffRole
from govhall.org.hours import hours_of
from govhall.org.models import Center, HallHours, Staff, Unit, Window
from govhall.staffing.choices import LeaveKind, LeaveStatus, RecordSource
from govhall.staffing.models import Leave
from govhall.supervision.choices import WarningLevel, WarningStatus, WithdrawReason
from govhall.supervision.models import Warning

NUL = "\\N"  # NULL in COPY's text format
DAY = 86400
PROMISED_DAYS = [
    Decimal("0.5"), Decimal(1), Decimal(3), Decimal(5), Decimal(7),
    Decimal(10), Decimal(15), Decimal(20), Decimal(30),
]  # fmt: skip
PROMISED_WEIGHTS = [2, 8, 14, 18, 14, 18, 12, 10, 4]
RATING_LEVELS = [5, 4, 3, 2, 1]
RATING_WEIGHTS = [80, 15, 4, 0.7, 0.3]


@dataclass(frozen=True)
class ScalePlan:
    """What to generate. `end_month` is the last month with cases (its days up to yesterday)."""

    cases: int
    units: int = 22
    items: int = 600
    staff: int = 120
    months: int = 24
    end_month: dt.date | None = None
    center: str = "规模测试政务服务中心"
    seed: int = 20161208
    consultation_share: float = 0.2  # consultation records per case
    rating_share: float = 0.15  # completed cases the applicant rated
    centers: int = 1  # a region: `cases` spread evenly over this many centers

    def center_name(self, index: int) -> str:
        """The first center keeps `center`; the others are numbered: 规模测试政务服务中心（002）."""
        return self.center if index == 0 else f"{self.center}（{index + 1:03d}）"

    def of_center(self, index: int) -> ScalePlan:
        """The plan of one center of the region (its share of the cases, its own seed)."""
        share = self.cases // self.centers + (1 if index < self.cases % self.centers else 0)
        return replace(
            self, cases=share, center=self.center_name(index), seed=self.seed + index, centers=1
        )


@dataclass
class ScaleResult:
    center_id: int  # the first center's
    center_ids: list[int]
    first_day: dt.date
    last_day: dt.date
    now: dt.datetime
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


# --- the organisation ---------------------------------------------------------------------------


def unit_names(count: int) -> list[str]:
    """`count` distinct unit names: the county's departments, then numbered branches."""
    base = list(names.CATALOG)
    return [
        base[i % len(base)] if i < len(base) else f"{base[i % len(base)]}{i // len(base) + 1}分局"
        for i in range(count)
    ]


def item_names(rng: random.Random, count: int, units: list[str]) -> list[tuple[str, str]]:
    """`count` distinct (unit, item name) pairs such as (公安局, 普通护照签发): seven in ten
    plain, the rest qualified (企业林木采伐许可证核发); branches reuse their department's words."""

    def things(unit: str) -> list[str]:
        for name, words in names.CATALOG.items():
            if unit.startswith(name):
                return words
        return names.CATALOG["公安局"]

    plain = [(u, f"{t}{a}") for u in units for t in things(u) for a in names.ACTIONS]
    qualified = [
        (u, f"{q}{t}{a}")
        for u in units
        for t in things(u)
        for a in names.ACTIONS
        for q in names.QUALIFIERS
    ]
    rng.shuffle(plain)
    rng.shuffle(qualified)
    first = [(units[0], "普通护照签发")] if units and units[0] == "公安局" else []
    pool = [*first, *plain[: count * 7 // 10], *qualified]
    return list(dict.fromkeys(pool))[:count]


def person_name(rng: random.Random) -> str:
    return rng.choice(names.SURNAMES) + rng.choice(names.GIVEN)


@dataclass
class ItemInfo:
    pk: int
    version_id: int
    unit_index: int
    immediate: bool
    days: Decimal


@dataclass
class UnitInfo:
    pk: int
    name: str
    windows: list[int]
    staff: list[tuple[int, int | None]]  # (staff id, window id)


def build_org(plan: ScalePlan, rng: random.Random) -> tuple[Center, list[UnitInfo], list[ItemInfo]]:
    """The center, its units, windows, staff (one chief per unit), hours and published items."""
    if Center.objects.filter(name=plan.center).exists():
        raise ValueError(
            f"The center “{plan.center}” exists already: choose another --center or an empty database."
        )
    center = Center.objects.create(
        name=plan.center, short_name=plan.center.removesuffix("中心"), office_name="中心管理办公室"
    )
    # Summer and winter hours, so deadlines cross seasons as they do in a real hall.
    HallHours.objects.bulk_create(
        [
            HallHours(center=center, name="夏季作息时间", from_month=5, from_day=1,
                      morning_start=dt.time(8, 0), morning_end=dt.time(12, 0),
                      afternoon_start=dt.time(15, 0), afternoon_end=dt.time(18, 0)),
            HallHours(center=center, name="冬季作息时间", from_month=10, from_day=1,
                      morning_start=dt.time(8, 30), morning_end=dt.time(12, 0),
                      afternoon_start=dt.time(14, 30), afternoon_end=dt.time(17, 30)),
        ]
    )  # fmt: skip
    unit_list = [
        Unit(center=center, name=name, full_name=f"{plan.center[:2]}{name}", position=i + 1,
             sort_key=pinyin_key(name))
        for i, name in enumerate(unit_names(plan.units))
    ]  # fmt: skip
    Unit.objects.bulk_create(unit_list)
    units = list(Unit.objects.filter(center=center).order_by("position"))

    # Staff: at least a chief per unit; the rest shared out, busier units first.
    per_unit = [1] * len(units)
    for i in range(max(0, plan.staff - len(units))):
        per_unit[i % len(units)] += 1
    windows = []
    for unit, count in zip(units, per_unit, strict=True):
        for n in range(1, min(4, 1 + count // 3) + 1):
            windows.append(
                Window(
                    center=center,
                    unit=unit,
                    name=f"{unit.name}{n}号窗口",
                    number=f"{len(windows) + 1:02d}",
                )
            )
    Window.objects.bulk_create(windows)
    windows_of: dict[int, list[int]] = {}
    for w in Window.objects.filter(center=center).order_by("pk"):
        windows_of.setdefault(w.unit_id, []).append(w.pk)
    staff = []
    for unit, count in zip(units, per_unit, strict=True):
        unit_windows = windows_of[unit.pk]
        for n in range(count):
            name = person_name(rng)
            staff.append(
                Staff(
                    center=center, unit=unit, window_id=unit_windows[n % len(unit_windows)],
                    name=name, role=StaffRole.CHIEF if n == 0 else StaffRole.CLERK,
                    phone=f"{rng.choice(names.PHONE_PREFIXES)}{rng.randrange(10**8):08d}",
                    staff_no=f"{unit.position:03d}{n + 1:03d}", sort_key=pinyin_key(name),
                )
            )  # fmt: skip
    Staff.objects.bulk_create(staff)
    staff_of: dict[int, list[tuple[int, int | None]]] = {}
    for s in Staff.objects.filter(center=center).order_by("pk"):
        staff_of.setdefault(s.unit_id, []).append((s.pk, s.window_id))
    infos = [UnitInfo(u.pk, u.name, windows_of[u.pk], staff_of[u.pk]) for u in units]

    # Items: published, three in ten immediate (即办件), the rest promised in 0.5–30 working days.
    unit_index = {u.name: i for i, u in enumerate(units)}
    pairs = item_names(rng, plan.items, [u.name for u in units])
    while len(pairs) < plan.items:  # more items than words: number the rest
        unit = units[len(pairs) % len(units)].name
        pairs.append((unit, f"{unit}其他事项{len(pairs) + 1}"))
    categories = [c for c, _label in Category.choices]
    service_items = []
    for n, (unit, name) in enumerate(pairs):
        full, initials = pinyin_readings(name)
        service_items.append(
            ServiceItem(
                center=center, unit=units[unit_index[unit]], code=f"SCALE{n + 1:07d}",
                status=ItemStatus.PUBLISHED, name=name, category=rng.choice(categories),
                target=rng.choice(Target.values), sort_key=pinyin_key(name)[:400],
                search_pinyin=" ".join(full), search_initials=" ".join(initials),
            )
        )  # fmt: skip
    ServiceItem.objects.bulk_create(service_items, batch_size=500)
    created = list(ServiceItem.objects.filter(center=center).order_by("pk"))
    versions = []
    for item in created:
        immediate = rng.random() < 0.3
        days = Decimal(0) if immediate else rng.choices(PROMISED_DAYS, PROMISED_WEIGHTS)[0]
        versions.append(
            ItemVersion(
                item=item, number=1, state=VersionState.PUBLISHED, name=item.name,
                category=item.category, target=item.target,
                handling_type=HandlingType.IMMEDIATE if immediate else HandlingType.PROMISED,
                legal_days=days * 2 or Decimal(1), promised_days=days,
                published_at=timezone.now(),
            )
        )  # fmt: skip
    ItemVersion.objects.bulk_create(versions, batch_size=500)
    version_of = dict(ItemVersion.objects.filter(item__center=center).values_list("item_id", "pk"))
    for item in created:
        item.current_id = version_of[item.pk]
    ServiceItem.objects.bulk_update(created, ["current"], batch_size=500)
    position = {u.pk: i for i, u in enumerate(units)}
    items = [
        ItemInfo(
            item.pk,
            version_of[item.pk],
            position[item.unit_id],
            v.handling_type == HandlingType.IMMEDIATE,
            v.promised_days,
        )
        for item, v in zip(created, versions, strict=True)
    ]
    return center, infos, items


def build_leave(
    center: Center, units: list[UnitInfo], days: list[dt.date], calendar: WorkCalendar,
    rng: random.Random, months: int,
) -> int:  # fmt: skip
    """Approved leave, about one record per person every three months, imported with its note."""
    kinds = [LeaveKind.PERSONAL, LeaveKind.SICK, LeaveKind.ANNUAL, LeaveKind.OTHER]
    tz = timezone.get_current_timezone()
    rows = []
    for unit in units:
        for staff_id, _window in unit.staff:
            for _ in range(max(1, months // 3 + rng.randint(-1, 1))):
                start = rng.choice(days)
                end = calendar.add(start, rng.choice([0, 0, 0, 1, 1, 2]))
                requested = dt.datetime.combine(start - dt.timedelta(days=2), dt.time(9), tz)
                rows.append(
                    Leave(
                        center=center, unit_id=unit.pk, staff_id=staff_id, kind=rng.choice(kinds),
                        start_date=start, end_date=end, days=Decimal(calendar.between(start, end)),
                        reason=rng.choice(names.LEAVE_REASONS), status=LeaveStatus.APPROVED,
                        source=RecordSource.IMPORT, requested_at=requested,
                        decided_at=requested + dt.timedelta(hours=2), note_on_file=True,
                    )
                )  # fmt: skip
    Leave.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


# --- time as integers ---------------------------------------------------------------------------


class Stamps:
    """Local naive time as integer seconds (ordinal × 86400 + second of day), and its text as the
    database stores it: local with offset for PostgreSQL, naive UTC for SQLite (USE_TZ)."""

    def __init__(self, with_offset: bool) -> None:
        self.with_offset = with_offset
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self._day: dict[int, str] = {}
        self._offset: dict[int, int] = {}
        self._suffix: dict[int, str] = {}
        self._prefix: dict[int, str] = {}
        self._postfix: dict[int, str] = {}
        self._tod = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(DAY)]

    def day(self, ordinal: int) -> str:
        text = self._day.get(ordinal)
        if text is None:
            text = self._day[ordinal] = dt.date.fromordinal(ordinal).isoformat()
        return text

    def offset(self, ordinal: int) -> int:
        seconds = self._offset.get(ordinal)
        if seconds is None:
            noon = dt.datetime.combine(dt.date.fromordinal(ordinal), dt.time(12), self.tz)
            seconds = int(noon.utcoffset().total_seconds())  # type: ignore[union-attr]
            self._offset[ordinal] = seconds
            sign = "+" if seconds >= 0 else "-"
            self._suffix[ordinal] = (
                f"{sign}{abs(seconds) // 3600:02d}:{abs(seconds) // 60 % 60:02d}"
            )
        return seconds

    def _fill(self, ordinal: int) -> None:
        self.offset(ordinal)
        self._prefix[ordinal] = self.day(ordinal) + " "
        self._postfix[ordinal] = self._suffix[ordinal] if self.with_offset else ""

    def at(self, t: int) -> str:
        """The stored text of local time `t` (two dictionary lookups once a day is known)."""
        if not self.with_offset:
            ordinal = t // DAY
            offset = self._offset.get(ordinal)
            if offset is None:
                offset = self.offset(ordinal)
            t -= offset
        ordinal = t // DAY
        prefix = self._prefix.get(ordinal)
        if prefix is None:
            self._fill(ordinal)
            prefix = self._prefix[ordinal]
        return prefix + self._tod[t - ordinal * DAY] + self._postfix[ordinal]


def local_seconds(value: dt.datetime) -> int:
    """Naive local datetime → integer seconds."""
    return value.toordinal() * DAY + value.hour * 3600 + value.minute * 60 + value.second


# --- writing rows -------------------------------------------------------------------------------


class TableWriter:
    """Rows for one table: the columns we generate, followed by the model's other columns at
    their defaults (so a column another app adds later still gets a valid value)."""

    def __init__(self, model: type[models.Model], columns: list[str]) -> None:
        self.model = model
        self.table = model._meta.db_table
        self.columns = list(columns)
        extra: list[tuple[str, Any]] = []
        for f in model._meta.concrete_fields:
            if f.column in columns or f.primary_key:
                continue
            if f.has_default():
                value = f.get_default()
                if not isinstance(value, (list, dict)):
                    value = f.get_db_prep_save(value, connection)
            elif f.null:
                value = None
            elif isinstance(f, (models.CharField, models.TextField)):
                value = ""
            elif isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add):
                value = timezone.now()
            else:
                raise ValueError(f"{self.table}.{f.column}: no value to generate")
            extra.append((f.column, value))
        self.all_columns = self.columns + [c for c, _v in extra]
        self.extra_values = tuple(_python(v) for _c, v in extra)
        self.suffix = "".join("\t" + _text(v) for _c, v in extra)
        self.count = 0


def _python(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, (list, dict)):
        import json

        return json.dumps(value)
    return value


def _text(value: Any) -> str:
    if value is None:
        return NUL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (list, dict)):
        import json

        return json.dumps(value).replace("\\", "\\\\")
    return str(value)


class Sink:
    """Where rows go: a COPY stream (PostgreSQL) or batched INSERTs (SQLite)."""

    def __init__(self, writer: TableWriter) -> None:
        self.writer = writer

    def add(self, row: list[str]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        pass


class CopySink(Sink):
    """COPY FROM STDIN, fed in blocks of about a megabyte."""

    def __init__(self, writer: TableWriter, cursor: Any) -> None:
        super().__init__(writer)
        cols = ", ".join(connection.ops.quote_name(c) for c in writer.all_columns)
        self._cm = cursor.copy(
            f"COPY {connection.ops.quote_name(writer.table)} ({cols}) FROM STDIN"
        )
        self._copy = self._cm.__enter__()
        self._lines: list[str] = []
        self._suffix = writer.suffix + "\n"

    def add(self, row: list[str]) -> None:
        self._lines.append("\t".join(row) + self._suffix)
        self.writer.count += 1
        if len(self._lines) >= 5000:
            self._copy.write("".join(self._lines))
            self._lines.clear()

    def close(self) -> None:
        if self._lines:
            self._copy.write("".join(self._lines))
            self._lines.clear()
        self._cm.__exit__(None, None, None)


class SpoolSink(Sink):
    """Rows of a secondary table kept in a temporary file while the cases stream, copied after."""

    def __init__(self, writer: TableWriter) -> None:
        super().__init__(writer)
        self.file: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self._suffix = writer.suffix + "\n"

    def add(self, row: list[str]) -> None:
        self.file.write("\t".join(row) + self._suffix)
        self.writer.count += 1

    def copy_into(self, cursor: Any) -> None:
        self.file.seek(0)
        cols = ", ".join(connection.ops.quote_name(c) for c in self.writer.all_columns)
        table = connection.ops.quote_name(self.writer.table)
        with cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            while block := self.file.read(1 << 20):
                copy.write(block)
        self.file.close()


class InsertSink(Sink):
    """executemany INSERT in batches (SQLite)."""

    def __init__(self, writer: TableWriter, cursor: Any) -> None:
        super().__init__(writer)
        self.cursor = cursor
        cols = ", ".join(connection.ops.quote_name(c) for c in writer.all_columns)
        marks = ", ".join(["%s"] * len(writer.all_columns))
        self.sql = (
            f"INSERT INTO {connection.ops.quote_name(writer.table)} ({cols}) VALUES ({marks})"  # noqa: S608
        )
        self.rows: list[tuple[Any, ...]] = []

    def add(self, row: list[str]) -> None:
        self.rows.append(tuple(None if v is NUL else v for v in row) + self.writer.extra_values)
        self.writer.count += 1
        if len(self.rows) >= 2000:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.cursor.executemany(self.sql, self.rows)
            self.rows.clear()

    def close(self) -> None:
        self.flush()


# --- PostgreSQL: indexes and foreign keys off during the load, back on after ----------------------


def _pg_drop_secondary(cursor: Any, table: str) -> list[str]:
    """Drop the table's foreign keys, unique constraints and secondary indexes; return the SQL
    that puts every one of them back (run in the same transaction, so nothing is ever lost)."""
    restore: list[str] = []
    quoted = connection.ops.quote_name(table)
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY contype DESC",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass "
        "AND NOT x.indisprimary AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
        [table],
    )
    indexes = cursor.fetchall()
    for name, definition, _kind in constraints:
        cursor.execute(f"ALTER TABLE {quoted} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        restore.append(
            f"ALTER TABLE {quoted} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
        )
    for name, definition in indexes:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        restore.insert(0, definition)  # indexes first, foreign keys (which use them) last
    return restore


# --- the cases ---------------------------------------------------------------------------------


def month_range(end_month: dt.date, months: int) -> tuple[dt.date, dt.date]:
    return shift_month(end_month, 1 - max(months, 1)), month_end(end_month)


def spread(total: int, weights: list[float], rng: random.Random) -> list[int]:
    """`total` split in proportion to `weights`, with integer parts that add up exactly."""
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    counts = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (raw[i] - counts[i], rng.random()), reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


@dataclass
class DayClock:
    """A working day's open hours as seconds of the day."""

    morning: tuple[int, int]
    afternoon: tuple[int, int]

    @classmethod
    def of(cls, hours: DayHours) -> DayClock:
        def s(t: dt.time) -> int:
            return t.hour * 3600 + t.minute * 60

        return cls(
            (s(hours.morning_start), s(hours.morning_end)),
            (s(hours.afternoon_start), s(hours.afternoon_end)),
        )

    @property
    def length(self) -> int:
        return self.morning[1] - self.morning[0] + self.afternoon[1] - self.afternoon[0]

    def second(self, x: int) -> int:
        """The x-th open second of the day."""
        span = self.morning[1] - self.morning[0]
        return self.morning[0] + x if x < span else self.afternoon[0] + x - span


class Deadlines:
    """Due times from `core.worktime`, memoised per (acceptance day, limit)."""

    def __init__(self, calendar: WorkCalendar, hours: Callable[[dt.date], DayHours]) -> None:
        self.calendar, self.hours = calendar, hours
        self._promised: dict[tuple[int, Decimal], tuple[int, int]] = {}
        self._immediate: dict[tuple[int, bool], tuple[int, int]] = {}

    def promised(self, ordinal: int, days: Decimal) -> tuple[int, int]:
        key = (ordinal, days)
        found = self._promised.get(key)
        if found is None:
            due = promised_deadline(
                calendar=self.calendar, hours=self.hours,
                accepted_on=dt.date.fromordinal(ordinal), days=days,
            )  # fmt: skip
            found = self._promised[key] = (local_seconds(due), due.toordinal())
        return found

    def immediate(self, t: int, closes: int) -> tuple[int, int]:
        ordinal, second = divmod(t, DAY)
        key = (ordinal, second >= closes)
        found = self._immediate.get(key)
        if found is None:
            accepted = dt.datetime.fromordinal(ordinal) + dt.timedelta(seconds=second)
            due = immediate_deadline(calendar=self.calendar, hours=self.hours, accepted_at=accepted)
            found = self._immediate[key] = (local_seconds(due), due.toordinal())
        return found


def generate(plan: ScalePlan, *, progress: Callable[[str], None] = lambda _m: None) -> ScaleResult:
    """Fill the database as `plan` says; one transaction."""
    started = time.perf_counter()
    now = clock.now()
    today = timezone.localdate(now)
    end_month = plan.end_month or today.replace(day=1)
    first_day, last_day = month_range(end_month, plan.months)
    last_day = min(last_day, today - dt.timedelta(days=1))
    calendar = get_calendar()
    days = []
    day = first_day
    while day <= last_day:
        if calendar.is_workday(day):
            days.append(day)
        day += dt.timedelta(days=1)
    if not days:
        raise ValueError("No working day in the chosen months before today.")
    vendor = connection.vendor

    with transaction.atomic():
        restore: list[str] = []
        result = ScaleResult(0, [], days[0], days[-1], now)
        for index in range(plan.centers):
            one = plan.of_center(index)
            rng = random.Random(one.seed)  # noqa: S311 — reproducible data, not secrets
            center, units, items = build_org(one, rng)
            result.center_ids.append(center.pk)
            result.center_id = result.center_id or center.pk
            counts = result.counts
            counts["units"] = counts.get("units", 0) + len(units)
            counts["items"] = counts.get("items", 0) + len(items)
            counts["staff"] = counts.get("staff", 0) + sum(len(u.staff) for u in units)
            leave = build_leave(center, units, days, calendar, rng, one.months)
            counts["leave"] = counts.get("leave", 0) + leave
            if index == 0:
                result.seconds["organisation"] = time.perf_counter() - started
                progress(
                    f"organisation: {len(units)} units, {counts['staff']} staff, "
                    f"{len(items)} items, {leave} leave records "
                    f"({result.seconds['organisation']:.1f} s)"
                )
            if plan.centers > 1 and (index % 10 == 0 or index == plan.centers - 1):
                progress(f"center {index + 1}/{plan.centers}: {one.center}, {one.cases:,} cases")
            quiet = plan.centers > 1 and not (index == 0 or index == plan.centers - 1)
            _stream(
                one, rng, center, units, items, days, calendar, now, vendor, result,
                (lambda _line: None) if quiet else progress,
                restore=restore, first_center=index == 0, last_center=index == plan.centers - 1,
                bulk=plan.cases >= 50_000,
            )  # fmt: skip
    result.seconds["total"] = time.perf_counter() - started
    return result


def _writers() -> dict[str, TableWriter]:
    return {
        "cases": TableWriter(Case, [
            "id", "center_id", "unit_id", "window_id", "number", "item_id", "item_version_id",
            "handling_type", "promised_days", "channel", "status", "source", "applicant_name",
            "applicant_phone", "received_at", "received_by_id", "accepted_at", "accepted_by_id",
            "completed_at", "completed_by_id", "closed_at", "result", "close_reason", "due_at",
            "due_date", "notice_due", "created_at",
        ]),
        "consultations": TableWriter(Consultation, [
            "center_id", "unit_id", "staff_id", "item_id", "at", "person_times", "topic", "channel",
        ]),
        "ratings": TableWriter(Rating, [
            "center_id", "unit_id", "window_id", "staff_id", "case_id", "level", "channel",
            "rated_at",
        ]),
        "warnings": TableWriter(Warning, [
            "center_id", "unit_id", "case_id", "level", "issued_on", "deadline", "issued_at",
            "status", "withdrawn_at", "withdraw_reason",
        ]),
        "counters": TableWriter(CaseCounter, ["unit_id", "day", "last"]),
    }  # fmt: skip


def _stream(
    plan: ScalePlan, rng: random.Random, center: Center, units: list[UnitInfo],
    items: list[ItemInfo], days: list[dt.date], calendar: WorkCalendar, now: dt.datetime,
    vendor: str, result: ScaleResult, progress: Callable[[str], None], *,
    restore: list[str], first_center: bool = True, last_center: bool = True, bulk: bool = False,
) -> None:  # fmt: skip
    """One center's cases and their records; the big tables' secondary indexes are dropped
    before the first center (when `bulk`) and rebuilt after the last, into `restore`."""
    t0 = time.perf_counter()
    writers = _writers()
    postgres = vendor == "postgresql"
    stamps = Stamps(with_offset=postgres)
    hours = hours_of(center)
    deadlines = Deadlines(calendar, hours)
    now_t = local_seconds(timezone.localtime(now).replace(tzinfo=None))
    yellow_days = 1

    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor if postgres else django_cursor
        if postgres and first_center:
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            cursor.execute("SET LOCAL synchronous_commit = off")
            # Check the organisation's deferred foreign keys now: ALTER TABLE refuses to run
            # while checks are pending on a table it touches.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            if bulk:
                for key in ("cases", "consultations", "ratings", "warnings"):
                    restore += _pg_drop_secondary(cursor, writers[key].table)
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM cases_case")
        next_id = int(cursor.fetchone()[0]) + 1
        if postgres:
            cases_sink: Sink = CopySink(writers["cases"], cursor)
            side = {
                k: SpoolSink(writers[k])
                for k in ("consultations", "ratings", "warnings", "counters")
            }
        else:
            cases_sink = InsertSink(writers["cases"], cursor)
            side = {
                k: InsertSink(writers[k], cursor)
                for k in ("consultations", "ratings", "warnings", "counters")
            }  # type: ignore[misc]

        # How many cases each working day: a weekly rhythm (Mondays busiest), a slow growth
        # over the years, and day-to-day noise; exactly plan.cases in all.
        weights = [
            (1.25 if d.weekday() == 0 else 0.9 if d.weekday() == 4 else 1.0)
            * (0.8 + 0.4 * i / len(days)) * rng.uniform(0.85, 1.15)
            for i, d in enumerate(days)
        ]  # fmt: skip
        per_day = spread(plan.cases, weights, rng)
        consult_per_day = spread(round(plan.cases * plan.consultation_share), weights, rng)

        # Popularity: a few items take most cases (the passport office), Zipf-like.
        ranks = list(range(1, len(items) + 1))
        rng.shuffle(ranks)
        cum: list[float] = []
        total = 0.0
        for item, rank in zip(items, ranks, strict=True):
            total += (3.0 if units[item.unit_index].name.startswith("公安局") else 1.0) / rank**0.8
            cum.append(total)
        unit_cum: list[float] = []
        total = 0.0
        for i, _u in enumerate(units):
            total += 1.0 / (i + 1) ** 0.5
            unit_cum.append(total)

        ids_center, topics = str(center.pk), names.CONSULTATION_TOPICS
        unit_ids = [str(u.pk) for u in units]
        staff_txt = [[(str(s), NUL if w is None else str(w)) for s, w in u.staff] for u in units]
        item_txt = [(str(i.pk), str(i.version_id)) for i in items]
        days_text = {d: f"{d:.1f}" for d in {i.days for i in items}}
        reached, step = 0, max(1, plan.cases // 20)
        created_at = stamps.at(now_t)
        warn_days: dict[tuple[int, int], tuple[int, int]] = {}
        counts = {"open": 0, "overdue_open": 0, "completed": 0, "rejected": 0, "closed_other": 0}
        # random.Random's choice/randrange are exact but slow; scaling random() is plenty here.
        random_ = rng.random

        def choice(seq: Any) -> Any:
            return seq[int(random_() * len(seq))]

        def randrange(start: int, stop: int | None = None) -> int:
            if stop is None:
                return int(random_() * start)
            return start + int(random_() * (stop - start))

        level_choices = rng.choices
        people = [choice(names.SURNAMES) + choice(names.GIVEN) for _ in range(20_000)]
        companies = [
            f"{choice(names.COMPANY_WORDS)}{choice(names.COMPANY_TRADES)}{choice(names.COMPANY_FORMS)}"
            for _ in range(5_000)
        ]

        for day_index, day in enumerate(days):
            ordinal = day.toordinal()
            base = ordinal * DAY
            day_clock = DayClock.of(hours(day))
            open_seconds = day_clock.length
            closes = day_clock.afternoon[1]
            morning_start = day_clock.morning[0]
            morning_span = day_clock.morning[1] - morning_start
            afternoon_shift = day_clock.afternoon[0] - morning_span
            n = per_day[day_index]
            picks = rng.choices(range(len(items)), cum_weights=cum, k=n)
            seconds = sorted(randrange(open_seconds) for _ in range(n))
            sequence = [0] * len(units)
            notice = stamps.day(calendar.add(day, 5).toordinal())
            for k in range(n):
                item = items[picks[k]]
                u = item.unit_index
                sequence[u] += 1
                unit = units[u]
                staff_id, window_id = choice(staff_txt[u])
                x = seconds[k]
                accepted = base + (x + morning_start if x < morning_span else x + afternoon_shift)
                received = max(base + day_clock.morning[0], accepted - randrange(60, 900))
                number = f"{day:%Y%m%d}{unit.pk % 1000:03d}{sequence[u]:04d}"
                applicant = choice(people) if random_() < 0.75 else choice(companies)
                phone = f"{choice(names.PHONE_PREFIXES)}{randrange(100_000_000):08d}"
                if item.immediate:
                    due_t, due_ord = deadlines.immediate(accepted, closes)
                    finish = min(due_t, accepted + randrange(180, 3600))
                else:
                    due_t, due_ord = deadlines.promised(ordinal, item.days)
                    r = random_()
                    if r < 0.85:  # well before the deadline
                        finish = accepted + int((due_t - accepted) * (0.1 + 0.8 * random_()))
                    elif r < 0.96:  # on the last afternoon
                        finish = max(accepted + 600, due_t - randrange(600, 3 * 3600))
                    else:  # late: one to five working days past the deadline
                        late = calendar.add(dt.date.fromordinal(due_ord), randrange(1, 6))
                        finish = (
                            late.toordinal() * DAY + day_clock.afternoon[0] + randrange(3 * 3600)
                        )
                fate = random_()
                status = CaseStatus.COMPLETED
                accepted_txt = stamps.at(accepted)
                result_txt, reason, completed_txt, completed_by = "", "", NUL, NUL
                closed_txt = NUL
                if fate < 0.02:  # 不予受理 at the door: never accepted, no clock
                    status = CaseStatus.REJECTED
                    closed_txt = stamps.at(received + randrange(300, 1800))
                    reason = choice(names.REJECT_REASONS)
                    accepted_txt, due_txt, due_date_txt = NUL, NUL, NUL
                    counts["rejected"] += 1
                else:
                    due_txt, due_date_txt = stamps.at(due_t), stamps.day(due_ord)
                    if finish > now_t:
                        status = CaseStatus.IN_PROGRESS if random_() < 0.6 else CaseStatus.ACCEPTED
                        counts["open"] += 1
                        if due_t < now_t:
                            counts["overdue_open"] += 1
                    elif fate < 0.026:
                        status = (CaseStatus.WITHDRAWN, CaseStatus.RETURNED, CaseStatus.VOIDED)[
                            0 if fate < 0.0235 else 1 if fate < 0.0255 else 2
                        ]
                        closed_txt = stamps.at(finish)
                        reason = "申请人撤回申请" if status == CaseStatus.WITHDRAWN else "材料退回"
                        counts["closed_other"] += 1
                    else:
                        r = random_()
                        result_txt = (
                            Result.CERTIFICATE if r < 0.55 else Result.GRANTED if r < 0.985
                            else Result.REFUSED if r < 0.995 else Result.REFERRED
                        )  # fmt: skip
                        if result_txt == Result.REFUSED:
                            reason = "不符合法定条件"
                        completed_txt = closed_txt = stamps.at(finish)
                        completed_by = staff_id
                        counts["completed"] += 1
                        if random_() < plan.rating_share:
                            side["ratings"].add([
                                ids_center, unit_ids[u], window_id, staff_id, str(next_id),
                                str(level_choices(RATING_LEVELS, RATING_WEIGHTS)[0]),
                                "window", stamps.at(finish + randrange(5, 300)),
                            ])  # fmt: skip
                    if not item.immediate:
                        _warnings(
                            side["warnings"], warn_days, calendar, stamps, ids_center, unit_ids[u],
                            str(next_id), ordinal, due_ord, finish, now_t, status,
                            yellow_days,
                        )  # fmt: skip
                cases_sink.add([
                    str(next_id), ids_center, unit_ids[u], window_id, number, *item_txt[picks[k]],
                    HandlingType.IMMEDIATE if item.immediate else HandlingType.PROMISED,
                    days_text[item.days],
                    Channel.ONLINE if random_() < 0.12 else Channel.WINDOW, status,
                    CaseSource.APP, applicant, phone, stamps.at(received), staff_id,
                    accepted_txt, NUL if accepted_txt is NUL else staff_id, completed_txt,
                    completed_by, closed_txt, result_txt, reason, due_txt, due_date_txt, notice,
                    created_at,
                ])  # fmt: skip
                next_id += 1
                reached += 1
                if reached % step == 0:
                    elapsed = time.perf_counter() - t0
                    progress(
                        f"cases {reached:,}/{plan.cases:,} ({100 * reached // plan.cases} %), "
                        f"{elapsed:.0f} s, {reached / elapsed:,.0f} cases/s"
                    )
            for u, last in enumerate(sequence):
                if last:
                    side["counters"].add([unit_ids[u], stamps.day(ordinal), str(last)])

            # Consultations: spread over the day and the units, most one person.
            for _ in range(consult_per_day[day_index]):
                u = min(len(units) - 1, _bisect(unit_cum, random_() * unit_cum[-1]))
                staff_id, _window = choice(staff_txt[u])
                side["consultations"].add([
                    ids_center, unit_ids[u], staff_id, NUL,
                    stamps.at(base + day_clock.second(randrange(open_seconds))),
                    str(choice((1, 1, 1, 1, 2, 2, 3))), choice(topics), "window",
                ])  # fmt: skip

        cases_sink.close()
        result.seconds["cases"] = time.perf_counter() - t0
        progress(f"cases written in {result.seconds['cases']:.0f} s")
        for key, sink in side.items():
            t1 = time.perf_counter()
            if isinstance(sink, SpoolSink):
                sink.copy_into(cursor)
            else:
                sink.close()
            progress(f"{key}: {sink.writer.count:,} rows ({time.perf_counter() - t1:.1f} s)")
        if postgres and last_center:
            t1 = time.perf_counter()
            for statement in restore:
                t2 = time.perf_counter()
                cursor.execute(statement)
                if time.perf_counter() - t2 > 0.5:
                    progress(f"  {statement[:90]}… {time.perf_counter() - t2:.0f} s")
            result.seconds["indexes"] = time.perf_counter() - t1
            progress(f"indexes and foreign keys rebuilt ({result.seconds['indexes']:.0f} s)")
            for key in ("cases", "consultations", "ratings", "warnings", "counters"):
                table = writers[key].table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT COALESCE(MAX(id), 1) FROM {connection.ops.quote_name(table)}))"
                )
            t1 = time.perf_counter()
            for key in ("cases", "consultations", "ratings", "warnings"):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(writers[key].table)}")
            result.seconds["analyze"] = time.perf_counter() - t1
    for key, writer in writers.items():
        result.counts[key] = result.counts.get(key, 0) + writer.count
    for key, value in counts.items():
        result.counts[key] = result.counts.get(key, 0) + value


def _bisect(cum: list[float], x: float) -> int:
    import bisect

    return bisect.bisect_right(cum, x)


RUN_AT = 8 * 3600  # the daily supervision run (manage.py supervise) at 08:00
OPEN = CaseStatus.open()


def _warnings(
    sink: Sink, days: dict[tuple[int, int], tuple[int, int]], calendar: WorkCalendar,
    stamps: Stamps, center: str, unit: str, case: str, accepted_ord: int, due_ord: int,
    finish: int, now_t: int, status: str, yellow_days: int,
) -> None:  # fmt: skip
    """The cards the daily supervision run gave the case, as `supervise_day` gives them: yellow
    at the first run after acceptance on which the deadline is near, red at the first run after
    the deadline, each only if the case was still open at that run."""
    found = days.get((accepted_ord, due_ord))
    if found is None:
        due = dt.date.fromordinal(due_ord)
        first_run = calendar.add(dt.date.fromordinal(accepted_ord), 1).toordinal()
        found = days[(accepted_ord, due_ord)] = (
            max(_yellow_day(calendar, due, yellow_days), first_run),
            calendar.add(due, 1).toordinal(),
        )
    yellow_ord, red_ord = found
    is_open = status in OPEN
    open_until = now_t if is_open else finish
    yellow_t, red_t = yellow_ord * DAY + RUN_AT, red_ord * DAY + RUN_AT
    yellow = yellow_ord <= due_ord and yellow_t < open_until and yellow_t <= now_t
    red = red_t < open_until and red_t <= now_t
    if not (yellow or red):
        return
    deadline = stamps.day(due_ord)
    if is_open:
        standing = (WarningStatus.ISSUED, NUL, "")
    else:
        standing = (WarningStatus.WITHDRAWN, stamps.at(finish + 60), WithdrawReason.CASE_CLOSED)
    if yellow:
        state, withdrawn, why = (
            (WarningStatus.WITHDRAWN, stamps.at(red_t), WithdrawReason.SUPERSEDED)
            if red
            else standing
        )
        sink.add([center, unit, case, WarningLevel.YELLOW, stamps.day(yellow_ord), deadline,
                  stamps.at(yellow_t), state, withdrawn, why])  # fmt: skip
    if red:
        state, withdrawn, why = standing
        sink.add([center, unit, case, WarningLevel.RED, stamps.day(red_ord), deadline,
                  stamps.at(red_t), state, withdrawn, why])  # fmt: skip


def _yellow_day(calendar: WorkCalendar, due: dt.date, yellow_days: int) -> int:
    """The first working day on which a case due on `due` is yellow."""
    day = due
    for _ in range(yellow_days):
        day = calendar.previous_workday(day - dt.timedelta(days=1))
    return day.toordinal()
