from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "govhall.org"
    verbose_name = _("Organization")

    def ready(self) -> None:
        from govhall.core.demo import DemoStep, register_demo_step
        from govhall.org import imports  # noqa: F401  (registers the import kinds)
        from govhall.org.demo import load_org_demo

        register_demo_step(DemoStep(order=10, name="org", run=load_org_demo))
