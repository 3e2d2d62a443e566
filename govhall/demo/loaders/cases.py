"""Demo case history of 随县政务服务中心: September to December 2016, with December's figures
equal to the reference bulletin's (see `govhall.demo.data.cases`).

The months are written through the same bulk service as an imported history
(`history.case_history_import`); a handful of 出入境 cases still open at the year's end are taken
through the real lifecycle services (receipt, supplement, acceptance, steps), so the
supervision page has yellow and red cards to show on 2016-12-30.

Everything follows the hall's calendar: cases are accepted and completed on working days within
the hall's hours, immediate cases the same day, promised ones by their deadline but for a few.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from govhall.cases import services
from govhall.cases.choices import CaseStatus
from govhall.cases.history import (
    HistoryCase,
    HistoryConsultation,
    case_history_import,
    consultation_history_import,
    history_deadline,
)
from govhall.cases.models import Case
from govhall.catalog.choices import HandlingType, ItemStatus
from govhall.catalog.models import ItemVersion, ServiceItem
from govhall.core import clock
from govhall.core.calendar import get_calendar
from govhall.core.imports import parse_local_datetime
from govhall.core.workdays import WorkCalendar
from govhall.core.worktime import HoursOf
from govhall.demo.data import cases as data
from govhall.demo.data.catalog import CATALOG
from govhall.demo.data.org import DEMO_CENTER
from govhall.org.hours import hours_of
from govhall.org.models import Center, Staff, Unit, Window

S = CaseStatus
IMMEDIATE, PROMISED = HandlingType.IMMEDIATE, HandlingType.PROMISED
OPEN_UNTIL = dt.datetime.combine(data.YEAR_END, dt.time.min)  # naive local: the year's end


# --- the hall as the demo needs it ---------------------------------------------------------


@dataclass(frozen=True)
class Offer:
    """An item a window handles, with the version its cases are counted under."""

    item: ServiceItem
    version: ItemVersion
    window: Window
    weight: float


@dataclass
class Hall:
    center: Center
    calendar: WorkCalendar
    hours: HoursOf
    units: dict[str, Unit]
    offers: dict[tuple[str, str], list[Offer]]  # (unit, handling type) → items
    staff: dict[int, list[Staff]]  # window id → its people

    @classmethod
    def load(cls, center: Center) -> Hall:
        windows_of = {
            (unit_name, item.name): window_name
            for unit_name, window_name, _office, items in CATALOG
            for item in items
        }
        windows = {
            (w.unit.name, w.name): w
            for w in Window.objects.filter(center=center).select_related("unit")
        }
        offers: dict[tuple[str, str], list[Offer]] = defaultdict(list)
        items = (
            ServiceItem.objects.filter(
                center=center, status=ItemStatus.PUBLISHED, current__isnull=False
            )
            .select_related("unit", "current")
            .order_by("unit__position", "code")
        )
        for item in items:
            window = windows.get((item.unit.name, windows_of.get((item.unit.name, item.name), "")))
            if window is None:
                continue
            version = item.current
            if version is None:
                continue
            group = offers[(item.unit.name, version.handling_type)]
            weight = data.POPULAR.get(item.name, 1) / (len(group) + 1) ** 0.6
            group.append(Offer(item, version, window, weight))
        staff: dict[int, list[Staff]] = defaultdict(list)
        for person in Staff.objects.filter(center=center, is_active=True).order_by("pk"):
            if person.window_id is not None:
                staff[person.window_id].append(person)
        return cls(
            center=center,
            calendar=get_calendar(center),
            hours=hours_of(center),
            units={u.name: u for u in Unit.objects.filter(center=center)},
            offers=dict(offers),
            staff=dict(staff),
        )

    def workdays(self, first: dt.date, last: dt.date) -> list[dt.date]:
        days = []
        day = first
        while day <= last:
            if self.calendar.is_workday(day):
                days.append(day)
            day += dt.timedelta(days=1)
        return days

    def open_minutes(self, day: dt.date) -> list[tuple[int, int]]:
        return [(_minute(start), _minute(end)) for start, end in self.hours(day).sessions()]


def _minute(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def _at(day: dt.date, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60))


def _month_end(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


# --- one planned case ------------------------------------------------------------------------


@dataclass
class Draft:
    offer: Offer
    accepted: dt.datetime  # naive local; for 不予受理 the time of the refusal
    status: str
    staff: Staff
    closed: dt.datetime | None = None
    completed_by: Staff | None = None
    due: dt.datetime | None = None
    natural: dt.datetime | None = None  # when it would be done, left to itself
    applicant: tuple[str, str] = ("", "")

    @property
    def is_promised(self) -> bool:
        return self.offer.version.handling_type == PROMISED


@dataclass
class Planner:
    hall: Hall
    rng: random.Random
    drafts: list[Draft] = field(default_factory=list)

    # times --------------------------------------------------------------------------------

    def moment(self, day: dt.date, lo: int = 0, hi: int = 24 * 60) -> dt.datetime | None:
        """A minute of open hall time on `day` between lo and hi (minutes of the day), or None."""
        spans = [(max(s, lo), min(e, hi)) for s, e in self.hall.open_minutes(day)]
        spans = [(s, e) for s, e in spans if e > s]
        total = sum(e - s for s, e in spans)
        if total <= 0:
            return None
        offset = self.rng.randrange(total)
        for s, e in spans:
            if offset < e - s:
                return _at(day, s + offset)
            offset -= e - s
        return None  # pragma: no cover

    def moment_on(self, day: dt.date, lo: int = 0, hi: int = 24 * 60) -> dt.datetime:
        found = self.moment(day, lo, hi)
        if found is None:
            raise ValueError(f"the hall is not open on {day} between the minutes {lo} and {hi}")
        return found

    def day_in(self, days: list[dt.date], surge: bool = False) -> dt.date:
        if not surge:
            return self.rng.choice(days)
        weights = [1 + 1.5 * i / max(len(days) - 1, 1) for i in range(len(days))]
        return self.rng.choices(days, weights)[0]

    # people -------------------------------------------------------------------------------

    def person(self, offer: Offer) -> Staff:
        return self.rng.choice(self.hall.staff[offer.window.pk])

    def applicant(self, offer: Offer) -> tuple[str, str]:
        phone = f"1390000{self.rng.randrange(10000):04d}"
        target = offer.item.target
        if target == "org" or (target == "both" and self.rng.random() < 0.5):
            town, trade = self.rng.choice(data.TOWNS), self.rng.choice(data.TRADES)
            return f"随县{town}{trade}有限公司", phone
        while True:
            given = "".join(self.rng.choice(data.GIVEN) for _ in range(self.rng.choice((1, 2, 2))))
            name = self.rng.choice(data.SURNAMES) + given
            if name not in data.BULLETIN_PEOPLE:
                return name, phone

    # cases --------------------------------------------------------------------------------

    def due_of(self, offer: Offer, accepted: dt.datetime) -> dt.datetime:
        return history_deadline(
            calendar=self.hall.calendar,
            hours=self.hall.hours,
            handling_type=offer.version.handling_type,
            promised_days=offer.version.promised_days,
            accepted_local=accepted,
        )

    def add_cases(
        self,
        unit: str,
        handling: str,
        count: int,
        days: list[dt.date],
        *,
        window: str | None = None,
        not_window: str | None = None,
        item: str | None = None,
        on_time: bool = False,
    ) -> None:
        offers = [
            o
            for o in self.hall.offers.get((unit, handling), [])
            if (window is None or o.window.name == window)
            and (not_window is None or o.window.name != not_window)
            and (item is None or o.item.name == item)
        ]
        if count <= 0:
            return
        if not offers or not days:
            raise ValueError(f"no {handling} items at {unit} {window or ''} for the demo")
        weights = [o.weight for o in offers]
        surge = unit == data.YEAR_END_SURGE
        for offer in self.rng.choices(offers, weights, k=count):
            day = self.day_in(days, surge)
            staff = self.person(offer)
            if handling == IMMEDIATE:
                self.drafts.append(self._immediate(offer, day, staff))
            else:
                self.drafts.append(self._promised(offer, day, staff, on_time=on_time))

    def _immediate(self, offer: Offer, day: dt.date, staff: Staff) -> Draft:
        accepted = self.moment_on(day, hi=_minute(self.hall.hours(day).afternoon_end) - 10)
        minute = _minute(accepted.time())
        session_end = next(e for s, e in self.hall.open_minutes(day) if s <= minute < e)
        done = _at(day, min(minute + self.rng.randint(3, 30), session_end))
        return Draft(
            offer,
            accepted,
            S.COMPLETED,
            staff,
            closed=done,
            completed_by=staff,
            due=self.due_of(offer, accepted),
            natural=done,
            applicant=self.applicant(offer),
        )

    def _promised(
        self, offer: Offer, day: dt.date, staff: Staff, *, on_time: bool = False
    ) -> Draft:
        accepted = self.moment_on(day, hi=_minute(self.hall.hours(day).afternoon_end) - 10)
        due = self.due_of(offer, accepted)
        draft = Draft(offer, accepted, S.ACCEPTED, staff, due=due, applicant=self.applicant(offer))
        draft.natural = self.completion(
            accepted, due, late=not on_time and self.rng.random() < data.LATE_SHARE
        )
        draft.completed_by = self.person(offer)
        return draft

    def completion(
        self, accepted: dt.datetime, due: dt.datetime, *, late: bool = False
    ) -> dt.datetime:
        """When a promised case accepted at `accepted` is done: mostly early or on its deadline,
        when `late` one to three working days after it."""
        calendar = self.hall.calendar
        if late:
            day = calendar.add(due.date(), self.rng.randint(1, 3))
            return self.moment_on(day)
        span = calendar.between(accepted.date() + dt.timedelta(days=1), due.date())
        steps = round(span * self.rng.uniform(0.3, 1.0))
        return self.done_between(accepted, due, calendar.add(accepted.date(), steps))

    def done_between(self, accepted: dt.datetime, latest: dt.datetime, day: dt.date) -> dt.datetime:
        """A moment of open hall time on `day` (or the next days) after acceptance, by `latest`."""
        calendar = self.hall.calendar
        while day <= latest.date():
            lo = _minute(accepted.time()) + 20 if day == accepted.date() else 0
            hi = _minute(latest.time()) if day == latest.date() else 24 * 60
            found = self.moment(day, lo, hi)
            if found is not None:
                return found
            day = calendar.add(day, 1)
        raise ValueError("no open hall time between acceptance and the deadline")

    def add_rejected(
        self, unit: str, count: int, days: list[dt.date], not_window: str | None = None
    ) -> None:
        offers = [
            o
            for handling in (IMMEDIATE, PROMISED)
            for o in self.hall.offers.get((unit, handling), [])
            if not_window is None or o.window.name != not_window
        ]
        for _ in range(count if offers else 0):
            offer = self.rng.choice(offers)
            day = self.rng.choice(days)
            refused = self.moment_on(day)
            self.drafts.append(
                Draft(
                    offer, refused, S.REJECTED, self.person(offer), applicant=self.applicant(offer)
                )
            )


# --- the months -----------------------------------------------------------------------------


def _plan(hall: Hall, rng: random.Random) -> tuple[list[Draft], int]:
    """Every case of the four months; returns the drafts and December's promised completions
    from earlier months (for the summary)."""
    planner = Planner(hall, rng)
    for month in data.MONTHS:
        days = hall.workdays(month, _month_end(month))
        december = month == data.DECEMBER
        factor = 1.0 if december else data.MONTH_FACTOR[month]
        for unit, (immediate, promised) in data.DECEMBER_CASES.items():
            if unit == data.EXIT_UNIT:  # the 出入境 window counts apart
                immediate -= sum(p[2] for p in data.EXIT_PERIODS if p[0] >= data.DECEMBER)
                promised -= sum(p[3] for p in data.EXIT_PERIODS if p[0] >= data.DECEMBER) + len(
                    OPEN_CASES
                )
            surge = 0.85 if unit == data.YEAR_END_SURGE and not december else 1.0
            counts = [
                n if december else round(n * factor * surge * rng.uniform(0.88, 1.12))
                for n in (immediate, promised)
            ]
            other = data.EXIT_WINDOW if unit == data.EXIT_UNIT else None
            planner.add_cases(unit, IMMEDIATE, counts[0], days, not_window=other)
            planner.add_cases(unit, PROMISED, counts[1], days, not_window=other)
            rejected = round(sum(counts) * data.REJECTED_SHARE * rng.uniform(0.5, 1.5))
            planner.add_rejected(unit, rejected, days, not_window=other)
        for quiet_month, count in data.QUIET_UNIT_CASES:
            if quiet_month == month:
                # Early in the month and never late: none of 经信局's cases reaches December.
                planner.add_cases(
                    data.NO_CASES_IN_DECEMBER, PROMISED, count, days[: len(days) // 2],
                    item=data.QUIET_UNIT_ITEM, on_time=True,
                )  # fmt: skip
    for first, last, immediate, promised in data.EXIT_PERIODS:
        days = hall.workdays(first, last)
        planner.add_cases(data.EXIT_UNIT, IMMEDIATE, immediate, days, window=data.EXIT_WINDOW)
        planner.add_cases(data.EXIT_UNIT, PROMISED, promised, days, window=data.EXIT_WINDOW)
    return planner.drafts, _close_promised(planner)


def _close_promised(planner: Planner) -> int:
    """Complete, return or leave open each promised case so that exactly the bulletin's 776
    promised cases are completed in December; returns those accepted before December."""
    rng = planner.rng
    december = dt.datetime.combine(data.DECEMBER, dt.time.min)
    promised = [d for d in planner.drafts if d.status == S.ACCEPTED]
    earlier = [d for d in promised if d.accepted < december]
    for draft in earlier:
        if draft.natural is None or draft.natural >= OPEN_UNTIL:
            draft.status = rng.choice((S.ACCEPTED, S.IN_PROGRESS))
        elif (
            rng.random() < data.RETURNED_SHARE
            and draft.offer.item.unit.name != data.NO_CASES_IN_DECEMBER
        ):
            draft.status, draft.closed, draft.completed_by = S.RETURNED, draft.natural, None
        else:
            draft.status, draft.closed = S.COMPLETED, draft.natural
    carried = sum(
        1 for d in earlier if d.status == S.COMPLETED and d.closed and d.closed >= december
    )

    # December's own: the latest deadlines stay open at the year's end; enough of the rest are
    # completed in December (early, if need be) to make up the bulletin's 776.
    current = [d for d in promised if d.accepted >= december]
    wanted = data.COMPLETED_PROMISED - carried
    last_moment = _at(
        dt.date(2016, 12, 30), _minute(planner.hall.hours(dt.date(2016, 12, 30)).afternoon_end)
    )
    open_count = len(current) - wanted - data.DECEMBER_RETURNED
    if wanted < 0 or open_count < 0:
        raise ValueError(
            f"the demo's months cannot make {data.COMPLETED_PROMISED} promised completions"
        )
    rng.shuffle(current)
    # A few cases of other units are left overdue, so 电子监察 has red cards beyond 公安局's.
    overdue = []
    for unit in data.OVERDUE_AT_YEAR_END:
        late = next(
            (
                d
                for d in current
                if d.offer.item.unit.name == unit
                and d.due is not None
                and data.OVERDUE_DUE_FROM <= d.due.date() < data.YEAR_END - dt.timedelta(days=2)
            ),
            None,
        )
        if late is not None and open_count > len(overdue):
            overdue.append(late)
            current.remove(late)
    current.sort(key=lambda d: d.due or last_moment, reverse=True)
    open_count -= len(overdue)
    for draft in [*overdue, *current[:open_count]]:
        draft.status = rng.choice((S.ACCEPTED, S.IN_PROGRESS))
    for index, draft in enumerate(current[open_count:]):
        done = draft.natural or last_moment + dt.timedelta(days=1)
        if done > last_moment:
            latest = min(draft.due or last_moment, last_moment)
            start = draft.accepted.date()
            span = planner.hall.calendar.between(start + dt.timedelta(days=1), latest.date())
            done = planner.done_between(
                draft.accepted, latest, planner.hall.calendar.add(start, rng.randint(0, span))
            )
        if index < data.DECEMBER_RETURNED:
            draft.status, draft.closed, draft.completed_by = S.RETURNED, done, None
        else:
            draft.status, draft.closed = S.COMPLETED, done
    return carried


def _numbered(drafts: list[Draft]) -> list[HistoryCase]:
    """The drafts in order of time, numbered as the lifecycle numbers cases (day, unit, sequence)."""
    drafts.sort(key=lambda d: (d.accepted, d.offer.item.unit_id, d.offer.item.code))
    sequence: dict[tuple[int, dt.date], int] = defaultdict(int)
    cases = []
    for draft in drafts:
        unit_id, day = draft.offer.item.unit_id, draft.accepted.date()
        sequence[(unit_id, day)] += 1
        name, phone = draft.applicant
        cases.append(
            HistoryCase(
                number=f"{day:%Y%m%d}{unit_id % 1000:03d}{sequence[(unit_id, day)]:04d}",
                item=draft.offer.item,
                version=draft.offer.version,
                applicant_name=name,
                applicant_phone=phone,
                staff=draft.staff,
                received_at=timezone.make_aware(draft.accepted),
                status=draft.status,
                closed_at=timezone.make_aware(draft.closed) if draft.closed else None,
                completed_by=draft.completed_by,
                window=draft.offer.window,
            )
        )
    return cases


# --- consultations ---------------------------------------------------------------------------


def _consultations(hall: Hall, rng: random.Random) -> list[HistoryConsultation]:
    planner = Planner(hall, rng)
    records: list[HistoryConsultation] = []

    def spread(
        unit: str, total: int, days: list[dt.date], window: str | None, topics: tuple[str, ...]
    ) -> None:
        offers = [
            o
            for handling in (IMMEDIATE, PROMISED)
            for o in hall.offers.get((unit, handling), [])
            if (window is None and o.window.name != data.EXIT_WINDOW) or o.window.name == window
        ]
        while total > 0:
            size = min(total, rng.choice((1, 1, 1, 2, 2, 3)))
            total -= size
            offer = rng.choice(offers)
            at = planner.moment_on(rng.choice(days))
            topic = rng.choice(topics)
            records.append(
                HistoryConsultation(
                    unit=hall.units[unit],
                    staff=planner.person(offer),
                    at=timezone.make_aware(at),
                    person_times=size,
                    topic=topic if window else f"{offer.item.name}：{topic}",
                    item=offer.item,
                )
            )

    for month, per_unit in data.CONSULTATIONS.items():
        days = hall.workdays(month, _month_end(month))
        for unit, total in per_unit.items():
            spread(unit, total, days, None, data.TOPICS)
    for first, last, total in data.EXIT_CONSULTATIONS:
        spread(
            data.EXIT_UNIT, total, hall.workdays(first, last), data.EXIT_WINDOW, data.EXIT_TOPICS
        )
    records.sort(key=lambda r: r.at)
    return records


# --- open cases through the lifecycle ----------------------------------------------------------


@dataclass(frozen=True)
class OpenCase:
    """A 出入境 case taken through the services: receipt, acceptance and a step, in local time
    written as the import files write it (YYYY-MM-DD HH:MM)."""

    item: str
    applicant: str
    received: str
    accepted: str
    missing: tuple[str, ...] = ()  # materials asked for between receipt and acceptance
    step: tuple[str, str, str] | None = None  # (when, step, result)
    by: str = "clerk"


# On 2016-12-30 the first two are red (due 12-15 and 12-28), the next three yellow (due 12-30,
# 2017-01-03 — the next working day after the New Year holiday — and 12-30); the last is not due.
OPEN_CASES = (
    OpenCase(
        "普通护照签发", "邱振东", "2016-12-01 09:12", "2016-12-01 09:20",
        step=("2016-12-05 15:10", "审核", "材料核验通过，待省厅制证"),
    ),
    OpenCase(
        "往来港澳通行证及签注签发", "严海燕", "2016-12-12 10:05", "2016-12-14 15:20",
        missing=("户口簿首页及本人页", "出入境照片回执"), by="chief",
    ),
    OpenCase("普通护照签发", "方志成", "2016-12-16 09:40", "2016-12-16 09:48"),
    OpenCase("普通护照换发", "覃玉兰", "2016-12-19 14:45", "2016-12-19 14:52", by="chief"),
    OpenCase("往来港澳通行证再次签注", "孟德华", "2016-12-23 10:20", "2016-12-23 10:26"),
    OpenCase(
        "往来台湾通行证及签注签发", "尹俊峰", "2016-12-26 11:00", "2016-12-26 11:06",
        step=("2016-12-28 16:00", "审核", "赴台事由证明材料齐全"),
    ),
)  # fmt: skip


@contextmanager
def _clock(local: str) -> Iterator[None]:
    """The services stamp each step with the current time; the demo replays December 2016."""
    moment = parse_local_datetime(local)
    with clock.replaying(moment):
        yield


def _open_through_services(center: Center) -> list[Case]:
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in={"clerk", "chief"})
    }
    unit = Unit.objects.get(center=center, name=data.EXIT_UNIT)
    cases = []
    for index, spec in enumerate(OPEN_CASES):
        by = users.get(spec.by)
        item = ServiceItem.objects.get(center=center, unit=unit, name=spec.item)
        with _clock(spec.received):
            case = services.case_receive(
                by=by,
                item=item,
                applicant_name=spec.applicant,
                applicant_phone=f"1390000{8800 + index:04d}",
            )
            if spec.missing:
                services.case_request_supplement(by=by, case=case, materials=list(spec.missing))
        with _clock(spec.accepted):
            if spec.missing:
                case = services.case_supplement_complete(by=by, case=case)
            else:
                case = services.case_accept(by=by, case=case)
        if spec.step:
            when, name, result = spec.step
            with _clock(when):
                services.case_record_step(by=by, case=case, name=name, result=result)
        cases.append(case)
    return cases


# --- the step ----------------------------------------------------------------------------------


def load_cases_demo(stdout: Any) -> None:
    """September–December 2016 for the demo center, once; a center with cases is left alone."""
    center = Center.objects.filter(name=DEMO_CENTER).first()
    if center is None:
        stdout.write(f"{DEMO_CENTER} is not loaded; no demo cases.")
        return
    if Case.objects.filter(center=center).exists():
        stdout.write(f"{DEMO_CENTER} already has cases; left as they are.")
        return
    if not ServiceItem.objects.filter(center=center, status=ItemStatus.PUBLISHED).exists():
        stdout.write(f"{DEMO_CENTER} has no catalog; no demo cases.")
        return
    started = time.monotonic()
    rng = random.Random(data.SEED)  # noqa: S311 (invented demo data, not secrets)
    with transaction.atomic():
        hall = Hall.load(center)
        drafts, carried = _plan(hall, rng)
        written = case_history_import(
            by=None, center=center, cases=_numbered(drafts), note="演示数据：2016年9月至12月办件"
        )
        consulted = consultation_history_import(
            by=None,
            center=center,
            consultations=_consultations(hall, rng),
            note="演示数据：2016年9月至12月咨询",
        )
        opened = _open_through_services(center)
    stdout.write(
        f"{DEMO_CENTER} cases: {written.count + len(opened)} from 2016-09 to 2016-12 "
        f"({len(opened)} through the lifecycle; {carried} promised cases of earlier months completed "
        f"in December), {consulted.count} consultation records; {time.monotonic() - started:.1f}s."
    )
