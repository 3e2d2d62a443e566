"""Choices of the monthly bulletin."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Format(models.TextChoices):
    """The formats a bulletin is delivered in (file extension as value)."""

    HTML = "html", "HTML"
    DOCX = "docx", "Word (DOCX)"
    PDF = "pdf", "PDF"
    JSON = "json", "JSON"
