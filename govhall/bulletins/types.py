"""The month's figures as types (DESIGN.md §3, §5): the one typed object the bulletin's
sentences and every renderer format, and its JSON (the keys of DESIGN.md §5, then the extras),
which a published version keeps and reads back. `figures.py` computes them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from govhall.core.months import month_start

# The DESIGN.md §5 keys, then the ones the bulletin and the dashboard add (the contract's "…").
CONTRACT_KEYS = (
    "center", "month", "issue", "cases", "top_units", "top_consultation_units",
    "units_without_cases", "info_submission_units", "leave", "outings", "patrol",
    "complaints", "messages", "violations", "good_deeds", "awards", "queue",
)  # fmt: skip
EXTRA_KEYS = (
    "leader_visits", "media_reports", "other_work", "info_submissions", "vacancies",
    "leave_kinds", "timeliness", "satisfaction", "feedback_answered", "cases_by_unit",
    "trend", "active_units", "short_name", "office", "unavailable", "registers",
)  # fmt: skip
JSON_KEYS = CONTRACT_KEYS + EXTRA_KEYS

# The registers the bulletin reads (bulletins.choices.Register): a sentence stating an absence
# needs its register kept that month (bulletins/registers.py has the rule).
REGISTERS = (
    "cases", "attendance", "leave", "outings", "patrols", "inspections", "feedback", "journal",
)  # fmt: skip


def number_json(value: Decimal | int | float | None) -> int | float | None:
    """35 → 35, Decimal("2.5") → 2.5: JSON numbers without a trailing ".0"."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def decimal_of(value: Any) -> Decimal | None:
    """A stored or computed number as a Decimal (None stays None)."""
    return None if value is None else Decimal(str(value))


# --- the typed figures ------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseTotals:
    accepted: int = 0
    completed: int = 0
    completed_immediate: int = 0
    completed_promised: int = 0
    rejected: int = 0


@dataclass(frozen=True)
class UnitCases:
    """A unit's cases in the month: accepted (受理) and completed (办结)."""

    unit: str
    unit_id: int | None
    accepted: int
    completed: int = 0


@dataclass(frozen=True)
class UnitConsultations:
    unit: str
    unit_id: int | None
    person_times: int


@dataclass(frozen=True)
class UnitCount:
    unit: str
    unit_id: int | None
    count: int


@dataclass(frozen=True)
class LeaveFigures:
    person_times: int = 0
    days: Decimal = Decimal(0)


@dataclass(frozen=True)
class PatrolFigures:
    signed_units: tuple[str, ...] = ()
    unsigned_units: tuple[str, ...] = ()


@dataclass(frozen=True)
class ViolationNote:
    """A violation as the bulletin names it (实名通报)."""

    date: dt.date
    time: str  # HH:MM, local
    unit: str
    window: str
    staff: str
    kind: str
    kind_label: str
    description: str
    points: Decimal


@dataclass(frozen=True)
class GoodDeedNote:
    date: dt.date
    unit: str
    window: str
    staff: str
    story: str


@dataclass(frozen=True)
class JournalNote:
    """A leader's visit, a media report or other work, as the journal holds it."""

    date: dt.date
    unit: str = ""
    person: str = ""
    outlet: str = ""
    section: str = ""
    title: str = ""
    content: str = ""


@dataclass(frozen=True)
class InfoSubmission:
    date: dt.date
    unit: str
    submitter: str  # the window (公安局出入境窗口) when known, else the unit
    title: str


@dataclass(frozen=True)
class Awards:
    """The month's awards as the office confirmed them; empty lists: not yet decided."""

    red_flag_units: tuple[str, ...] = ()
    star_chiefs: tuple[str, ...] = ()
    service_stars: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitTimeliness:
    unit: str
    unit_id: int | None
    completed_promised: int
    on_time_rate: Decimal | None
    yellow: int
    red: int
    overdue: int


@dataclass(frozen=True)
class Timeliness:
    """电子监察: promised cases done by their deadline, warnings and overdue cases."""

    completed_promised: int = 0
    on_time: int = 0
    on_time_rate: Decimal | None = None
    early_rate: Decimal | None = None
    yellow: int = 0
    red: int = 0
    overdue: int = 0
    units: tuple[UnitTimeliness, ...] = ()


