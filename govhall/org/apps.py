from typing import Any

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "govhall.org"
    verbose_name = _("Organization")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from govhall.org import imports  # noqa: F401  (registers the import kinds)
        from govhall.org.roles import sync_role_groups

        # post_migrate goes to every app with models, in INSTALLED_APPS order, after every
        # migrate and every test flush; permissions of later apps exist only once their own
        # signal has run, so the groups are synced once, for the last of them.
        last = [config for config in apps.get_app_configs() if config.models_module][-1]

        def sync_after_last_app(sender: Any, **kwargs: Any) -> None:
            if sender is last:
                sync_role_groups(**kwargs)

        post_migrate.connect(
            sync_after_last_app, dispatch_uid="govhall.sync_role_groups", weak=False
        )

        from govhall.core.demo import DemoStep, register_demo_step
        from govhall.org.demo import load_org_demo

        register_demo_step(DemoStep(order=10, name="org", run=load_org_demo))
