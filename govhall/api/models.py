"""Systems that call the JSON API, and the answers kept for retried creates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.org.models import Center


class ApiClient(models.Model):
    """A system allowed to call the API for one center, with a token shown once at issue.

    Only the token's SHA-256 is stored: the token is 256 random bits, so a fast hash is as safe
    as a password hash here and lets every request find its client by an indexed lookup.
    """

    name = models.CharField(_("name"), max_length=100)
    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="api_clients"
    )
    can_write = models.BooleanField(_("may write"), default=False)
    # The non-login account the client acts as: its membership decides what it may see and do,
    # and the audit trail names it.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("system account"),
        on_delete=models.PROTECT,
        related_name="api_client",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(_("token starts with"), max_length=12, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["center", "-created_at", "-pk"]
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        constraints = [
            models.UniqueConstraint(
                fields=["center", "name"],
                condition=Q(revoked_at__isnull=True),
                name="api_client_unique_active_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotencyRecord(models.Model):
    """The first answer to a create sent with an Idempotency-Key, replayed to its retries."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    endpoint = models.CharField(max_length=60)
    body_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
