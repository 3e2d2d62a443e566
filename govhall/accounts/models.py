"""Login security: a profile per account (forced password change, second factor) and the
record of failed logins that drives the lockout."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.core.crypto import EncryptedTextField


class AccountSecurity(models.Model):
    """An account's login settings: whether it must choose a new password, and its TOTP key."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="security",
        primary_key=True,
    )
    must_change_password = models.BooleanField(_("must change password"), default=False)
    # Accounts made by load_demo share a published password: outside the demo server
    # (settings.DEMO_MODE off) they must choose their own before anything else.
    demo_account = models.BooleanField(_("demo account"), default=False)
    totp_secret = EncryptedTextField(_("authenticator key"), blank=True)
    totp_confirmed_at = models.DateTimeField(_("authenticator enrolled"), null=True, blank=True)
    # The last time step a code was accepted for: a code is never accepted twice.
    totp_last_step = models.BigIntegerField(default=0)
    password_changed_at = models.DateTimeField(_("password changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("account security")
        verbose_name_plural = _("account security")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def totp_enabled(self) -> bool:
        return bool(self.totp_secret) and self.totp_confirmed_at is not None

    @property
    def password_change_required(self) -> bool:
        return self.must_change_password or (self.demo_account and not settings.DEMO_MODE)


class LoginFailure(models.Model):
    """One failed login (wrong password or code), by account name and client address."""

    username = models.CharField(_("username"), max_length=150)
    address = models.CharField(_("address"), max_length=64)
    at = models.DateTimeField(_("at"))
    # Cleared failures stay as history but no longer count towards a lockout.
    cleared = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["username", "at"], name="loginfailure_username_at"),
            models.Index(fields=["address", "at"], name="loginfailure_address_at"),
        ]

    def __str__(self) -> str:
        return f"{self.username} @ {self.address}"
