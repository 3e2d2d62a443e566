"""A hall's case history written in bulk: the import of `cases` and `consultations` files and the
demo's past months both come through here.

History is recorded as it was: the rows are checked for format and references by the caller
(`govhall.cases.imports`), never for today's workflow. Deadlines are computed with the same
working-time engine as the lifecycle services (`services.recompute_due`), from the calendar and
the hall's hours fetched once for the whole batch instead of twice per case.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.db import connection, models, transaction
from django.utils import timezone

from govhall.cases.choices import CaseSource, CaseStatus, Result
from govhall.cases.models import Case, CaseCounter, CaseEvent, Consultation
from govhall.cases.signals import earliest_day, history_written
from govhall.catalog.choices import HandlingType
from govhall.catalog.models import ItemVersion, ServiceItem
from govhall.core.access import Actor, require
from govhall.core.audit import audit_record
from govhall.core.calendar import get_calendar
from govhall.core.workdays import WorkCalendar
from govhall.core.worktime import HoursOf, immediate_deadline, promised_deadline
from govhall.org.hours import hours_of
from govhall.org.models import Center, Staff, Unit, Window
from govhall.org.services import units_in_hall_since

S = CaseStatus

# The 状态 column of DESIGN.md §5 and the status each word stands for.
STATUS_WORDS: dict[str, str] = {
    "已受理": S.ACCEPTED,
    "办理中": S.IN_PROGRESS,
    "已办结": S.COMPLETED,
    "不予受理": S.REJECTED,
    "退件": S.RETURNED,
}
WORD_OF_STATUS = {status: word for word, status in STATUS_WORDS.items()}
OPEN_STATUSES = frozenset({S.ACCEPTED, S.IN_PROGRESS})
# Statuses whose row carries a 办结时间 (completion, or the return of the application).
CLOSED_BY_TIME = frozenset({S.COMPLETED, S.RETURNED})
# Statuses whose row may carry a 办结时间: for 不予受理 the time of the decision, when exported.
DECIDED_BY_TIME = CLOSED_BY_TIME | {S.REJECTED}

TIME_FORMAT = "%Y-%m-%d %H:%M"
BATCH = 2000
# The numbers the lifecycle gives (`services.next_number`): day, unit, sequence of the day.
NUMBER_RE = re.compile(r"^(\d{8})(\d{3})(\d{4})$")

T = TypeVar("T")


@dataclass(frozen=True)
class HistoryCase:
    """One case of the hall's history, checked and resolved, ready to be written."""

    number: str
    item: ServiceItem
    version: ItemVersion  # the item's version the case is counted under
    applicant_name: str
    applicant_phone: str
    staff: Staff | None  # 受理人
    received_at: dt.datetime  # 受理时间 (aware): when the application was received
    status: str  # a CaseStatus of STATUS_WORDS
    closed_at: dt.datetime | None = None  # 办结时间: completion, return or refusal
    completed_by: Staff | None = None  # who completed it; the 受理人 when not known
    window: Window | None = None  # the staff member's window when not given

    def canonical(self) -> list[str]:
        """The row as DESIGN.md §5 writes it: what the batch's fingerprint is computed over."""
        return [
            self.number,
            self.item.code,
            self.applicant_name,
            self.applicant_phone,
            self.staff.name if self.staff else "",
            _local_text(self.received_at),
            _local_text(self.closed_at) if self.closed_at else "",
            WORD_OF_STATUS[self.status],
        ]


@dataclass(frozen=True)
class HistoryConsultation:
    """One consultation record of the hall's history (咨询登记)."""

    unit: Unit
    staff: Staff | None
    at: dt.datetime  # aware
    person_times: int
    topic: str = ""
    item: ServiceItem | None = None

    def canonical(self) -> list[str]:
        return [
            self.unit.name,
            self.staff.name if self.staff else "",
            _local_text(self.at),
            str(self.person_times),
            self.topic,
        ]


@dataclass(frozen=True)
class HistoryImport:
    """What one batch wrote, as its audit entry states it."""

    count: int
    first: str
    last: str
    sha256: str


def _hall_time(value: dt.datetime) -> dt.datetime:
    """The hall's local time (settings.TIME_ZONE), whatever zone a request may have activated."""
    return value.astimezone(timezone.get_default_timezone())


def _local_text(value: dt.datetime) -> str:
    return _hall_time(value).strftime(TIME_FORMAT)


def _local(value: dt.datetime) -> dt.datetime:
    """Naive local time, as the working-time engine counts it."""
    return _hall_time(value).replace(tzinfo=None)


