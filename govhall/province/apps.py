from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvinceConfig(AppConfig):
    name = "govhall.province"
    verbose_name = _("Provincial platform")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from govhall.cases.models import Case
        from govhall.feedback.models import Rating
        from govhall.org.navigation import MenuEntry, register_menu
        from govhall.province import adapters  # noqa: F401  (registers http and disabled)
        from govhall.province.receivers import case_saved, rating_saved

        post_save.connect(case_saved, sender=Case, dispatch_uid="province.case_saved")
        post_save.connect(rating_saved, sender=Rating, dispatch_uid="province.rating_saved")
        register_menu(
            MenuEntry(
                _("Provincial platform"), "province:outbox_list", "province.view_outboxmessage", 62
            )
        )
