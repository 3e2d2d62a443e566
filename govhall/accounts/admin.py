"""The system administrator's tools: unlock, remove an authenticator, force a new password."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from govhall.accounts import services
from govhall.accounts.models import AccountSecurity, LoginFailure


@admin.register(AccountSecurity)
class AccountSecurityAdmin(admin.ModelAdmin):
    list_display = ["user", "totp_enrolled", "must_change_password", "demo_account"]
    search_fields = ["user__username"]
    fields = ["user", "must_change_password", "demo_account", "totp_confirmed_at"]
    readonly_fields = ["user", "totp_confirmed_at"]
    actions = ["unlock", "reset_totp"]

    @admin.display(boolean=True, description=_("authenticator"))
    def totp_enrolled(self, obj: AccountSecurity) -> bool:
        return obj.totp_enabled

    def has_add_permission(self, request: Any) -> bool:
        return False

    @admin.action(description=_("Unlock the selected accounts"))
    def unlock(self, request: Any, queryset: Any) -> None:
        for security in queryset.select_related("user"):
            services.account_unlock(by=request.user, user=security.user)
        messages.success(request, _("Unlocked."))

    @admin.action(description=_("Remove the authenticator of the selected accounts"))
    def reset_totp(self, request: Any, queryset: Any) -> None:
        for security in queryset.select_related("user"):
            services.totp_reset(by=request.user, user=security.user)
        messages.success(request, _("Authenticators removed."))


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    """Failed logins, read-only; clearing them (per address too) lifts a lockout."""

    list_display = ["at", "username", "address", "cleared"]
    list_filter = ["cleared"]
    search_fields = ["username", "address"]
    actions = ["clear"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Stop counting the selected failures (lift the lockout)"))
    def clear(self, request: Any, queryset: Any) -> None:
        # The address counter counts cleared failures too, so lifting it deletes them.
        count, _details = queryset.delete()
        messages.success(request, _("{n} failures removed.").format(n=count))
