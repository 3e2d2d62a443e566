from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "govhall.org"
    verbose_name = _("Organization")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from govhall.org import imports  # noqa: F401  (registers the import kinds)
        from govhall.org.roles import sync_role_groups

        # After every app's migration (not just ours): permissions of apps listed after org
        # exist only once their own post_migrate has run.
        post_migrate.connect(sync_role_groups, dispatch_uid="govhall.sync_role_groups")

        from govhall.core.demo import DemoStep, register_demo_step
        from govhall.org.demo import load_org_demo

        register_demo_step(DemoStep(order=10, name="org", run=load_org_demo))
