"""Choices of case handling."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    SUPPLEMENTING = "supplementing", _("Waiting for materials")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    SUSPENDED = "suspended", _("Clock stopped")
    COMPLETED = "completed", _("Completed")
    REJECTED = "rejected", _("Not accepted")
    RETURNED = "returned", _("Returned")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    VOIDED = "voided", _("Voided")

    @classmethod
    def open(cls) -> frozenset[str]:
        """Accepted and not yet closed: the clock is (or may be) running."""
        return frozenset({cls.ACCEPTED, cls.IN_PROGRESS, cls.SUSPENDED})

    @classmethod
    def closed(cls) -> frozenset[str]:
        return frozenset({cls.COMPLETED, cls.REJECTED, cls.RETURNED, cls.WITHDRAWN, cls.VOIDED})


class Channel(models.TextChoices):
    WINDOW = "window", _("At the window")
    ONLINE = "online", _("Online")
    APPOINTMENT = "appointment", _("By appointment")
    PROXY = "proxy", _("Through a proxy service")


class Result(models.TextChoices):
    GRANTED = "granted", _("Granted")
    CERTIFICATE = "certificate", _("Granted, certificate issued")
    REFUSED = "refused", _("Refused")
    REFERRED = "referred", _("Referred to a higher authority")


class SuspensionKind(models.TextChoices):
    """特别程序 (行政许可法 第四十五条) and supplements asked after acceptance."""

    HEARING = "hearing", _("Hearing")
    INSPECTION = "inspection", _("Inspection")
    TESTING = "testing", _("Testing")
    QUARANTINE = "quarantine", _("Quarantine")
    APPRAISAL = "appraisal", _("Appraisal")
    EXPERT_REVIEW = "expert_review", _("Expert review")
    SUPPLEMENT = "supplement", _("Supplementary materials")
    OTHER = "other", _("Other special procedure")


class CaseSource(models.TextChoices):
    APP = "app", _("Handled in the system")
    IMPORT = "import", _("Imported history")


class ConsultationChannel(models.TextChoices):
    WINDOW = "window", _("At the window")
    PHONE = "phone", _("By phone")
    ONLINE = "online", _("Online")
