from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "govhall.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from govhall.org.navigation import MenuEntry, holds_post, register_menu

        # The desk is a window's: the office may open it for a unit, but it is not its daily work.
        register_menu(
            MenuEntry(_("Window desk"), "cases:desk", "cases.handle_case", 10, applies=holds_post)
        )
        register_menu(MenuEntry(_("Cases"), "cases:case_list", "cases.view_case", 20))
        register_menu(
            MenuEntry(_("Consultations"), "cases:consultations", "cases.view_consultation", 22)
        )
        register_menu(
            MenuEntry(_("Appointments"), "cases:appointments_today", "cases.view_case", 25)
        )

        from govhall.cases import imports  # noqa: F401  (registers `cases` and `consultations`)
