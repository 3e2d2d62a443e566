from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "govhall.evaluation"
    verbose_name = _("Monthly evaluation")

    def ready(self) -> None:
        from govhall.core.demo import DemoStep, register_demo_step
        from govhall.evaluation.demo import load_evaluation_demo
        from govhall.org.navigation import MenuEntry, register_menu

        register_menu(
            MenuEntry(_("Evaluation"), "evaluation:month", "evaluation.view_scorecard", 67)
        )
        # After every source of the month (cases 30 … supervision 60): it scores December 2016.
        register_demo_step(DemoStep(order=70, name="evaluation", run=load_evaluation_demo))
