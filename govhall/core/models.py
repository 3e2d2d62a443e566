"""Core records: the working-day calendar and the audit trail."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.core.choices import CalendarSource


class CalendarYear(models.Model):
    """A year of the official holiday schedule; complete once the State Council's notice is in."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    complete = models.BooleanField(
        _("schedule complete"),
        default=False,
        help_text=_("The whole year's holidays and adjusted workdays have been entered."),
    )
    source = models.CharField(
        _("source"), max_length=16, choices=CalendarSource.choices, default=CalendarSource.OFFICE
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    revised_at = models.DateTimeField(_("revised at"), auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day that departs from Monday–Friday: a holiday on a weekday or an adjusted workday (调休).

    Without a center it is the national schedule's; with one, that center's own override (a
    local closing day, an extra working Saturday), laid over the national schedule.
    """

    center = models.ForeignKey(
        "org.Center",
        verbose_name=_("center"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_days",
        help_text=_("Empty for the national schedule."),
    )
    date = models.DateField(_("date"))
    is_workday = models.BooleanField(_("is a working day"))
    name = models.CharField(_("name"), max_length=60, blank=True)
    source = models.CharField(
        _("source"), max_length=16, choices=CalendarSource.choices, default=CalendarSource.OFFICE
    )
    # Counted up on every save and summed by the calendar cache's fingerprint, so a day changed
    # in place is seen by every process; a counter, not a time, so clock skew cannot hide it.
    revision = models.PositiveIntegerField(_("revision"), default=0, editable=False)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        constraints = [
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(center__isnull=True),
                name="calendarday_one_national_entry_per_date",
            ),
            models.UniqueConstraint(
                fields=["center", "date"], name="calendarday_one_override_per_center_and_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.revision += 1
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "revision"}
        super().save(*args, **kwargs)


class CalendarWarningDismissal(models.Model):
    """A person has dismissed the missing-schedule banner until `until` (kept with the account,
    so it holds across logins and devices)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_warning_dismissal",
    )
    until = models.DateTimeField(_("hidden until"))

    class Meta:
        verbose_name = _("dismissed calendar warning")
        verbose_name_plural = _("dismissed calendar warnings")

    def __str__(self) -> str:
        return f"{self.user_id} {self.until:%Y-%m-%d %H:%M}"


class AppendOnlyQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("audit entries are append-only")

    def delete(self) -> NoReturn:
        raise PermissionError("audit entries are append-only")


class AuditEntry(models.Model):
    """One change, chained to the previous entry of its chain by a keyed hash (HMAC-SHA256)."""

    chain = models.PositiveBigIntegerField(
        _("chain"), help_text=_("The center the entry belongs to; 0 for system-wide changes.")
    )
    seq = models.PositiveBigIntegerField(_("sequence"))
    created_at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField(_("actor"), max_length=150)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_unique_chain_seq"),
        ]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("audit entries are append-only")


class AuditHead(models.Model):
    """The last entry of each chain; locked while appending so chains never fork."""

    chain = models.PositiveBigIntegerField(primary_key=True)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self) -> str:
        return f"{self.chain}:{self.seq}"


class RateCounter(models.Model):
    """Attempts of one key (an address, a case number, a token) in one fixed time window.

    Kept in the database so every server process and machine counts against the same allowance
    (govhall.core.ratelimit); rows past `expires_at` are pruned as new windows open.
    """

    key = models.CharField(_("key"), max_length=200)
    window_start = models.DateTimeField(_("window start"))
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    hits = models.PositiveIntegerField(_("hits"), default=0)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="core_ratecounter_window")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.window_start:%Y-%m-%d %H:%M:%S} {self.hits}"


class FormSubmission(models.Model):
    """A form sent with a one-time token (govhall.core.once): what its first sending created,
    so a second click or a resent page gets that record instead of making another."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    purpose = models.CharField(_("form"), max_length=40)
    digest = models.CharField(_("content digest"), max_length=64)
    result = models.CharField(_("result"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return f"{self.purpose}:{self.result}"
