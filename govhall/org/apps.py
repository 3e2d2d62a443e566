from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "govhall.org"
    verbose_name = _("Organization")

    def ready(self) -> None:
        from govhall.org import imports  # noqa: F401  (registers the import kinds)
