"""Runs of the scheduled jobs and the runner's heartbeat."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.jobs.choices import JobName, Outcome, Trigger
from govhall.org.models import Center


class JobRun(models.Model):
    """One run of a job for a center (or the whole deployment) at one due slot: the unique
    slot is what makes a job run once however many workers tick or restart."""

    job = models.CharField(_("job"), max_length=24, choices=JobName.choices)
    center = models.ForeignKey(
        Center,
        verbose_name=_("center"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    slot = models.DateTimeField(_("due"))
    trigger = models.CharField(
        _("trigger"), max_length=10, choices=Trigger.choices, default=Trigger.SCHEDULE
    )
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.RUNNING
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-slot", "-pk"]
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        constraints = [
            # NULL centers are distinct in a unique index: the deployment's jobs get their own.
            models.UniqueConstraint(
                fields=["job", "center", "slot"],
                condition=Q(center__isnull=False),
                name="jobrun_once_per_center_slot",
            ),
            models.UniqueConstraint(
                fields=["job", "slot"],
                condition=Q(center__isnull=True),
                name="jobrun_once_per_slot",
            ),
        ]
        indexes = [models.Index(fields=["job", "center", "-slot"], name="jobrun_latest")]

    def __str__(self) -> str:
        return f"{self.job} {self.slot:%Y-%m-%d %H:%M}"

    @property
    def duration(self) -> float | None:
        """Seconds from start to finish (None while running)."""
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class Heartbeat(models.Model):
    """The runner's last tick (one row per runner name)."""

    name = models.CharField(_("runner"), max_length=40, unique=True)
    beat_at = models.DateTimeField(_("last heartbeat"))
    host = models.CharField(_("host"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} {self.beat_at:%Y-%m-%d %H:%M:%S}"
