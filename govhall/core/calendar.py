"""The working-day calendar kept in the database: one cached calendar per center and process,
and the writes to it.

The national schedule (the State Council's notice; days without a center) is shared by every
center and changed only by the system administrator: its audit entries go to the system chain.
A center's office adds its own overrides (a local closing day, an extra working Saturday) for
its center only, audited in the center's chain; a center's working days are the national
schedule overlaid with its overrides.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.access import Actor, require
from govhall.core.audit import audit_record, snapshot
from govhall.core.choices import CalendarSource
from govhall.core.errors import DomainError, NotAllowed
from govhall.core.holiday_notice import ScheduleDay
from govhall.core.models import CalendarDay, CalendarWarningDismissal, CalendarYear
from govhall.core.text import chinese_date
from govhall.core.workdays import FIRST_DATE, LAST_DATE, WorkCalendar, is_weekday

# A center, its id, or None for the national schedule alone.
CenterRef = Any

NATIONAL = 0  # the cache's key for the national schedule (center ids start at 1)
# About 0.5 MB per calendar; centers without overrides share the national one.
CACHE_SIZE = 64
WARN_FROM_MONTH = 11  # next year's missing schedule is announced from 1 November
DISMISS_DAYS = 7  # a dismissed banner stays hidden this long

_lock = threading.Lock()
_cached: OrderedDict[int, tuple[tuple[Any, ...], WorkCalendar]] = OrderedDict()


def center_id_of(center: CenterRef) -> int | None:
    """The id of `center` (a Center or an id); None for the national schedule."""
    if center is None:
        return None
    return int(getattr(center, "pk", center))


def _fingerprint(center_id: int | None) -> tuple[Any, ...]:
    """What identifies a center's calendar data (national rows and its own), in one query.

    The counts and the last id catch rows added or removed, the sum of the rows' revisions a
    row changed in place, the years' `revised_at` a year marked complete, by the services or
    behind their back (a migration, the shell). With no center, `center_id = NULL` matches
    nothing: the national rows alone.
    """
    quote = connection.ops.quote_name
    year_table, day_table = quote(CalendarYear._meta.db_table), quote(CalendarDay._meta.db_table)
    revised, day_id, revision = (
        quote("revised_at"),
        quote(CalendarDay._meta.pk.column),
        quote("revision"),
    )
    center = quote(CalendarDay._meta.get_field("center").column)
    scope = f"{center} IS NULL OR {center} = %s"
    sql = (
        f"SELECT (SELECT MAX({revised}) FROM {year_table}),"  # noqa: S608 — quoted names, no input
        f" (SELECT COUNT(*) FROM {year_table}),"
        f" (SELECT COUNT(*) FROM {day_table} WHERE {scope}),"
        f" (SELECT MAX({day_id}) FROM {day_table} WHERE {scope}),"
        f" (SELECT SUM({revision}) FROM {day_table} WHERE {scope})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [center_id, center_id, center_id])
        row = cursor.fetchone()
    return tuple(row)


def _build(center_id: int | None) -> tuple[WorkCalendar, bool]:
    """The calendar, and whether the center has days of its own."""
    rows = CalendarDay.objects.filter(date__range=(FIRST_DATE, LAST_DATE)).filter(
        Q(center__isnull=True) | Q(center_id=center_id)
    )
    national: dict[dt.date, bool] = {}
    local: dict[dt.date, bool] = {}
    for date, is_workday, owner in rows.values_list("date", "is_workday", "center_id"):
        (national if owner is None else local)[date] = is_workday
    known = CalendarYear.objects.filter(complete=True).values_list("year", flat=True)
    return WorkCalendar({**national, **local}, set(known)), bool(local)


def get_calendar(center: CenterRef = None) -> WorkCalendar:
    """The working-day calendar of `center` (the national one without); rebuilt only when its
    schedule changed, in this process or another."""
    center_id = center_id_of(center)
    slot = center_id or NATIONAL
    # The key is read before the data, so a change committed in between costs one more
    # rebuild on the next call, never a stale calendar.
    key = _fingerprint(center_id)
    cached = _cached.get(slot)
    if cached is not None and cached[0] == key:
        return cached[1]
    with _lock:
        cached = _cached.get(slot)
        if cached is not None and cached[0] == key:
            return cached[1]
        national = _cached.get(NATIONAL)
        if center_id is not None and national is not None and national[0] == key:
            # No override of its own (same rows as the national schedule): share its calendar.
            calendar = national[1]
        else:
            calendar, own_days = _build(center_id)
            if not own_days:
                # The same rows, so the same fingerprint: it is the national calendar too.
                _cached[NATIONAL] = (key, calendar)
        _cached[slot] = (key, calendar)
        _cached.move_to_end(slot)
        while len(_cached) > CACHE_SIZE:
            _cached.popitem(last=False)
        return calendar


def forget_calendar() -> None:
    """Drop every cached calendar (tests that roll back the database may want a clean start)."""
    with _lock:
        _cached.clear()


def calendar_warnings(today: dt.date | None = None) -> list[int]:
    """Years whose national schedule is not complete: this year, and next year from 1 November
    (the State Council publishes it in November or December; deadlines set then reach into it)."""
    today = today or timezone.localdate()
    years = [today.year]
    if today.month >= WARN_FROM_MONTH:
        years.append(today.year + 1)
    calendar = get_calendar()
    return [year for year in years if not calendar.is_known(year)]


def calendar_banner(user: Any, today: dt.date | None = None) -> list[int]:
    """The years the missing-schedule banner names for `user`, or [] when it is not shown.

    Shown to whoever answers for the schedule in the center they work in: the center office
    (which may enter the center's own days) and the system administrator (who enters the
    national schedule); never to window staff, chiefs, leaders or supervisors, who cannot act
    on it. Hidden for DISMISS_DAYS after the person dismisses it.
    """
    if user is None or not user.is_authenticated or not user.has_perm("core.change_calendaryear"):
        return []
    # The dismissal is read first, whatever the month, so a page costs the same all year.
    if CalendarWarningDismissal.objects.filter(user=user, until__gt=timezone.now()).exists():
        return []
    return calendar_warnings(today)


@transaction.atomic
def calendar_banner_dismiss(*, by: Actor) -> CalendarWarningDismissal:
    """Hide the missing-schedule banner from `by` for DISMISS_DAYS (on every device: the
    choice is kept with the account, not the browser session)."""
    if by is None or not by.is_authenticated:
        raise NotAllowed(_("Log in to dismiss the notice."))
    row, _created = CalendarWarningDismissal.objects.update_or_create(
        user=by, defaults={"until": timezone.now() + dt.timedelta(days=DISMISS_DAYS)}
    )
    return row


# --- what the office pages read ------------------------------------------------------------


@dataclass(frozen=True)
class YearStatus:
    """One year of the schedule as the overview lists it."""

    year: int
    complete: bool
    days_off: int
    workdays: int
    revised_at: dt.datetime | None
    local_days: int = 0

    @property
    def status(self) -> str:
        """complete, partial (some days or a year record entered) or missing."""
        if self.complete:
            return "complete"
        if self.revised_at is not None or self.days_off or self.workdays:
            return "partial"
        return "missing"


def calendar_year_list(*, around: int, center: CenterRef = None) -> list[YearStatus]:
    """The years from two before `around` to one after, and every year with entries; newest
    first. Days off and working days count the national schedule; `local_days` the center's own."""
    center_id = center_id_of(center)
    rows = {row.year: row for row in CalendarYear.objects.all()}
    counts = {
        item["year"]: item
        for item in CalendarDay.objects.filter(Q(center__isnull=True) | Q(center_id=center_id))
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(
            off=Count("id", filter=Q(is_workday=False, center__isnull=True)),
            work=Count("id", filter=Q(is_workday=True, center__isnull=True)),
            local=Count("id", filter=Q(center__isnull=False)),
        )
        .order_by()
    }
    years = set(range(around - 2, around + 2)) | set(rows) | set(counts)
    result = []
    for year in sorted(years, reverse=True):
        row, count = rows.get(year), counts.get(year, {})
        result.append(
            YearStatus(
                year=year,
                complete=bool(row and row.complete),
                days_off=count.get("off", 0),
                workdays=count.get("work", 0),
                revised_at=row.revised_at if row else None,
                local_days=count.get("local", 0),
            )
        )
    return result


