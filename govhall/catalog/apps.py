from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "govhall.catalog"
    verbose_name = _("Service catalog")

    def ready(self) -> None:
        from govhall.catalog import (
            imports,  # noqa: F401  (registers the `items` import kind)
            receivers,  # noqa: F401  (stamps the kiosk search index)
        )
