from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "govhall.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from govhall.accounts.sessions import session_started
        from govhall.org.navigation import MenuEntry, register_menu

        user_logged_in.connect(session_started, dispatch_uid="govhall.accounts.session_started")
        # The admin's own login form would bypass the lockout and the second factor.
        from django.contrib import admin

        from govhall.accounts.views import admin_login_redirect

        admin.site.login = admin_login_redirect  # type: ignore[method-assign]
        register_menu(
            MenuEntry(_("Login security"), "accounts:security", "org.change_membership", 81)
        )
