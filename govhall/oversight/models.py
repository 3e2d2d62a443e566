"""The center office's oversight records: daily inspections (日常巡查) and the patrol sign-ins
(巡查签到) of the units' leaders."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from govhall.core.text import pinyin_key
from govhall.org.models import Center, Staff, Unit, Window
from govhall.oversight.choices import (
    InspectionStatus,
    LeaderRole,
    LinkPurpose,
    PatrolMethod,
    QuotaPeriod,
    ViolationKind,
)


class Inspection(models.Model):
    """A violation found by the office's daily inspection, against a person, a window or a unit."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="inspections"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="inspections"
    )
    window = models.ForeignKey(
        Window,
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    staff = models.ForeignKey(
        Staff,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    kind = models.CharField(_("violation"), max_length=20, choices=ViolationKind.choices)
    occurred_at = models.DateTimeField(_("time"))
    description = models.TextField(_("what was found"))
    photo = models.FileField(_("photo"), upload_to="oversight/inspections/%Y/%m/", blank=True)
    points = models.DecimalField(_("points deducted"), max_digits=4, decimal_places=1)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=InspectionStatus.choices,
        default=InspectionStatus.RECORDED,
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdraw_reason = models.TextField(_("reason for withdrawal"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ViolationKind.values), name="inspection_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0) & Q(points__lte=100), name="inspection_points_range"
            ),
            models.CheckConstraint(
                condition=Q(status=InspectionStatus.RECORDED)
                | Q(status=InspectionStatus.WITHDRAWN, withdrawn_at__isnull=False),
                name="inspection_withdrawn_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["center", "occurred_at"], name="inspection_center_time"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.get_kind_display()}"

    @property
    def subject(self) -> str:
        """Who was found at fault: the person, else the window, else the whole unit."""
        if self.staff_id:
            return self.staff.name
        if self.window_id:
            return str(self.window)
        return self.unit.name

    @property
    def is_withdrawn(self) -> bool:
        return self.status == InspectionStatus.WITHDRAWN


class UnitLeader(models.Model):
    """A leader of a unit who patrols the hall (分管领导 or the head), with a phone for links."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="unit_leaders"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="leaders"
    )
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("title"), max_length=60, blank=True, help_text=_("e.g. 副局长"))
    role = models.CharField(
        _("leader role"), max_length=12, choices=LeaderRole.choices, default=LeaderRole.DEPUTY
    )
    phone = models.CharField(
        _("mobile phone"),
        max_length=20,
        blank=True,
        help_text=_("Receives the one-time sign-in link when the leader is not logged in."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="unit_leader",
    )
    sort_key = models.CharField(_("pinyin sort key"), max_length=200, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["unit__position", "unit__sort_key", "role", "sort_key"]
        verbose_name = _("unit leader")
        verbose_name_plural = _("unit leaders")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="unit_leader_unique_name"),
            models.CheckConstraint(
                condition=Q(role__in=LeaderRole.values), name="unit_leader_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.name}"

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.sort_key = pinyin_key(self.name)
        super().save(*args, **kwargs)


class PatrolSignIn(models.Model):
    """巡查签到: a leader's visit to the hall, from sign-in to sign-out."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="patrols"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="patrols"
    )
    leader = models.ForeignKey(
        UnitLeader, verbose_name=_("leader"), on_delete=models.PROTECT, related_name="sign_ins"
    )
    signed_in_at = models.DateTimeField(_("signed in"))
    signed_out_at = models.DateTimeField(_("signed out"), null=True, blank=True)
    minutes = models.PositiveIntegerField(
        _("minutes in the hall"), null=True, blank=True, editable=False
    )
    notes = models.TextField(_("notes"), blank=True)
    leaving_notes = models.TextField(_("notes on leaving"), blank=True)
    method = models.CharField(_("how"), max_length=12, choices=PatrolMethod.choices)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-signed_in_at", "-pk"]
        verbose_name = _("patrol sign-in")
        verbose_name_plural = _("patrol sign-ins")
        constraints = [
            models.UniqueConstraint(
                fields=["leader", "signed_in_at"], name="patrol_one_sign_in_per_moment"
            ),
            models.CheckConstraint(
                condition=Q(signed_out_at__isnull=True) | Q(signed_out_at__gt=F("signed_in_at")),
                name="patrol_out_after_in",
            ),
        ]
        indexes = [
            models.Index(fields=["center", "signed_in_at"], name="patrol_center_time"),
        ]
        permissions = [
            ("open_patrol_screen", "Can open the hall screen with the sign-in code"),
        ]

    def __str__(self) -> str:
        return f"{self.leader} {self.signed_in_at:%Y-%m-%d %H:%M}"

    @property
    def duration(self) -> dt.timedelta | None:
        if self.signed_out_at is None:
            return None
        return self.signed_out_at - self.signed_in_at


class PatrolLink(models.Model):
    """A one-time link texted to a leader who scanned the code without logging in."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.CASCADE, related_name="+"
    )
    leader = models.ForeignKey(
        UnitLeader, verbose_name=_("leader"), on_delete=models.CASCADE, related_name="links"
    )
    purpose = models.CharField(_("purpose"), max_length=10, choices=LinkPurpose.choices)
    # Only the hash is kept: a leaked database does not hand out working links.
    token_hash = models.CharField(max_length=64, unique=True)
    notes = models.TextField(_("notes"), blank=True)
    scanned_at = models.DateTimeField(_("code scanned"))
    created_at = models.DateTimeField(_("sent"))
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("one-time sign-in link")
        verbose_name_plural = _("one-time sign-in links")
        indexes = [models.Index(fields=["leader", "created_at"], name="patrol_link_leader_time")]

    def __str__(self) -> str:
        return f"{self.leader} {self.purpose} {self.created_at:%Y-%m-%d %H:%M}"


class PatrolQuota(models.Model):
    """How long each kind of leader must patrol per period (e.g. half a day each quarter)."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.CASCADE, related_name="patrol_quotas"
    )
    role = models.CharField(_("leader role"), max_length=12, choices=LeaderRole.choices)
    period = models.CharField(_("period"), max_length=10, choices=QuotaPeriod.choices)
    minutes = models.PositiveIntegerField(
        _("minutes in the hall"), help_text=_("Half a day is counted as 180 minutes.")
    )

    class Meta:
        ordering = ["center", "role"]
        verbose_name = _("patrol quota")
        verbose_name_plural = _("patrol quotas")
        constraints = [
            models.UniqueConstraint(fields=["center", "role"], name="patrol_quota_one_per_role"),
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=10000), name="patrol_quota_minutes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.minutes} / {self.get_period_display()}"
