"""Staff pages of appointments: the window's list for a day and the unit's slots."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from govhall.cases import appointments as booking
from govhall.cases.models import Appointment, AppointmentSlot, AppointmentStatus
from govhall.catalog.models import ServiceItem
from govhall.catalog.search import public_items
from govhall.core.access import perm_required
from govhall.core.errors import DomainError, form_error
from govhall.core.text import chinese_date, mask_id_number
from govhall.org.models import Center, Unit
from govhall.org.scoping import scoped
from govhall.org.selectors import center_or_404


def _units(request: HttpRequest, center: Center) -> QuerySet[Unit]:
    return scoped(
        Unit.objects.filter(center=center, is_active=True), request.user, unit="id"
    ).order_by("position", "sort_key")


def _day(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _unit_filter(request: HttpRequest, units: QuerySet[Unit]) -> Unit | None:
    wanted = request.GET.get("unit", "")
    return units.filter(pk=wanted).first() if wanted.isdigit() else None


# --- the day's list -------------------------------------------------------------------------


@perm_required("cases.view_case")
def today(request: HttpRequest) -> HttpResponse:
    """The bookings of a day (default today) at the units the person works for."""
    center = center_or_404(request)
    day = _day(request.GET.get("date"))
    units = _units(request, center)
    unit = _unit_filter(request, units)
    rows = list(booking.appointment_day_list(user=request.user, center=center, day=day, unit=unit))
    show_id = request.user.has_perm("cases.view_id_number")
    for row in rows:
        row.id_shown = row.id_number if show_id else mask_id_number(row.id_number)
    live = [r for r in rows if r.status != AppointmentStatus.CANCELLED]
    context = {
        "day": day,
        "day_text": chinese_date(day),
        "previous": day - dt.timedelta(days=1),
        "next": day + dt.timedelta(days=1),
        "is_today": day == timezone.localdate(),
        "rows": rows,
        "counts": {
            "booked": sum(1 for r in live if r.status == AppointmentStatus.BOOKED),
            "arrived": sum(1 for r in live if r.status == AppointmentStatus.ARRIVED),
            "missed": sum(1 for r in live if r.status == AppointmentStatus.MISSED),
            "cancelled": len(rows) - len(live),
        },
        "units": units,
        "unit": unit,
        "can_mark": request.user.has_perm("cases.handle_case") and day <= timezone.localdate(),
        "statuses": AppointmentStatus,
    }
    return render(request, "cases/appointment_today.html", context)


@perm_required("cases.handle_case")
@require_POST
def mark(request: HttpRequest, pk: int) -> HttpResponse:
    """Arrived or missed, from the day's list."""
    center = center_or_404(request)
    appointment = get_object_or_404(
        scoped(
            Appointment.objects.filter(slot__center=center).select_related("slot"),
            request.user,
            center="slot__center",
            unit="slot__unit",
        ),
        pk=pk,
    )
    try:
        booking.appointment_mark(
            by=request.user, appointment=appointment, status=request.POST.get("status", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("{name} ({code}) marked.").format(
                name=appointment.applicant_name, code=appointment.code
            ),
        )
    return redirect(reverse("cases:appointments_today") + f"?date={appointment.slot.date:%Y-%m-%d}")


# --- slots ----------------------------------------------------------------------------------


class SlotForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=Unit.objects.none())
    item = forms.ModelChoiceField(
        label=gettext_lazy("Item"),
        queryset=ServiceItem.objects.none(),
        required=False,
        empty_label=gettext_lazy("Any item of the unit"),
    )
    date = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    start = forms.TimeField(
        label=gettext_lazy("Starts"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end = forms.TimeField(
        label=gettext_lazy("Ends"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    capacity = forms.IntegerField(
        label=gettext_lazy("Seats"), min_value=1, max_value=booking.MAX_CAPACITY, initial=5
    )
    after_hours = forms.BooleanField(
        label=gettext_lazy("After-hours service (延时服务)"),
        required=False,
        help_text=gettext_lazy(
            "At lunchtime, after closing or on a day off; may lie outside the hall's hours."
        ),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], center: Center, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["item"].queryset = public_items(center=center).filter(unit__in=units)
        if units.count() == 1:
            self.fields["unit"].initial = units.first()


@perm_required("cases.handle_case")
def slots(request: HttpRequest) -> HttpResponse:
    """The unit's slots from today on, and (for the chief and the office) a form to open one."""
    center = center_or_404(request)
    units = _units(request, center)
    unit = _unit_filter(request, units)
    can_open = request.user.has_perm("cases.add_appointmentslot")
    form = SlotForm(request.POST or None, units=units, center=center) if can_open else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                slot = booking.slot_open(by=request.user, **form.cleaned_data)
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(
                    request,
                    _("Slot {slot} opened at {unit}.").format(
                        slot=booking.slot_text(slot), unit=slot.unit.name
                    ),
                )
                return redirect("cases:appointment_slots")
        status = 400  # the form again, with what was wrong on it
    context = {
        "form": form,
        "slots": booking.slot_list_for_staff(
            user=request.user, center=center, since=timezone.localdate(), unit=unit
        ),
        "units": units,
        "unit": unit,
        "can_close": request.user.has_perm("cases.change_appointmentslot"),
    }
    return render(request, "cases/appointment_slots.html", context, status=status)


@perm_required("cases.change_appointmentslot")
@require_POST
def slot_close(request: HttpRequest, pk: int) -> HttpResponse:
    center = center_or_404(request)
    slot = get_object_or_404(
        scoped(AppointmentSlot.objects.filter(center=center), request.user), pk=pk
    )
    try:
        booking.slot_close(by=request.user, slot=slot)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Slot {slot} closed for booking.").format(slot=booking.slot_text(slot))
        )
    return redirect("cases:appointment_slots")
