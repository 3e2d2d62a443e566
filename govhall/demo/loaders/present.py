"""The demo hall up to today: the last weeks on the same units, staff and items as December 2016.

December 2016 stays exactly as the reference bulletin has it; after it the hall closes the
year's open cases in the first days of January 2017, and the weeks before the load's "today"
(`govhall.core.clock`) are filled in: cases every working day within the hall's hours, some
still open with deadlines around today (a few yellow and red cards), consultations, leave and
outings, and today's run of electronic supervision. A random generator seeded with today's
date makes a load reproducible for that date.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from typing import Any

from django.utils import timezone

from govhall.cases import services as cases
from govhall.cases.choices import CaseStatus, Result
from govhall.cases.history import (
    OPEN_STATUSES,
    HistoryCase,
    HistoryConsultation,
    case_history_import,
    consultation_history_import,
    history_deadline,
)
from govhall.cases.models import Case
from govhall.catalog.choices import HandlingType
from govhall.core import clock
from govhall.demo.data import cases as data
from govhall.demo.data.org import DEMO_CENTER
from govhall.demo.loaders.cases import Hall, Offer
from govhall.org.models import Center, Staff
from govhall.oversight import services as oversight
from govhall.oversight.models import UnitLeader
from govhall.staffing import services as staffing
from govhall.staffing.choices import LeaveKind
from govhall.supervision.services import supervise_day

S = CaseStatus
WEEKS = 8
# A county hall accepts about 300 cases a working day (December 2016: 6,560 in 22 days); the
# demo keeps each unit's share at half that volume so a load stays well under a minute.
SCALE = 0.5
DECEMBER_WORKDAYS = 22
LATE_SHARE = 0.02  # promised cases due in the last weeks still open: red cards today
EARLY_SHARE = 0.45  # promised cases not yet due that are already done
YEAR_CLOSED = dt.datetime(2017, 1, 3, 9, 0)  # noqa: DTZ001 (naive local: 2017's first working day)
LEAVES_PER_MONTH = 8
OUTINGS_PER_MONTH = 12
PATROLS_PER_MONTH = 6
OUTING_REASONS = (
    "到局机关送审材料",
    "参加业务培训",
    "赴现场踏勘",
    "到财政局办理票据",
    "参加局务会",
)


def _local_now() -> dt.datetime:
    return timezone.localtime(clock.now()).replace(tzinfo=None)


def _at(day: dt.date, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min) + dt.timedelta(minutes=minute)


def _close_the_year(center: Center) -> int:
    """The cases still open at the end of 2016, completed in the first days of January 2017."""
    open_cases = Case.objects.filter(
        center=center, status__in=OPEN_STATUSES, received_at__lt=timezone.make_aware(YEAR_CLOSED)
    ).order_by("received_at", "pk")
    closed = 0
    for index, case in enumerate(open_cases):
        with clock.replaying(timezone.make_aware(YEAR_CLOSED + dt.timedelta(minutes=7 * index))):
            cases.case_complete(by=None, case=case, result=Result.GRANTED, note="年初清理办结")
        closed += 1
    return closed


class Present:
    """The plan of the last weeks' cases and consultations, reproducible for one `now`."""

    def __init__(self, hall: Hall, now: dt.datetime, rng: random.Random) -> None:
        self.hall, self.now, self.rng = hall, now, rng
        first = now.date() - dt.timedelta(weeks=WEEKS)
        self.days = hall.workdays(first, now.date())

    def moment(self, day: dt.date, after: dt.datetime | None = None) -> dt.datetime | None:
        """A minute of the hall's open hours on `day`, after `after` and before now (or None)."""
        minutes = [
            m
            for start, end in self.hall.open_minutes(day)
            for m in range(start, end)
            if (after is None or _at(day, m) > after) and _at(day, m) < self.now
        ]
        return _at(day, self.rng.choice(minutes)) if minutes else None

    def person(self, offer: Offer) -> Staff | None:
        people = self.hall.staff.get(offer.window.pk, [])
        return self.rng.choice(people) if people else None

    def applicant(self) -> tuple[str, str]:
        name = self.rng.choice(data.SURNAMES) + "".join(self.rng.sample(data.GIVEN, 2))
        return name, f"1390000{self.rng.randrange(10000):04d}"

    def cases(self) -> list[HistoryCase]:
        sequence: dict[tuple[int, dt.date], int] = defaultdict(int)
        rows: list[HistoryCase] = []
        for day in self.days:
            for unit, (immediate, promised) in data.DECEMBER_CASES.items():
                for handling, monthly in (
                    (HandlingType.IMMEDIATE, immediate),
                    (HandlingType.PROMISED, promised),
                ):
                    offers = self.hall.offers.get((unit, handling), [])
                    expected = monthly * SCALE / DECEMBER_WORKDAYS
                    count = int(expected) + (self.rng.random() < expected - int(expected))
                    for _ in range(count if offers else 0):
                        offer = self.rng.choices(offers, weights=[o.weight for o in offers])[0]
                        row = self._case(day, offer, sequence)
                        if row is not None:
                            rows.append(row)
        rows.sort(key=lambda r: r.number)
        return rows

    def _case(
        self, day: dt.date, offer: Offer, sequence: dict[tuple[int, dt.date], int]
    ) -> HistoryCase | None:
        accepted = self.moment(day)
        if accepted is None:
            return None
        due = history_deadline(
            calendar=self.hall.calendar,
            hours=self.hall.hours,
            handling_type=offer.version.handling_type,
            promised_days=offer.version.promised_days,
            accepted_local=accepted,
        )
        closed = self._completion(accepted, due, offer.version.handling_type)
        unit_id = offer.item.unit_id
        sequence[(unit_id, day)] += 1
        name, phone = self.applicant()
        staff = self.person(offer)
        return HistoryCase(
            number=f"{day:%Y%m%d}{unit_id % 1000:03d}{sequence[(unit_id, day)]:04d}",
            item=offer.item,
            version=offer.version,
            applicant_name=name,
            applicant_phone=phone,
            staff=staff,
            received_at=timezone.make_aware(accepted),
            status=S.COMPLETED if closed else S.ACCEPTED,
            closed_at=timezone.make_aware(closed) if closed else None,
            completed_by=staff,
            window=offer.window,
        )

    def _completion(
        self, accepted: dt.datetime, due: dt.datetime, handling: str
    ) -> dt.datetime | None:
        """When the case was completed, or None while it is open."""
        if handling == HandlingType.IMMEDIATE:
            done = accepted + dt.timedelta(minutes=self.rng.randint(5, 40))
            return done if done < self.now else None
        if due < self.now:
            late = self.now - due < dt.timedelta(days=21) and self.rng.random() < LATE_SHARE
            last = due.date()
        else:
            late = self.rng.random() > EARLY_SHARE
            last = self.now.date()
        if late:
            return None
        days = self.hall.workdays(accepted.date(), last)
        for day in self.rng.sample(days, len(days)):
            done = self.moment(day, after=accepted)
            if done is not None and done <= due:
                return done
        return due if due < self.now else None  # done at the last minute it was allowed

    def consultations(self) -> list[HistoryConsultation]:
        records = []
        for day in self.days:
            for unit, per_month in data.CONSULTATIONS[data.DECEMBER].items():
                offers = [o for h in HandlingType for o in self.hall.offers.get((unit, h), [])]
                expected = per_month / DECEMBER_WORKDAYS
                if not offers or self.rng.random() >= expected:
                    continue
                offer = self.rng.choice(offers)
                at = self.moment(day)
                if at is None:
                    continue
                records.append(
                    HistoryConsultation(
                        unit=self.hall.units[unit],
                        staff=self.person(offer),
                        at=timezone.make_aware(at),
                        person_times=self.rng.choice((1, 1, 2)),
                        topic=f"{offer.item.name}：{self.rng.choice(data.TOPICS)}",
                        item=offer.item,
                    )
                )
        records.sort(key=lambda r: r.at)
        return records


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _staffing(center: Center, present: Present) -> tuple[int, int]:
    """Leave, outings and leaders' patrol sign-ins of the previous and the current month,
    recorded as the office records them."""
    rng, today = present.rng, present.now.date()
    previous = _month_start(_month_start(today) - dt.timedelta(days=1))
    people = list(Staff.objects.filter(center=center, is_active=True).order_by("pk"))
    leaders = list(UnitLeader.objects.filter(center=center).order_by("pk"))
    leaves = outings = 0
    for month in (previous, _month_start(today)):
        days = [d for d in present.days if _month_start(d) == month]
        if not days:
            continue
        for person in rng.sample(people, min(LEAVES_PER_MONTH, len(people))):
            start = rng.choice(days)
            span = [d for d in days if d >= start][: rng.choice((1, 1, 2, 3))]
            staffing.leave_record(
                by=None,
                staff=person,
                kind=rng.choice((LeaveKind.PERSONAL, LeaveKind.SICK, LeaveKind.ANNUAL)),
                start_date=span[0],
                end_date=span[-1],
                reason="演示数据",
            )
            leaves += 1
        for _ in range(OUTINGS_PER_MONTH):
            out = present.moment(rng.choice(days))
            if out is None:
                continue
            back = out + dt.timedelta(minutes=rng.randint(30, 120))
            staffing.outing_record(
                by=None,
                staff=rng.choice(people),
                out_at=timezone.make_aware(out),
                back_at=timezone.make_aware(back) if back < present.now else None,
                reason=rng.choice(OUTING_REASONS),
            )
            outings += 1
        for leader in rng.sample(leaders, min(PATROLS_PER_MONTH, len(leaders))):
            signed_in = present.moment(rng.choice(days))
            if signed_in is None:
                continue
            signed_out = signed_in + dt.timedelta(minutes=rng.randint(15, 50))
            oversight.patrol_record(
                by=None,
                leader=leader,
                signed_in_at=timezone.make_aware(signed_in),
                signed_out_at=timezone.make_aware(signed_out) if signed_out < present.now else None,
                notes="查看窗口工作纪律",
            )
    return leaves, outings


