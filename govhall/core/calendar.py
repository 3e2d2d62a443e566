"""The working-day calendar kept in the database: one cached calendar per process, and the
office's writes to it.

The schedule is national (the State Council's notice), so it belongs to no center: its
audit entries go to the system chain and its permissions are not scoped.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.audit import audit_record, snapshot
from govhall.core.choices import CalendarSource
from govhall.core.errors import DomainError, NotAllowed
from govhall.core.models import CalendarDay, CalendarYear
from govhall.core.text import chinese_date
from govhall.core.workdays import FIRST_DATE, LAST_DATE, WorkCalendar, is_weekday

_lock = threading.Lock()
_cached: tuple[tuple[Any, ...], WorkCalendar] | None = None


def _fingerprint() -> tuple[Any, ...]:
    """What identifies the calendar's data, read in one query.

    Services bump the year's `revised_at`; the counts and the last id also catch rows added or
    removed behind the services' back (a migration, the shell).
    """
    quote = connection.ops.quote_name
    year_table, day_table = quote(CalendarYear._meta.db_table), quote(CalendarDay._meta.db_table)
    revised, day_id = quote("revised_at"), quote(CalendarDay._meta.pk.column)
    sql = (
        f"SELECT (SELECT MAX({revised}) FROM {year_table}),"  # noqa: S608 — quoted names, no input
        f" (SELECT COUNT(*) FROM {year_table}),"
        f" (SELECT COUNT(*) FROM {day_table}),"
        f" (SELECT MAX({day_id}) FROM {day_table})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return tuple(row)


def _build() -> WorkCalendar:
    overrides = dict(
        CalendarDay.objects.filter(date__range=(FIRST_DATE, LAST_DATE)).values_list(
            "date", "is_workday"
        )
    )
    known = CalendarYear.objects.filter(complete=True).values_list("year", flat=True)
    return WorkCalendar(overrides, set(known))


def get_calendar() -> WorkCalendar:
    """The current working-day calendar; rebuilt only when the schedule changed."""
    global _cached
    # The key is read before the data, so a change committed in between costs one more
    # rebuild on the next call, never a stale calendar.
    key = _fingerprint()
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    with _lock:
        if _cached is not None and _cached[0] == key:
            return _cached[1]
        calendar = _build()
        _cached = (key, calendar)
        return calendar


def forget_calendar() -> None:
    """Drop the cached calendar (tests that roll back the database may want a clean start)."""
    global _cached
    _cached = None


def calendar_warnings(today: dt.date | None = None) -> list[int]:
    """Years whose schedule is not complete: this year, and next year in its last weeks."""
    today = today or timezone.localdate()
    years = [today.year]
    # A deadline set today can reach this far ahead; the office needs next year's schedule by then.
    if (today + dt.timedelta(days=settings.CALENDAR_WARN_DAYS_AHEAD)).year > today.year:
        years.append(today.year + 1)
    calendar = get_calendar()
    return [year for year in years if not calendar.is_known(year)]


# --- what the office pages read ------------------------------------------------------------


@dataclass(frozen=True)
class YearStatus:
    """One year of the schedule as the overview lists it."""

    year: int
    complete: bool
    days_off: int
    workdays: int
    revised_at: dt.datetime | None

    @property
    def status(self) -> str:
        """complete, partial (some days or a year record entered) or missing."""
        if self.complete:
            return "complete"
        if self.revised_at is not None or self.days_off or self.workdays:
            return "partial"
        return "missing"


def calendar_year_list(*, around: int) -> list[YearStatus]:
    """The years from two before `around` to one after, and every year with entries; newest first."""
    rows = {row.year: row for row in CalendarYear.objects.all()}
    counts = {
        item["year"]: item
        for item in CalendarDay.objects.annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(
            off=Count("id", filter=Q(is_workday=False)), work=Count("id", filter=Q(is_workday=True))
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
            )
        )
    return result


def calendar_days_of_year(*, year: int) -> list[CalendarDay]:
    """The year's departures from Monday–Friday (and named weekend holidays), by date."""
    return list(CalendarDay.objects.filter(date__year=year).order_by("date"))


# --- the office's writes -------------------------------------------------------------------


def _require(by: Any, perm: str) -> None:
    if by is not None and not by.has_perm(perm):
        raise NotAllowed(_("You are not allowed to do this here."))


def _check_date(day: dt.date) -> None:
    if not FIRST_DATE <= day <= LAST_DATE:
        raise DomainError(
            _("The calendar covers {first} to {last}.").format(
                first=chinese_date(FIRST_DATE), last=chinese_date(LAST_DATE)
            ),
            field="date",
        )


def _touch_year(year: int) -> CalendarYear:
    """Bump the year's `revised_at`, so every process rebuilds its calendar."""
    row, created = CalendarYear.objects.select_for_update().get_or_create(
        year=year, defaults={"complete": False, "source": CalendarSource.OFFICE}
    )
    if not created:
        row.save(update_fields=["revised_at"])
    return row


@transaction.atomic
def calendar_day_set(*, by: Any, date: dt.date, is_workday: bool, name: str = "") -> CalendarDay:
    """Enter or correct one day of the official schedule (a holiday or an adjusted workday)."""
    _require(by, "core.change_calendarday")
    _check_date(date)
    name = (name or "").strip()
    max_length = CalendarDay._meta.get_field("name").max_length or 60
    if len(name) > max_length:
        raise DomainError(
            _("The name is too long (at most {n} characters).").format(n=max_length), field="name"
        )
    if is_workday == is_weekday(date) and not name:
        kind = _("working day") if is_workday else _("day off")
        raise DomainError(
            _("{date} is already a {kind} under the Monday–Friday rule.").format(
                date=chinese_date(date), kind=kind
            ),
            field="is_workday",
        )
    day = CalendarDay.objects.select_for_update().filter(date=date).first()
    before = snapshot(day) if day is not None else None
    if day is None:
        day = CalendarDay(date=date)
    day.is_workday = is_workday
    day.name = name
    day.source = CalendarSource.OFFICE
    day.save()
    _touch_year(date.year)
    audit_record(
        by=by, action="calendar.day_set", obj=day, center_id=0, before=before, after=snapshot(day)
    )
    forget_calendar()
    return day


@transaction.atomic
def calendar_day_remove(*, by: Any, day: CalendarDay) -> None:
    """Take a day out of the schedule: it follows Monday–Friday again."""
    _require(by, "core.change_calendarday")
    audit_record(by=by, action="calendar.day_remove", obj=day, center_id=0, before=snapshot(day))
    year = day.date.year
    day.delete()
    _touch_year(year)
    forget_calendar()


@transaction.atomic
def calendar_year_mark_complete(*, by: Any, year: int, complete: bool = True) -> CalendarYear:
    """Record that a year's whole schedule is in (or is not, after all)."""
    _require(by, "core.change_calendaryear")
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
    forget_calendar()
    return row
