"""Appointments (预约): units open slots, including after-hours ones (延时服务); the public books
a seat for an item on the web or the kiosk and may cancel; the window sees the day's list.

Services first (every write), then selectors (every read that computes).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.models import Appointment, AppointmentSlot, AppointmentStatus
from govhall.catalog.models import ServiceItem
from govhall.catalog.search import public_items
from govhall.core.access import Actor, require
from govhall.core.audit import audit_record, snapshot
from govhall.core.calendar import get_calendar
from govhall.core.errors import DomainError
from govhall.core.text import chinese_date, mask_id_number, mask_phone
from govhall.org.hours import hours_of
from govhall.org.models import Center, Unit
from govhall.org.scoping import scoped

A = AppointmentStatus

BOOKING_DAYS = 14  # the public sees and books the next two weeks
MAX_CAPACITY = 500
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the window
CODE_LENGTH = 8
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
ID_NUMBER_RE = re.compile(r"^(\d{17}[\dX]|\d{15})$")


def _now() -> dt.datetime:
    return timezone.now()


def _local_now() -> dt.datetime:
    return timezone.localtime(_now()).replace(tzinfo=None)


def _starts(slot: AppointmentSlot) -> dt.datetime:
    return dt.datetime.combine(slot.date, slot.start)


def slot_text(slot: AppointmentSlot) -> str:
    return f"{chinese_date(slot.date)} {slot.start:%H:%M}–{slot.end:%H:%M}"


# --- slots ----------------------------------------------------------------------------------


def _within_hall_hours(center: Center, day: dt.date, start: dt.time, end: dt.time) -> bool:
    """Inside one of the day's two sessions (a slot across the lunch break is after-hours)."""
    hours = hours_of(center)(day)
    return any(s <= start and end <= e for s, e in hours.sessions())


@transaction.atomic
def slot_open(
    *,
    by: Actor,
    unit: Unit,
    date: dt.date,
    start: dt.time,
    end: dt.time,
    capacity: int,
    after_hours: bool = False,
    item: ServiceItem | None = None,
) -> AppointmentSlot:
    """Open a slot of the unit for booking. A normal slot lies on a working day within the
    hall's hours; an after-hours slot (延时服务: lunchtime, evenings, weekends) need not."""
    require(by, "cases.add_appointmentslot", center_id=unit.center_id, unit_id=unit.pk)
    if item is not None and item.unit_id != unit.pk:
        raise DomainError(_("The item belongs to another unit."), field="item")
    if item is not None and not item.is_public:
        raise DomainError(
            _("{name} is not published: it cannot be booked.").format(name=item.name), field="item"
        )
    if not isinstance(capacity, int) or not 1 <= capacity <= MAX_CAPACITY:
        raise DomainError(_("A slot has 1 to {n} seats.").format(n=MAX_CAPACITY), field="capacity")
    if end <= start:
        raise DomainError(_("The slot must end after it starts."), field="end")
    now = _local_now()
    if dt.datetime.combine(date, start) <= now:
        raise DomainError(_("The slot would start in the past."), field="date")
    if not after_hours:
        if not get_calendar(unit.center_id).is_workday(date):
            raise DomainError(
                _(
                    "{date} is not a working day: open an after-hours slot (延时服务) instead."
                ).format(date=chinese_date(date)),
                field="date",
            )
        if not _within_hall_hours(unit.center, date, start, end):
            hours = hours_of(unit.center)(date)
            raise DomainError(
                _(
                    "The hall is open {m1}–{m2} and {a1}–{a2} that day: a normal slot must lie "
                    "within one of these; open an after-hours slot (延时服务) for other times."
                ).format(
                    m1=f"{hours.morning_start:%H:%M}",
                    m2=f"{hours.morning_end:%H:%M}",
                    a1=f"{hours.afternoon_start:%H:%M}",
                    a2=f"{hours.afternoon_end:%H:%M}",
                ),
                field="start",
            )
    # Lock the unit's row: two chiefs opening overlapping slots at once would both pass the check.
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    clash = AppointmentSlot.objects.filter(
        unit=unit, date=date, is_open=True, start__lt=end, end__gt=start
    ).first()
    if clash is not None:
        raise DomainError(
            _("The unit already has a slot {slot} that overlaps this one.").format(
                slot=slot_text(clash)
            ),
            field="start",
        )
    slot = AppointmentSlot.objects.create(
        center_id=unit.center_id,
        unit=unit,
        item=item,
        date=date,
        start=start,
        end=end,
        capacity=capacity,
        after_hours=after_hours,
    )
    audit_record(
        by=by,
        action="appointment.slot_open",
        obj=slot,
        center_id=unit.center_id,
        after=snapshot(slot),
    )
    return slot


