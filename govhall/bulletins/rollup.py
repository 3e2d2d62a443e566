"""Day counters (`DayCount`): the month's countable figures rolled up per center, unit and local
day, so a closed month is read from a few hundred small rows instead of its cases.

- **Rolled** by the nightly `rollup` job up to yesterday (`rollup_through`), by
  `manage.py rollup` (backfill), and by `generate_scale` after it has written its data.
- **Valid** up to `RollupState.rolled_through`: a month is read from the counters only when its
  last day is at or before it; the current month (and any month after the mark) is counted
  from the records, as before.
- **Kept true**: a save or delete of a case, consultation, rating or card whose figures change
  on a day at or before the mark lowers the mark to the day before (`invalidate`); history
  imports do the same for their earliest day (`cases.signals.history_written`); the next
  nightly roll-up rolls the days after the mark again. Closed months thus change only through
  a write that says so, and read the same as the live computation at every moment.

One assumption, which the services keep: a completed case's `closed_at` is its `completed_at`
(a case completed late is then never also counted as unfinished at the month's end).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, models, transaction
from django.db.models import Count, DateField, F, Q, QuerySet, Sum
from django.db.models.functions import Greatest
from django.db.models.lookups import LessThan
from django.utils import timezone

from govhall.bulletins.models import DayCount, RollupState
from govhall.cases.choices import CaseStatus
from govhall.cases.models import Case, Consultation
from govhall.cases.selectors import NOT_ACCEPTED
from govhall.catalog.choices import HandlingType
from govhall.core.calendar import get_calendar
from govhall.core.localdate import LocalDate
from govhall.core.months import local_start, month_start, shift_month
from govhall.feedback.choices import RatingLevel, RatingReview
from govhall.feedback.models import Rating
from govhall.org.models import Center
from govhall.supervision.choices import WarningLevel, WarningStatus
from govhall.supervision.models import Warning

# Summed over the month's days.
DAY_FIELDS = ("accepted", "completed", "completed_immediate", "completed_promised", "rejected",
              "on_time", "early", "late", "promised_workdays", "yellow", "red", "consultations",
              "very_satisfied", "satisfied", "basic", "dissatisfied", "very_dissatisfied")  # fmt: skip
LEVELS = {
    "very_satisfied": RatingLevel.VERY_SATISFIED,
    "satisfied": RatingLevel.SATISFIED,
    "basic": RatingLevel.BASIC,
    "dissatisfied": RatingLevel.DISSATISFIED,
    "very_dissatisfied": RatingLevel.VERY_DISSATISFIED,
}


def _day(name: str) -> LocalDate:
    return LocalDate(name)


def day_of(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def _grouped(queryset: QuerySet[Any]) -> Iterator[dict[str, Any]]:
    """The rows of a grouped `values()` query, fetched by the cursor directly: Django's
    per-value converters cost more than the query itself on a few hundred thousand groups."""
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    names = [
        alias or getattr(getattr(expression, "target", None), "attname", "")
        for expression, _sql, alias in compiler.select
    ]
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            yield {
                name: dt.date.fromisoformat(value) if isinstance(value, str) else value
                for name, value in zip(names, row, strict=True)
            }


# --- rolling ---------------------------------------------------------------------------------


def _range(name: str, first: dt.date | None, last: dt.date) -> Q:
    q = Q(**{f"{name}__lt": local_start(last + dt.timedelta(days=1))})
    if first is not None:
        q &= Q(**{f"{name}__gte": local_start(first)})
    return q


def count_days(
    center: Center, first: dt.date | None, last: dt.date
) -> dict[tuple[int, dt.date], dict[str, int]]:
    """(unit id, day) → counters of every day from `first` (None: the first record) to
    `last`, from the records: one grouped query per family."""
    rows: dict[tuple[int, dt.date], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    cases = Case.objects.filter(center=center).order_by()
    promised = Q(handling_type=HandlingType.PROMISED)

    for r in _grouped(
        cases.filter(_range("accepted_at", first, last))
        .exclude(status__in=NOT_ACCEPTED)
        .values("unit_id", d=_day("accepted_at"))
        .annotate(n=Count("*"))
    ):
        rows[r["unit_id"], r["d"]]["accepted"] += r["n"]

    calendar = get_calendar(center)
    for r in _grouped(
        cases.filter(_range("completed_at", first, last))
        .values("unit_id", d=_day("completed_at"), a=_day("accepted_at"))
        .annotate(
            completed=Count("*"),
            completed_immediate=Count("pk", filter=Q(handling_type=HandlingType.IMMEDIATE)),
            completed_promised=Count("pk", filter=promised),
            on_time=Count("pk", filter=promised & Q(completed_at__lte=F("due_at"))),
            early=Count("pk", filter=promised & LessThan(_day("completed_at"), F("due_date"))),
            late=Count(
                "pk", filter=promised & Q(due_at__isnull=False, completed_at__gt=F("due_at"))
            ),
            timed=Count("pk", filter=promised & Q(accepted_at__isnull=False)),
        )
    ):
        row = rows[r["unit_id"], r["d"]]
        for key in ("completed", "completed_immediate", "completed_promised", "on_time", "early",
                    "late"):  # fmt: skip
            row[key] += r[key]
        if r["timed"]:
            # The day of acceptance is not counted (行政许可法 第八十二条).
            days = calendar.between(r["a"] + dt.timedelta(days=1), r["d"])
            row["promised_workdays"] += days * r["timed"]

    for r in _grouped(
        cases.filter(_range("closed_at", first, last), status=CaseStatus.REJECTED)
        .values("unit_id", d=_day("closed_at"))
        .annotate(n=Count("*"))
    ):
        rows[r["unit_id"], r["d"]]["rejected"] += r["n"]

    # Overdue and unfinished: from the later of the deadline's and the acceptance's day, until
    # the day the case closes (not counted that day); a case closed by then never was.
    overdue = cases.filter(promised, due_at__isnull=False, accepted_at__isnull=False).exclude(
        status=CaseStatus.VOIDED
    )
    overdue = overdue.annotate(
        s=Greatest(_day("due_at"), _day("accepted_at"), output_field=DateField()),
        c=_day("closed_at"),
    )
    starting = overdue.filter(s__lte=last)
    if first is not None:
        end = local_start(last + dt.timedelta(days=1))
        starting = starting.filter(
            Q(due_at__lt=end, accepted_at__lt=end)
            & (Q(due_at__gte=local_start(first)) | Q(accepted_at__gte=local_start(first))),
            s__gte=first,
        )
    for r in _grouped(
        starting.filter(Q(closed_at__isnull=True) | Q(c__gt=F("s")))
        .values("unit_id", "s")
        .annotate(n=Count("*"))
    ):
        rows[r["unit_id"], r["s"]]["overdue_from"] += r["n"]
    for r in _grouped(
        overdue.filter(_range("closed_at", first, last), c__gt=F("s"))
        .values("unit_id", "c")
        .annotate(n=Count("*"))
    ):
        rows[r["unit_id"], r["c"]]["overdue_to"] += r["n"]

    cards = Warning.objects.filter(center=center, issued_on__lte=last).exclude(
        status=WarningStatus.CANCELLED
    )
    if first is not None:
        cards = cards.filter(issued_on__gte=first)
    for r in _grouped(
        cards.order_by()
        .values("unit_id", "issued_on")
        .annotate(
            yellow=Count("pk", filter=Q(level=WarningLevel.YELLOW)),
            red=Count("pk", filter=Q(level=WarningLevel.RED)),
        )
    ):
        row = rows[r["unit_id"], r["issued_on"]]
        row["yellow"] += r["yellow"]
        row["red"] += r["red"]

    for r in _grouped(
        Consultation.objects.filter(_range("at", first, last), center=center)
        .order_by()
        .values("unit_id", d=_day("at"))
        .annotate(n=Sum("person_times"))
    ):
        rows[r["unit_id"], r["d"]]["consultations"] += r["n"] or 0

    for r in _grouped(
        Rating.objects.filter(_range("rated_at", first, last), center=center)
        .exclude(review=RatingReview.INVALID)
        .order_by()
        .values("unit_id", d=_day("rated_at"))
        .annotate(**{k: Count("pk", filter=Q(level=v)) for k, v in LEVELS.items()})
    ):
        row = rows[r["unit_id"], r["d"]]
        for key in LEVELS:
            row[key] += r[key]
    return rows


def _month_ends(
    center: Center,
    first: dt.date | None,
    last: dt.date,
    counted: dict[tuple[int, dt.date], dict[str, int]],
) -> None:
    """Write on each month's last day from `first` to `last` the cases overdue and unfinished
    at its end, per unit: the deltas before `first` (read back; those days hold) plus the
    counted ones up to that day."""
    running: dict[int, int] = defaultdict(int)
    if first is not None:
        for unit_id, before in (
            DayCount.objects.filter(center=center, day__lt=first)
            .order_by()
            .values("unit_id")
            .annotate(n=Sum(F("overdue_from") - F("overdue_to")))
            .values_list("unit_id", "n")
        ):
            running[unit_id] = before or 0
    if first is None and not counted:
        return
    start = first or min(day for _unit, day in counted)
    deltas: dict[dt.date, list[tuple[int, int]]] = defaultdict(list)
    for (unit_id, day), values in counted.items():
        change = values.get("overdue_from", 0) - values.get("overdue_to", 0)
        if change:
            deltas[day].append((unit_id, change))
    day = start
    while day <= last:
        for unit_id, change in deltas.get(day, ()):
            running[unit_id] += change
        if (day + dt.timedelta(days=1)).day == 1:
            for unit_id, value in running.items():
                if value:
                    counted[unit_id, day]["overdue_open"] = value
        day += dt.timedelta(days=1)


def roll_days(*, center: Center, first: dt.date | None, last: dt.date) -> int:
    """Count the days from `first` (None: every day) to `last` again and replace their
    counters, in one transaction; the days before `first` must hold. Returns the number of
    (unit, day) rows written."""
    counted = count_days(center, first, last)
    with transaction.atomic():
        _month_ends(center, first, last, counted)
        old = DayCount.objects.filter(center=center, day__lte=last)
        if first is not None:
            old = old.filter(day__gte=first)
        old.delete()
        DayCount.objects.bulk_create(
            (
                DayCount(center=center, unit_id=unit_id, day=day, **values)
                for (unit_id, day), values in counted.items()
                if any(values.values())
            ),
            batch_size=2000,
        )
    return len(counted)


def rollup_through(*, center: Center, through: dt.date) -> tuple[dt.date | None, int]:
    """Roll the days after the center's mark up to `through` (yesterday, for the nightly job)
    and move the mark there, unless a write lowered it meanwhile (then the next run rolls
    again). Returns (first day rolled, None: from the beginning; rows written)."""
    state, _created = RollupState.objects.get_or_create(center=center)
    if state.rolled_through is not None and state.rolled_through >= through:
        return through + dt.timedelta(days=1), 0
    first = state.rolled_through + dt.timedelta(days=1) if state.rolled_through else None
    written = roll_days(center=center, first=first, last=through)
    RollupState.objects.filter(pk=state.pk, version=state.version).update(rolled_through=through)
    return first, written


def invalidate(center_id: int, day: dt.date) -> None:
    """A record's figures changed on `day`: the counters hold only for the days before it."""
    RollupState.objects.filter(center_id=center_id, rolled_through__gte=day).update(
        rolled_through=day - dt.timedelta(days=1), version=F("version") + 1
    )


