"""Choices of the queue (排队叫号)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    DONE = "done", _("Served")
    MISSED = "missed", _("Missed")  # 过号 too often, or never came back before closing
    CANCELLED = "cancelled", _("Cancelled")

    @classmethod
    def open(cls) -> list[str]:
        return [cls.WAITING, cls.CALLED]


class TicketChannel(models.TextChoices):
    KIOSK = "kiosk", _("Ticket machine")
    PHONE = "phone", _("Phone (QR code)")
    DEVICE = "device", _("Device (API)")
    DESK = "desk", _("Window desk")


class Priority(models.TextChoices):
    """Who is called first: 绿色通道 at the office's discretion, then appointment holders at
    their slot and elderly or disabled applicants on request, then everyone in order."""

    NONE = "", _("None")
    APPOINTMENT = "appointment", _("Appointment at its slot")
    ELDERLY = "elderly", _("Elderly or disabled")
    GREEN = "green", _("Green channel")

    @classmethod
    def rank(cls, value: str) -> int:
        """Lower is called first."""
        ranks: dict[str, int] = {"green": 0, "appointment": 1, "elderly": 1}
        return ranks.get(value, 2)


class CallKind(models.TextChoices):
    CALL = "call", _("Called")
    RECALL = "recall", _("Called again")
    SKIP = "skip", _("Missed (过号)")
    TRANSFER = "transfer", _("Transferred")
    FINISH = "finish", _("Finished")


class PauseReason(models.TextChoices):
    LUNCH = "lunch", _("Lunch break")
    OUTING = "outing", _("Out on business")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


class AlertKind(models.TextChoices):
    LONG_WAIT = "long_wait", _("Long wait")
    IDLE_WINDOW = "idle_window", _("Window idle with people waiting (空岗)")
    LATE_OPENING = "late_opening", _("Window opened late")
