from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "govhall.oversight"
    verbose_name = _("Oversight")

    def ready(self) -> None:
        from govhall.org.navigation import MenuEntry, register_menu
        from govhall.oversight import imports  # noqa: F401  (registers the `patrols` kind)

        register_menu(
            MenuEntry(
                _("Inspections"), "oversight:inspection_list", "oversight.view_inspection", 60
            )
        )
        register_menu(
            MenuEntry(
                _("Patrol sign-in"), "oversight:patrol_list", "oversight.view_patrolsignin", 62
            )
        )