def fingerprint(rows: Iterable[Sequence[str]]) -> str:
    """sha256 of the canonical rows (one JSON array per line), to tie an audit entry to its file."""
    digest = hashlib.sha256()
    for row in rows:
        digest.update(json.dumps(list(row), ensure_ascii=False, separators=(",", ":")).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- deadlines ----------------------------------------------------------------------------


def history_deadline(
    *,
    calendar: WorkCalendar,
    hours: HoursOf,
    handling_type: str,
    promised_days: Decimal,
    accepted_local: dt.datetime,
) -> dt.datetime:
    """The deadline (naive local time) of a case accepted at `accepted_local` with nothing paused
    or extended: the rule of `services.recompute_due`, without its two queries per case."""
    if handling_type == HandlingType.IMMEDIATE:
        return immediate_deadline(calendar=calendar, hours=hours, accepted_at=accepted_local)
    return promised_deadline(
        calendar=calendar, hours=hours, accepted_on=accepted_local.date(), days=promised_days
    )


class DeadlineBook:
    """Deadlines for a batch: one calendar and one set of hall hours, each answer computed once
    per (rule, day) since thousands of cases share them."""

    def __init__(self, center: Center) -> None:
        self.calendar = get_calendar(center)
        self.hours = hours_of(center)
        self.zone = timezone.get_default_timezone()
        self._memo: dict[tuple[Any, ...], dt.datetime] = {}

    def due(
        self, *, handling_type: str, promised_days: Decimal, accepted_at: dt.datetime
    ) -> dt.datetime:
        """The aware deadline of a case accepted at `accepted_at` (aware)."""
        local = _local(accepted_at)
        day = local.date()
        if handling_type == HandlingType.IMMEDIATE:
            after_close = not self.calendar.is_workday(day) or (
                local.time() >= self.hours(day).afternoon_end
            )
            key: tuple[Any, ...] = (handling_type, day, after_close)
        else:
            key = (handling_type, day, promised_days)
        found = self._memo.get(key)
        if found is None:
            local_due = history_deadline(
                calendar=self.calendar,
                hours=self.hours,
                handling_type=handling_type,
                promised_days=promised_days,
                accepted_local=local,
            )
            found = self._memo[key] = timezone.make_aware(local_due, self.zone)
        return found


# --- cases --------------------------------------------------------------------------------


Values = dict[str, Any]  # one row to insert: attribute names (`item_id` …) → values


def _case_values(center: Center, row: HistoryCase, book: DeadlineBook) -> Values:
    """The case as the lifecycle would have left it (source: import)."""
    version, staff = row.version, row.staff
    window = row.window
    if window is None and staff is not None and staff.window_id is not None:
        window = staff.window if staff.window.unit_id == row.item.unit_id else None
    staff_id = staff.pk if staff else None
    case: Values = {
        "center_id": center.pk,
        "unit_id": row.item.unit_id,
        "window_id": window.pk if window else None,
        "number": row.number,
        "item_id": row.item.pk,
        "item_version_id": version.pk,
        "handling_type": version.handling_type,
        "promised_days": version.promised_days,
        "status": row.status,
        "source": CaseSource.IMPORT,
        "applicant_name": row.applicant_name,
        "applicant_phone": row.applicant_phone,
        "received_at": row.received_at,
        "received_by_id": staff_id,
    }
    if row.status == S.REJECTED:
        case["closed_at"] = row.closed_at or row.received_at
        return case
    due_at = book.due(
        handling_type=version.handling_type,
        promised_days=version.promised_days,
        accepted_at=row.received_at,
    )
    case.update(
        accepted_at=row.received_at,
        accepted_by_id=staff_id,
        due_at=due_at,
        due_date=_hall_time(due_at).date(),
    )
    if row.status == S.COMPLETED:
        done_by = row.completed_by or staff
        case.update(
            result=Result.GRANTED,
            completed_at=row.closed_at,
            closed_at=row.closed_at,
            completed_by_id=done_by.pk if done_by else None,
        )
    elif row.status == S.RETURNED:
        # As `services.case_return`: a returned application is closed, never completed.
        case["closed_at"] = row.closed_at
    return case


def _event_values(case_id: int, row: HistoryCase) -> list[Values]:
    """The case's timeline as the lifecycle would have written it."""
    name = row.staff.name if row.staff else ""
    if row.status == S.REJECTED:
        decided_at = row.closed_at or row.received_at
        return [{"case_id": case_id, "at": decided_at, "action": "reject", "by_name": name}]
    events = [{"case_id": case_id, "at": row.received_at, "action": "accept", "by_name": name}]
    if row.status == S.COMPLETED:
        done_by = row.completed_by.name if row.completed_by else name
        events.append(
            {"case_id": case_id, "at": row.closed_at, "action": "complete", "by_name": done_by}
        )
    elif row.status == S.RETURNED:
        events.append(
            {"case_id": case_id, "at": row.closed_at, "action": "return", "by_name": name}
        )
    return events


class BulkWriter:
    """Plain multi-row INSERTs for one model. A history of 100,000 cases must load in seconds,
    and `bulk_create` spends most of its time building model instances and preparing each value
    through the field machinery. Here each column is adapted with the backend's own adapter and
    missing values take the field's default; as with `bulk_create`, no signal is sent and no
    `save()` runs."""

    def __init__(self, model: type[models.Model]) -> None:
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        table = quote(model._meta.db_table)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (quoted names)
        self.now = timezone.now()
        self.columns = [(f.attname, f.get_default(), self._adapter(f)) for f in self.fields]

    def _adapter(self, field: models.Field[Any, Any]) -> Callable[[Any], Any]:
        ops = connection.ops
        kind = field.get_internal_type()
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
            return lambda value: ops.adapt_datetimefield_value(value or self.now)
        if kind == "DateTimeField":
            return ops.adapt_datetimefield_value
        if kind == "DateField":
            return ops.adapt_datefield_value
        if kind == "DecimalField":
            digits, places = field.max_digits, field.decimal_places  # type: ignore[attr-defined]
            return lambda value: ops.adapt_decimalfield_value(value, digits, places)
        if kind in {"CharField", "TextField"}:
            return lambda value: None if value is None else str(value)  # choices enums → text
        return lambda value: value

    def write(self, rows: Sequence[Values]) -> None:
        columns = self.columns
        values = [
            tuple(adapt(row.get(name, default)) for name, default, adapt in columns) for row in rows
        ]
        with connection.cursor() as cursor:
            for chunk in _chunks(values, BATCH):
                cursor.executemany(self.sql, chunk)


def _advance_counters(cases: Sequence[Values]) -> None:
    """Numbers in the lifecycle's form move each unit's daily counter past them, so a case
    received later that day never collides with an imported one."""
    highest: dict[tuple[int, dt.date], int] = {}
    for case in cases:
        match = NUMBER_RE.match(case["number"])
        if match is None or int(match.group(2)) != case["unit_id"] % 1000:
            continue
        try:
            day = dt.datetime.strptime(match.group(1), "%Y%m%d").date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
        key = (case["unit_id"], day)
        highest[key] = max(highest.get(key, 0), int(match.group(3)))
    if not highest:
        return
    days = [day for _unit, day in highest]
    existing = {
        (c.unit_id, c.day): c
        for c in CaseCounter.objects.filter(
            unit_id__in={unit for unit, _day in highest}, day__range=(min(days), max(days))
        )
    }
    changed = []
    for key, last in highest.items():
        counter = existing.get(key)
        if counter is not None and counter.last < last:
            counter.last = last
            changed.append(counter)
    CaseCounter.objects.bulk_update(changed, ["last"], batch_size=BATCH)
    CaseCounter.objects.bulk_create(
        [
            CaseCounter(unit_id=u, day=d, last=n)
            for (u, d), n in highest.items()
            if (u, d) not in existing
        ],
        batch_size=BATCH,
    )


@transaction.atomic
def case_history_import(
    *, by: Actor, center: Center, cases: Sequence[HistoryCase], note: str = ""
) -> HistoryImport:
    """Write a batch of past cases (source: import) with their deadlines and timelines.

    One audit entry covers the whole batch (count, first and last number, sha256 of the
    canonical rows) rather than one per case: the batch is one act of one person, and the
    fingerprint ties the entry to the exact rows written.
    """
    require(by, "cases.add_case", center_id=center.pk)
    book = DeadlineBook(center)
    case_writer, event_writer = BulkWriter(Case), BulkWriter(CaseEvent)
    written: list[Values] = []
    for chunk in _chunks(cases, BATCH):
        values = [_case_values(center, row, book) for row in chunk]
        case_writer.write(values)
        ids: dict[str, int] = {}
        for part in _chunks(values, 500):  # within every backend's limit of query parameters
            numbers = [case["number"] for case in part]
            ids.update(
                Case.objects.filter(center=center, number__in=numbers).values_list("number", "pk")
            )
        event_writer.write(
            [event for row in chunk for event in _event_values(ids[row.number], row)]
        )
        written.extend(values)
    _advance_counters(written)
    history_written.send(Case, center_id=center.pk, first=earliest_day(written))
    _in_hall_since(written, at="received_at")
    result = HistoryImport(
        count=len(cases),
        first=cases[0].number if cases else "",
        last=cases[-1].number if cases else "",
        sha256=fingerprint(row.canonical() for row in cases),
    )
    audit_record(
        by=by,
        action="case.import",
        center_id=center.pk,
        object_type="cases.case",
        object_repr=note[:200] or f"{result.count} cases",
        after={
            "count": result.count,
            "first": result.first,
            "last": result.last,
            "sha256": result.sha256,
            "note": note,
        },
    )
    return result


def _in_hall_since(rows: Sequence[Values], *, at: str) -> None:
    """The units and windows of imported history were in the hall on its earliest day."""
    units: dict[int, dt.date] = {}
    windows: dict[int, dt.date] = {}
    for row in rows:
        day = timezone.localdate(row[at])
        for key, earliest in (("unit_id", units), ("window_id", windows)):
            pk = row.get(key)
            if pk is not None and (pk not in earliest or day < earliest[pk]):
                earliest[pk] = day
    units_in_hall_since(units=units, windows=windows)


# --- consultations ------------------------------------------------------------------------


@transaction.atomic
def consultation_history_import(
    *, by: Actor, center: Center, consultations: Sequence[HistoryConsultation], note: str = ""
) -> HistoryImport:
    """Write a batch of past consultations, with one audit entry for the batch (as for cases)."""
    require(by, "cases.add_consultation", center_id=center.pk)
    rows = [
        {
            "center_id": center.pk,
            "unit_id": row.unit.pk,
            "staff_id": row.staff.pk if row.staff else None,
            "item_id": row.item.pk if row.item else None,
            "at": row.at,
            "person_times": row.person_times,
            "topic": row.topic,
        }
        for row in consultations
    ]
    BulkWriter(Consultation).write(rows)
    history_written.send(Consultation, center_id=center.pk, first=earliest_day(rows))
    _in_hall_since([{"unit_id": row.unit.pk, "at": row.at} for row in consultations], at="at")
    ordered = sorted(consultations, key=lambda c: c.at)
    result = HistoryImport(
        count=len(consultations),
        first=_local_text(ordered[0].at) if ordered else "",
        last=_local_text(ordered[-1].at) if ordered else "",
        sha256=fingerprint(row.canonical() for row in consultations),
    )
    audit_record(
        by=by,
        action="consultation.import",
        center_id=center.pk,
        object_type="cases.consultation",
        object_repr=note[:200] or f"{result.count} consultations",
        after={
            "count": result.count,
            "first": result.first,
            "last": result.last,
            "person_times": sum(c.person_times for c in consultations),
            "sha256": result.sha256,
            "note": note,
        },
    )
    return result


# --- resolving references once per batch -----------------------------------------------------


def item_versions(center: Center) -> dict[str, tuple[ServiceItem, ItemVersion]]:
    """Each item code of the center → the item and the version history is counted under: its
    published version, or for an item no longer published its latest published one."""
    items = {
        item.pk: item
        for item in ServiceItem.objects.filter(center=center).select_related("current")
    }
    latest: dict[int, ItemVersion] = {}
    missing = [pk for pk, item in items.items() if item.current is None]
    for chunk in _chunks(missing, 500):
        for version in ItemVersion.objects.filter(
            item_id__in=chunk, published_at__isnull=False
        ).order_by("item_id", "number"):
            latest[version.item_id] = version
    found: dict[str, tuple[ServiceItem, ItemVersion]] = {}
    for pk, item in items.items():
        version = item.current or latest.get(pk)
        if version is not None:
            found[item.code] = (item, version)
    return found


def staff_by_unit(center: Center) -> dict[tuple[int, str], list[Staff]]:
    """(unit id, name) → the people of that name, active ones first (names repeat in a hall)."""
    people: dict[tuple[int, str], list[Staff]] = {}
    for person in (
        Staff.objects.filter(center=center).select_related("window").order_by("-is_active", "pk")
    ):
        people.setdefault((person.unit_id, person.name), []).append(person)
    return people


def existing_numbers(center: Center, numbers: Iterable[str]) -> set[str]:
    """Which of the numbers the center already holds (looked up in chunks the database accepts)."""
    found: set[str] = set()
    for chunk in _chunks(sorted(set(numbers)), 500):
        found.update(
            Case.objects.filter(center=center, number__in=chunk).values_list("number", flat=True)
        )
    return found