def load_present_demo(stdout: Any) -> None:
    """The weeks up to today, once: a center with cases after 2016 is left as it is."""
    center = Center.objects.filter(name=DEMO_CENTER).first()
    if center is None or not Case.objects.filter(center=center).exists():
        stdout.write(f"{DEMO_CENTER} has no 2016 cases; the present is not loaded.")
        return
    if Case.objects.filter(
        center=center, received_at__gte=timezone.make_aware(YEAR_CLOSED)
    ).exists():
        stdout.write(f"{DEMO_CENTER} already lives in the present; left as it is.")
        return
    started = time.monotonic()
    now = _local_now()
    closed = _close_the_year(center)
    rng = random.Random(f"govhall-demo-{now.date().isoformat()}")  # noqa: S311 (invented data)
    present = Present(Hall.load(center), now, rng)
    written = case_history_import(
        by=None,
        center=center,
        cases=present.cases(),
        note=f"演示数据：截至{now:%Y-%m-%d}的近{WEEKS}周办件",
    )
    consulted = consultation_history_import(
        by=None, center=center, consultations=present.consultations(), note="演示数据：近期咨询"
    )
    leaves, outings = _staffing(center, present)
    cards = supervise_day(by=None, center=center, on=now.date()).issued if present.days else []
    stdout.write(
        f"{DEMO_CENTER} up to {now:%Y-%m-%d}: {closed} cases of 2016 closed; {written.count} cases "
        f"and {consulted.count} consultation records over {len(present.days)} working days, "
        f"{leaves} leaves, {outings} outings, {len(cards)} cards today; "
        f"{time.monotonic() - started:.1f}s."
    )