@transaction.atomic
def slot_close(*, by: Actor, slot: AppointmentSlot) -> AppointmentSlot:
    """Stop taking bookings in the slot; the bookings already made stand."""
    require(by, "cases.change_appointmentslot", center_id=slot.center_id, unit_id=slot.unit_id)
    slot = AppointmentSlot.objects.select_for_update().get(pk=slot.pk)
    if not slot.is_open:
        raise DomainError(_("The slot is already closed."), field="slot")
    slot.is_open = False
    slot.save(update_fields=["is_open"])
    audit_record(
        by=by,
        action="appointment.slot_close",
        obj=slot,
        center_id=slot.center_id,
        before={"is_open": True},
        after={"is_open": False},
    )
    return slot


# --- bookings -------------------------------------------------------------------------------


def clean_mobile(phone: str) -> str:
    phone = "".join((phone or "").split())
    if not MOBILE_RE.match(phone):
        raise DomainError(
            _("Enter an 11-digit mobile number: the booking is found again by it."), field="phone"
        )
    return phone


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


@transaction.atomic
def appointment_book(
    *,
    slot: AppointmentSlot,
    item: ServiceItem,
    applicant_name: str,
    phone: str,
    id_number: str = "",
) -> Appointment:
    """Book one seat in an open slot for a public item of the slot's unit (no login)."""
    name = " ".join((applicant_name or "").split())
    if not name:
        raise DomainError(_("Enter the applicant's name."), field="applicant_name")
    if len(name) > 100:
        raise DomainError(_("The applicant's name is too long."), field="applicant_name")
    phone = clean_mobile(phone)
    id_number = (id_number or "").strip().upper()
    if id_number and not ID_NUMBER_RE.match(id_number):
        raise DomainError(
            _("The ID number has 18 characters (or 15 digits on an old card)."),
            field="id_number",
        )
    # The slot's row lock serialises bookings of one slot: the seats are counted after it is
    # taken, so two people cannot both get the last seat.
    slot = AppointmentSlot.objects.select_for_update().select_related("unit").get(pk=slot.pk)
    if item.unit_id != slot.unit_id or (slot.item_id is not None and item.pk != slot.item_id):
        raise DomainError(_("This slot is not for the chosen item."), field="item")
    if not item.is_public:
        raise DomainError(_("{name} cannot be booked.").format(name=item.name), field="item")
    if not slot.is_open:
        raise DomainError(_("This slot is closed for booking."), field="slot")
    if _starts(slot) <= _local_now():
        raise DomainError(_("This slot has already begun: choose a later one."), field="slot")
    live = slot.appointments.filter(status__in=A.holding_a_seat())
    if live.filter(phone=phone).exists():
        raise DomainError(_("This phone number already has a booking in this slot."), field="phone")
    if live.count() >= slot.capacity:
        raise DomainError(_("This slot is fully booked: choose another time."), field="slot")
    for _attempt in range(5):
        try:
            with transaction.atomic():
                appointment = Appointment.objects.create(
                    slot=slot,
                    item=item,
                    applicant_name=name,
                    phone=phone,
                    id_number=id_number,
                    code=_new_code(),
                    created_at=_now(),
                )
            break
        except IntegrityError:
            # A code taken already (rare), or the same phone booking the slot at the same
            # moment; the unique constraints decide.
            if (
                Appointment.objects.filter(slot=slot, phone=phone)
                .exclude(status=A.CANCELLED)
                .exists()
            ):
                raise DomainError(
                    _("This phone number already has a booking in this slot."), field="phone"
                ) from None
    else:
        raise DomainError(_("The booking could not be saved: please try again."))
    audit_record(
        by=None,
        action="appointment.book",
        obj=appointment,
        center_id=slot.center_id,
        after={
            "slot": slot.pk,
            "item": item.pk,
            "code": appointment.code,
            "phone": mask_phone(phone),
            "id_number": mask_id_number(id_number),
        },
    )
    return appointment


@transaction.atomic
def appointment_cancel(*, code: str, phone: str) -> Appointment:
    """Cancel a booking by its code and the phone it was made with; the seat is free again."""
    code = "".join((code or "").split()).upper()
    phone = "".join((phone or "").split())
    appointment = (
        Appointment.objects.select_for_update()
        .select_related("slot")
        .filter(code=code, phone=phone)
        .first()
        if code and phone
        else None
    )
    if appointment is None:
        raise DomainError(
            _("No booking was found with this code and phone number. Check both and try again.")
        )
    if appointment.status == A.CANCELLED:
        raise DomainError(_("This booking was already cancelled."), field="code")
    if appointment.status != A.BOOKED or _starts(appointment.slot) <= _local_now():
        raise DomainError(
            _("The appointment time has begun: the booking can no longer be cancelled."),
            field="code",
        )
    appointment.status = A.CANCELLED
    appointment.cancelled_at = _now()
    appointment.save(update_fields=["status", "cancelled_at"])
    audit_record(
        by=None,
        action="appointment.cancel",
        obj=appointment,
        center_id=appointment.slot.center_id,
        before={"status": A.BOOKED},
        after={"status": A.CANCELLED},
    )
    return appointment


