from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "govhall.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from govhall.core import dbrouter
        from govhall.core.health import register_health

        if dbrouter.replica_configured():
            register_health("replica", lambda: dbrouter.replica_status().as_json())
