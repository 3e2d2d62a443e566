"""Window staff at work: attendance punches, leave and its approval, outings, A/B vacancies."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govhall.org.models import Center, Post, Staff, Unit, Window
from govhall.staffing.choices import (
    ApprovalLevel,
    DayPart,
    Half,
    LeaveKind,
    LeaveSpan,
    LeaveStatus,
    PunchKind,
    PunchSource,
    RecordSource,
    VacancyHalf,
)
from govhall.staffing.rules import DEFAULT_NETWORKS


class AttendanceSettings(models.Model):
    """A center's attendance settings: the hall's networks and who signs as the center's leader."""

    center = models.OneToOneField(
        Center,
        verbose_name=_("center"),
        on_delete=models.CASCADE,
        related_name="attendance_settings",
    )
    networks = models.TextField(
        _("hall networks"),
        default=DEFAULT_NETWORKS,
        help_text=_(
            "Clocking in and out from one's own page is accepted only from these addresses: "
            "one network per line, e.g. 192.168.10.0/24."
        ),
    )
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("center leaders"),
        blank=True,
        related_name="+",
        help_text=_("Office accounts that sign the center leader's step of leave approvals."),
    )

    class Meta:
        verbose_name = _("attendance settings")
        verbose_name_plural = _("attendance settings")

    def __str__(self) -> str:
        return str(self.center)


class AttendanceRecord(models.Model):
    """One clock-in or clock-out (打卡) of a staff member."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ForeignKey(
        Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="punches"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=PunchKind.choices)
    at = models.DateTimeField(_("time"))
    source = models.CharField(_("source"), max_length=12, choices=PunchSource.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    remote_addr = models.GenericIPAddressField(_("address"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["staff", "at"]
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        permissions = [("clock_attendance", _("Can clock in and out on one's own page"))]
        constraints = [
            models.UniqueConstraint(fields=["staff", "at", "kind"], name="punch_unique"),
        ]
        indexes = [
            models.Index(fields=["center", "date"]),
            models.Index(fields=["staff", "date"]),
        ]

    def __str__(self) -> str:
        return (
            f"{self.staff} {self.get_kind_display()} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"
        )


class LeaveRule(models.Model):
    """Where a center's leave approval chain ends: leaves of a kind, up to some days, go up to
    a level (the chain always runs from the unit's chief up to it)."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.CASCADE, related_name="leave_rules"
    )
    kind = models.CharField(
        _("leave type"),
        max_length=16,
        choices=LeaveKind.choices,
        blank=True,
        help_text=_("Empty: every type without a rule of its own."),
    )
    max_days = models.DecimalField(
        _("up to (working days)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Empty: any length."),
    )
    level = models.CharField(_("last approver"), max_length=12, choices=ApprovalLevel.choices)

    class Meta:
        ordering = ["center", "kind", F("max_days").asc(nulls_last=True)]
        verbose_name = _("leave approval rule")
        verbose_name_plural = _("leave approval rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_days__isnull=True) | Q(max_days__gt=0),
                name="leave_rule_positive_days",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display() or '*'} ≤ {self.max_days or '∞'} → {self.get_level_display()}"