def calendar_days_of_year(*, year: int, center: CenterRef = None) -> list[CalendarDay]:
    """The year's departures from Monday–Friday (and named weekend holidays), by date: the
    national schedule's and, with a center, the center's own after the national one's."""
    center_id = center_id_of(center)
    return list(
        CalendarDay.objects.filter(date__year=year)
        .filter(Q(center__isnull=True) | Q(center_id=center_id))
        .order_by("date", "center_id")
    )


# --- writes: the system administrator's national schedule, each office's overrides ---------


def may_change_national(by: Actor) -> bool:
    """Whether `by` may change the national schedule: the system administrator (or the system)."""
    return by is None or bool(by.is_active and by.is_superuser)


def _require_national(by: Actor) -> None:
    if not may_change_national(by):
        raise NotAllowed(
            _("Only the system administrator may change the national holiday schedule.")
        )


def _check_date(day: dt.date) -> None:
    if not FIRST_DATE <= day <= LAST_DATE:
        raise DomainError(
            _("The calendar covers {first} to {last}.").format(
                first=chinese_date(FIRST_DATE), last=chinese_date(LAST_DATE)
            ),
            field="date",
        )


def _touch_year(year: int) -> CalendarYear:
    """Bump the year's `revised_at`, so every process rebuilds its calendars."""
    row, created = CalendarYear.objects.select_for_update().get_or_create(
        year=year, defaults={"complete": False, "source": CalendarSource.OFFICE}
    )
    if not created:
        row.save(update_fields=["revised_at"])
    return row


def _kind(is_workday: bool) -> str:
    return _("working day") if is_workday else _("day off")


