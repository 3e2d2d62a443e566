"""Choices of the provincial links: what a message carries and where it stands."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MessageKind(models.TextChoices):
    CASE = "case", _("Case")
    RATING = "rating", _("Rating")


class MessageStatus(models.TextChoices):
    """pending → sent (handed to the adapter) → acknowledged; a failed try returns to pending
    with a later next attempt, until the link's maximum is reached (failed)."""

    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent, awaiting the answer")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    FAILED = "failed", _("Failed")


class MessageEvent(models.TextChoices):
    """What happened: a case's state change the platform is told about, or a new rating."""

    ACCEPTED = "accepted", _("Accepted")
    COMPLETED = "completed", _("Completed")
    CLOSED = "closed", _("Closed without completion")
    RATED = "rated", pgettext_lazy("province event", "Rated")
