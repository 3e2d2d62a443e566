from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "govhall.supervision"
    verbose_name = _("Electronic supervision")

    def ready(self) -> None:
        from govhall.org.navigation import MenuEntry, register_menu

        register_menu(
            MenuEntry(_("Supervision"), "supervision:dashboard", "supervision.view_warning", 40)
        )
        register_menu(
            MenuEntry(_("My alerts"), "supervision:alert_list", "supervision.view_alert", 41)
        )