@transaction.atomic
def appointment_mark(*, by: Actor, appointment: Appointment, status: str) -> Appointment:
    """The window records whether the person came (arrived) or not (missed)."""
    slot = appointment.slot
    require(by, "cases.handle_case", center_id=slot.center_id, unit_id=slot.unit_id)
    if status not in (A.ARRIVED, A.MISSED):
        raise DomainError(_("Mark the booking as arrived or missed."), field="status")
    appointment = (
        Appointment.objects.select_for_update().select_related("slot").get(pk=appointment.pk)
    )
    if appointment.status == A.CANCELLED:
        raise DomainError(_("The booking was cancelled."), field="status")
    if appointment.slot.date > _local_now().date():
        raise DomainError(_("The appointment is on a later day."), field="status")
    before = appointment.status
    appointment.status = status
    appointment.marked_at = _now()
    appointment.save(update_fields=["status", "marked_at"])
    audit_record(
        by=by,
        action="appointment.mark",
        obj=appointment,
        center_id=slot.center_id,
        before={"status": before},
        after={"status": status},
    )
    return appointment


# --- selectors ------------------------------------------------------------------------------


def _with_seats(slots: QuerySet[AppointmentSlot]) -> QuerySet[AppointmentSlot]:
    return slots.annotate(
        taken=Count("appointments", filter=Q(appointments__status__in=A.holding_a_seat())),
        seats_left=F("capacity") - F("taken"),
    )


def bookable_slots(
    *, unit: Unit, item: ServiceItem, today: dt.date | None = None, days: int = BOOKING_DAYS
) -> QuerySet[AppointmentSlot]:
    """The unit's open slots for the item in the next `days` days that have not begun, with
    `taken` and `seats_left` (full ones included, so the page can say 已约满)."""
    now = _local_now()
    today = today or now.date()
    last = today + dt.timedelta(days=days - 1)
    slots = AppointmentSlot.objects.filter(
        unit=unit, is_open=True, date__range=(today, last)
    ).filter(Q(item__isnull=True) | Q(item=item))
    slots = slots.filter(Q(date__gt=now.date()) | Q(date=now.date(), start__gt=now.time()))
    return _with_seats(slots).order_by("date", "start", "pk")


def bookable_units(*, center: Center) -> QuerySet[Unit]:
    """Units with at least one public item, in the hall's order."""
    unit_ids = public_items(center=center).values("unit_id")
    return Unit.objects.filter(center=center, is_active=True, pk__in=unit_ids).order_by(
        "position", "sort_key"
    )


def bookable_items(*, center: Center, unit: Unit) -> QuerySet[ServiceItem]:
    """The unit's public items, by name."""
    return public_items(center=center).filter(unit=unit).order_by("sort_key")


def slot_list_for_staff(
    *, user: Any, center: Center, since: dt.date, unit: Unit | None = None
) -> QuerySet[AppointmentSlot]:
    """Slots from `since` on, of the units the person may see, with seats taken."""
    slots = scoped(AppointmentSlot.objects.filter(center=center, date__gte=since), user)
    if unit is not None:
        slots = slots.filter(unit=unit)
    return _with_seats(slots.select_related("unit", "item")).order_by("date", "start", "unit_id")


def appointment_day_list(
    *, user: Any, center: Center, day: dt.date, unit: Unit | None = None
) -> QuerySet[Appointment]:
    """The day's bookings (cancelled ones last) of the units the person may see."""
    appointments = scoped(
        Appointment.objects.filter(slot__center=center, slot__date=day),
        user,
        center="slot__center",
        unit="slot__unit",
    )
    if unit is not None:
        appointments = appointments.filter(slot__unit=unit)
    return appointments.select_related("slot", "slot__unit", "item").order_by(
        "slot__start", "slot__unit__position", "created_at", "pk"
    )


@dataclass(frozen=True)
class DayCount:
    day: dt.date
    slots: int
    seats_left: int


def days_with_slots(slots: QuerySet[AppointmentSlot]) -> list[DayCount]:
    """Per day: how many slots and free seats (from slots annotated by `bookable_slots`)."""
    days: dict[dt.date, list[int]] = {}
    for slot in slots:
        entry = days.setdefault(slot.date, [0, 0])
        entry[0] += 1
        entry[1] += max(0, slot.seats_left)
    return [DayCount(day, n, left) for day, (n, left) in sorted(days.items())]
