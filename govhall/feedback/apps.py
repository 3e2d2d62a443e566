from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "govhall.feedback"
    verbose_name = _("Public feedback")

    def ready(self) -> None:
        from govhall.feedback import imports  # noqa: F401  (registers the `feedback` import kind)
        from govhall.org.navigation import MenuEntry, register_menu

        register_menu(
            MenuEntry(_("Complaints and messages"), "feedback:inbox", "feedback.view_feedback", 45)
        )
        register_menu(MenuEntry(_("Ratings"), "feedback:rating_list", "feedback.view_rating", 46))
        register_menu(
            MenuEntry(_("Rectification"), "feedback:task_list", "feedback.view_rectification", 47)
        )
        register_menu(MenuEntry(_("Satisfaction"), "feedback:figures", "feedback.view_rating", 48))
