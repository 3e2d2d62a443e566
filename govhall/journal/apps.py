from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalConfig(AppConfig):
    name = "govhall.journal"
    verbose_name = _("Work journal")

    def ready(self) -> None:
        from govhall.core.demo import DemoStep, register_demo_step
        from govhall.journal import imports  # noqa: F401  (registers the `journal` kind)
        from govhall.journal.demo import load_journal_demo
        from govhall.org.navigation import MenuEntry, register_menu

        register_menu(
            MenuEntry(_("Work journal"), "journal:entry_list", "journal.view_journalentry", 64)
        )
        # Right after the oversight step: December 2016's visits, reports and good deeds.
        register_demo_step(DemoStep(order=46, name="journal", run=load_journal_demo))
