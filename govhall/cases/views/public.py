"""Public pages without login (web and kiosk): online supplements, progress lookup and
appointments; plus the staff-only download of uploaded files (never served under MEDIA_URL)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from govhall.cases import appointments as booking
from govhall.cases.models import Appointment, AppointmentSlot, Case, SupplementUpload
from govhall.cases.public_services import (
    MAX_UPLOAD_BYTES,
    MAX_UPLOADS_PER_NOTICE,
    RateLimited,
    notice_accepts_uploads,
    notice_by_token,
    progress_lookup,
    supplement_upload_add,
)
from govhall.catalog.search import public_items
from govhall.core import once
from govhall.core.access import perm_required
from govhall.core.errors import DomainError, form_error
from govhall.core.forms import SingleLineField
from govhall.core.ratelimit import client_ip, hit
from govhall.core.text import mask_name, mask_phone
from govhall.core.uploads import SCANS, file_response
from govhall.org.models import Center
from govhall.org.scoping import scoped

# The kiosk remembers the center chosen on its screen in this cookie (govhall.portal).
KIOSK_CENTER_COOKIE = "kiosk_center"
SESSION_CODES = "service_appointment_codes"
CANCELS_PER_IP = (10, 10 * 60)


def _public_center(request: HttpRequest) -> tuple[Center, list[Center]]:
    """The center the visitor chose (`?center=`, else the kiosk's), or the first one set up."""
    centers = list(Center.objects.filter(is_active=True).order_by("pk"))
    if not centers:
        raise Http404(_("No service center is open yet."))
    by_id = {str(c.pk): c for c in centers}
    asked = request.GET.get("center") or request.COOKIES.get(KIOSK_CENTER_COOKIE, "")
    return by_id.get(asked, centers[0]), centers


def _render(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    center: Center | None = None,
    status: int = 200,
) -> HttpResponse:
    if center is None:
        center = _public_center(request)[0]
    context = {"center": center, "current_center": center, **context}
    return render(request, template, context, status=status)


# --- home -----------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    """What the public can do here without logging in."""
    center, centers = _public_center(request)
    return _render(request, "cases/public_home.html", {"centers": centers}, center=center)


# --- online supplements (网上补正) -------------------------------------------------------------


def _material_index(value: str | None, count: int) -> int | None:
    return int(value) if value and value.isdigit() and int(value) < count else None


@never_cache
@require_http_methods(["GET", "POST"])
def supplement(request: HttpRequest, token: str) -> HttpResponse:
    """The page a 补正告知书's link or QR code opens: the missing materials and an upload form
    for each. The token is the only key; an unknown token is 404."""
    notice = notice_by_token(token)
    if notice is None:
        raise Http404(_("This link is not valid. Check the address on your notice."))
    case = notice.case
    materials = [str(m) for m in notice.materials]
    errors: dict[int, list[str]] = {}
    status = 200
    if request.method == "POST":
        index = _material_index(request.POST.get("material"), len(materials))
        if index is None:
            errors[-1] = [_("Choose one of the missing materials.")]
            status = 400
        else:
            try:
                supplement_upload_add(
                    notice=notice, material=materials[index], file=request.FILES.get("file")
                )
            except DomainError as error:
                errors[index] = [error.message]
            else:
                messages.success(
                    request,
                    _(
                        "“{material}” uploaded. The window will check it and contact you if needed."
                    ).format(material=materials[index]),
                )
                return redirect("service:supplement", token=token)
            notice.refresh_from_db()
    uploads = list(notice.uploads.order_by("uploaded_at", "pk"))
    rows = [
        {
            "index": i,
            "name": name,
            "uploads": [u for u in uploads if u.material == name],
            "errors": errors.get(i, []),
        }
        for i, name in enumerate(materials)
    ]
    context = {
        "notice": notice,
        "case": case,
        "applicant": mask_name(case.applicant_name),
        "rows": rows,
        "general_errors": errors.get(-1, []),
        "open": notice_accepts_uploads(notice),
        "resolved": notice.resolved_at is not None,
        "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        "max_files": MAX_UPLOADS_PER_NOTICE,
        "files_left": max(
            0, MAX_UPLOADS_PER_NOTICE - sum(1 for u in uploads if u.accepted is not False)
        ),
    }
    return _render(
        request, "cases/public_supplement.html", context, center=case.center, status=status
    )


@perm_required("cases.view_case")
def upload_file(request: HttpRequest, pk: int) -> FileResponse:
    """An uploaded supplement, for staff who may see its case (files are never public)."""
    visible = scoped(Case.objects.all(), request.user)
    upload = get_object_or_404(
        SupplementUpload.objects.select_related("notice__case").filter(notice__case__in=visible),
        pk=pk,
    )
    return file_response(
        upload.file,
        name_parts=(upload.notice.case.number, upload.material),
        allowed=SCANS,
        public=False,
    )


# --- progress lookup (办件进度查询) -----------------------------------------------------------


class ProgressForm(forms.Form):
    number = SingleLineField(
        label=gettext_lazy("Case number"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    digits = SingleLineField(
        label=gettext_lazy("Last 4 digits of the phone"),
        max_length=4,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "pattern": "[0-9]{4}", "autocomplete": "off"}
        ),
        help_text=gettext_lazy("The phone number given when the application was made."),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def progress(request: HttpRequest) -> HttpResponse:
    """Case number + the phone's last 4 digits → the case's timeline (POST: the number and the
    digits stay out of addresses, histories and logs)."""
    center, _centers = _public_center(request)
    form = ProgressForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            context["result"] = progress_lookup(
                number=form.cleaned_data["number"],
                digits=form.cleaned_data["digits"],
                client=client_ip(request),
            )
            # An empty form: on the hall's shared screen the next visitor must not find them.
            context["form"] = ProgressForm()
        except RateLimited as error:
            context["limited"] = error.message
            context["form"] = ProgressForm()
            status = 429
        except DomainError as error:
            if error.field:
                form_error(form, error)
            else:
                context["not_found"] = error.message
    response = _render(request, "cases/public_progress.html", context, center=center, status=status)
    if status == 429:
        response["Retry-After"] = "600"
    return response


# --- appointments (预约) ----------------------------------------------------------------------


def _pick(rows: list[Any], wanted: str | None) -> Any:
    return next((r for r in rows if str(r.pk) == (wanted or "")), None)


def appointments(request: HttpRequest) -> HttpResponse:
    """Choose a unit, then an item, then a day's slot with seats left (next 14 days)."""
    center, centers = _public_center(request)
    units = list(booking.bookable_units(center=center))
    unit = _pick(units, request.GET.get("unit"))
    items = list(booking.bookable_items(center=center, unit=unit)) if unit else []
    item = _pick(items, request.GET.get("item"))
    days: list[booking.DayCount] = []
    slots: list[AppointmentSlot] = []
    day = None
    if item is not None:
        all_slots = list(booking.bookable_slots(unit=unit, item=item))
        days = booking.days_with_slots(all_slots)
        wanted = request.GET.get("date", "")
        day = next((d.day for d in days if d.day.isoformat() == wanted), None)
        if day is None:
            day = next((d.day for d in days if d.seats_left > 0), days[0].day if days else None)
        slots = [s for s in all_slots if s.date == day]
    context = {
        "centers": centers,
        "units": units,
        "unit": unit,
        "items": items,
        "item": item,
        "days": days,
        "day": day,
        "slots": slots,
        "booking_days": booking.BOOKING_DAYS,
    }
    return _render(request, "cases/public_appointments.html", context, center=center)


class BookingForm(forms.Form):
    applicant_name = SingleLineField(label=gettext_lazy("Name"), max_length=100)
    phone = SingleLineField(
        label=gettext_lazy("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=gettext_lazy("With the booking code, it lets you cancel the booking."),
    )
    id_number = SingleLineField(
        label=gettext_lazy("ID number (optional)"), max_length=18, required=False
    )


@require_http_methods(["GET", "POST"])
def appointment_book(request: HttpRequest, slot_id: int) -> HttpResponse:
    """Book a seat in the slot for the chosen item."""
    slot = get_object_or_404(
        AppointmentSlot.objects.select_related("unit", "center"), pk=slot_id, is_open=True
    )
    wanted = request.GET.get("item", "")
    item = get_object_or_404(
        public_items(center=slot.center).filter(unit_id=slot.unit_id),
        pk=int(wanted) if wanted.isdigit() else 0,
    )
    form = BookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            # A second click on the same page shows the first booking's code.
            code = once.submit_once(
                request=request,
                purpose="cases.appointment_book",
                create=lambda: (
                    booking.appointment_book(slot=slot, item=item, **form.cleaned_data).code
                ),
            ).result
        except DomainError as error:
            form_error(form, error)
        else:
            if code not in request.session.get(SESSION_CODES, []):
                codes = [*request.session.get(SESSION_CODES, [])[-9:], code]
                request.session[SESSION_CODES] = codes
            return redirect("service:appointment_done", code=code)
    # A POST that gets here is refused: the form again, with what was wrong on it.
    status = 400 if request.method == "POST" else 200
    seats = booking.bookable_slots(unit=slot.unit, item=item).filter(pk=slot.pk).first()
    context = {
        "slot": slot,
        "item": item,
        "form": form,
        "seats_left": seats.seats_left if seats is not None else 0,
        "back": reverse("service:appointments")
        + f"?center={slot.center_id}&unit={slot.unit_id}&item={item.pk}&date={slot.date:%Y-%m-%d}",
    }
    return _render(
        request, "cases/public_appointment_book.html", context, center=slot.center, status=status
    )


@never_cache
def appointment_done(request: HttpRequest, code: str) -> HttpResponse:
    """The booking code and the appointment, shown to the browser that booked it."""
    if code not in request.session.get(SESSION_CODES, []):
        raise Http404(_("No booking to show."))
    appointment = get_object_or_404(
        Appointment.objects.select_related("slot", "slot__unit", "slot__center", "item"), code=code
    )
    context = {
        "appointment": appointment,
        "slot": appointment.slot,
        "applicant": mask_name(appointment.applicant_name),
        "phone": mask_phone(appointment.phone),
    }
    return _render(
        request, "cases/public_appointment_done.html", context, center=appointment.slot.center
    )


class CancelForm(forms.Form):
    code = SingleLineField(
        label=gettext_lazy("Booking code"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    phone = SingleLineField(
        label=gettext_lazy("Mobile phone used for the booking"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def appointment_cancel(request: HttpRequest) -> HttpResponse:
    """Cancel a booking by its code and phone; the seat is free again."""
    center, _centers = _public_center(request)
    form = CancelForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    context: dict[str, Any] = {"form": form}
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    if request.method == "POST" and form.is_valid():
        limit, window = CANCELS_PER_IP
        if not hit(f"cancel:ip:{client_ip(request)}", limit, window):
            context["limited"] = _(
                "Too many attempts. Please try again later, or ask at the hall's window."
            )
            status = 429
        else:
            try:
                appointment = booking.appointment_cancel(**form.cleaned_data)
            except DomainError as error:
                form_error(form, error)
                status = 400
            else:
                context["cancelled"] = appointment
                center = appointment.slot.center
    return _render(
        request, "cases/public_appointment_cancel.html", context, center=center, status=status
    )