@dataclass(frozen=True)
class UnitSatisfaction:
    unit: str
    ratings: int
    rate: Decimal | None


@dataclass(frozen=True)
class Satisfaction:
    ratings: int = 0
    satisfied: int = 0
    dissatisfied: int = 0
    rate: Decimal | None = None
    units: tuple[UnitSatisfaction, ...] = ()


@dataclass(frozen=True)
class TrendPoint:
    month: dt.date
    accepted: int
    completed: int


@dataclass(frozen=True)
class LateOpeningNote:
    """A window whose first call of a session came late while numbers waited (排队叫号)."""

    unit: str
    window: str
    date: dt.date
    first_call: str  # 14:52


@dataclass(frozen=True)
class QueueFigures:
    """The queue's month: numbers taken and served, waits to the first call, late openings."""

    tickets: int = 0
    served: int = 0
    average_wait_minutes: float = 0.0
    max_wait_minutes: int = 0
    late_openings: tuple[LateOpeningNote, ...] = ()
    # For the month overview's charts only (not in the JSON): (label, average minutes, numbers).
    by_hour: tuple[tuple[str, float, int], ...] = ()
    by_category: tuple[tuple[str, float, int], ...] = ()


@dataclass(frozen=True)
class MonthFigures:
    """Everything the month's bulletin states, and what the dashboard charts."""

    center: str
    short_name: str
    office: str
    month: dt.date
    year: int
    number: int
    cases: CaseTotals = field(default_factory=CaseTotals)
    top_units: tuple[UnitCases, ...] = ()
    cases_by_unit: tuple[UnitCases, ...] = ()
    top_consultation_units: tuple[UnitConsultations, ...] = ()
    units_without_cases: tuple[str, ...] = ()
    active_units: int = 0
    info_submission_units: tuple[str, ...] = ()
    info_submissions: tuple[InfoSubmission, ...] = ()
    leave: LeaveFigures = field(default_factory=LeaveFigures)
    leave_kinds: tuple[str, ...] = ()
    outings: int = 0
    vacancies: tuple[UnitCount, ...] = ()
    patrol: PatrolFigures = field(default_factory=PatrolFigures)
    complaints: int = 0
    messages: int = 0
    feedback_answered: int = 0
    violations: tuple[ViolationNote, ...] = ()
    good_deeds: tuple[GoodDeedNote, ...] = ()
    leader_visits: tuple[JournalNote, ...] = ()
    media_reports: tuple[JournalNote, ...] = ()
    other_work: tuple[JournalNote, ...] = ()
    awards: Awards = field(default_factory=Awards)
    timeliness: Timeliness = field(default_factory=Timeliness)
    satisfaction: Satisfaction = field(default_factory=Satisfaction)
    trend: tuple[TrendPoint, ...] = ()
    queue: QueueFigures = field(default_factory=QueueFigures)
    unavailable: tuple[str, ...] = ()
    # The registers kept in the month. Figures written by hand, and versions published before
    # this was recorded (printed with their absence sentences), count every register kept.
    registers: tuple[str, ...] = REGISTERS

    @property
    def issue(self) -> str:
        """随县政务服务【2016】第3期."""
        return f"{self.short_name}【{self.year}】第{self.number}期"

    def kept(self, register: str) -> bool:
        """Whether the month's `register` was kept: may the bulletin state an absence from it?"""
        return register in self.registers

    @property
    def vacancy_total(self) -> int:
        return sum(v.count for v in self.vacancies)

    def as_json(self) -> dict[str, Any]:
        """The figures with the keys of DESIGN.md §5 (then the extras of EXTRA_KEYS)."""
        return {
            "center": self.center,
            "month": f"{self.month:%Y-%m}",
            "issue": self.issue,
            "cases": {
                "accepted": self.cases.accepted,
                "completed": self.cases.completed,
                "completed_immediate": self.cases.completed_immediate,
                "completed_promised": self.cases.completed_promised,
                "rejected": self.cases.rejected,
            },
            "top_units": [{"unit": u.unit, "accepted": u.accepted} for u in self.top_units],
            "top_consultation_units": [
                {"unit": u.unit, "person_times": u.person_times}
                for u in self.top_consultation_units
            ],
            "units_without_cases": list(self.units_without_cases),
            "info_submission_units": list(self.info_submission_units),
            "leave": {
                "person_times": self.leave.person_times,
                "days": number_json(self.leave.days),
            },
            "outings": self.outings,
            "patrol": {
                "signed_units": list(self.patrol.signed_units),
                "unsigned_units": list(self.patrol.unsigned_units),
            },
            "complaints": self.complaints,
            "messages": self.messages,
            "violations": [
                {
                    "date": v.date.isoformat(),
                    "time": v.time,
                    "unit": v.unit,
                    "window": v.window,
                    "staff": v.staff,
                    "kind": v.kind,
                    "kind_label": v.kind_label,
                    "description": v.description,
                    "points": number_json(v.points),
                }
                for v in self.violations
            ],
            "good_deeds": [
                {
                    "date": g.date.isoformat(),
                    "unit": g.unit,
                    "window": g.window,
                    "staff": g.staff,
                    "story": g.story,
                }
                for g in self.good_deeds
            ],
            "awards": {
                "red_flag_units": list(self.awards.red_flag_units),
                "star_chiefs": list(self.awards.star_chiefs),
                "service_stars": list(self.awards.service_stars),
            },
            "queue": {
                "tickets": self.queue.tickets,
                "served": self.queue.served,
                "average_wait_minutes": self.queue.average_wait_minutes,
                "max_wait_minutes": self.queue.max_wait_minutes,
                "late_openings": [
                    {
                        "unit": late.unit,
                        "window": late.window,
                        "date": late.date.isoformat(),
                        "first_call": late.first_call,
                    }
                    for late in self.queue.late_openings
                ],
            },
            "leader_visits": [_note_json(n) for n in self.leader_visits],
            "media_reports": [_note_json(n) for n in self.media_reports],
            "other_work": [_note_json(n) for n in self.other_work],
            "info_submissions": [
                {
                    "date": s.date.isoformat(),
                    "unit": s.unit,
                    "submitter": s.submitter,
                    "title": s.title,
                }
                for s in self.info_submissions
            ],  # fmt: skip
            "vacancies": [
                {"unit": v.unit, "unit_id": v.unit_id, "count": v.count} for v in self.vacancies
            ],
            "leave_kinds": list(self.leave_kinds),
            "timeliness": {
                "completed_promised": self.timeliness.completed_promised,
                "on_time": self.timeliness.on_time,
                "on_time_rate": number_json(self.timeliness.on_time_rate),
                "early_rate": number_json(self.timeliness.early_rate),
                "yellow": self.timeliness.yellow,
                "red": self.timeliness.red,
                "overdue": self.timeliness.overdue,
                "units": [
                    {
                        "unit": u.unit,
                        "unit_id": u.unit_id,
                        "completed_promised": u.completed_promised,
                        "on_time_rate": number_json(u.on_time_rate),
                        "yellow": u.yellow,
                        "red": u.red,
                        "overdue": u.overdue,
                    }
                    for u in self.timeliness.units
                ],  # fmt: skip
            },
            "satisfaction": {
                "ratings": self.satisfaction.ratings,
                "satisfied": self.satisfaction.satisfied,
                "dissatisfied": self.satisfaction.dissatisfied,
                "rate": number_json(self.satisfaction.rate),
                "units": [
                    {"unit": u.unit, "ratings": u.ratings, "rate": number_json(u.rate)}
                    for u in self.satisfaction.units
                ],
            },
            "feedback_answered": self.feedback_answered,
            "cases_by_unit": [
                {
                    "unit": u.unit,
                    "unit_id": u.unit_id,
                    "accepted": u.accepted,
                    "completed": u.completed,
                }
                for u in self.cases_by_unit
            ],  # fmt: skip
            "trend": [
                {"month": f"{p.month:%Y-%m}", "accepted": p.accepted, "completed": p.completed}
                for p in self.trend
            ],
            "active_units": self.active_units,
            "short_name": self.short_name,
            "office": self.office,
            "unavailable": list(self.unavailable),
            "registers": list(self.registers),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MonthFigures:
        """The figures again from `as_json()` (a published version's frozen figures)."""
        month = month_start(data["month"])
        issue = data.get("issue", "")
        year, number = _issue_parts(issue, month.year)
        unit_ids = {u["unit"]: u.get("unit_id") for u in data.get("cases_by_unit", [])}
        timeliness = data.get("timeliness") or {}
        satisfaction = data.get("satisfaction") or {}
        cases = data.get("cases") or {}
        return cls(
            center=data["center"],
            short_name=data.get("short_name") or issue.split("【", 1)[0],
            office=data.get("office", ""),
            month=month,
            year=year,
            number=number,
            cases=CaseTotals(**{k: int(cases.get(k, 0)) for k in CaseTotals.__dataclass_fields__}),
            top_units=tuple(
                UnitCases(u["unit"], unit_ids.get(u["unit"]), u["accepted"])
                for u in data.get("top_units", [])
            ),
            cases_by_unit=tuple(
                UnitCases(u["unit"], u.get("unit_id"), u["accepted"], u.get("completed", 0))
                for u in data.get("cases_by_unit", [])
            ),
            top_consultation_units=tuple(
                UnitConsultations(u["unit"], unit_ids.get(u["unit"]), u["person_times"])
                for u in data.get("top_consultation_units", [])
            ),
            units_without_cases=tuple(data.get("units_without_cases", [])),
            active_units=data.get("active_units", 0),
            info_submission_units=tuple(data.get("info_submission_units", [])),
            info_submissions=tuple(
                InfoSubmission(
                    dt.date.fromisoformat(s["date"]), s["unit"], s["submitter"], s["title"]
                )
                for s in data.get("info_submissions", [])
            ),
            leave=LeaveFigures(
                person_times=data.get("leave", {}).get("person_times", 0),
                days=Decimal(str(data.get("leave", {}).get("days", 0))),
            ),
            leave_kinds=tuple(data.get("leave_kinds", [])),
            outings=data.get("outings", 0),
            vacancies=tuple(
                UnitCount(v["unit"], v.get("unit_id"), v["count"])
                for v in data.get("vacancies", [])
            ),
            patrol=PatrolFigures(
                tuple(data.get("patrol", {}).get("signed_units", [])),
                tuple(data.get("patrol", {}).get("unsigned_units", [])),
            ),
            complaints=data.get("complaints", 0),
            messages=data.get("messages", 0),
            queue=_queue_from_json(data.get("queue") or {}),
            feedback_answered=data.get("feedback_answered", 0),
            violations=tuple(
                ViolationNote(
                    date=dt.date.fromisoformat(v["date"]),
                    time=v.get("time", ""),
                    unit=v.get("unit", ""),
                    window=v.get("window", ""),
                    staff=v.get("staff", ""),
                    kind=v.get("kind", ""),
                    kind_label=v.get("kind_label", ""),
                    description=v.get("description", ""),
                    points=Decimal(str(v.get("points", 0))),
                )
                for v in data.get("violations", [])
            ),
            good_deeds=tuple(
                GoodDeedNote(
                    dt.date.fromisoformat(g["date"]),
                    g.get("unit", ""),
                    g.get("window", ""),
                    g.get("staff", ""),
                    g.get("story", ""),
                )  # fmt: skip
                for g in data.get("good_deeds", [])
            ),
            leader_visits=tuple(_note(n) for n in data.get("leader_visits", [])),
            media_reports=tuple(_note(n) for n in data.get("media_reports", [])),
            other_work=tuple(_note(n) for n in data.get("other_work", [])),
            awards=Awards(
                **{
                    key: tuple(data.get("awards", {}).get(key, []))
                    for key in Awards.__dataclass_fields__
                }
            ),
            timeliness=Timeliness(
                completed_promised=timeliness.get("completed_promised", 0),
                on_time=timeliness.get("on_time", 0),
                on_time_rate=decimal_of(timeliness.get("on_time_rate")),
                early_rate=decimal_of(timeliness.get("early_rate")),
                yellow=timeliness.get("yellow", 0),
                red=timeliness.get("red", 0),
                overdue=timeliness.get("overdue", 0),
                units=tuple(
                    UnitTimeliness(
                        u["unit"],
                        u.get("unit_id"),
                        u.get("completed_promised", 0),
                        decimal_of(u.get("on_time_rate")),
                        u.get("yellow", 0),
                        u.get("red", 0),
                        u.get("overdue", 0),
                    )  # fmt: skip
                    for u in timeliness.get("units", [])
                ),
            ),
            satisfaction=Satisfaction(
                ratings=satisfaction.get("ratings", 0),
                satisfied=satisfaction.get("satisfied", 0),
                dissatisfied=satisfaction.get("dissatisfied", 0),
                rate=decimal_of(satisfaction.get("rate")),
                units=tuple(
                    UnitSatisfaction(u["unit"], u.get("ratings", 0), decimal_of(u.get("rate")))
                    for u in satisfaction.get("units", [])
                ),
            ),
            trend=tuple(
                TrendPoint(month_start(p["month"]), p["accepted"], p["completed"])
                for p in data.get("trend", [])
            ),
            unavailable=tuple(data.get("unavailable", [])),
            registers=tuple(data.get("registers", REGISTERS)),
        )

    def with_number(self, number: int) -> MonthFigures:
        """The same figures under another issue number (the office renumbered the issue)."""
        return replace(self, number=number)


def _note_json(note: JournalNote) -> dict[str, Any]:
    return {
        "date": note.date.isoformat(),
        "unit": note.unit,
        "person": note.person,
        "outlet": note.outlet,
        "section": note.section,
        "title": note.title,
        "content": note.content,
    }


def _note(data: dict[str, Any]) -> JournalNote:
    return JournalNote(
        date=dt.date.fromisoformat(data["date"]),
        **{k: data.get(k, "") for k in ("unit", "person", "outlet", "section", "title", "content")},
    )


def _issue_parts(issue: str, default_year: int) -> tuple[int, int]:
    """随县政务服务【2016】第3期 → (2016, 3)."""
    try:
        year = int(issue.split("【", 1)[1].split("】", 1)[0])
        number = int(issue.rsplit("第", 1)[1].rstrip("期"))
    except (IndexError, ValueError):
        return default_year, 1
    return year, number


def _queue_from_json(data: dict[str, Any]) -> QueueFigures:
    return QueueFigures(
        tickets=int(data.get("tickets", 0)),
        served=int(data.get("served", 0)),
        average_wait_minutes=float(data.get("average_wait_minutes", 0)),
        max_wait_minutes=int(data.get("max_wait_minutes", 0)),
        late_openings=tuple(
            LateOpeningNote(
                late.get("unit", ""),
                late.get("window", ""),
                dt.date.fromisoformat(late["date"]),
                late.get("first_call", ""),
            )
            for late in data.get("late_openings", [])
        ),
    )


@dataclass(frozen=True)
class UnitGlance:
    """One unit's own figures of the month, for its chief and leader on the dashboard."""

    unit: str
    accepted: int = 0
    completed: int = 0
    consultations: int = 0
    completed_promised: int = 0
    on_time_rate: Decimal | None = None
    yellow: int = 0
    red: int = 0
    overdue: int = 0
    ratings: int = 0
    satisfaction: Decimal | None = None
    vacancies: int = 0
    violations: int = 0
    patrol_signed: bool = False

    @classmethod
    def of(cls, found: MonthFigures, unit: str) -> UnitGlance:
        """The unit's rows picked out of the center's figures (zero where it has none)."""
        cases = next((u for u in found.cases_by_unit if u.unit == unit), None)
        consult = next((u for u in found.top_consultation_units if u.unit == unit), None)
        timely = next((u for u in found.timeliness.units if u.unit == unit), None)
        rated = next((u for u in found.satisfaction.units if u.unit == unit), None)
        vacant = next((u for u in found.vacancies if u.unit == unit), None)
        return cls(
            unit=unit,
            accepted=cases.accepted if cases else 0,
            completed=cases.completed if cases else 0,
            consultations=consult.person_times if consult else 0,
            completed_promised=timely.completed_promised if timely else 0,
            on_time_rate=timely.on_time_rate if timely else None,
            yellow=timely.yellow if timely else 0,
            red=timely.red if timely else 0,
            overdue=timely.overdue if timely else 0,
            ratings=rated.ratings if rated else 0,
            satisfaction=rated.rate if rated else None,
            vacancies=vacant.count if vacant else 0,
            violations=sum(1 for v in found.violations if v.unit == unit),
            patrol_signed=unit in found.patrol.signed_units,
        )
