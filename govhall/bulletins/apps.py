from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    name = "govhall.bulletins"
    verbose_name = _("Monthly bulletin")

    def ready(self) -> None:
        from govhall.bulletins import rollup
        from govhall.org.navigation import MenuEntry, register_menu

        rollup.connect()

        register_menu(
            MenuEntry(_("Month at a glance"), "bulletins:dashboard", "bulletins.view_bulletin", 5)
        )
        register_menu(MenuEntry(_("Bulletins"), "bulletins:list", "bulletins.view_bulletin", 66))
        register_menu(MenuEntry(_("Regions"), "regions:list", "org.view_region", 67))
