"""The rest of the demo's present, after its cases (govhall/demo/loaders/present.py): the records
every section of the previous month's bulletin reads, and a few in the current month.

Attendance punches for the recent weeks (imported as a terminal's export, as December 2016's
are) and the posts left empty; the office's inspections; the journal (leaders' visits, a media
report, units' submissions, good deeds); ratings of the recent cases with a bad one rectified
and one still being handled; complaints and messages in their various states; the previous
month evaluated with its awards confirmed; and appointment slots with some bookings for the
coming working days. Everything goes through the apps' services, with the times it happened.
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from collections import Counter
from dataclasses import dataclass
from typing import Protocol

from django.utils import timezone

from govhall.cases import appointments
from govhall.cases.choices import CaseStatus
from govhall.cases.models import Case, Consultation
from govhall.demo.loaders.cases import Hall
from govhall.evaluation import selectors as evaluation_selectors
from govhall.evaluation import services as evaluation
from govhall.evaluation.choices import ScoreKind
from govhall.evaluation.models import MonthEvaluation
from govhall.feedback import services as feedback
from govhall.feedback.choices import (
    FeedbackKind,
    Finding,
    FollowUpResult,
    RatingChannel,
    RatingLevel,
    RatingTag,
)
from govhall.journal import services as journal
from govhall.journal.choices import EntryKind
from govhall.org.models import Center, Post, Staff, Unit
from govhall.oversight import services as oversight
from govhall.oversight.choices import ViolationKind
from govhall.staffing import services as staffing
from govhall.staffing.choices import DayPart, PunchKind
from govhall.staffing.models import LeaveDay


class Present(Protocol):
    """What these records read of the present's plan (govhall.demo.loaders.present.Present)."""

    hall: Hall
    now: dt.datetime
    rng: random.Random
    days: list[dt.date]

    def moment(self, day: dt.date, after: dt.datetime | None = None) -> dt.datetime | None: ...

    def applicant(self) -> tuple[str, str]: ...


L = RatingLevel
RATINGS_PER_MONTH = 90  # of the month's completed cases
CONSULTATION_RATINGS = 8
# Mostly satisfied, as December 2016: of every 20 ratings, 12 非常满意, 5 满意, 3 基本满意.
PATTERN = (5, 5, 4, 5, 5, 3, 5, 4, 5, 5, 4, 5, 3, 5, 5, 4, 5, 5, 3, 4)
CHANNELS = (RatingChannel.WINDOW, RatingChannel.WINDOW, RatingChannel.QR, RatingChannel.WEB)
BOOKING_AHEAD = 5  # working days with appointment slots after today
SLOT_UNITS = ("公安局", "住建局", "人社局", "民政局", "食药监局", "林业局")
SLOT_CAPACITY = 6


@dataclass
class Tally:
    punches: int = 0
    vacancies: int = 0
    inspections: int = 0
    journal: int = 0
    ratings: int = 0
    feedback: int = 0
    slots: int = 0
    bookings: int = 0
    awards: bool = False

    def __str__(self) -> str:
        return (
            f"{self.punches} punches, {self.vacancies} vacancies, {self.inspections} inspections, "
            f"{self.journal} journal entries, {self.ratings} ratings, {self.feedback} complaints "
            f"and messages, {self.slots} appointment slots with {self.bookings} bookings, "
            f"previous month {'evaluated' if self.awards else 'not evaluated'}"
        )


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def previous_month(day: dt.date) -> dt.date:
    return month_start(month_start(day) - dt.timedelta(days=1))


def _aware(naive: dt.datetime) -> dt.datetime:
    return timezone.make_aware(naive)


