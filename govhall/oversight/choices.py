"""Choices of the office's oversight records: inspections and patrol sign-ins."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class ViolationKind(models.TextChoices):
    """What a daily inspection (日常巡查) found; the bulletin names them (实名通报)."""

    LATE_OR_EARLY = "late_or_early", _("Late arrival or early leave")
    OFF_POST = "off_post", _("Away from the post or visiting other windows")
    TV_OR_CHAT = "tv_or_chat", _("Watching TV or chatting at work")
    RUDE = "rude", _("Rude service attitude")
    POOR_SERVICE = "poor_service", _("Poor service quality")
    OTHER = "other", _("Other")


# Suggested deductions, shown as the form's initial value; the office decides each case.
DEFAULT_POINTS: dict[str, Decimal] = {
    ViolationKind.LATE_OR_EARLY: Decimal("1"),
    ViolationKind.OFF_POST: Decimal("2"),
    ViolationKind.TV_OR_CHAT: Decimal("2"),
    ViolationKind.RUDE: Decimal("3"),
    ViolationKind.POOR_SERVICE: Decimal("2"),
    ViolationKind.OTHER: Decimal("1"),
}


class InspectionStatus(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class LeaderRole(models.TextChoices):
    """A unit's leaders who patrol the hall: the head (主要领导) and the supervising deputy."""

    HEAD = "head", _("Head of the unit")
    DEPUTY = "deputy", _("Supervising leader")


class QuotaPeriod(models.TextChoices):
    MONTH = "month", _("each month")
    QUARTER = "quarter", _("each quarter")


class PatrolMethod(models.TextChoices):
    """How a sign-in was made: by scanning the screen's code, or entered from the paper sheet."""

    QR_LOGIN = "qr_login", _("Scanned, logged in")
    QR_SMS = "qr_sms", _("Scanned, confirmed by text message")
    RECORDED = "recorded", _("Entered by the office")
    IMPORTED = "imported", _("Imported")


class LinkPurpose(models.TextChoices):
    SIGN_IN = "sign_in", _("Sign in")
    SIGN_OUT = "sign_out", _("Sign out")
