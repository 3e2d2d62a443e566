"""Choices of the scheduled jobs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobName(models.TextChoices):
    """The jobs of the hall's schedule (names fixed by `manage.py jobs`)."""

    SUPERVISE = "supervise", _("Deadline supervision")
    PROVINCE_PUSH = "province_push", _("Provincial push")
    PROVINCE_PULL = "province_pull", _("Provincial pull")
    RECORD_VACANCIES = "record_vacancies", _("Day's vacancies and open outings")
    BACKUP = "backup", _("Backup and audit checkpoint")
    MONTH_CLOSE = "month_close", _("Month close: scorecards and bulletin draft")
    REMINDERS = "reminders", _("Reminders")
    ROLLUP = "rollup", _("Day counters of the month's figures")
    QUEUE_WATCH = "queue_watch", _("Queue watch: long waits, idle windows, late openings")


class Outcome(models.TextChoices):
    RUNNING = "running", _("Running")
    OK = "ok", _("Succeeded")
    FAILED = "failed", _("Failed")


class Trigger(models.TextChoices):
    SCHEDULE = "schedule", _("Schedule")
    MANUAL = "manual", _("Run now")
