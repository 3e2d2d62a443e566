"""Choices of electronic supervision (电子监察)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WarningLevel(models.TextChoices):
    """黄牌 before the deadline, 红牌 after it (DESIGN.md §4)."""

    RED = "red", _("Red card")
    YELLOW = "yellow", _("Yellow card")


class WarningStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    SUPERVISED = "supervised", _("Supervised")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled on appeal")

    @classmethod
    def active(cls) -> frozenset[str]:
        """Still standing against an open case: shown on the dashboard."""
        return frozenset({cls.ISSUED, cls.SUPERVISED})


class WithdrawReason(models.TextChoices):
    CASE_CLOSED = "case_closed", _("The case was closed")
    SUPERSEDED = "superseded", _("Superseded by a red card")


class AppealDecision(models.TextChoices):
    PENDING = "pending", _("Waiting for the office")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
