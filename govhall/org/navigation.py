"""The staff menu: each entry shows to those holding its permission."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuEntry:
    label: str | Promise
    url_name: str
    perm: str | None  # None: every logged-in person
    order: int = 100


MENU: list[MenuEntry] = [
    MenuEntry(_("Home"), "core:home", None, 0),
    MenuEntry(_("Service catalog"), "catalog:item_list", "catalog.view_serviceitem", 30),
    MenuEntry(_("Units and windows"), "org:unit_list", "org.view_unit", 70),
    MenuEntry(_("Staff"), "org:staff_list", "org.view_staff", 71),
    MenuEntry(_("A/B posts"), "org:post_list", "org.view_post", 72),
    MenuEntry(_("Accounts"), "org:account_list", "org.view_membership", 80),
    MenuEntry(_("Working-day calendar"), "core:calendar", "core.view_calendarday", 90),
    MenuEntry(_("Audit trail"), "core:audit_list", "core.view_auditentry", 95),
]


def register_menu(entry: MenuEntry) -> None:
    """Apps add their pages to the menu from AppConfig.ready()."""
    if all(e.url_name != entry.url_name for e in MENU):
        MENU.append(entry)
        MENU.sort(key=lambda e: e.order)


def menu_for(user: Any, path: str) -> list[dict[str, Any]]:
    items = []
    for entry in MENU:
        if entry.perm is not None and not user.has_perm(entry.perm):
            continue
        url = reverse(entry.url_name)
        active = path == url if url == "/" else path.startswith(url)
        items.append({"label": entry.label, "url": url, "active": active})
    return items
