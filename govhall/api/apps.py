from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "govhall.api"
    verbose_name = _("API")

    def ready(self) -> None:
        from govhall.org.navigation import MenuEntry, register_menu

        register_menu(MenuEntry(_("API tokens"), "api:clients", "org.add_membership", 82))