# --- keeping the counters true: what a record counts, and on which day ------------------------


def contributions(record: models.Model) -> set[tuple[Any, ...]]:
    """What `record` adds to the day counters: (family, unit id, day, …) tuples. A save whose
    old and new tuples differ changes the days of those tuples."""
    found: set[tuple[Any, ...]] = set()
    if isinstance(record, Case):
        unit = record.unit_id
        accepted = day_of(record.accepted_at) if record.accepted_at else None
        closed = day_of(record.closed_at) if record.closed_at else None
        if accepted and record.status not in NOT_ACCEPTED:
            found.add(("accepted", unit, accepted))
        if record.completed_at:
            found.add(("completed", unit, day_of(record.completed_at), accepted,
                       record.handling_type, record.due_at, record.due_date))  # fmt: skip
        if closed and record.status == CaseStatus.REJECTED:
            found.add(("rejected", unit, closed))
        if (
            record.handling_type == HandlingType.PROMISED
            and record.due_at
            and accepted
            and record.status != CaseStatus.VOIDED
        ):
            start = max(day_of(record.due_at), accepted)
            if closed is None or closed > start:
                found.add(("overdue_from", unit, start))
            if closed is not None and closed > start:
                found.add(("overdue_to", unit, closed))
    elif isinstance(record, Consultation):
        found.add(("consultations", record.unit_id, day_of(record.at), record.person_times))
    elif isinstance(record, Rating):
        if record.review != RatingReview.INVALID:
            found.add(("rating", record.unit_id, day_of(record.rated_at), record.level))
    elif isinstance(record, Warning) and record.status != WarningStatus.CANCELLED:
        found.add(("card", record.unit_id, record.issued_on, record.level))
    return found


