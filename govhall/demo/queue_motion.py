"""The demo hall's queue in motion: numbers taken, called and served through the queue's own
services, a minute at a time, the clock replayed to the minute each thing happens.

One engine serves both the load (`loaders/queue.py`: the last working days and today up to
now) and the living demo's runner (`tasks.py`: every minute while `make demo` runs, today's
queue goes on from where it stands). A day's traffic is a plan drawn from a random generator
seeded with the center and the date, so the runner continues the plan the load began.

Two things go wrong on purpose, once each, for the office to find: one window stands empty for
half an hour in the morning while numbers wait for it (the queue's watch records a 空岗 on its
A/B post), and one window's first call in the afternoon comes 40 minutes after opening
(下午二点二十才有人办公, as the December 2016 bulletin put it).
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from govhall.cases.models import Case, Consultation
from govhall.core.calendar import get_calendar
from govhall.core.clock import replaying
from govhall.core.errors import DomainError
from govhall.org.hours import hours_of
from govhall.org.models import Center, Window
from govhall.queueing import services as queue
from govhall.queueing.choices import AlertKind, TicketChannel, TicketStatus
from govhall.queueing.models import Call, QueueAlert, QueueCategory, Ticket, WindowPause
from govhall.staffing.choices import LeaveStatus
from govhall.staffing.models import LeaveDay, Outing


@dataclass(frozen=True)
class Lane:
    """业务类别 of the demo hall: its letter, name, the units it covers, the windows (by
    number) that serve it, the numbers taken on a usual day and the usual minutes at the window."""

    code: str
    name: str
    units: tuple[str, ...]
    windows: tuple[str, ...]
    per_day: int
    minutes: int


# Every unit covered, every window assigned. 地税窗口 A12 is a 综合窗口 serving two lines: the
# deed tax (契税) of a property transfer is paid where the tax windows sit, so it takes C's
# numbers as well as F's. H is the 综合受理区 of the smaller units on the second floor.
LANES: tuple[Lane, ...] = (
    Lane("A", "户籍·车驾管", ("公安局",), ("A02", "A03"), 34, 5),
    Lane("B", "出入境", ("公安局",), ("A01",), 20, 8),
    Lane("C", "不动产·住建", ("住建局", "国土资源局"), ("A04", "A05", "A06", "A12"), 44, 10),
    Lane("D", "社保医保·就业", ("人社局",), ("A07", "A08"), 38, 6),
    Lane("E", "市场监管·工商", ("工商局", "质监局", "食药监局"), ("A10", "B10", "B05"), 26, 9),
    Lane("F", "税务", ("国税局", "地税局"), ("A11", "A12"), 22, 6),
    Lane("G", "民政", ("民政局",), ("A09",), 16, 8),
    Lane(
        "H",
        "综合（其他单位）",
        ("林业局", "财政局", "发改局", "经信局", "水利局", "教育局", "环保局", "卫计局",
         "交通运输局", "农业局", "文体新广局", "商务局"),
        ("B01", "B02", "B03", "B04", "B06", "B07", "B08", "B09", "B11", "B12", "B13", "B14"),
        30,
        7,
    ),
)  # fmt: skip

# The window left empty (the first of these with nobody on registered leave or outing that
# day: an absence on the register explains the empty seat and is no 空岗) and the late one.
IDLE_WINDOWS = ("A01", "A09")
IDLE_FROM = dt.timedelta(minutes=95)  # after the morning opening: 10:05 in the winter hours
IDLE_FOR = dt.timedelta(minutes=35)
LATE_WINDOW = "A09"
LATE_BY = dt.timedelta(minutes=40)  # after the afternoon opening: 14:40 in the winter hours
# The watch job runs every 2 minutes; the load runs it where the stretch makes a difference.
WATCH_AFTER = (dt.timedelta(minutes=20), dt.timedelta(minutes=26), dt.timedelta(minutes=32))
MORNING_SHARE = 0.6  # of the day's numbers taken in the morning
LAST_NUMBER = dt.timedelta(minutes=20)  # numbers stop this long before a session ends
LINK_WITHIN = dt.timedelta(minutes=40)  # a case accepted this near the call became the number
# A service never takes the watch's idle limit (15 minutes): serving is not standing idle.
LONGEST_SERVICE = 14
CHANNELS = (TicketChannel.KIOSK,) * 6 + (TicketChannel.PHONE,) * 3 + (TicketChannel.DEVICE,)
# Staff call the numbers already taken for up to half an hour after a session ends.
CALLS_AFTER_CLOSE = dt.timedelta(minutes=30)
# Under one minute; calls and finishes of a minute come before its new numbers.
SECONDS_ACT = 5
STEP = dt.timedelta(minutes=1)


def _aware(day: dt.date, moment: dt.time | dt.timedelta) -> dt.datetime:
    start = dt.datetime.combine(day, dt.time.min)
    if isinstance(moment, dt.time):
        start = dt.datetime.combine(day, moment)
    else:
        start += moment
    return timezone.make_aware(start)


def service_minutes(ticket_number: str, day: dt.date, usual: int) -> int:
    """How long the number stays at the window: spread around the lane's usual minutes, the
    same for the load and the runner (derived from the number and the day, not drawn)."""
    spread = zlib.crc32(f"{day.isoformat()}{ticket_number}".encode()) % 100 / 100
    return max(2, min(LONGEST_SERVICE, round(usual * (0.5 + spread))))


@dataclass(frozen=True)
class Arrival:
    at: dt.datetime
    code: str
    channel: str


@dataclass
class Seat:
    """A window as the motion sees it: what it serves and until when."""

    window: Window
    codes: tuple[str, ...]
    serving: Ticket | None = None
    free_at: dt.datetime | None = None
    closed: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)

    def open_at(self, at: dt.datetime) -> bool:
        return not any(start <= at < end for start, end in self.closed)


class Motion:
    """One working day of the demo hall's queue, continued from what the database holds."""

    def __init__(self, center: Center, day: dt.date, *, events: bool, watch: bool) -> None:
        self.center, self.day, self.watch = center, day, watch
        self.hours = hours_of(center)(day)
        self.lanes = {lane.code: lane for lane in LANES}
        categories = {
            c.code: c
            for c in QueueCategory.objects.filter(center=center, is_active=True).prefetch_related(
                "windows__unit"
            )
        }
        by_window: dict[int, Seat] = {}
        for code, category in categories.items():
            for window in category.windows.all():
                seat = by_window.setdefault(window.pk, Seat(window, ()))
                seat.codes = (*seat.codes, code)
        self.seats = sorted(by_window.values(), key=lambda s: s.window.number)
        self.waiting: dict[str, list[Ticket]] = defaultdict(list)
        for ticket in Ticket.objects.filter(
            center=center, day=day, status=TicketStatus.WAITING, target_window__isnull=True
        ).order_by("rank", "place", "pk"):
            self.waiting[ticket.series if ticket.series in categories else ""].append(ticket)
        self._resume()
        self.issued = 0
        self.served = 0
        self.watched: list[QueueAlert] = []
        self.linked = 0
        self.idle: Seat | None = None
        self.events = events and self._plan_events()
        self._cases = self._linkable()

    # --- the day's plan --------------------------------------------------------------------------

    def arrivals(self) -> list[Arrival]:
        """The day's numbers, drawn once per center and date: most in the morning, none in the
        last minutes of a session."""
        rng = random.Random(f"govhall-queue-{self.center.pk}-{self.day.isoformat()}")  # noqa: S311
        sessions = self.hours.sessions()
        plan: list[Arrival] = []
        for lane in LANES:
            count = round(lane.per_day * rng.uniform(0.85, 1.15))
            for index in range(count):
                start, end = sessions[0] if rng.random() < MORNING_SHARE else sessions[1]
                first = _aware(self.day, start)
                span = (_aware(self.day, end) - LAST_NUMBER - first).total_seconds()
                # More at the start of a session than at its end.
                offset = span * (1 - (1 - rng.random()) ** 1.4)
                at = first + dt.timedelta(seconds=int(offset))
                at = at.replace(second=max(at.second, SECONDS_ACT + 5))
                channel = CHANNELS[(index * 7 + len(plan)) % len(CHANNELS)]
                plan.append(Arrival(at, lane.code, channel))
        plan += self._waiting_for_events()
        plan.sort(key=lambda a: (a.at, a.code))
        return plan

    def _waiting_for_events(self) -> list[Arrival]:
        """Numbers that wait for the empty and the late window, so that both are seen."""
        if not self.events:
            return []
        extra = []
        if self.idle is not None:
            start = self.idle.closed[-1][0]
            for minutes in (2, 9):
                at = start + dt.timedelta(minutes=minutes, seconds=20)
                extra.append(Arrival(at, self.idle.codes[0], TicketChannel.KIOSK))
        late = {s.window.number: s for s in self.seats}.get(LATE_WINDOW)
        if late is not None:
            at = _aware(self.day, self.hours.afternoon_start) + dt.timedelta(minutes=6, seconds=20)
            extra.append(Arrival(at, late.codes[0], TicketChannel.KIOSK))
        return extra

    def _plan_events(self) -> bool:
        """Close the idle window for its stretch and the late window until it opens."""
        seats = {s.window.number: s for s in self.seats}
        morning = _aware(self.day, self.hours.morning_start)
        afternoon = _aware(self.day, self.hours.afternoon_start)
        late = seats.get(LATE_WINDOW)
        if late is not None:
            late.closed.append((afternoon, afternoon + LATE_BY))
        for number in IDLE_WINDOWS:
            seat = seats.get(number)
            if seat is not None and not self._away(seat.window):
                seat.closed.append((morning + IDLE_FROM, morning + IDLE_FROM + IDLE_FOR))
                self.idle = seat
                break
        return True

    def _away(self, window: Window) -> bool:
        people = window.staff.filter(is_active=True).values("pk")
        return (
            LeaveDay.objects.filter(
                staff__in=people, date=self.day, leave__status=LeaveStatus.APPROVED
            ).exists()
            or Outing.objects.filter(staff__in=people, out_date=self.day).exists()
        )

    def _resume(self) -> None:
        """What each window is doing now (the runner continues a day the load began)."""
        serving = Ticket.objects.filter(
            center=self.center, day=self.day, status=TicketStatus.CALLED
        ).select_related("category")
        current = {t.window_id: t for t in serving}
        by_person = set(
            Call.objects.filter(ticket__in=list(current.values()), by__isnull=False).values_list(
                "ticket_id", flat=True
            )
        )
        paused = set(
            WindowPause.objects.filter(center=self.center, ended_at__isnull=True).values_list(
                "window_id", flat=True
            )
        )
        whole_day = (_aware(self.day, dt.time.min), _aware(self.day, dt.time.max))
        for seat in self.seats:
            if seat.window.pk in paused:  # paused at the desk by a visitor: left to them
                seat.closed.append(whole_day)
            ticket = current.get(seat.window.pk)
            if ticket is None:
                continue
            if ticket.pk in by_person:  # a visitor serves at this window: leave it to them
                seat.closed.append(whole_day)
                continue
            seat.serving = ticket
            seat.free_at = (ticket.called_at or ticket.issued_at) + dt.timedelta(
                minutes=service_minutes(ticket.number, self.day, self.lanes[ticket.series].minutes)
                if ticket.series in self.lanes
                else 5
            )

    def _linkable(self) -> dict[int, list[tuple[dt.datetime, object]]]:
        """The day's cases (by window) and consultations (by unit) no number has become yet."""
        start = _aware(self.day, dt.time.min)
        end = start + dt.timedelta(days=1)
        taken = Ticket.objects.filter(center=self.center, day=self.day)
        found: dict[int, list[tuple[dt.datetime, object]]] = defaultdict(list)
        for case in (
            Case.objects.filter(center=self.center, received_at__gte=start, received_at__lt=end)
            .exclude(pk__in=taken.filter(case__isnull=False).values("case_id"))
            .only("pk", "center_id", "window_id", "number", "received_at")
        ):
            if case.window_id and case.received_at:
                found[case.window_id].append((case.received_at, case))
        for consultation in Consultation.objects.filter(
            center=self.center, at__gte=start, at__lt=end
        ).exclude(pk__in=taken.filter(consultation__isnull=False).values("consultation_id")):
            found[-consultation.unit_id].append((consultation.at, consultation))
        return found

    # --- running ---------------------------------------------------------------------------------

    def run(self, until: dt.datetime) -> None:
        """Everything planned from where the day stands up to `until` (aware)."""
        last_issued = (
            Ticket.objects.filter(center=self.center, day=self.day)
            .order_by("-issued_at")
            .values_list("issued_at", flat=True)
            .first()
        )
        last_call = (
            Call.objects.filter(center=self.center, ticket__day=self.day)
            .order_by("-at")
            .values_list("at", flat=True)
            .first()
        )
        pending = [a for a in self.arrivals() if a.at <= until]
        if last_issued is not None:
            pending = [a for a in pending if a.at > last_issued]
        opening = _aware(self.day, self.hours.morning_start)
        closing = _aware(self.day, self.hours.afternoon_end)
        # Go on from the minute after the day's last event: nothing is stamped before it.
        latest = max((t for t in (last_issued, last_call) if t is not None), default=None)
        minute = opening
        if latest is not None:
            minute = max(opening, latest.replace(second=0, microsecond=0) + STEP)
        end = min(until, closing + dt.timedelta(minutes=45))
        watch = self._watch_moments()
        while minute <= end:
            act = minute + dt.timedelta(seconds=SECONDS_ACT)
            if act <= until:
                self._windows(act)
            while pending and pending[0].at < minute + STEP:
                self._issue(pending.pop(0))
            while watch and watch[0] <= minute:
                self.watched += queue.queue_watch(center=self.center, at=watch.pop(0))
            minute += STEP
        if self.watch and until >= closing:
            self.watched += queue.late_openings_record(center=self.center, day=self.day, at=until)

    def _watch_moments(self) -> list[dt.datetime]:
        """Where the load runs the queue's watch (live, the watch job runs every 2 minutes)."""
        if not (self.watch and self.events) or self.idle is None:
            return []
        start = self.idle.closed[-1][0]
        return [start + after for after in WATCH_AFTER]

    def _issue(self, arrival: Arrival) -> None:
        try:
            with replaying(arrival.at):
                ticket = queue.ticket_issue(
                    center=self.center, category=arrival.code, channel=arrival.channel,
                    at=arrival.at,
                )  # fmt: skip
        except DomainError:  # the office changed the categories or the hours meanwhile
            return
        self.waiting[ticket.series].append(ticket)
        self.issued += 1

    def _calling(self, at: dt.datetime) -> bool:
        """Within a session, or finishing the numbers taken in it."""
        return any(
            _aware(self.day, start) <= at < _aware(self.day, end) + CALLS_AFTER_CLOSE
            for start, end in self.hours.sessions()
        )

    def _windows(self, at: dt.datetime) -> None:
        for seat in self.seats:
            if seat.serving is not None and seat.free_at is not None and seat.free_at <= at:
                self._finish(seat, seat.free_at)
            if (
                seat.serving is None
                and seat.open_at(at)
                and self._calling(at)
                and any(self.waiting.get(code) for code in seat.codes)
            ):
                self._call(seat, at)

    def _call(self, seat: Seat, at: dt.datetime) -> None:
        try:
            with replaying(at):
                ticket = queue.ticket_call_next(window=seat.window, by=None, at=at)
        except DomainError:  # paused at the desk since the motion read the day
            seat.closed.append((at, at + STEP))
            return
        if ticket is None:
            for code in seat.codes:
                self.waiting[code] = []
            return
        self.waiting[ticket.series] = [t for t in self.waiting[ticket.series] if t.pk != ticket.pk]
        usual = self.lanes[ticket.series].minutes if ticket.series in self.lanes else 5
        seat.serving = ticket
        seat.free_at = at + dt.timedelta(minutes=service_minutes(ticket.number, self.day, usual))

    def _finish(self, seat: Seat, at: dt.datetime) -> None:
        ticket = seat.serving
        if ticket is None:
            return
        called = ticket.called_at or at
        case, consultation = self._became(seat.window, called)
        seat.serving, seat.free_at = None, None
        try:
            with replaying(at):
                queue.ticket_finish(
                    ticket=ticket, by=None, case=case, consultation=consultation, at=at
                )
        except DomainError:  # finished, missed or moved at the desk meanwhile
            return
        self.served += 1

    def _became(
        self, window: Window, called: dt.datetime
    ) -> tuple[Case | None, Consultation | None]:
        """The case accepted at the window nearest the call (else a consultation at its unit)."""
        for key in (window.pk, -window.unit_id):
            options = self._cases.get(key)
            if not options:
                continue
            near = min(options, key=lambda option: abs(option[0] - called))
            if abs(near[0] - called) <= LINK_WITHIN:
                options.remove(near)
                self.linked += 1
                record = near[1]
                if isinstance(record, Case):
                    return record, None
                return None, record  # type: ignore[return-value]
        return None, None


def events_today(center: Center, day: dt.date) -> bool:
    """Whether `day` gets the empty and the late window: unless the week before already had
    them (the load puts them on the previous working day when today's were still to come)."""
    return not QueueAlert.objects.filter(
        Q(kind=AlertKind.IDLE_WINDOW) | Q(kind=AlertKind.LATE_OPENING),
        center=center,
        day__lt=day,
        day__gte=day - dt.timedelta(days=7),
    ).exists()


def queue_motion(center: Center, *, until: dt.datetime | None = None) -> str:
    """The living demo's minute: today's queue goes on up to now (a working day, hall hours)."""
    moment = until or timezone.now()
    day = timezone.localtime(moment).date()
    if not get_calendar(center).is_workday(day):
        return "not a working day"
    if not QueueCategory.objects.filter(center=center).exists():
        return "no queue"
    motion = Motion(center, day, events=events_today(center, day), watch=False)
    motion.run(moment)
    return f"{motion.issued} numbers taken, {motion.served} served"