class Leave(models.Model):
    """请假: an absence of whole days, half days or hours, counted in working days."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ForeignKey(
        Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="leaves"
    )
    kind = models.CharField(_("leave type"), max_length=16, choices=LeaveKind.choices)
    span = models.CharField(
        _("taken in"), max_length=8, choices=LeaveSpan.choices, default=LeaveSpan.DAYS
    )
    start_date = models.DateField(_("from"))
    start_half = models.CharField(
        _("from half"), max_length=2, choices=Half.choices, default=Half.AM
    )
    end_date = models.DateField(_("to"))
    end_half = models.CharField(_("to half"), max_length=2, choices=Half.choices, default=Half.PM)
    start_time = models.TimeField(_("from time"), null=True, blank=True)
    end_time = models.TimeField(_("to time"), null=True, blank=True)
    days = models.DecimalField(_("working days"), max_digits=6, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=LeaveStatus.choices, default=LeaveStatus.PENDING
    )
    source = models.CharField(_("source"), max_length=8, choices=RecordSource.choices)
    chain = models.CharField(_("approval chain"), max_length=60, blank=True)
    step = models.CharField(_("awaiting"), max_length=12, choices=ApprovalLevel.choices, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    note_scan = models.FileField(
        _("stamped approval note"), upload_to="staffing/leave-notes/%Y/%m/", blank=True
    )
    note_type = models.CharField(_("note file type"), max_length=40, blank=True)
    note_on_file = models.BooleanField(
        _("paper note on file"),
        default=False,
        help_text=_("The unit's stamped note is kept on paper by the office (imported history)."),
    )
    cover = models.ForeignKey(
        Staff,
        verbose_name=_("covered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.CharField(_("cancellation reason"), max_length=200, blank=True)
    original_end_date = models.DateField(_("originally to"), null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("leave")
        verbose_name_plural = _("leave")
        permissions = [
            ("request_leave", _("Can ask for leave for oneself")),
            ("approve_leave", _("Can approve leave")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="leave_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(days__gt=0), name="leave_counts_days"),
        ]
        indexes = [
            models.Index(fields=["center", "status", "start_date"]),
            models.Index(fields=["staff", "start_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.get_kind_display()} {self.start_date:%Y-%m-%d}"

    @property
    def chain_levels(self) -> list[str]:
        return [level for level in self.chain.split(",") if level]

    @property
    def has_note(self) -> bool:
        return bool(self.note_scan) or self.note_on_file

    @property
    def is_open(self) -> bool:
        return self.status in {LeaveStatus.PENDING, LeaveStatus.APPROVED}


class LeaveDay(models.Model):
    """One working day a leave takes (whole, a half, or hours) and what it counts: the figures
    of a month are one sum over these rows."""

    leave = models.ForeignKey(
        Leave, verbose_name=_("leave"), on_delete=models.CASCADE, related_name="leave_days"
    )
    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("date"))
    part = models.CharField(_("part"), max_length=8, choices=DayPart.choices)
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    amount = models.DecimalField(_("working days"), max_digits=4, decimal_places=2)

    class Meta:
        ordering = ["date"]
        verbose_name = _("leave day")
        verbose_name_plural = _("leave days")
        constraints = [
            models.UniqueConstraint(fields=["leave", "date"], name="leave_day_unique"),
        ]
        indexes = [
            models.Index(fields=["center", "date"]),
            models.Index(fields=["staff", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.leave_id} {self.date} {self.part}"


class LeaveApproval(models.Model):
    """One signed step of a leave's approval chain (or its rejection)."""

    leave = models.ForeignKey(
        Leave, verbose_name=_("leave"), on_delete=models.CASCADE, related_name="approvals"
    )
    level = models.CharField(_("step"), max_length=12, choices=ApprovalLevel.choices)
    approved = models.BooleanField(_("approved"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by_name = models.CharField(_("by"), max_length=150)
    substitute = models.BooleanField(
        _("as substitute"),
        default=False,
        help_text=_("Signed by the next level up because the step's approver was away."),
    )
    at = models.DateTimeField(_("time"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    month_total = models.DecimalField(
        _("month total when signed"), max_digits=6, decimal_places=2, null=True
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("leave approval")
        verbose_name_plural = _("leave approvals")

    def __str__(self) -> str:
        return f"{self.leave_id} {self.level} {self.by_name}"


class Outing(models.Model):
    """外出办事登记: leaving the post on business, and coming back."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ForeignKey(
        Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="outings"
    )
    out_at = models.DateTimeField(_("went out"))
    out_date = models.DateField(_("date"))
    back_at = models.DateTimeField(_("came back"), null=True, blank=True)
    returned_late = models.BooleanField(
        _("closed after its day"),
        default=False,
        help_text=_("The return was registered on a later day than the outing."),
    )
    reason = models.CharField(_("reason"), max_length=200)
    cover = models.ForeignKey(
        Staff,
        verbose_name=_("covered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=8, choices=RecordSource.choices)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered"))

    class Meta:
        ordering = ["-out_at"]
        verbose_name = _("outing")
        verbose_name_plural = _("outings")
        permissions = [("register_outing", _("Can register one's own outings"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(back_at__isnull=True) | Q(back_at__gt=F("out_at")),
                name="outing_back_after_out",
            ),
        ]
        indexes = [
            models.Index(fields=["center", "out_date"]),
            models.Index(fields=["staff", "out_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.staff} {timezone.localtime(self.out_at):%Y-%m-%d %H:%M}"


class Vacancy(models.Model):
    """空岗: a post whose holder and backup were both away, with nobody named to cover."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    window = models.ForeignKey(
        Window, verbose_name=_("window"), on_delete=models.PROTECT, related_name="+"
    )
    post = models.ForeignKey(
        Post,
        verbose_name=_("A/B post"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="vacancies",
    )
    primary = models.ForeignKey(
        Staff, verbose_name=_("A role (holder)"), on_delete=models.PROTECT, related_name="+"
    )
    backup = models.ForeignKey(
        Staff, verbose_name=_("B role (backup)"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    half = models.CharField(_("when"), max_length=8, choices=VacancyHalf.choices)
    minutes = models.PositiveIntegerField(_("minutes empty"))
    reason = models.CharField(_("reason"), max_length=400)
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["-date", "unit__position", "window"]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        constraints = [
            models.UniqueConstraint(
                fields=["window", "primary", "backup", "date"], name="vacancy_unique_per_day"
            ),
        ]
        indexes = [models.Index(fields=["center", "date"])]

    def __str__(self) -> str:
        return f"{self.window} {self.date} {self.half}"
