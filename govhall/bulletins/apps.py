from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    name = "govhall.bulletins"
    verbose_name = _("Monthly bulletin")

    def ready(self) -> None:
        from govhall.bulletins.demo import load_bulletins_demo
        from govhall.core.demo import DemoStep, register_demo_step
        from govhall.org.navigation import MenuEntry, register_menu

        register_menu(
            MenuEntry(_("Month at a glance"), "bulletins:dashboard", "bulletins.view_bulletin", 5)
        )
        register_menu(MenuEntry(_("Bulletins"), "bulletins:list", "bulletins.view_bulletin", 66))
        # Last: the bulletins read every other app's December.
        register_demo_step(DemoStep(order=90, name="bulletins", run=load_bulletins_demo))