@transaction.atomic
def calendar_day_set(
    *, by: Actor, date: dt.date, is_workday: bool, name: str = "", center: CenterRef = None
) -> CalendarDay:
    """Enter or correct one day: of the national schedule without `center` (a holiday or an
    adjusted workday), else the center's own override of it."""
    center_id = center_id_of(center)
    day = (
        CalendarDay.objects.select_for_update().filter(date=date, center_id=center_id).first()
        if FIRST_DATE <= date <= LAST_DATE
        else None
    )
    if center_id is None:
        _require_national(by)
    else:
        perm = "core.add_calendarday" if day is None else "core.change_calendarday"
        require(by, perm, center_id=center_id)
    _check_date(date)
    name = (name or "").strip()
    max_length = CalendarDay._meta.get_field("name").max_length or 60
    if len(name) > max_length:
        raise DomainError(
            _("The name is too long (at most {n} characters).").format(n=max_length), field="name"
        )
    if center_id is None:
        if is_workday == is_weekday(date) and not name:
            raise DomainError(
                _("{date} is already a {kind} under the Monday–Friday rule.").format(
                    date=chinese_date(date), kind=_kind(is_workday)
                ),
                field="is_workday",
            )
    elif is_workday == get_calendar().is_workday(date) and not name:
        raise DomainError(
            _("{date} is already a {kind} in the national schedule.").format(
                date=chinese_date(date), kind=_kind(is_workday)
            ),
            field="is_workday",
        )
    before = snapshot(day) if day is not None else None
    if day is None:
        day = CalendarDay(date=date, center_id=center_id)
    day.is_workday = is_workday
    day.name = name
    day.source = CalendarSource.OFFICE
    day.save()
    if center_id is None:
        _touch_year(date.year)
    audit_record(
        by=by,
        action="calendar.day_set",
        obj=day,
        center_id=center_id or 0,
        before=before,
        after=snapshot(day),
    )
    return day


@transaction.atomic
def calendar_day_remove(*, by: Actor, day: CalendarDay) -> None:
    """Take a day out: a national day follows Monday–Friday again, a center's override the
    national schedule."""
    if day.center_id is None:
        _require_national(by)
    else:
        require(by, "core.delete_calendarday", center_id=day.center_id)
    audit_record(
        by=by,
        action="calendar.day_remove",
        obj=day,
        center_id=day.center_id or 0,
        before=snapshot(day),
    )
    year = day.date.year
    is_national = day.center_id is None
    day.delete()
    if is_national:
        _touch_year(year)


@transaction.atomic
def calendar_year_mark_complete(*, by: Actor, year: int, complete: bool = True) -> CalendarYear:
    """Record that a year's whole national schedule is in (or is not, after all)."""
    _require_national(by)
    if not FIRST_DATE.year <= year <= LAST_DATE.year:
        raise DomainError(
            _("The calendar covers the years {first} to {last}.").format(
                first=FIRST_DATE.year, last=LAST_DATE.year
            ),
            field="year",
        )
    row, created = CalendarYear.objects.select_for_update().get_or_create(
        year=year, defaults={"complete": complete, "source": CalendarSource.OFFICE}
    )
    before = None if created else snapshot(row)
    row.complete = complete
    row.save()
    audit_record(
        by=by,
        action="calendar.year_complete" if complete else "calendar.year_incomplete",
        obj=row,
        center_id=0,
        before=before,
        after=snapshot(row),
    )
    return row


# --- the State Council's notice, read by govhall.core.holiday_notice --------------------------


@dataclass(frozen=True)
class ScheduleChange:
    """One day of an imported schedule against what the national schedule holds now."""

    day: ScheduleDay
    current: CalendarDay | None

    @property
    def action(self) -> str:
        """new, changed or same."""
        if self.current is None:
            return "new"
        if (self.current.is_workday, self.current.name) == (self.day.is_workday, self.day.name):
            return "same"
        return "changed"


def calendar_schedule_preview(*, days: list[ScheduleDay]) -> list[ScheduleChange]:
    """What entering `days` into the national schedule would do, day by day."""
    current = {
        row.date: row
        for row in CalendarDay.objects.filter(
            center__isnull=True, date__in=[day.date for day in days]
        )
    }
    return [ScheduleChange(day, current.get(day.date)) for day in days]


@transaction.atomic
def calendar_schedule_import(
    *, by: Actor, year: int, days: list[ScheduleDay], complete: bool = False
) -> int:
    """Enter a year's national schedule (the State Council's notice) all at once: every day
    through `calendar_day_set` (checked and audited one by one), then the year marked complete
    if asked. Any refusal undoes the whole import. Returns how many days were written."""
    _require_national(by)
    written = 0
    for change in calendar_schedule_preview(days=days):
        if change.action == "same":
            continue
        try:
            calendar_day_set(
                by=by, date=change.day.date, is_workday=change.day.is_workday, name=change.day.name
            )
        except DomainError as error:
            raise DomainError(
                f"{chinese_date(change.day.date)}: {error.message}", field=error.field
            ) from error
        written += 1
    if complete:
        calendar_year_mark_complete(by=by, year=year)
    return written
