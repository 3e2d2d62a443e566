"""The month's figures (DESIGN.md §3, §5): one typed object (`types.py`) composed from the
apps' selectors, which the bulletin's sentences and every renderer only format.

Every figure is counted over the hall's local month (Asia/Shanghai midnight to midnight) by
the selector of the app that keeps the records, one query per figure family.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import fields as dataclass_fields
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone

from govhall.bulletins import rollup
from govhall.bulletins.models import Bulletin
from govhall.bulletins.registers import kept_registers
from govhall.bulletins.types import (
    Awards,
    CaseTotals,
    GoodDeedNote,
    InfoSubmission,
    JournalNote,
    LateOpeningNote,
    LeaveFigures,
    MonthFigures,
    PatrolFigures,
    QueueFigures,
    Satisfaction,
    Timeliness,
    TrendPoint,
    UnitCases,
    UnitConsultations,
    UnitCount,
    UnitSatisfaction,
    UnitTimeliness,
    ViolationNote,
    decimal_of,
)
from govhall.cases import selectors as cases
from govhall.core.months import month_end, month_start, shift_month
from govhall.evaluation import selectors as evaluation
from govhall.feedback import selectors as feedback
from govhall.journal import selectors as journal
from govhall.journal.choices import EntryKind
from govhall.org.models import Center, Unit
from govhall.org.selectors import windows_by_name
from govhall.oversight import selectors as oversight
from govhall.queueing.selectors import month as queueing
from govhall.staffing import selectors as staffing
from govhall.supervision import selectors as supervision

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


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- the issue -------------------------------------------------------------------------------


def short_name_of(center: Center) -> str:
    """The name in the issue number: 随县政务服务 (the center's short name, else its name less 中心)."""
    if center.short_name:
        return center.short_name
    return center.name.removesuffix("中心") or center.name


def office_of(center: Center) -> str:
    return center.office_name or f"{center.name}管理办公室"


def issue_number(center: Center, month: dt.date) -> int:
    """The month's bulletin number if it exists, else the number the next issue of the year gets."""
    found = (
        Bulletin.objects.filter(center=center, month=month).values_list("number", flat=True).first()
    )
    if found is not None:
        return found
    return next_number(center, month.year)


def next_number(center: Center, year: int) -> int:
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


def in_hall(
    units: Iterable[tuple[int, str, bool, dt.date]], month: dt.date
) -> list[tuple[int, str]]:
    """(pk, name) of the active units that were in the hall by the month's last day: a unit
    stationed later is not one that "had no case" that month."""
    last = month_end(month)
    return [(pk, name) for pk, name, is_active, since in units if is_active and since <= last]


def figures(
    center: Center, month: dt.date | str, *, number: int | None = None, live: bool = False
) -> MonthFigures:
    """The month's figures for `center` (issue number: the month's bulletin's, else the next).

    A month the day counters hold whole (`rollup.py`) is read from them; the current month, or
    any month with `live=True`, is counted from the records. Both give the same figures."""
    month = month_start(month)

    units = list(
        Unit.objects.filter(center=center)
        .order_by("position", "sort_key", "pk")
        .values_list("pk", "name", "is_active", "created_on")
    )
    name_of = {pk: name for pk, name, *_rest in units}
    order_of = {pk: index for index, (pk, *_rest) in enumerate(units)}

    rolled = None if live else rollup.month_counts(center, month)
    if rolled is not None:
        stats = _stats_of(rolled, units)
        consulted = {pk: row["consultations"] for pk, row in rolled.units.items()}
        satisfaction = _satisfaction_of(rolled, units)
    else:
        stats = supervision.month_unit_stats(user=None, center=center, month=month)
        consulted = cases.month_consultations_by_unit(center=center, month=month)
        satisfaction = _satisfaction(center, month)
    by_unit = {r.unit_id: {key: getattr(r, key) for key in cases.UNIT_COUNTS} for r in stats}
    totals = CaseTotals(**{key: sum(r[key] for r in by_unit.values()) for key in cases.UNIT_COUNTS})
    cases_by_unit = tuple(
        sorted(
            (
                UnitCases(name_of[pk], pk, row["accepted"], row["completed"])
                for pk, row in by_unit.items()
                if pk is not None and (row["accepted"] or row["completed"])
            ),
            key=lambda u: (-u.accepted, order_of.get(u.unit_id, 0)),
        )
    )
    top_units = rank_units(cases_by_unit, order_of=order_of)
    active = in_hall(units, month)
    units_without_cases = tuple(
        name for pk, name in active if not by_unit.get(pk, {}).get("accepted")
    )

    # Consultations: person-times by unit, most first (ties in the hall's order).
    top_consultation_units = tuple(
        sorted(
            (
                UnitConsultations(name_of[unit_id], unit_id, person_times)
                for unit_id, person_times in consulted.items()
                if person_times
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
        "cases": totals,
        "top_units": top_units,
        "cases_by_unit": cases_by_unit,
        "top_consultation_units": top_consultation_units,
        "units_without_cases": units_without_cases,
        "active_units": len(active),
        "trend": _trend(center, month, live=live),
    }
    values.update(_staffing(center, month, name_of))
    values.update(_oversight(center, month))
    values.update(_journal(center, month))
    values.update(_feedback(center, month, satisfaction))
    values["timeliness"] = _timeliness(stats)
    values["awards"] = _awards(center, month)
    values["queue"] = _queue(center, month)
    values["registers"] = _registers(center, month, values)
    return MonthFigures(**values)


def _queue(center: Center, month: dt.date) -> QueueFigures:
    found = queueing.month_queue(center=center, month=month)
    return QueueFigures(
        tickets=found.tickets,
        served=found.served,
        average_wait_minutes=found.average_wait_minutes,
        max_wait_minutes=found.max_wait_minutes,
        late_openings=tuple(
            LateOpeningNote(
                late.window.unit.name,
                late.window.name,
                late.day,
                f"{timezone.localtime(late.first_call):%H:%M}",
            )
            for late in found.late_openings
        ),
        by_hour=tuple((g.label, g.average_wait_minutes, g.tickets) for g in found.by_hour),
        by_category=tuple((g.label, g.average_wait_minutes, g.tickets) for g in found.by_category),
    )


def _registers(center: Center, month: dt.date, values: dict[str, Any]) -> tuple[str, ...]:
    """The registers kept in the month; those whose figures already show an entry are not
    asked again (a busy month costs two queries: attendance and the office's confirmations)."""
    shown = {
        "cases": values["cases"].accepted or values["cases"].completed,
        "leave": values["leave"].person_times,
        "outings": values["outings"],
        "patrols": values["patrol"].signed_units,
        "inspections": values["violations"],
        "feedback": values["complaints"] or values["messages"],
        "journal": any(
            values[key]
            for key in (
                "leader_visits",
                "media_reports",
                "other_work",
                "info_submissions",
                "good_deeds",
            )
        ),  # fmt: skip
    }
    return kept_registers(
        center=center, month=month, known={register for register, has in shown.items() if has}
    )


def _stats_of(
    rolled: rollup.MonthCounts, units: list[tuple[int, str, bool, dt.date]]
) -> list[supervision.UnitMonthStats]:
    """The month's unit rows as `month_unit_stats` gives them, from the day counters."""
    keys = [f.name for f in dataclass_fields(supervision.UnitMonthStats)][2:]
    rows = []
    for pk, name, is_active, _since in units:
        row = rolled.units.get(pk)
        if row is None and not is_active:
            continue
        rows.append(
            supervision.UnitMonthStats(pk, name, **{k: row[k] for k in keys} if row else {})
        )
    return rows


def _satisfaction_of(
    rolled: rollup.MonthCounts, units: list[tuple[int, str, bool, dt.date]]
) -> tuple[feedback.SatisfactionRow, list[feedback.SatisfactionRow]]:
    """The month's satisfaction (whole center, by unit) from the day counters."""
    levels = list(rollup.LEVELS)
    total = feedback.SatisfactionRow(None, "", **{k: rolled.total(k) for k in levels})
    by_unit = []
    for pk, name, *_rest in units:
        row = rolled.units.get(pk)
        if row and any(row[k] for k in levels):
            by_unit.append(feedback.SatisfactionRow(pk, name, **{k: row[k] for k in levels}))
    return total, by_unit


def _satisfaction(
    center: Center, month: dt.date
) -> tuple[feedback.SatisfactionRow, list[feedback.SatisfactionRow]]:
    return (
        feedback.satisfaction_total(center=center, month=month),
        feedback.satisfaction(center=center, month=month, by="unit"),
    )


def _trend(center: Center, month: dt.date, *, live: bool = False) -> tuple[TrendPoint, ...]:
    """Accepted and completed cases in each of the 12 months ending with `month`: the months
    the day counters hold from them, the others (the current one) from the records."""
    months = [shift_month(month, delta) for delta in range(1 - TREND_MONTHS, 1)]
    counts = [None] * len(months) if live else rollup.trend_counts(center, months)
    missing = [m for m, c in zip(months, counts, strict=True) if c is None]
    if missing:
        counted = dict(zip(missing, cases.month_trend(center=center, months=missing), strict=True))
        counts = [c if c is not None else counted[m] for m, c in zip(months, counts, strict=True)]
    return tuple(
        TrendPoint(m, accepted, completed)
        for m, (accepted, completed) in zip(months, counts, strict=True)  # type: ignore[misc]
    )


def _staffing(center: Center, month: dt.date, name_of: dict[int, str]) -> dict[str, Any]:
    person_times, days = staffing.leave_figures(center=center, month=month)
    counts = staffing.vacancy_counts(center=center, month=month)
    order = list(name_of)
    return {
        "leave": LeaveFigures(int(person_times), Decimal(str(days or 0))),
        "leave_kinds": tuple(
            LEAVE_KIND_NAMES.get(k, k) for k in staffing.leave_kinds(center=center, month=month)
        ),
        "outings": int(staffing.outing_count(center=center, month=month)),
        "vacancies": tuple(
            UnitCount(name_of.get(pk, str(pk)), pk, n)
            for pk, n in sorted(
                counts.items(),
                key=lambda item: (-item[1], order.index(item[0]) if item[0] in order else 0),
            )
            if n
        ),
    }


def _oversight(center: Center, month: dt.date) -> dict[str, Any]:
    signed, unsigned = oversight.patrol_units(center=center, month=month)
    return {
        "patrol": PatrolFigures(_names(signed), _names(unsigned)),
        "violations": tuple(
            ViolationNote(
                date=v.date,
                time=f"{v.time:%H:%M}",
                unit=v.unit,
                window=v.window,
                staff=v.staff,
                kind=v.kind,
                kind_label=str(v.kind_label),
                description=v.description,
                points=Decimal(str(v.points)),
            )
            for v in oversight.violations(center=center, month=month)
        ),
    }


def _journal(center: Center, month: dt.date) -> dict[str, Any]:
    of_kind: dict[str, list[Any]] = {}
    for entry in journal.journal_entries(center=center, month=month):  # every kind: one query
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

    submissions = of_kind.get(EntryKind.INFO_SUBMISSION, [])
    windows = windows_by_name(
        center=center,
        people={
            (e.unit_id, e.person.strip()) for e in submissions if e.unit_id and e.person.strip()
        },
    )
    return {
        "info_submission_units": _names(journal.info_submission_units(center=center, month=month)),
        "leader_visits": notes(EntryKind.LEADER_VISIT),
        "media_reports": notes(EntryKind.MEDIA_REPORT),
        "other_work": notes(EntryKind.OTHER_WORK),
        "info_submissions": tuple(
            InfoSubmission(
                date=e.date,
                unit=e.unit.name if e.unit_id else "",
                submitter=_submitter(e, windows),
                title=e.title or e.content[:60],
            )
            for e in submissions
        ),
        "good_deeds": tuple(
            GoodDeedNote(g.date, g.unit, g.window, g.staff, g.story)
            for g in journal.good_deeds(center=center, month=month)
        ),
    }


def _submitter(entry: Any, windows: dict[tuple[int, str], str]) -> str:
    """公安局出入境窗口 when the person who submitted sits at a window of the unit, else 公安局."""
    unit = entry.unit.name if entry.unit_id else ""
    staff = entry.staff if entry.staff_id else None
    if staff is not None and staff.window_id and staff.window.unit_id == entry.unit_id:
        return str(staff.window)
    return windows.get((entry.unit_id, entry.person.strip()), unit)


def _feedback(
    center: Center,
    month: dt.date,
    satisfaction: tuple[feedback.SatisfactionRow, list[feedback.SatisfactionRow]],
) -> dict[str, Any]:
    counts = feedback.complaint_counts(center=center, month=month)
    row, units = satisfaction
    return {
        "complaints": int(counts.get("complaints", 0)),
        "messages": int(counts.get("messages", 0)),
        "feedback_answered": int(counts.get("answered", 0)),
        "satisfaction": Satisfaction(
            ratings=row.total,
            satisfied=row.satisfied_count,
            dissatisfied=row.dissatisfied + row.very_dissatisfied,
            rate=decimal_of(row.rate),
            units=tuple(UnitSatisfaction(r.name, r.total, decimal_of(r.rate)) for r in units),
        ),
    }


def _timeliness(rows: list[supervision.UnitMonthStats]) -> Timeliness:
    """电子监察: promised cases done by their deadline, warnings and overdue cases."""
    completed_promised = sum(r.completed_promised for r in rows)
    on_time = sum(r.on_time for r in rows)
    early = sum(r.early for r in rows)
    return Timeliness(
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
                decimal_of(r.on_time_rate),
                r.yellow,
                r.red,
                r.overdue,
            )  # fmt: skip
            for r in rows
            if r.completed_promised or r.yellow or r.red or r.overdue
        ),
    )


def _awards(center: Center, month: dt.date) -> Awards:
    """The office's confirmed awards from the evaluation app (red_flag_units, star_chiefs and
    service_stars or model_staff, as attributes or keys); empty until confirmed."""
    found = evaluation.awards_for(center=center, month=month)
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