ROLLED_MODELS: tuple[type[models.Model], ...] = (Case, Consultation, Rating, Warning)


def _before_save(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    if instance.pk is None or kwargs.get("raw"):
        return
    old = sender._base_manager.filter(pk=instance.pk).first()  # type: ignore[attr-defined]
    instance._rollup_before = (old.center_id, contributions(old)) if old else None


def _after_save(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    before = getattr(instance, "_rollup_before", None)
    instance._rollup_before = None
    now = contributions(instance)
    if before is not None and before[0] != instance.center_id:
        _changed(before[0], before[1])
        _changed(instance.center_id, now)
    else:
        _changed(instance.center_id, now ^ (before[1] if before else set()))


def _after_delete(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    _changed(instance.center_id, contributions(instance))


def _changed(center_id: int, changes: Iterable[tuple[Any, ...]]) -> None:
    days = [c[2] for c in changes if c[2] is not None]
    if days and min(days) < timezone.localdate():
        invalidate(center_id, min(days))


def _history_written(sender: Any, *, center_id: int, first: dt.date | None, **kwargs: Any) -> None:
    if first is not None:
        invalidate(center_id, first)


def connect() -> None:
    """Keep the counters true on every save and delete (apps.ready)."""
    from django.db.models import signals

    from govhall.cases.signals import history_written

    for model in ROLLED_MODELS:
        uid = f"rollup-{model._meta.label}"
        signals.pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
        signals.post_save.connect(_after_save, sender=model, dispatch_uid=uid)
        signals.post_delete.connect(_after_delete, sender=model, dispatch_uid=uid)
    history_written.connect(_history_written, dispatch_uid="rollup-history")


# --- reading ---------------------------------------------------------------------------------


def rolled_through(center_ids: Sequence[int]) -> dict[int, dt.date]:
    return dict(
        RollupState.objects.filter(center_id__in=center_ids, rolled_through__isnull=False)
        .values_list("center_id", "rolled_through")
        .order_by()
    )


def _last_day(month: dt.date) -> dt.date:
    return shift_month(month_start(month), 1) - dt.timedelta(days=1)


@dataclass
class MonthCounts:
    """One month's counters of a center, per unit (every DAY_FIELDS key, and `overdue`)."""

    units: dict[int, dict[str, int]] = field(default_factory=dict)

    def total(self, key: str) -> int:
        return sum(row[key] for row in self.units.values())


def _sums(keys: Iterable[str]) -> dict[str, Sum]:
    return {key: Sum(key) for key in keys}


def months_counts(center_ids: Sequence[int], month: dt.date) -> dict[int, MonthCounts]:
    """center id → the month's counters by unit, for the centers whose counters hold the
    whole month (the others are left out: count them live). One query over the month's days."""
    first = month_start(month)
    last = _last_day(first)
    marks = rolled_through(center_ids)
    ready = [c for c in center_ids if c in marks and marks[c] >= last]
    result: dict[int, MonthCounts] = {c: MonthCounts() for c in ready}
    if not ready:
        return result
    for r in (
        DayCount.objects.filter(center_id__in=ready, day__gte=first, day__lte=last)
        .order_by()
        .values("center_id", "unit_id")
        .annotate(**_sums(DAY_FIELDS), open_at_end=Sum("overdue_open", filter=Q(day=last)))
    ):
        row = {key: r[key] or 0 for key in DAY_FIELDS}
        row["overdue"] = row["late"] + (r["open_at_end"] or 0)
        result[r["center_id"]].units[r["unit_id"]] = row
    return result


def month_counts(center: Center, month: dt.date) -> MonthCounts | None:
    """The month's counters of one center, or None when they do not hold the whole month."""
    return months_counts([center.pk], month).get(center.pk)


def trend_counts(center: Center, months: Sequence[dt.date]) -> list[tuple[int, int] | None]:
    """(accepted, completed) of each month whose counters hold it, else None; one query."""
    mark = rolled_through([center.pk]).get(center.pk)
    ready = [m for m in months if mark is not None and _last_day(m) <= mark]
    if not ready:
        return [None] * len(months)
    sums: dict[str, Any] = {}
    for index, m in enumerate(ready):
        days = Q(day__gte=month_start(m), day__lte=_last_day(m))
        sums[f"a{index}"] = Sum("accepted", filter=days)
        sums[f"c{index}"] = Sum("completed", filter=days)
    row = DayCount.objects.filter(
        center=center, day__gte=month_start(ready[0]), day__lte=_last_day(ready[-1])
    ).aggregate(**sums)
    found = {m: (row[f"a{i}"] or 0, row[f"c{i}"] or 0) for i, m in enumerate(ready)}
    return [found.get(m) for m in months]
