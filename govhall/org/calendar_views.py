"""Office pages of the working-day calendar: the years, a year's months, and its corrections."""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from govhall.core import calendar as services
from govhall.core.access import perm_required
from govhall.core.errors import DomainError, form_error
from govhall.core.holiday_notice import (
    ScheduleError,
    parse_notice,
    parse_schedule_csv,
    schedule_csv,
)
from govhall.core.models import CalendarDay, CalendarYear
from govhall.core.text import chinese_date
from govhall.core.workdays import FIRST_DATE, LAST_DATE, WorkCalendar, is_weekday
from govhall.org.models import Center
from govhall.org.scoping import scope_for
from govhall.org.selectors import current_center

DAY_OFF, WORKING = "0", "1"
NATIONAL, CENTER = "national", "center"


SCHEDULE_CSV_MAX_BYTES = 64 * 1024  # a year's schedule is a few dozen rows


class ScheduleImportForm(forms.Form):
    """The State Council's notice, pasted, or a small CSV (日期, 类型, 名称)."""

    text = forms.CharField(
        label=gettext_lazy("The notice's text"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy(
            "Paste the State Council's notice on the year's holidays (its numbered items are "
            "enough), or upload a CSV below."
        ),
    )
    file = forms.FileField(
        label=gettext_lazy("Or a CSV file"),
        required=False,
        help_text=gettext_lazy("Columns 日期 (2027-01-01), 类型 (休息日 or 上班日), 名称."),
    )

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year = year
        self.days: list[Any] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        text, upload = (data.get("text") or "").strip(), data.get("file")
        if self.errors:
            return data
        if bool(text) == bool(upload):
            raise forms.ValidationError(
                _("Paste the notice's text or choose a CSV file (one of the two).")
            )
        try:
            if upload is not None:
                if upload.size > SCHEDULE_CSV_MAX_BYTES:
                    raise ScheduleError(
                        [
                            _("The file is larger than {n} KB.").format(
                                n=SCHEDULE_CSV_MAX_BYTES // 1024
                            )
                        ]
                    )
                self.days = parse_schedule_csv(upload.read(), year=self.year)
            else:
                self.days = parse_notice(text, year=self.year)
        except ScheduleError as error:
            field = "file" if upload is not None else "text"
            for problem in error.problems:
                self.add_error(field, problem)
        return data


class CalendarDayForm(forms.Form):
    """One day of the schedule as the office enters it; the rules live in the service."""

    date = forms.DateField(
        label=gettext_lazy("Date"),
        input_formats=["%Y-%m-%d", "%Y/%m/%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    is_workday = forms.TypedChoiceField(
        label=gettext_lazy("Kind"),
        choices=[
            (DAY_OFF, gettext_lazy("Day off (holiday)")),
            (WORKING, gettext_lazy("Adjusted working day")),
        ],
        coerce=lambda value: value == WORKING,
        empty_value=None,
    )
    name = forms.CharField(
        label=gettext_lazy("Holiday name"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("Shown in the calendar, for example the holiday's name."),
    )

    def __init__(self, *args: Any, scopes: list[tuple[str, str]], **kwargs: Any) -> None:
        """`scopes`: where the person may enter a day (NATIONAL, CENTER); a choice only when
        there are two (the system administrator working in a center)."""
        super().__init__(*args, **kwargs)
        self.scopes = [value for value, _label in scopes]
        if len(scopes) > 1:
            self.fields["scope"] = forms.ChoiceField(
                label=gettext_lazy("Applies to"), choices=scopes, initial=CENTER
            )

    def scope(self) -> str:
        """The schedule the day goes into once the form is valid."""
        return str(self.cleaned_data.get("scope") or self.scopes[0])


def _weekday_heads() -> list[str]:
    return [
        pgettext("weekday column", "Mon"),
        pgettext("weekday column", "Tue"),
        pgettext("weekday column", "Wed"),
        pgettext("weekday column", "Thu"),
        pgettext("weekday column", "Fri"),
        pgettext("weekday column", "Sat"),
        pgettext("weekday column", "Sun"),
    ]


def _short_date(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def _cell(day: dt.date, work: WorkCalendar, named: dict[dt.date, CalendarDay]) -> dict[str, Any]:
    entry = named.get(day)
    working = work.is_workday(day)
    classes = []
    if not working:
        classes.append("day-off")
        if entry is not None and not entry.is_workday:
            classes.append("day-holiday")
    elif not is_weekday(day):
        classes.append("day-adjusted")
    if entry is not None and entry.center_id is not None:
        classes.append("day-local")
    return {
        "day": day.day,
        "classes": " ".join(classes),
        "title": " ".join(
            part for part in (chinese_date(day), entry.name if entry else "") if part
        ),
    }


def _notes(entries: list[CalendarDay]) -> list[dict[str, str]]:
    """Runs of consecutive days with one name: "10月1日–10月7日 国庆节"."""
    runs: list[list[CalendarDay]] = []
    for entry in entries:
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and entry.date - last.date == dt.timedelta(days=1)
            and (entry.name, entry.is_workday, entry.center_id)
            == (last.name, last.is_workday, last.center_id)
        ):
            runs[-1].append(entry)
        else:
            runs.append([entry])
    notes = []
    for run in runs:
        first, last = run[0].date, run[-1].date
        when = _short_date(first) if first == last else f"{_short_date(first)}–{_short_date(last)}"
        notes.append(
            {
                "when": when,
                "name": run[0].name or (_("Working day") if run[0].is_workday else _("Day off")),
                "kind": ("day-adjusted" if run[0].is_workday else "day-holiday")
                + (" day-local" if run[0].center_id is not None else ""),
            }
        )
    return notes


def _months(year: int, entries: list[CalendarDay], center: Center | None) -> list[dict[str, Any]]:
    work = services.get_calendar(center)
    # A center's override is listed after the national entry of its date, so it wins here.
    named = {entry.date: entry for entry in entries}
    shown = list(named.values())
    grid = stdlib_calendar.Calendar(firstweekday=0)
    months = []
    for month in range(1, 13):
        weeks = [
            [_cell(day, work, named) if day.month == month else None for day in week]
            for week in grid.monthdatescalendar(year, month)
        ]
        notes = _notes([entry for entry in shown if entry.date.month == month])
        months.append({"first": dt.date(year, month, 1), "weeks": weeks, "notes": notes})
    return months


def _may_act_in(user: Any, perm: str, center: Center | None) -> bool:
    return center is not None and user.is_active and scope_for(user).allows(perm, center.pk)


def _may_remove(user: Any, day: CalendarDay) -> bool:
    if day.center_id is None:
        return services.may_change_national(user)
    return user.is_active and scope_for(user).allows("core.delete_calendarday", day.center_id)


def _scopes(user: Any, center: Center | None) -> list[tuple[str, str]]:
    scopes = []
    if _may_act_in(user, "core.add_calendarday", center) and center is not None:
        scopes.append((CENTER, _("{center} only").format(center=center.name)))
    if services.may_change_national(user):
        scopes.append((NATIONAL, _("The national schedule (every center)")))
    return scopes


@perm_required("core.view_calendarday")
def calendar_overview(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    center = current_center(request)
    context = {
        "years": services.calendar_year_list(around=today.year, center=center),
        "this_year": today.year,
        "center": center,
    }
    return render(request, "org/calendar_overview.html", context)


@perm_required("core.view_calendarday")
def calendar_year(request: HttpRequest, year: int) -> HttpResponse:
    if not FIRST_DATE.year <= year <= LAST_DATE.year:
        raise Http404(
            _("The calendar covers the years {first} to {last}.").format(
                first=FIRST_DATE.year, last=LAST_DATE.year
            )
        )
    center = current_center(request)
    scopes = _scopes(request.user, center)
    form = CalendarDayForm(request.POST or None, scopes=scopes) if scopes else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = {key: form.cleaned_data[key] for key in ("date", "is_workday", "name")}
            try:
                day = services.calendar_day_set(
                    by=request.user, center=center if form.scope() == CENTER else None, **data
                )
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(
                    request,
                    _("{date} saved: {kind}.").format(
                        date=chinese_date(day.date),
                        kind=day.name or (_("working day") if day.is_workday else _("day off")),
                    ),
                )
                return redirect("calendar:year", day.date.year)
    entries = services.calendar_days_of_year(year=year, center=center)
    row = CalendarYear.objects.filter(year=year).first()
    days = [
        {
            "entry": entry,
            "date": chinese_date(entry.date),
            "local": entry.center_id is not None,
            "remove_url": (
                reverse("calendar:day_remove", args=[entry.pk])
                if _may_remove(request.user, entry)
                else ""
            ),
        }
        for entry in entries
    ]
    context = {
        "year": year,
        "row": row,
        "center": center,
        "complete": bool(row and row.complete),
        "previous_year": year - 1 if year > FIRST_DATE.year else None,
        "next_year": year + 1 if year < LAST_DATE.year else None,
        "weekday_heads": _weekday_heads(),
        "months": _months(year, entries, center),
        "days": days,
        "form": form,
        "can_change": any(d["remove_url"] for d in days),
        "can_complete": services.may_change_national(request.user)
        and request.user.has_perm("core.change_calendaryear"),
        "import_form": (
            ScheduleImportForm(year=year) if services.may_change_national(request.user) else None
        ),
    }
    return render(request, "org/calendar_year.html", context)


@perm_required("core.view_calendarday")
@require_POST
def calendar_year_import(request: HttpRequest, year: int) -> HttpResponse:
    """The State Council's notice (pasted) or a CSV: a preview first, then, confirmed, the whole
    schedule entered at once (the system administrator's)."""
    if not FIRST_DATE.year <= year <= LAST_DATE.year:
        raise Http404
    if not services.may_change_national(request.user):
        raise PermissionDenied
    year_url = reverse("calendar:year", args=[year])
    if request.POST.get("confirm") == "1":
        # The preview's days come back as CSV: read (and checked) again, never trusted as is.
        try:
            days = parse_schedule_csv(request.POST.get("days", ""), year=year)
            written = services.calendar_schedule_import(
                by=request.user, year=year, days=days, complete=request.POST.get("complete") == "1"
            )
        except (ScheduleError, DomainError) as error:
            problems = getattr(error, "problems", None) or [str(error)]
            for problem in problems:
                messages.error(request, problem)
            messages.error(request, _("Nothing was entered."))
            return redirect(year_url)
        messages.success(
            request,
            _("The {year} schedule is entered: {n} days written.").format(year=year, n=written),
        )
        return redirect(year_url)
    form = ScheduleImportForm(request.POST, request.FILES, year=year)
    if not form.is_valid():
        return render(
            request,
            "org/calendar_import.html",
            {"year": year, "form": form, "year_url": year_url},
            status=400,
        )
    changes = services.calendar_schedule_preview(days=form.days)
    rows = [
        {
            "date": chinese_date(change.day.date),
            "weekday": change.day.date,
            "kind": change.day.kind,
            "is_workday": change.day.is_workday,
            "name": change.day.name,
            "action": change.action,
            "current": change.current,
        }
        for change in changes
    ]
    context = {
        "year": year,
        "rows": rows,
        "days_csv": schedule_csv(form.days),
        "year_url": year_url,
        "days_off": sum(1 for change in changes if not change.day.is_workday),
        "workdays": sum(1 for change in changes if change.day.is_workday),
        "to_write": sum(1 for change in changes if change.action != "same"),
    }
    return render(request, "org/calendar_import.html", context)


@login_required
@require_POST
def calendar_banner_dismiss(request: HttpRequest) -> HttpResponse:
    """Hide the missing-schedule banner from this person for a week."""
    services.calendar_banner_dismiss(by=request.user)
    messages.info(
        request,
        _("The notice is hidden for {days} days.").format(days=services.DISMISS_DAYS),
    )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("home")
    return redirect(target)


@perm_required("core.delete_calendarday")
def calendar_day_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a day out of the schedule, after a confirmation page."""
    # Another center's overrides do not exist for this person; a national day is refused
    # to all but the system administrator.
    centers = scope_for(request.user)
    visible = CalendarDay.objects.all()
    if not centers.everything:
        visible = visible.filter(Q(center__isnull=True) | Q(center_id__in=centers.center_ids))
    day = get_object_or_404(visible, pk=pk)
    if not _may_remove(request.user, day):
        raise PermissionDenied
    year_url = reverse("calendar:year", args=[day.date.year])
    if request.method == "POST":
        try:
            services.calendar_day_remove(by=request.user, day=day)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            followed = (
                _("{date} removed: it follows the Monday–Friday rule again.")
                if day.center_id is None
                else _("{date} removed: it follows the national schedule again.")
            )
            messages.success(request, followed.format(date=chinese_date(day.date)))
        return redirect(year_url)
    question = (
        _("Remove {date} ({name}) from the schedule? It will follow the Monday–Friday rule again.")
        if day.center_id is None
        else _(
            "Remove {date} ({name}) from this center's own days? It will follow the national "
            "schedule again."
        )
    ).format(
        date=chinese_date(day.date),
        name=day.name or (_("working day") if day.is_workday else _("day off")),
    )
    return render(request, "org/confirm.html", {"question": question, "cancel_url": year_url})


@perm_required("core.change_calendaryear")
@require_POST
def calendar_year_complete(request: HttpRequest, year: int) -> HttpResponse:
    """Mark a year's national schedule complete (the warning stops) or not complete."""
    if not services.may_change_national(request.user):
        raise PermissionDenied
    wanted = request.POST.get("complete")
    if wanted not in {"0", "1"}:
        return HttpResponseBadRequest(_("Say whether the year is complete (1) or not (0)."))
    try:
        services.calendar_year_mark_complete(by=request.user, year=year, complete=wanted == "1")
    except DomainError as error:
        messages.error(request, error.message)
    else:
        message = (
            _("The schedule for {year} is marked complete.")
            if wanted == "1"
            else _("The schedule for {year} is marked not complete.")
        )
        messages.success(request, message.format(year=year))
    return redirect("calendar:year", year)
