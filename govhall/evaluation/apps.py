from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "govhall.evaluation"
    verbose_name = _("Monthly evaluation")

    def ready(self) -> None:
        from govhall.org.navigation import MenuEntry, register_menu

        register_menu(
            MenuEntry(_("Evaluation"), "evaluation:month", "evaluation.view_scorecard", 67)
        )
