"""The provincial links (电子监察 / 好差评 platform): per-center configuration, the outbox of
messages written in the same transaction as the change they report, and inbound warnings."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.cases.models import Case
from govhall.feedback.models import Rating
from govhall.org.models import Center
from govhall.province.choices import MessageEvent, MessageKind, MessageStatus

ENV_NAME = RegexValidator(
    r"^[A-Za-z_][A-Za-z0-9_]*$", _("Enter the name of an environment variable, e.g. GOVHALL_TOKEN.")
)


class ProvinceLink(models.Model):
    """How one center talks to its provincial platform: which adapter, where, and whether now.

    Credentials are never stored here: the row names the environment variable that holds them.
    """

    center = models.OneToOneField(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="province_link"
    )
    adapter = models.CharField(
        _("adapter"), max_length=40, help_text=_("http, disabled, or a registered adapter name.")
    )
    base_url = models.URLField(_("base URL"), blank=True)
    enabled = models.BooleanField(
        _("enabled"),
        default=True,
        help_text=_("Off: messages are still written and wait; nothing is sent or fetched."),
    )
    credentials_env = models.CharField(
        _("credentials variable"),
        max_length=100,
        blank=True,
        validators=[ENV_NAME],
        help_text=_("Name of the environment variable holding the access token (not the token)."),
    )
    send_personal_data = models.BooleanField(
        _("send full ID and phone numbers"),
        default=False,
        help_text=_("Off: ID numbers and phone numbers leave the hall masked."),
    )
    timeout_seconds = models.PositiveSmallIntegerField(
        _("timeout (seconds)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("maximum attempts"), default=8, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    # The platform's warnings are fetched from this moment on (the newest one received).
    warnings_since = models.DateTimeField(_("warnings fetched up to"), null=True, blank=True)
    last_pull_at = models.DateTimeField(_("last fetch"), null=True, blank=True)
    last_pull_error = models.TextField(_("last fetch error"), blank=True)

    class Meta:
        verbose_name = _("provincial link")
        verbose_name_plural = _("provincial links")

    def __str__(self) -> str:
        return f"{self.center} → {self.adapter}"

    def clean(self) -> None:
        from govhall.province.adapters import adapter_names

        if self.adapter not in adapter_names():
            raise ValidationError(
                {
                    "adapter": _("Unknown adapter {name}; choose one of: {known}.").format(
                        name=self.adapter, known=", ".join(adapter_names())
                    )
                }
            )
        if self.adapter == "http" and not self.base_url:
            raise ValidationError(
                {"base_url": _("The http adapter needs the platform's base URL.")}
            )


class OutboxMessage(models.Model):
    """One message for the provincial platform, written with the change it reports."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    message_id = models.UUIDField(_("message id"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=8, choices=MessageKind.choices)
    event = models.CharField(_("event"), max_length=16, choices=MessageEvent.choices)
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rating = models.ForeignKey(
        Rating,
        verbose_name=_("rating"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    # One message per case state change (or rating): a repeated save never queues a second.
    dedupe_key = models.CharField(max_length=64, unique=True, editable=False)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=16, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    claimed_at = models.DateTimeField(_("handed to the adapter"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    ack_reference = models.CharField(_("acknowledgement"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("written"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["center", "status", "created_at"], name="outbox_center_status"),
        ]
        permissions = [("retry_outboxmessage", "Can retry a failed provincial delivery")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference} {self.get_event_display()}"


class OutboxAttempt(models.Model):
    """One try at delivering a message, as the detail page lists them."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="tries")
    at = models.DateTimeField(_("time"))
    ok = models.BooleanField(_("delivered"))
    detail = models.TextField(_("answer or error"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")

    def __str__(self) -> str:
        return f"{self.message_id} {self.at:%Y-%m-%d %H:%M}"


class ProvincialWarning(models.Model):
    """A warning the provincial supervision platform raised about one of the center's cases."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    warning_id = models.CharField(_("platform's warning id"), max_length=64)
    case_number = models.CharField(_("case number"), max_length=32, blank=True)
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="provincial_warnings",
    )
    level = models.CharField(_("level"), max_length=16)
    message = models.TextField(_("message"), blank=True)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"))

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("provincial warning")
        verbose_name_plural = _("provincial warnings")
        constraints = [
            models.UniqueConstraint(
                fields=["center", "warning_id"], name="provincial_warning_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.warning_id} {self.case_number}"
