"""The month's figures (DESIGN.md §3, §5): one typed object composed from the apps' selectors,
which the bulletin's sentences and every renderer only format.

Case figures are counted here, one query per figure family, over the hall's local month
(Asia/Shanghai midnight to midnight). The other apps are read through their selectors,
imported only when called: an app that is missing (or lacks the selector) leaves its section
empty and is named in `unavailable`, so the bulletin still renders while the apps land.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.apps import apps
from django.db.models import Count, Q, Sum
from django.utils import timezone

from govhall.cases.choices import CaseStatus
from govhall.cases.models import Case, Consultation
from govhall.catalog.choices import HandlingType
from govhall.org.models import Center, Unit

TOP_UNITS = 5
TREND_MONTHS = 12

# Chinese names of leave kinds as the bulletin writes them (公休 for annual leave); data.
LEAVE_KIND_NAMES: dict[str, str] = {
    "personal": "事假",
    "sick": "病假",
    "annual": "公休",
    "marriage": "婚假",
    "bereavement": "丧假",
    "maternity": "产假",
    "other": "其他假",
}

# The DESIGN.md §5 keys, then the ones the bulletin and the dashboard add (the contract's "…").
CONTRACT_KEYS = (
    "center", "month", "issue", "cases", "top_units", "top_consultation_units",
    "units_without_cases", "info_submission_units", "leave", "outings", "patrol",
    "complaints", "messages", "violations", "good_deeds", "awards",
)  # fmt: skip
EXTRA_KEYS = (
    "leader_visits", "media_reports", "other_work", "info_submissions", "vacancies",
    "leave_kinds", "timeliness", "satisfaction", "feedback_answered", "cases_by_unit",
    "trend", "active_units", "short_name", "office", "unavailable",
)  # fmt: skip
JSON_KEYS = CONTRACT_KEYS + EXTRA_KEYS


# --- month arithmetic ---------------------------------------------------------------------


def month_of(value: dt.date | str) -> dt.date:
    """A month given as any of its days or as "YYYY-MM" → its first day (ValueError if bad)."""
    if isinstance(value, str):
        year, number = (int(part) for part in value.strip().split("-"))
        return dt.date(year, number, 1)
    return value.replace(day=1)


def shift_month(month: dt.date, delta: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + delta
    return dt.date(index // 12, index % 12 + 1, 1)


def local_start(day: dt.date) -> dt.datetime:
    """The hall's local midnight starting `day` (settings.TIME_ZONE, whatever is active)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return local_start(month), local_start(shift_month(month, 1))


