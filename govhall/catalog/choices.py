"""Choices of the service catalog (national codes where the state defines them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """事项类型 with the national two-digit codes."""

    LICENSING = "01", _("Administrative licensing")
    BENEFIT = "05", _("Administrative payment")
    CONFIRMATION = "07", _("Administrative confirmation")
    REWARD = "08", _("Administrative reward")
    RULING = "09", _("Administrative ruling")
    OTHER_POWER = "20", _("Other administrative power")
    PUBLIC_SERVICE = "21", _("Public service")


class HandlingType(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate (done on the spot)")
    PROMISED = "promised", _("Promised (done within the promised days)")


class Target(models.TextChoices):
    PERSON = "person", _("Natural persons")
    ORG = "org", _("Legal persons")
    BOTH = "both", _("Natural and legal persons")


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("Not yet published")
    PUBLISHED = "published", _("Published")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")

    @classmethod
    def open(cls) -> frozenset[str]:
        """States of a version still being worked on (at most one per item)."""
        return frozenset({cls.DRAFT, cls.SUBMITTED, cls.RETURNED})


class ChangeType(models.TextChoices):
    """Catalog changes as the state orders them, each backed by a decision document."""

    ADD = "add", _("New item")
    CHANGE = "change", _("Change")
    SPLIT = "split", _("Split")
    MERGE = "merge", _("Merge")
    SUSPEND = "suspend", _("Suspend")
    CANCEL = "cancel", _("Cancel")


class Visits(models.IntegerChoices):
    NONE = 0, _("No visit (fully online)")
    ONCE = 1, _("At most one visit")
    TWICE = 2, _("At most two visits")


class MaterialKind(models.TextChoices):
    CERTIFICATE = "certificate", _("Certificate or proof")
    FORM = "form", _("Application form or document")
    OTHER = "other", _("Other")


class MaterialSource(models.TextChoices):
    APPLICANT = "applicant", _("Provided by the applicant")
    GOVERNMENT = "government", _("Issued by a government department")


class Necessity(models.TextChoices):
    REQUIRED = "required", _("Required")
    OPTIONAL = "optional", _("Optional")
    DEFERRABLE = "deferrable", _("May be supplied later (容缺后补)")


class CopyForm(models.TextChoices):
    ORIGINAL = "original", _("Original")
    COPY = "copy", _("Copy")
    BOTH = "both", _("Original and copy")


class Medium(models.TextChoices):
    PAPER = "paper", _("Paper")
    ELECTRONIC = "electronic", _("Electronic")
    BOTH = "both", _("Paper or electronic")


class FeeMode(models.TextChoices):
    UNSET = "", _("Not stated")
    FREE = "free", _("Free of charge")
    CHARGED = "charged", _("Charged")


class RiskLevel(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Part(models.TextChoices):
    """The eight parts every item must carry (the bulletin's 八项内容)."""

    BASIC = "basic", _("Basic information")
    FLOWCHART = "flowchart", _("Power flowchart")
    MATERIALS = "materials", _("Application materials")
    FEES = "fees", _("Fees")
    FORMS = "forms", _("Service forms")
    STEPS = "steps", _("Handling steps")
    RISKS = "risks", _("Integrity risk points")
    FAQS = "faqs", _("Frequently asked questions")
