from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "govhall.feedback"
    verbose_name = _("Public feedback")

    def ready(self) -> None:
        from govhall.core.demo import DemoStep, register_demo_step
        from govhall.feedback import imports  # noqa: F401  (registers the `feedback` import kind)
        from govhall.feedback.demo import load_feedback_demo
        from govhall.org.navigation import MenuEntry, register_menu

        register_menu(
            MenuEntry(_("Complaints and messages"), "feedback:inbox", "feedback.view_feedback", 45)
        )
        register_menu(MenuEntry(_("Ratings"), "feedback:rating_list", "feedback.view_rating", 46))
        register_menu(
            MenuEntry(_("Rectification"), "feedback:task_list", "feedback.view_rectification", 47)
        )
        register_menu(MenuEntry(_("Satisfaction"), "feedback:figures", "feedback.view_rating", 48))
        # After the cases' demo (order 30): it rates a sample of their completed cases.
        register_demo_step(DemoStep(order=50, name="feedback", run=load_feedback_demo))