class Records:
    """The present's other records, planned with the cases' random generator and working days."""

    def __init__(self, center: Center, present: Present) -> None:
        self.center, self.present = center, present
        self.rng: random.Random = present.rng
        self.now: dt.datetime = present.now
        self.today = self.now.date()
        self.previous = previous_month(self.today)
        self.current = month_start(self.today)
        self.staff = list(
            Staff.objects.filter(center=center, is_active=True, unit__isnull=False)
            .select_related("unit")
            .order_by("pk")
        )
        self.units = {u.name: u for u in Unit.objects.filter(center=center)}
        self.tally = Tally()

    def days_of(self, month: dt.date, *, before_today: bool = True) -> list[dt.date]:
        return [
            d
            for d in self.present.days
            if month_start(d) == month and (not before_today or d < self.today)
        ]

    def moment(self, day: dt.date) -> dt.datetime | None:
        at = self.present.moment(day)
        return _aware(at) if at is not None else None

    def load(self) -> Tally:
        self.punches()
        self.inspections()
        self.journal()
        self.ratings()
        self.complaints()
        self.evaluate()
        self.appointment_slots()
        return self.tally

    # --- attendance -----------------------------------------------------------------------------

    def punches(self) -> None:
        """Every working day of the weeks for everyone not on leave: in before the hall opens,
        out after it closes, a few late; then the previous month's empty posts."""
        days = self.present.days
        taken = {
            (d.staff_id, d.date): d.part
            for d in LeaveDay.objects.filter(
                center=self.center, date__gte=days[0] if days else None
            )
        }
        missing = self._empty_post(taken)
        rows: list[tuple[Staff, dt.datetime, str]] = []
        for day in days:
            sessions = self.present.hall.open_minutes(day)
            if not sessions:
                continue
            (m_start, m_end), (a_start, a_end) = sessions[0], sessions[-1]
            for person in self.staff:
                part = taken.get((person.pk, day))
                if part in (DayPart.WHOLE, DayPart.HOURS) or (person.pk, day) in missing:
                    continue
                spread = zlib.crc32(f"{person.name}{day.isoformat()}".encode())
                arrival = m_start - 25 + spread % 22
                if spread % 97 == 0:
                    arrival = m_start + 5 + spread % 30  # late
                departure = a_end + 1 + spread % 14
                if part == DayPart.AM:
                    arrival = a_start - 20 + spread % 15
                elif part == DayPart.PM:
                    departure = m_end + 1 + spread % 8
                for minute, kind in (
                    (arrival, PunchKind.CLOCK_IN),
                    (departure, PunchKind.CLOCK_OUT),
                ):
                    at = dt.datetime.combine(day, dt.time.min) + dt.timedelta(minutes=minute)
                    if at < self.now:
                        rows.append((person, _aware(at), kind))
        self.tally.punches = staffing.attendance_punches_import(
            by=None, center=self.center, punches=rows
        )
        for day in self.days_of(self.previous):
            self.tally.vacancies += len(staffing.vacancies_record(center=self.center, date=day))

    def _empty_post(self, taken: dict[tuple[int, dt.date], str]) -> set[tuple[int, dt.date]]:
        """One day of the previous month when a holder was on leave and the backup did not come
        in (no punch all day): the window stood empty, as the bulletin's 空岗 list shows."""
        previous = set(self.days_of(self.previous))
        backups = dict(
            Post.objects.filter(center=self.center, window__is_active=True).values_list(
                "primary_id", "backup_id"
            )
        )
        for (staff_id, day), part in sorted(taken.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            if day in previous and part == DayPart.WHOLE and staff_id in backups:
                backup = backups[staff_id]
                if (backup, day) not in taken:
                    return {(backup, day)}
        return set()

    # --- oversight ------------------------------------------------------------------------------

    INSPECTIONS = (
        (
            ViolationKind.LATE_OR_EARLY,
            "上班时间已过，窗口工作人员迟到十余分钟，办事群众在窗口前等候。",
            "1",
        ),
        (ViolationKind.TV_OR_CHAT, "上班时间在窗口用手机观看视频。", "2"),
        (ViolationKind.OFF_POST, "离开窗口半小时以上，未办理外出登记，B角未到岗替岗。", "2"),
        (ViolationKind.TV_OR_CHAT, "上班时间与邻近窗口人员聊天，办事群众等候无人接待。", "1"),
    )

    def inspections(self) -> None:
        """Three problems found in the previous month, one so far this month."""
        plan = [(self.previous, k) for k in self.INSPECTIONS[:3]]
        plan.append((self.current, self.INSPECTIONS[3]))
        for month, (kind, description, points) in plan:
            days = self.days_of(month)
            when = self.moment(self.rng.choice(days)) if days else None
            if when is None or not self.staff:
                continue
            person = self.rng.choice(self.staff)
            oversight.inspection_create(
                by=None,
                center=self.center,
                kind=kind,
                occurred_at=when,
                description=description,
                points=points,
                unit=person.unit,
                staff=person,
            )
            self.tally.inspections += 1

    # --- journal --------------------------------------------------------------------------------

    def journal(self) -> None:
        """The previous month's visits, report, submissions, other work and good deeds; a visit
        and a good deed so far this month."""
        previous, current = self.days_of(self.previous), self.days_of(self.current)
        police = self.units.get("公安局")
        entries: list[tuple[list[dt.date], dict[str, object]]] = [
            (
                previous,
                dict(
                    kind=EntryKind.LEADER_VISIT,
                    person="县政府分管副县长一行",
                    content="到县政务服务中心大厅调研“一网通办”推进情况，要求进一步压缩办理时限。",
                ),
            ),
            (
                previous,
                dict(
                    kind=EntryKind.LEADER_VISIT,
                    person="市政务服务和大数据管理局检查组",
                    content="对中心“好差评”制度落实情况进行检查，对窗口服务规范给予肯定。",
                ),
            ),
            (
                previous,
                dict(
                    kind=EntryKind.MEDIA_REPORT,
                    outlet="随州日报",
                    section="第二版",
                    title="随县政务服务中心：让群众少跑腿",
                    content="报道中心推行预约服务、延时服务，方便群众办事的做法。",
                ),
            ),
            (
                previous,
                dict(
                    kind=EntryKind.OTHER_WORK,
                    title="大厅自助服务区新增自助打印设备",
                    content="中心大厅自助服务区新增两台自助打印设备，群众可自行打印办事材料。",
                ),
            ),
            (
                previous,
                dict(
                    kind=EntryKind.INFO_SUBMISSION,
                    unit=police,
                    person="周晓岚",
                    title="出入境窗口信息简报：推行预约办证",
                ),
            ),
            (
                previous,
                dict(
                    kind=EntryKind.INFO_SUBMISSION,
                    unit=self.units.get("住建局"),
                    person="宋佳琪",
                    title="房产窗口信息简报：不动产登记压缩至五个工作日",
                ),
            ),
            (
                current,
                dict(
                    kind=EntryKind.LEADER_VISIT,
                    person="县人大常委会调研组",
                    content="到中心大厅调研优化营商环境工作，查看窗口办件情况。",
                ),
            ),
        ]
        stories = (
            "主动“延时服务”，中午加班为外地返乡群众办结业务。",
            "拾得办事群众遗失的钱包，主动联系失主并如数归还。",
            "耐心为行动不便的老人上门代办业务，得到群众称赞。",
            "对材料不齐的申请人一次性告知补正要求，并通过网络接收补正材料，避免群众来回跑。",
        )
        people = self.rng.sample(self.staff, min(len(stories), len(self.staff)))
        for index, (person, story) in enumerate(zip(people, stories, strict=False)):
            days = current if index == len(stories) - 1 else previous
            entries.append((days, dict(kind=EntryKind.GOOD_DEED, staff=person, content=story)))
        for days, fields in entries:
            if not days or ("unit" in fields and fields["unit"] is None):
                continue
            journal.journal_entry_create(
                by=None,
                center=self.center,
                date=self.rng.choice(days),
                **fields,  # type: ignore[arg-type]
            )
            self.tally.journal += 1

    # --- feedback -------------------------------------------------------------------------------

    def _month_cases(self, month: dt.date, count: int) -> list[Case]:
        following = month_start(month + dt.timedelta(days=32))
        pks = list(
            Case.objects.filter(
                center=self.center,
                status=CaseStatus.COMPLETED,
                completed_at__gte=_aware(dt.datetime.combine(month, dt.time.min)),
                completed_at__lt=_aware(dt.datetime.combine(following, dt.time.min)),
            )
            .order_by("completed_at", "pk")
            .values_list("pk", flat=True)
        )
        step = max(1, len(pks) // count)
        return list(Case.objects.filter(pk__in=pks[::step][:count]).order_by("completed_at", "pk"))

    def ratings(self) -> None:
        """A sample of each month's completed cases rated, mostly satisfied; in the previous
        month one 不满意 rectified and followed up, this month one still being handled."""
        for month, count in (
            (self.previous, RATINGS_PER_MONTH),
            (self.current, RATINGS_PER_MONTH // 4),
        ):
            cases = self._month_cases(month, count)
            bad = len(cases) // 2 if cases else -1
            for index, case in enumerate(cases):
                channel = CHANNELS[index % len(CHANNELS)]
                delay = dt.timedelta(minutes=2 if channel == RatingChannel.WINDOW else 300)
                at = case.completed_at + delay if case.completed_at else None
                if at is None or at >= timezone.now():
                    continue
                level = PATTERN[index % len(PATTERN)]
                praise = RatingTag.praise()
                tags = (
                    [praise[index % len(praise)]] if index % 3 == 0 and level >= L.SATISFIED else []
                )
                comment = ""
                if index == bad:
                    level, channel = L.DISSATISFIED, RatingChannel.QR
                    tags = [RatingTag.UNCLEAR, RatingTag.MANY_VISITS]
                    comment = "材料要求没有一次说清楚，来回跑了两趟。"
                rating = feedback.rating_submit(
                    by=None, case=case, level=level, tags=tags, comment=comment,
                    channel=channel, at=at,
                )  # fmt: skip
                self.tally.ratings += 1
                if index == bad:
                    self._rectify(rating, opened=at, settled=month == self.previous)
            self._consultation_ratings(month)

    def _rectify(self, rating: object, *, opened: dt.datetime, settled: bool) -> None:
        task = rating.rectification  # type: ignore[attr-defined]
        step = dt.timedelta(days=1)
        contacted = opened + step
        if contacted >= timezone.now():
            return
        feedback.rectification_contact(
            by=None, task=task,
            note="调阅窗口记录，确认受理时未一次性告知材料要求；已电话联系申请人致歉。",
            at=contacted,
        )  # fmt: skip
        if not settled or contacted + 3 * step >= timezone.now():
            return
        feedback.rectification_rectify(
            by=None, task=task,
            outcome="修订并张贴该事项一次性告知清单，对当班工作人员进行批评教育。",
            at=contacted + 2 * step,
        )  # fmt: skip
        feedback.rectification_follow_up(
            by=None, task=task, result=FollowUpResult.SATISFIED,
            note="申请人表示认可整改措施。", at=contacted + 3 * step,
        )  # fmt: skip

    def _consultation_ratings(self, month: dt.date) -> None:
        following = month_start(month + dt.timedelta(days=32))
        consultations = Consultation.objects.filter(
            center=self.center,
            at__gte=_aware(dt.datetime.combine(month, dt.time.min)),
            at__lt=_aware(dt.datetime.combine(following, dt.time.min)),
        ).order_by("at", "pk")[:CONSULTATION_RATINGS]
        for index, consultation in enumerate(consultations):
            at = consultation.at + dt.timedelta(minutes=1)
            if at >= timezone.now():
                continue
            feedback.rating_submit(
                by=None, consultation=consultation, level=PATTERN[(index + 3) % len(PATTERN)],
                channel=RatingChannel.WINDOW, at=at,
            )  # fmt: skip
            self.tally.ratings += 1

    def complaints(self) -> None:
        """The previous month: a message answered and accepted, a complaint substantiated and
        closed, an advertisement dismissed. This month: a complaint routed and awaiting the
        unit's answer, a message just received."""
        previous, current = self.days_of(self.previous), self.days_of(self.current)
        police, housing = self.units.get("公安局"), self.units.get("住建局")
        if len(previous) < 6 or police is None or housing is None:
            return
        hour = dt.timedelta(hours=1)
        day = dt.timedelta(days=1)

        at = self.moment(previous[1])
        if at is not None:
            item = feedback.feedback_submit(
                center=self.center, kind=FeedbackKind.MESSAGE, unit=police, subject="身份证补办",
                content="请问身份证丢失补办需要多长时间？能否办理临时身份证？", at=at,
            )  # fmt: skip
            feedback.feedback_route(by=None, feedback=item, unit=police, at=at + hour)
            feedback.feedback_answer(
                by=None, feedback=item,
                answer="您好！补领居民身份证20个工作日内办结，急需可同时申领临时身份证，当场受理。",
                at=at + day,
            )  # fmt: skip
            feedback.feedback_accept(feedback=item, at=at + 2 * day)
            self.tally.feedback += 1

        at = self.moment(previous[4])
        if at is not None:
            item = feedback.feedback_submit(
                center=self.center, kind=FeedbackKind.COMPLAINT, unit=housing,
                subject="窗口中午提前离岗", content="中午十一点五十到房产窗口，窗口已经没人了。",
                name="王先生", phone="13972260001", at=at,
            )  # fmt: skip
            feedback.feedback_route(by=None, feedback=item, unit=housing, at=at + hour)
            feedback.feedback_answer(
                by=None, feedback=item, finding=Finding.SUBSTANTIATED,
                answer="经核实，当日窗口工作人员提前离岗，已按中心考核办法处理，并落实A/B角补位。",
                at=at + 3 * day,
            )  # fmt: skip
            feedback.feedback_accept(feedback=item, at=at + 4 * day)
            self.tally.feedback += 1

        at = self.moment(previous[-3])
        if at is not None:
            item = feedback.feedback_submit(
                center=self.center, kind=FeedbackKind.MESSAGE,
                content="专业代办各类证件，快速出证，联系微信……", at=at,
            )  # fmt: skip
            feedback.feedback_dismiss(by=None, feedback=item, reason="广告信息", at=at + hour)
            self.tally.feedback += 1

        if current:
            at = self.moment(current[0])
            if at is not None:
                item = feedback.feedback_submit(
                    center=self.center, kind=FeedbackKind.COMPLAINT, unit=police,
                    subject="排队时间太长", content="上午在出入境窗口排队一个多小时，建议增加窗口。",
                    name="李女士", phone="13972260002", at=at,
                )  # fmt: skip
                feedback.feedback_route(by=None, feedback=item, unit=police, at=at + hour)
                self.tally.feedback += 1
        at = self.moment(self.today) or (self.moment(current[-1]) if current else None)
        if at is not None:
            feedback.feedback_submit(
                center=self.center, kind=FeedbackKind.MESSAGE, subject="停车位建议",
                content="建议中心门口增设临时停车位，方便办事群众。", at=at,
            )  # fmt: skip
            self.tally.feedback += 1

    # --- evaluation -----------------------------------------------------------------------------

    def evaluate(self) -> None:
        """The previous month computed from its records, the ranked proposal confirmed."""
        if MonthEvaluation.objects.filter(center=self.center, month=self.previous).exists():
            return
        month = evaluation.evaluation_compute(by=None, center=self.center, month=self.previous)
        proposal = evaluation_selectors.proposal(month)
        evaluation.awards_confirm(
            by=None,
            evaluation=month,
            units=[c.unit for c in proposal[ScoreKind.UNIT] if c.unit is not None],
            chiefs=[c.staff for c in proposal[ScoreKind.CHIEF] if c.staff is not None],
            staff=[c.staff for c in proposal[ScoreKind.STAFF] if c.staff is not None],
        )
        self.tally.awards = True

    # --- appointments ---------------------------------------------------------------------------

    def appointment_slots(self) -> None:
        """The next working days: an hour in the morning and one in the afternoon at the busiest
        units, with some seats already booked."""
        calendar = self.present.hall.calendar
        ahead: list[dt.date] = []
        day = self.today
        while len(ahead) < BOOKING_AHEAD:
            day += dt.timedelta(days=1)
            if calendar.is_workday(day):
                ahead.append(day)
        booked: Counter[str] = Counter()
        for name in SLOT_UNITS:
            unit = self.units.get(name)
            if unit is None:
                continue
            items = list(appointments.bookable_items(center=self.center, unit=unit)[:5])
            if not items:
                continue
            for day in ahead:
                for start, _end in self.present.hall.open_minutes(day):
                    begins = dt.time(*divmod(start + 30, 60))
                    ends = dt.time(*divmod(start + 90, 60))
                    slot = appointments.slot_open(
                        by=None, unit=unit, date=day, start=begins, end=ends,
                        capacity=SLOT_CAPACITY,
                    )  # fmt: skip
                    self.tally.slots += 1
                    for _seat in range(self.rng.randint(0, SLOT_CAPACITY - 1)):
                        applicant, _phone = self.present.applicant()
                        phone = f"139{self.rng.randrange(10**8):08d}"
                        appointments.appointment_book(
                            slot=slot, item=self.rng.choice(items),
                            applicant_name=applicant, phone=phone,
                        )  # fmt: skip
                        booked[unit.name] += 1
        self.tally.bookings = sum(booked.values())


def load_present_records(center: Center, present: Present) -> Tally:
    """The present's records besides cases (see the module's docstring)."""
    return Records(center, present).load()
