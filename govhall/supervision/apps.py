from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "govhall.supervision"
    verbose_name = _("Electronic supervision")

    def ready(self) -> None:
        from govhall.catalog.signals import version_returned
        from govhall.org.navigation import MenuEntry, register_menu
        from govhall.supervision.receivers import version_returned_alert

        version_returned.connect(
            version_returned_alert, dispatch_uid="supervision.version_returned_alert"
        )

        register_menu(
            MenuEntry(_("Supervision"), "supervision:dashboard", "supervision.view_warning", 40)
        )
        register_menu(
            MenuEntry(_("My alerts"), "supervision:alert_list", "supervision.view_alert", 41)
        )
