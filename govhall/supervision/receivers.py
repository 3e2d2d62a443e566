"""What supervision does when another app tells it something (wired in SupervisionConfig)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from govhall.supervision.selectors import unit_chief_user_ids
from govhall.supervision.services import alerts_send


def version_returned_alert(sender: Any, *, version: Any, comment: str, **kwargs: Any) -> None:
    """The office returned a catalog version: the unit's chief finds it, with the reason, in
    the alerts, one click from the draft to fix."""
    item = version.item
    text = _("{item} (version {n}) was returned by the center office: {reason}").format(
        item=version.name, n=version.number, reason=comment
    )
    alerts_send(
        center=item.center,
        user_ids=unit_chief_user_ids(unit_id=item.unit_id),
        text=text,
        link=reverse("catalog:version_edit", args=[version.pk]),
    )
