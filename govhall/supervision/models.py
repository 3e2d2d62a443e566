"""Electronic supervision (电子监察): deadline warnings, their appeals, and in-app alerts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.cases.models import Case
from govhall.org.models import Center, Unit
from govhall.supervision.choices import (
    AppealDecision,
    WarningLevel,
    WarningStatus,
    WithdrawReason,
)


class SupervisionSettings(models.Model):
    """A center's supervision thresholds (the office may tighten or relax the yellow card)."""

    center = models.OneToOneField(
        Center,
        verbose_name=_("center"),
        on_delete=models.CASCADE,
        related_name="supervision_settings",
    )
    yellow_days = models.PositiveSmallIntegerField(
        _("yellow card threshold (working days)"),
        default=1,
        help_text=_(
            "A case gets a yellow card on its deadline day and on this many working days before it."
        ),
    )

    class Meta:
        verbose_name = _("supervision settings")
        verbose_name_plural = _("supervision settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(yellow_days__lte=10), name="supervision_yellow_days_at_most_10"
            )
        ]

    def __str__(self) -> str:
        return f"{self.center_id}: {self.yellow_days}"


class Warning(models.Model):
    """A yellow or red card against one case, with a life of its own: issued, then supervised
    (督办), withdrawn (case closed, or superseded by red) or cancelled (appeal accepted)."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="warnings"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="warnings"
    )
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="warnings"
    )
    level = models.CharField(_("level"), max_length=8, choices=WarningLevel.choices)
    issued_on = models.DateField(_("issued on"))
    deadline = models.DateField(_("deadline"))
    issued_at = models.DateTimeField(_("issued"))
    status = models.CharField(
        _("status"), max_length=16, choices=WarningStatus.choices, default=WarningStatus.ISSUED
    )

    supervised_at = models.DateTimeField(_("supervised"), null=True, blank=True)
    supervised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervised by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    supervision_note = models.TextField(_("supervision note"), blank=True)

    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdraw_reason = models.CharField(
        _("reason for withdrawal"), max_length=16, choices=WithdrawReason.choices, blank=True
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_on", "level", "deadline", "pk"]
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "level"], name="warning_one_per_case_and_level"
            ),
            models.CheckConstraint(
                condition=Q(level__in=WarningLevel.values), name="warning_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=WarningStatus.values), name="warning_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=WarningStatus.SUPERVISED) | Q(supervised_at__isnull=False),
                name="warning_supervised_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["center", "issued_on"], name="warning_center_issued"),
            models.Index(fields=["center", "status", "unit"], name="warning_center_status"),
            # The supervision list's order, so keyset pages read the index at any depth.
            models.Index(
                fields=["center", "-issued_on", "level", "deadline", "-id"],
                name="warning_center_list",
            ),
        ]
        permissions = [
            ("supervise_warning", "Can supervise (督办) warnings"),
            ("appeal_warning", "Can appeal a warning of the unit"),
            ("decide_appeal", "Can accept or reject appeals"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.case_id}"

    @property
    def is_active(self) -> bool:
        return self.status in WarningStatus.active()

    @property
    def counts(self) -> bool:
        """Whether the card counts against the unit (monthly counts, scoring)."""
        return (
            self.status != WarningStatus.CANCELLED
            and self.withdraw_reason != WithdrawReason.SUPERSEDED
        )


class Appeal(models.Model):
    """申诉: the unit states why a warning is unjust; the office accepts (the warning is
    cancelled) or rejects it (the warning stands). One appeal per warning."""

    warning = models.OneToOneField(
        Warning, verbose_name=_("warning"), on_delete=models.CASCADE, related_name="appeal"
    )
    reason = models.TextField(_("reason"))
    # A scan, photo or document backing the reason (the applicant's written request for delay
    # …), stored under a random name and served only to those who may read the warning.
    evidence = models.FileField(_("evidence"), upload_to="supervision/appeals/%Y/%m/", blank=True)
    appealed_at = models.DateTimeField(_("appealed"))
    appealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appealed by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.CharField(
        _("decision"),
        max_length=16,
        choices=AppealDecision.choices,
        default=AppealDecision.PENDING,
    )
    decision_note = models.TextField(_("decision note"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-appealed_at"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision=AppealDecision.PENDING) | Q(decided_at__isnull=False),
                name="appeal_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.warning_id} {self.decision}"


class Alert(models.Model):
    """A notice in the app for one person (a new warning against their unit)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="alerts",
    )
    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.CASCADE, related_name="+"
    )
    warning = models.ForeignKey(
        Warning,
        verbose_name=_("warning"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alerts",
    )
    text = models.CharField(_("text"), max_length=400)
    link = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "warning"],
                condition=Q(warning__isnull=False),
                name="alert_once_per_user_and_warning",
            ),
        ]
        indexes = [
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="alert_unread_by_user"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:50]
