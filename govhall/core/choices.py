"""Choices of the core records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarSource(models.TextChoices):
    PACKAGE = "package", _("official schedule (chinesecalendar)")
    OFFICE = "office", _("entered by the center office")
