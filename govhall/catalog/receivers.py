"""Signal receivers: what the catalog does when its rows, or the units', are written.

An item or a unit saved or deleted moves its center's search stamp, in the writer's
transaction, so every process's kiosk search index is rebuilt at its next search
(govhall.catalog.search_index). Queryset `.update()` sends no signal: call `bump` there.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from govhall.catalog import search_index
from govhall.catalog.models import ServiceItem
from govhall.org.models import Unit


@receiver(post_save, sender=ServiceItem, dispatch_uid="catalog.stamp.item_saved")
@receiver(post_delete, sender=ServiceItem, dispatch_uid="catalog.stamp.item_deleted")
@receiver(post_save, sender=Unit, dispatch_uid="catalog.stamp.unit_saved")
@receiver(post_delete, sender=Unit, dispatch_uid="catalog.stamp.unit_deleted")
def _catalog_changed(sender: Any, instance: ServiceItem | Unit, **kwargs: Any) -> None:
    search_index.bump(instance.center_id)
