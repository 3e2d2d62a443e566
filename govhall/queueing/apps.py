from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueingConfig(AppConfig):
    name = "govhall.queueing"
    verbose_name = _("Queue")

    def ready(self) -> None:
        from govhall.org.navigation import MenuEntry, register_menu

        register_menu(MenuEntry(_("Calling desk"), "queueing:desk", "queueing.call_ticket", 11))
        register_menu(
            MenuEntry(_("Today's queue"), "queueing:ticket_list", "queueing.view_ticket", 12)
        )
        register_menu(
            MenuEntry(
                _("Queue settings"), "queueing:category_list", "queueing.view_queuecategory", 74
            )
        )
