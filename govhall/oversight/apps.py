from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "govhall.oversight"
    verbose_name = _("Oversight")

    def ready(self) -> None:
        from govhall.core.demo import DemoStep, register_demo_step
        from govhall.org.navigation import MenuEntry, register_menu
        from govhall.oversight import imports  # noqa: F401  (registers the `patrols` kind)
        from govhall.oversight.demo import load_oversight_demo

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
        register_demo_step(DemoStep(order=45, name="oversight", run=load_oversight_demo))
