"""The queue (排队叫号): categories, tickets, calls at windows, pauses, and what they prove."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.cases.models import Appointment, Case, Consultation
from govhall.catalog.models import ServiceItem
from govhall.feedback.models import Rating
from govhall.org.models import Center, Staff, Unit, Window
from govhall.queueing.choices import (
    AlertKind,
    CallKind,
    PauseReason,
    Priority,
    TicketChannel,
    TicketStatus,
)
from govhall.staffing.models import Outing, Vacancy


class QueueSettings(models.Model):
    """A center's queue rules: ticketing hours within hall hours, 过号, and the supervision limits."""

    center = models.OneToOneField(
        Center, verbose_name=_("center"), on_delete=models.CASCADE, related_name="queue_settings"
    )
    # Empty: from the hall's opening (morning) to its closing (afternoon), HallHours of the day.
    ticketing_opens = models.TimeField(
        _("ticketing opens"),
        null=True,
        blank=True,
        help_text=_("Empty: when the hall opens in the morning."),
    )
    ticketing_closes = models.TimeField(
        _("ticketing closes"),
        null=True,
        blank=True,
        help_text=_("Empty: when the hall closes in the afternoon."),
    )
    skip_back_places = models.PositiveSmallIntegerField(
        _("places a missed number goes back"), default=3
    )
    max_skips = models.PositiveSmallIntegerField(
        _("missed calls before a number is dropped"), default=2
    )
    wait_limit_minutes = models.PositiveSmallIntegerField(
        _("longest acceptable wait (minutes)"), default=30
    )
    idle_minutes = models.PositiveSmallIntegerField(
        _("minutes without a call that make an idle window"), default=15
    )
    late_opening_minutes = models.PositiveSmallIntegerField(
        _("minutes after opening a first call counts as late"), default=20
    )
    minutes_per_ticket = models.PositiveSmallIntegerField(
        _("expected minutes per applicant"),
        default=6,
        help_text=_("Used to estimate waits until the day has served enough applicants."),
    )

    class Meta:
        verbose_name = _("queue settings")
        verbose_name_plural = _("queue settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ticketing_opens__isnull=True)
                | Q(ticketing_closes__isnull=True)
                | Q(ticketing_closes__gt=models.F("ticketing_opens")),
                name="queue_ticketing_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(wait_limit_minutes__gte=1)
                & Q(idle_minutes__gte=1)
                & Q(minutes_per_ticket__gte=1),
                name="queue_limits_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(self.center)


class QueueCategory(models.Model):
    """业务类别: a letter the tickets carry (A, B …), the items or units it covers, the windows
    that serve it."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="queue_categories"
    )
    code = models.CharField(_("letter"), max_length=2)
    name = models.CharField(_("name"), max_length=60)
    units = models.ManyToManyField(
        Unit, verbose_name=_("units"), blank=True, related_name="queue_categories"
    )
    items = models.ManyToManyField(
        ServiceItem, verbose_name=_("items"), blank=True, related_name="queue_categories"
    )
    windows = models.ManyToManyField(
        Window, verbose_name=_("windows"), blank=True, related_name="queue_categories"
    )
    position = models.PositiveSmallIntegerField(_("display order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("queue category")
        verbose_name_plural = _("queue categories")
        constraints = [
            models.UniqueConstraint(fields=["center", "code"], name="queue_category_unique_code"),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{1,2}$"), name="queue_category_code_letters"
            ),
        ]
        permissions = [
            ("call_ticket", "Can call tickets at a window"),
            ("view_queue_screen", "Can open the hall's queue screens"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Ticket(models.Model):
    """One number taken by an applicant (A012), from the kiosk, a phone or a device."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="tickets"
    )
    category = models.ForeignKey(
        QueueCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="tickets"
    )
    day = models.DateField(_("day"))
    # The letter the number was taken under: a transfer changes the category, not the number.
    series = models.CharField(_("letter"), max_length=2)
    seq = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("number"), max_length=8)
    # The public key of the ticket's live page (the QR code on the ticket): never the pk.
    token = models.CharField(max_length=32, unique=True)
    channel = models.CharField(_("channel"), max_length=8, choices=TicketChannel.choices)
    phone = models.CharField(_("mobile phone"), max_length=11, blank=True)
    appointment = models.ForeignKey(
        Appointment,
        verbose_name=_("appointment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    priority = models.CharField(
        _("priority"), max_length=12, choices=Priority.choices, blank=True, default=""
    )
    # The call order: priority rank first, then place (issue time in microseconds; a missed
    # number is put back behind the next few waiting tickets by raising its place).
    rank = models.PositiveSmallIntegerField(default=2)
    place = models.BigIntegerField()
    status = models.CharField(
        _("status"), max_length=12, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    issued_at = models.DateTimeField(_("taken"))
    # Set for a ticket sent to one window (转窗口): only that window calls it.
    target_window = models.ForeignKey(
        Window,
        verbose_name=_("sent to window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    first_called_at = models.DateTimeField(_("first called"), null=True, blank=True)
    # From taking the number to the first call, kept so that month figures are SQL aggregates.
    wait_seconds = models.PositiveIntegerField(_("wait (seconds)"), null=True, blank=True)
    called_at = models.DateTimeField(_("called"), null=True, blank=True)
    window = models.ForeignKey(
        Window,
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    staff = models.ForeignKey(
        Staff,
        verbose_name=_("staff"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    skips = models.PositiveSmallIntegerField(_("missed calls"), default=0)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    rating = models.ForeignKey(
        Rating,
        verbose_name=_("rating"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )

    class Meta:
        ordering = ["day", "category__position", "seq"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        constraints = [
            models.UniqueConstraint(
                fields=["center", "series", "day", "seq"], name="ticket_unique_number_per_day"
            ),
        ]
        indexes = [
            # The call: the next waiting ticket of a category, in order.
            models.Index(
                fields=["category", "day", "rank", "place"],
                condition=Q(status="waiting"),
                name="ticket_waiting_order",
            ),
            models.Index(fields=["center", "day", "status"], name="ticket_center_day"),
            models.Index(fields=["window", "day"], name="ticket_window_day"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def wait(self) -> dt.timedelta | None:
        """From taking the number to its first call."""
        if self.first_called_at is None:
            return None
        return self.first_called_at - self.issued_at


class Call(models.Model):
    """One event at a window for a ticket: each call (and call again) is announced on the
    screens; the log is what the screens poll."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.PROTECT, related_name="calls"
    )
    window = models.ForeignKey(
        Window, verbose_name=_("window"), on_delete=models.PROTECT, related_name="calls"
    )
    staff = models.ForeignKey(
        Staff,
        verbose_name=_("staff"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("what"), max_length=10, choices=CallKind.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        indexes = [
            models.Index(fields=["center", "at"], name="call_center_at"),
            models.Index(fields=["window", "at"], name="call_window_at"),
            # The screens' feed, twice a second per screen: the announced calls after the last
            # one seen, newest first.
            models.Index(
                fields=["center", "id"],
                condition=Q(kind__in=["call", "recall"]),
                name="call_center_announced",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket} {self.kind}"

    @property
    def announces(self) -> bool:
        return self.kind in (CallKind.CALL, CallKind.RECALL)


class WindowPause(models.Model):
    """暂停服务 at a window (午休, 外出, 培训 …): no calls until it is resumed."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    window = models.ForeignKey(
        Window, verbose_name=_("window"), on_delete=models.PROTECT, related_name="pauses"
    )
    staff = models.ForeignKey(
        Staff,
        verbose_name=_("staff"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=10, choices=PauseReason.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    outing = models.ForeignKey(
        Outing,
        verbose_name=_("outing"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("paused"))
    ended_at = models.DateTimeField(_("resumed"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("window pause")
        verbose_name_plural = _("window pauses")
        constraints = [
            models.UniqueConstraint(
                fields=["window"], condition=Q(ended_at__isnull=True), name="pause_one_open"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="pause_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.window} {self.get_reason_display()}"


class QueueAlert(models.Model):
    """What the queue proves, derived and never typed: a long wait, a window idle while people
    wait for it (recorded as 空岗), a window whose first call came late."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("what"), max_length=14, choices=AlertKind.choices)
    day = models.DateField(_("day"))
    window = models.ForeignKey(
        Window,
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("ticket"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alerts",
    )
    vacancy = models.ForeignKey(
        Vacancy,
        verbose_name=_("vacancy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    minutes = models.PositiveIntegerField(_("minutes"))
    # From when: the idle stretch's start, the long wait's issue time, the day's opening.
    since = models.DateTimeField(_("since"))
    at = models.DateTimeField(_("raised"))
    detail = models.CharField(_("detail"), max_length=300)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("queue alert")
        verbose_name_plural = _("queue alerts")
        constraints = [
            # Each fact once: one long-wait alert per ticket, one late opening per window and
            # day, one idle stretch per window and start.
            models.UniqueConstraint(
                fields=["kind", "ticket"],
                condition=Q(ticket__isnull=False),
                name="queue_alert_once_per_ticket",
            ),
            models.UniqueConstraint(
                fields=["kind", "window", "day", "since"],
                condition=Q(ticket__isnull=True),
                name="queue_alert_once_per_window_stretch",
            ),
        ]
        indexes = [models.Index(fields=["center", "day"], name="queue_alert_center_day")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day}"