def number_json(value: Decimal | int | float | None) -> int | float | None:
    """35 → 35, Decimal("2.5") → 2.5: JSON numbers without a trailing ".0"."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _decimal(value: Any) -> Decimal | None:
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
    unavailable: tuple[str, ...] = ()

    @property
    def issue(self) -> str:
        """随县政务服务【2016】第3期."""
        return f"{self.short_name}【{self.year}】第{self.number}期"

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
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MonthFigures:
        """The figures again from `as_json()` (a published version's frozen figures)."""
        month = month_of(data["month"])
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
                on_time_rate=_decimal(timeliness.get("on_time_rate")),
                early_rate=_decimal(timeliness.get("early_rate")),
                yellow=timeliness.get("yellow", 0),
                red=timeliness.get("red", 0),
                overdue=timeliness.get("overdue", 0),
                units=tuple(
                    UnitTimeliness(
                        u["unit"],
                        u.get("unit_id"),
                        u.get("completed_promised", 0),
                        _decimal(u.get("on_time_rate")),
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
                rate=_decimal(satisfaction.get("rate")),
                units=tuple(
                    UnitSatisfaction(u["unit"], u.get("ratings", 0), _decimal(u.get("rate")))
                    for u in satisfaction.get("units", [])
                ),
            ),
            trend=tuple(
                TrendPoint(month_of(p["month"]), p["accepted"], p["completed"])
                for p in data.get("trend", [])
            ),
            unavailable=tuple(data.get("unavailable", [])),
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


# --- reading the other apps ---------------------------------------------------------------------


class Sources:
    """The other apps' selectors, looked up when first needed; what is missing is remembered."""

    def __init__(self) -> None:
        self.missing: list[str] = []

    def get(self, app: str, name: str) -> Callable[..., Any] | None:
        function = None
        if apps.is_installed(f"govhall.{app}"):
            try:
                module = importlib.import_module(f"govhall.{app}.selectors")
            except ImportError:
                module = None
            function = getattr(module, name, None) if module is not None else None
        if function is None:
            self.missing.append(f"{app}.{name}")
        return function


def short_name_of(center: Center) -> str:
    """The name in the issue number: 随县政务服务 (the center's short name, else its name less 中心)."""
    if center.short_name:
        return center.short_name
    return center.name.removesuffix("中心") or center.name


def office_of(center: Center) -> str:
    return center.office_name or f"{center.name}管理办公室"


def issue_number(center: Center, month: dt.date) -> int:
    """The month's bulletin number if it exists, else the number the next issue of the year gets."""
    from govhall.bulletins.models import Bulletin

    found = (
        Bulletin.objects.filter(center=center, month=month).values_list("number", flat=True).first()
    )
    if found is not None:
        return found
    return next_number(center, month.year)


def next_number(center: Center, year: int) -> int:
    from govhall.bulletins.models import Bulletin

    highest = Bulletin.objects.filter(center=center, year=year).order_by("-number").first()
    return highest.number + 1 if highest else 1


def _names(units: Iterable[Any]) -> tuple[str, ...]:
    return tuple(getattr(u, "name", None) or str(u) for u in units)


def _award_names(values: Any) -> tuple[str, ...]:
    """Award winners as names, whatever the evaluation app hands over (names, records, dicts)."""
    names = []
    for value in values or ():
        if isinstance(value, str):
            names.append(value)
        elif isinstance(value, dict):
            names.append(str(value.get("name") or value.get("unit") or value.get("staff") or ""))
        else:
            names.append(str(getattr(value, "name", None) or value))
    return tuple(n for n in names if n)


# --- the figures ----------------------------------------------------------------------------


def rank_units(
    rows: Iterable[UnitCases], *, order_of: dict[int, int], limit: int = TOP_UNITS
) -> tuple[UnitCases, ...]:
    """受理业务前五名: most cases accepted first, ties in the hall's order of units."""
    ranked = sorted(
        (u for u in rows if u.accepted > 0),
        key=lambda u: (-u.accepted, order_of.get(u.unit_id or 0, 0)),
    )
    return tuple(ranked[:limit])


def month_case_counts(
    center: Center, start: dt.datetime, end: dt.datetime
) -> dict[int, dict[str, int]]:
    """Cases accepted, completed (immediate/promised) and refused in [start, end), by unit id.

    One range query per family, each answered from its own covering index alone (COUNT(*) and
    the included columns, never the id, which would send PostgreSQL to the table): an OR of
    the three ranges would make the database read the whole table."""
    in_month = Case.objects.filter(center=center).order_by()
    by_unit: dict[int, dict[str, int]] = {}

    def add(rows: Any) -> None:
        for row in rows:
            by_unit.setdefault(
                row.pop("unit_id"),
                {"accepted": 0, "completed": 0, "immediate": 0, "promised": 0, "rejected": 0},
            ).update(row)

    add(
        in_month.filter(accepted_at__gte=start, accepted_at__lt=end)
        .exclude(status__in=[CaseStatus.REJECTED, CaseStatus.VOIDED])
        .values("unit_id")
        .annotate(accepted=Count("*"))
    )
    add(
        in_month.filter(completed_at__gte=start, completed_at__lt=end)
        .values("unit_id")
        .annotate(
            completed=Count("*"),
            immediate=Count("handling_type", filter=Q(handling_type=HandlingType.IMMEDIATE)),
            promised=Count("handling_type", filter=Q(handling_type=HandlingType.PROMISED)),
        )
    )
    add(
        in_month.filter(closed_at__gte=start, closed_at__lt=end, status=CaseStatus.REJECTED)
        .values("unit_id")
        .annotate(rejected=Count("*"))
    )
    return by_unit


def figures(center: Center, month: dt.date | str, *, number: int | None = None) -> MonthFigures:
    """The month's figures for `center` (issue number: the month's bulletin's, else the next)."""
    month = month_of(month)
    start, end = month_bounds(month)
    sources = Sources()

    units = list(
        Unit.objects.filter(center=center)
        .order_by("position", "sort_key", "pk")
        .values_list("pk", "name", "is_active")
    )
    name_of = {pk: name for pk, name, _active in units}
    order_of = {pk: index for index, (pk, _name, _active) in enumerate(units)}

    by_unit = month_case_counts(center, start, end)
    cases = CaseTotals(
        accepted=sum(r["accepted"] for r in by_unit.values()),
        completed=sum(r["completed"] for r in by_unit.values()),
        completed_immediate=sum(r["immediate"] for r in by_unit.values()),
        completed_promised=sum(r["promised"] for r in by_unit.values()),
        rejected=sum(r["rejected"] for r in by_unit.values()),
    )
    cases_by_unit = tuple(
        sorted(
            (
                UnitCases(name_of[pk], pk, row["accepted"], row["completed"])
                for pk, row in by_unit.items()
                if row["accepted"] or row["completed"]
            ),
            key=lambda u: (-u.accepted, order_of.get(u.unit_id, 0)),
        )
    )
    top_units = rank_units(cases_by_unit, order_of=order_of)
    active = [(pk, name) for pk, name, is_active in units if is_active]
    units_without_cases = tuple(
        name for pk, name in active if not by_unit.get(pk, {}).get("accepted")
    )

    # Consultations: person-times by unit, most first (ties in the hall's order).
    consulted = (
        Consultation.objects.filter(center=center, at__gte=start, at__lt=end)
        .order_by()
        .values("unit_id")
        .annotate(person_times=Sum("person_times"))
    )
    top_consultation_units = tuple(
        sorted(
            (
                UnitConsultations(name_of[r["unit_id"]], r["unit_id"], r["person_times"])
                for r in consulted
                if r["person_times"]
            ),
            key=lambda u: (-u.person_times, order_of.get(u.unit_id, 0)),
        )
    )

    values: dict[str, Any] = {
        "center": center.name,
        "short_name": short_name_of(center),
        "office": office_of(center),
        "month": month,
        "year": month.year,
        "number": number if number is not None else issue_number(center, month),
        "cases": cases,
        "top_units": top_units,
        "cases_by_unit": cases_by_unit,
        "top_consultation_units": top_consultation_units,
        "units_without_cases": units_without_cases,
        "active_units": len(active),
        "trend": _trend(center, month),
    }
    values.update(_staffing(sources, center, month, name_of))
    values.update(_oversight(sources, center, month))
    values.update(_journal(sources, center, month))
    values.update(_feedback(sources, center, month))
    values.update(_supervision(sources, center, month))
    values["awards"] = _awards(sources, center, month)
    values["unavailable"] = tuple(sources.missing)
    return MonthFigures(**values)


def _trend(center: Center, month: dt.date) -> tuple[TrendPoint, ...]:
    """Accepted and completed cases in each of the 12 months ending with `month`: one query of
    conditional counts over the year's range, on the same local month boundaries."""
    months = [shift_month(month, delta) for delta in range(1 - TREND_MONTHS, 1)]
    first, _ = month_bounds(months[0])
    _, last = month_bounds(month)
    counts: dict[str, Any] = {}
    for index, m in enumerate(months):
        start, end = month_bounds(m)
        counts[f"a{index}"] = Count(
            "pk",
            filter=Q(accepted_at__gte=start, accepted_at__lt=end)
            & ~Q(status__in=[CaseStatus.REJECTED, CaseStatus.VOIDED]),
        )
        counts[f"c{index}"] = Count("pk", filter=Q(completed_at__gte=start, completed_at__lt=end))
    row = (
        Case.objects.filter(center=center)
        .filter(
            Q(accepted_at__gte=first, accepted_at__lt=last)
            | Q(completed_at__gte=first, completed_at__lt=last)
        )
        .aggregate(**counts)
    )
    return tuple(
        TrendPoint(m, row[f"a{index}"] or 0, row[f"c{index}"] or 0)
        for index, m in enumerate(months)
    )


def _staffing(
    sources: Sources, center: Center, month: dt.date, name_of: dict[int, str]
) -> dict[str, Any]:
    found: dict[str, Any] = {}
    leave_figures = sources.get("staffing", "leave_figures")
    if leave_figures is not None:
        person_times, days = leave_figures(center=center, month=month)
        found["leave"] = LeaveFigures(int(person_times), Decimal(str(days or 0)))
        found["leave_kinds"] = _leave_kinds(center, month)
    outing_count = sources.get("staffing", "outing_count")
    if outing_count is not None:
        found["outings"] = int(outing_count(center=center, month=month))
    vacancy_counts = sources.get("staffing", "vacancy_counts")
    if vacancy_counts is not None:
        counts = vacancy_counts(center=center, month=month)
        order = list(name_of)
        found["vacancies"] = tuple(
            UnitCount(name_of.get(pk, str(pk)), pk, n)
            for pk, n in sorted(
                counts.items(),
                key=lambda item: (-item[1], order.index(item[0]) if item[0] in order else 0),
            )
            if n
        )
    return found


def _leave_kinds(center: Center, month: dt.date) -> tuple[str, ...]:
    """The kinds of the month's approved leave, as the bulletin names them (事假、病假、公休)."""
    try:
        from govhall.staffing.choices import LeaveKind, LeaveStatus
        from govhall.staffing.models import Leave
    except ImportError:
        return ()
    last = shift_month(month, 1) - dt.timedelta(days=1)
    kinds = set(
        Leave.objects.filter(
            center=center, status=LeaveStatus.APPROVED, start_date__lte=last, end_date__gte=month
        )
        .order_by()
        .values_list("kind", flat=True)
        .distinct()
    )
    return tuple(LEAVE_KIND_NAMES.get(k, k) for k in LeaveKind.values if k in kinds)


def _oversight(sources: Sources, center: Center, month: dt.date) -> dict[str, Any]:
    found: dict[str, Any] = {}
    patrol_units = sources.get("oversight", "patrol_units")
    if patrol_units is not None:
        signed, unsigned = patrol_units(center=center, month=month)
        found["patrol"] = PatrolFigures(_names(signed), _names(unsigned))
    violations = sources.get("oversight", "violations")
    if violations is not None:
        found["violations"] = tuple(
            ViolationNote(
                date=v.date,
                time=f"{v.time:%H:%M}" if hasattr(v.time, "strftime") else str(v.time),
                unit=v.unit,
                window=v.window,
                staff=v.staff,
                kind=v.kind,
                kind_label=str(v.kind_label),
                description=v.description,
                points=Decimal(str(v.points)),
            )
            for v in violations(center=center, month=month)
        )
    return found


def _journal(sources: Sources, center: Center, month: dt.date) -> dict[str, Any]:
    found: dict[str, Any] = {}
    info_units = sources.get("journal", "info_submission_units")
    if info_units is not None:
        found["info_submission_units"] = _names(info_units(center=center, month=month))
    entries = sources.get("journal", "journal_entries")
    if entries is not None:
        from govhall.journal.choices import EntryKind

        month_entries = entries(center=center, month=month)  # every kind, in date order: one query
        of_kind: dict[str, list[Any]] = {}
        for entry in month_entries:
            of_kind.setdefault(entry.kind, []).append(entry)

        def notes(kind: str) -> tuple[JournalNote, ...]:
            return tuple(
                JournalNote(
                    date=e.date,
                    unit=e.unit.name if e.unit_id else "",
                    person=e.person,
                    outlet=e.outlet,
                    section=e.section,
                    title=e.title,
                    content=e.content,
                )
                for e in of_kind.get(kind, [])
            )

        found["leader_visits"] = notes(EntryKind.LEADER_VISIT)
        found["media_reports"] = notes(EntryKind.MEDIA_REPORT)
        found["other_work"] = notes(EntryKind.OTHER_WORK)
        submissions = of_kind.get(EntryKind.INFO_SUBMISSION, [])
        windows = _windows_of_people(center, submissions)
        found["info_submissions"] = tuple(
            InfoSubmission(
                date=e.date,
                unit=e.unit.name if e.unit_id else "",
                submitter=_submitter(e, windows),
                title=e.title or e.content[:60],
            )
            for e in submissions
        )
    good_deeds = sources.get("journal", "good_deeds")
    if good_deeds is not None:
        found["good_deeds"] = tuple(
            GoodDeedNote(g.date, g.unit, g.window, g.staff, g.story)
            for g in good_deeds(center=center, month=month)
        )
    return found


def _windows_of_people(center: Center, entries: list[Any]) -> dict[tuple[int, str], str]:
    """(unit id, name) → the window of the person of that name in the unit, for entries that
    name who submitted (`person`) without linking a staff record: one query."""
    from govhall.org.models import Staff

    wanted = {(e.unit_id, e.person.strip()) for e in entries if e.unit_id and e.person.strip()}
    if not wanted:
        return {}
    people = Staff.objects.filter(
        center=center,
        unit_id__in={unit for unit, _name in wanted},
        name__in={name for _unit, name in wanted},
        window__isnull=False,
    ).select_related("window__unit")
    return {
        (p.unit_id, p.name): str(p.window)
        for p in people.order_by("is_active", "-pk")  # active, earliest record wins
        if p.window.unit_id == p.unit_id
    }


def _submitter(entry: Any, windows: dict[tuple[int, str], str]) -> str:
    """公安局出入境窗口 when the person who submitted sits at a window of the unit, else 公安局."""
    unit = entry.unit.name if entry.unit_id else ""
    staff = entry.staff if entry.staff_id else None
    if staff is not None and staff.window_id and staff.window.unit_id == entry.unit_id:
        return str(staff.window)
    return windows.get((entry.unit_id, entry.person.strip()), unit)


def _feedback(sources: Sources, center: Center, month: dt.date) -> dict[str, Any]:
    found: dict[str, Any] = {}
    complaint_counts = sources.get("feedback", "complaint_counts")
    if complaint_counts is not None:
        counts = complaint_counts(center=center, month=month)
        found["complaints"] = int(counts.get("complaints", 0))
        found["messages"] = int(counts.get("messages", 0))
        found["feedback_answered"] = int(counts.get("answered", 0))
    total = sources.get("feedback", "satisfaction_total")
    by_unit = sources.get("feedback", "satisfaction")
    if total is not None and by_unit is not None:
        row = total(center=center, month=month)
        found["satisfaction"] = Satisfaction(
            ratings=row.total,
            satisfied=row.satisfied_count,
            dissatisfied=row.dissatisfied + row.very_dissatisfied,
            rate=_decimal(row.rate),
            units=tuple(
                UnitSatisfaction(r.name, r.total, _decimal(r.rate))
                for r in by_unit(center=center, month=month, by="unit")
            ),
        )
    return found


def _supervision(sources: Sources, center: Center, month: dt.date) -> dict[str, Any]:
    month_unit_stats = sources.get("supervision", "month_unit_stats")
    if month_unit_stats is None:
        return {}
    rows = month_unit_stats(user=None, center=center, month=month)
    completed_promised = sum(r.completed_promised for r in rows)
    on_time = sum(r.on_time for r in rows)
    early = sum(r.early for r in rows)
    return {
        "timeliness": Timeliness(
            completed_promised=completed_promised,
            on_time=on_time,
            on_time_rate=_rate(on_time, completed_promised),
            early_rate=_rate(early, completed_promised),
            yellow=sum(r.yellow for r in rows),
            red=sum(r.red for r in rows),
            overdue=sum(r.overdue for r in rows),
            units=tuple(
                UnitTimeliness(
                    r.unit,
                    r.unit_id,
                    r.completed_promised,
                    _decimal(r.on_time_rate),
                    r.yellow,
                    r.red,
                    r.overdue,
                )  # fmt: skip
                for r in rows
                if r.completed_promised or r.yellow or r.red or r.overdue
            ),
        )
    }


def _awards(sources: Sources, center: Center, month: dt.date) -> Awards:
    """The office's confirmed awards from the evaluation app: a mapping or an object with
    red_flag_units, star_chiefs and service_stars (or model_staff), and maybe `confirmed`."""
    awards_for = sources.get("evaluation", "awards_for")
    if awards_for is None:
        return Awards()
    found = awards_for(center=center, month=month)
    if found is None:
        return Awards()

    def part(*names: str) -> Any:
        for name in names:
            value = found.get(name) if isinstance(found, dict) else getattr(found, name, None)
            if value is not None:
                return value
        return None

    if part("confirmed") is False:
        return Awards()
    return Awards(
        red_flag_units=_award_names(part("red_flag_units")),
        star_chiefs=_award_names(part("star_chiefs")),
        service_stars=_award_names(part("service_stars", "model_staff")),
    )
