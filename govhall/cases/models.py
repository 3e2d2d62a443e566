"""Cases (办件) handled at the windows, their clocks and timeline, and consultations (咨询)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.cases.choices import (
    CaseSource,
    CaseStatus,
    Channel,
    ConsultationChannel,
    Result,
    SuspensionKind,
)
from govhall.catalog.choices import HandlingType
from govhall.catalog.models import ItemVersion, ServiceItem
from govhall.core.crypto import EncryptedTextField
from govhall.org.models import Center, Staff, Unit, Window

DAYS = {"max_digits": 6, "decimal_places": 1, "default": Decimal("0")}


class Case(models.Model):
    """One application handled at a window, from receipt to its close."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="cases"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="cases"
    )
    window = models.ForeignKey(
        Window,
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    number = models.CharField(_("case number"), max_length=32)
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="cases"
    )
    # The version the case was received under: later catalog changes do not alter its rules.
    item_version = models.ForeignKey(
        ItemVersion, verbose_name=_("item version"), on_delete=models.PROTECT, related_name="cases"
    )
    handling_type = models.CharField(
        _("handling type"), max_length=16, choices=HandlingType.choices
    )
    promised_days = models.DecimalField(
        _("promised limit (working days)"), max_digits=5, decimal_places=1
    )
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.WINDOW
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.RECEIVED
    )
    source = models.CharField(
        _("source"), max_length=8, choices=CaseSource.choices, default=CaseSource.APP
    )

    applicant_name = models.CharField(_("applicant"), max_length=100)
    # Encrypted at rest (core.crypto); shown in full only with cases.view_id_number.
    applicant_id_number = EncryptedTextField(_("ID number"), max_length=32, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    agent_name = models.CharField(_("agent"), max_length=100, blank=True)
    agent_id_number = EncryptedTextField(_("agent ID number"), max_length=32, blank=True)
    agent_phone = models.CharField(_("agent phone"), max_length=20, blank=True)

    received_at = models.DateTimeField(_("received"))
    received_by = models.ForeignKey(
        Staff,
        verbose_name=_("received by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        Staff,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_accepted",
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(
        Staff,
        verbose_name=_("completed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices, blank=True)
    close_reason = models.TextField(_("reason"), blank=True)

    # The clock: due_at is recomputed by the services whenever a pause or extension changes it.
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    paused_days = models.DecimalField(_("days paused"), **DAYS)
    extension_days = models.DecimalField(_("days extended"), **DAYS)
    paused_since = models.DateTimeField(_("paused since"), null=True, blank=True)
    notice_due = models.DateField(
        _("supplement notice due"),
        null=True,
        blank=True,
        help_text=_(
            "Missing materials must be listed within 5 working days of receipt (第三十二条)."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(
                fields=["center", "number"], name="case_unique_number_in_center"
            ),
        ]
        indexes = [
            # (center, accepted_at, id): month counts and keyset pages ordered by acceptance.
            # INCLUDE makes the month counts index-only scans on PostgreSQL (SQLite ignores it).
            models.Index(
                fields=["center", "accepted_at", "id"],
                name="case_center_accepted_id",
                include=["unit", "status"],
            ),
            models.Index(
                fields=["center", "completed_at"],
                name="case_center_completed",
                include=["unit", "handling_type"],
            ),
            models.Index(
                fields=["center", "unit", "accepted_at"], name="case_center_unit_accepted"
            ),
            # The case list's order (-received_at, -pk), read backwards by keyset pages.
            models.Index(fields=["center", "received_at", "id"], name="case_center_received_id"),
            models.Index(
                fields=["center", "closed_at"],
                name="case_center_closed",
                include=["unit", "status"],
            ),
            models.Index(fields=["unit", "status"], name="case_unit_status"),
            # Open promised cases by due date: what supervision reads every day.
            models.Index(
                fields=["center", "due_date"],
                name="case_open_due",
                condition=Q(status__in=["accepted", "in_progress", "suspended"]),
            ),
        ]
        permissions = [
            ("handle_case", "Can receive, accept and complete cases at a window"),
            ("view_id_number", "Can see applicants' full ID numbers"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in CaseStatus.open()

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None


class CaseCounter(models.Model):
    """The last sequence number given to a unit's cases on one day (locked while numbering)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="case_counter_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id}:{self.day}:{self.last}"


class CaseEvent(models.Model):
    """One line of a case's timeline, as the applicant and the supervisor read it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"))
    action = models.CharField(_("action"), max_length=32)
    by_name = models.CharField(_("by"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"


class CaseStep(models.Model):
    """The record of one process step of the item: who handled it, the result and the opinion."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("step"), max_length=60)
    handler = models.ForeignKey(
        Staff,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handler_name = models.CharField(_("handler"), max_length=100, blank=True)
    result = models.CharField(_("result"), max_length=100, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    done_at = models.DateTimeField(_("done"))

    class Meta:
        ordering = ["done_at", "pk"]
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")

    def __str__(self) -> str:
        return self.name


class Pause(models.Model):
    """A stretch during which the case's clock stood still: 特别程序 or a supplement after acceptance."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(_("kind"), max_length=16, choices=SuspensionKind.choices)
    reason = models.TextField(_("reason"))
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    workdays = models.PositiveIntegerField(_("working days"), default=0)

    class Meta:
        ordering = ["started_at"]
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(ended_at__isnull=True), name="pause_one_open_per_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class Extension(models.Model):
    """延期 (行政许可法 第四十二条): extra working days approved by the unit's head."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="extension")
    days = models.PositiveSmallIntegerField(_("days"), default=10)
    reason = models.TextField(_("reason"))
    approved_by = models.CharField(_("approved by"), max_length=100)
    granted_at = models.DateTimeField(_("granted"))

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")

    def __str__(self) -> str:
        return f"{self.case_id} +{self.days}"


class SupplementNotice(models.Model):
    """一次性告知书: one written list of every missing material, with an upload link for the applicant."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="supplements")
    materials = models.JSONField(_("missing materials"))
    note = models.TextField(_("note"), blank=True)
    issued_at = models.DateTimeField(_("issued"))
    after_acceptance = models.BooleanField(default=False)
    token = models.CharField(max_length=43, unique=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("supplement notice")
        verbose_name_plural = _("supplement notices")

    def __str__(self) -> str:
        return f"{self.case_id} {self.issued_at:%Y-%m-%d}"


class SupplementUpload(models.Model):
    """A file the applicant sent through the notice's link, for the window to check."""

    notice = models.ForeignKey(SupplementNotice, on_delete=models.CASCADE, related_name="uploads")
    material = models.CharField(_("material"), max_length=200)
    file = models.FileField(_("file"), upload_to="cases/supplements/%Y/%m/")
    uploaded_at = models.DateTimeField(_("uploaded"))
    accepted = models.BooleanField(_("accepted"), null=True)
    review_note = models.CharField(_("review note"), max_length=400, blank=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("supplement upload")
        verbose_name_plural = _("supplement uploads")

    def __str__(self) -> str:
        return self.material


class Consultation(models.Model):
    """咨询: enquiries at a window, counted in person-times (人次)."""

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="consultations")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="consultations"
    )
    staff = models.ForeignKey(
        Staff,
        verbose_name=_("staff"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("time"))
    person_times = models.PositiveIntegerField(_("person-times"), default=1)
    topic = models.CharField(_("topic"), max_length=400, blank=True)
    channel = models.CharField(
        _("channel"),
        max_length=16,
        choices=ConsultationChannel.choices,
        default=ConsultationChannel.WINDOW,
    )

    class Meta:
        ordering = ["-at"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        indexes = [models.Index(fields=["center", "at"], name="consultation_center_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(person_times__gte=1), name="consultation_at_least_one"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.at:%Y-%m-%d} ×{self.person_times}"


# --- appointments (预约) ----------------------------------------------------------------------


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    ARRIVED = "arrived", _("Arrived")
    MISSED = "missed", _("Did not come")

    @classmethod
    def holding_a_seat(cls) -> list[str]:
        """Every status but cancelled takes one of the slot's seats."""
        return [cls.BOOKED, cls.ARRIVED, cls.MISSED]


class AppointmentSlot(models.Model):
    """A stretch of time a unit opens for appointments, with a number of seats; after-hours
    slots (延时服务) lie outside the hall's hours, at lunch, in the evening or at weekends."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="appointment_slots"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="appointment_slots"
    )
    # Empty: any of the unit's public items may be booked in the slot.
    item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointment_slots",
    )
    date = models.DateField(_("date"))
    start = models.TimeField(_("starts"))
    end = models.TimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("seats"), default=1)
    after_hours = models.BooleanField(_("after-hours service"), default=False)
    is_open = models.BooleanField(_("open for booking"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "start", "pk"]
        verbose_name = _("appointment slot")
        verbose_name_plural = _("appointment slots")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="slot_capacity_at_least_one"),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="slot_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "date"], name="slot_unit_date"),
            models.Index(fields=["center", "date"], name="slot_center_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.start:%H:%M}–{self.end:%H:%M}"


class Appointment(models.Model):
    """One booking of a seat in a slot, found again by its short code and the phone number."""

    slot = models.ForeignKey(
        AppointmentSlot,
        verbose_name=_("slot"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="appointments"
    )
    applicant_name = models.CharField(_("applicant"), max_length=100)
    phone = models.CharField(_("mobile phone"), max_length=11)
    id_number = EncryptedTextField(_("ID number"), max_length=18, blank=True)
    code = models.CharField(_("booking code"), max_length=12, unique=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
    )
    created_at = models.DateTimeField(_("booked"))
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    marked_at = models.DateTimeField(_("marked"), null=True, blank=True)

    class Meta:
        ordering = ["slot__date", "slot__start", "created_at", "pk"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [
            # One live booking per phone and slot; a cancelled one may be booked again.
            models.UniqueConstraint(
                fields=["slot", "phone"],
                condition=~Q(status="cancelled"),
                name="appointment_one_per_phone_and_slot",
            ),
        ]
        indexes = [models.Index(fields=["slot", "status"], name="appointment_slot_status")]

    def __str__(self) -> str:
        return self.code
