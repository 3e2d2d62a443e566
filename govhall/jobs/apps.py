from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "govhall.jobs"
    verbose_name = _("Scheduled jobs")

    def ready(self) -> None:
        from govhall.core.health import register_health
        from govhall.jobs.selectors import runner_health
        from govhall.org.navigation import MenuEntry, register_menu

        register_health("runner", runner_health)
        register_menu(MenuEntry(_("Scheduled jobs"), "jobs:list", "org.change_center", 96))
