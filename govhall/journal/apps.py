from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalConfig(AppConfig):
    name = "govhall.journal"
    verbose_name = _("Work journal")

    def ready(self) -> None:
        from govhall.journal import imports  # noqa: F401  (registers the `journal` kind)
        from govhall.org.navigation import MenuEntry, register_menu

        register_menu(
            MenuEntry(_("Work journal"), "journal:entry_list", "journal.view_journalentry", 64)
        )
