"""The staff menu: each entry shows to those who can use it — who hold its permission and,
for the pages of one's own post (the window desk, my attendance), who hold a post here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from govhall.org.scoping import acting_center_id, scope_for
from govhall.org.selectors import staff_record_in


def holds_post(user: Any) -> bool:
    """Whether the account is a member of staff of the center it is working in: the office,
    leaders, supervisors and the system administrator have no window, desk or punches of their
    own, even where a permission (the office's handle_case) would let them open such a page."""
    center_id = acting_center_id(user)
    if center_id is None:
        return False
    scope = scope_for(user)
    if center_id in scope.post_center_ids:
        return True
    # A system administrator holds no membership: ask (rarely) whether he is staff here too.
    return scope.everything and staff_record_in(user, center_id) is not None


@dataclass(frozen=True)
class MenuEntry:
    label: str | Promise
    url_name: str
    perm: str | None  # None: every logged-in person
    order: int = 100
    # Beyond the permission: whether the page has something for this person (a page of one's
    # own post is a 404 for an account without one; a menu item must never lead there).
    applies: Callable[[Any], bool] | None = None

    def shows_to(self, user: Any) -> bool:
        if self.perm is not None and not user.has_perm(self.perm):
            return False
        return self.applies is None or self.applies(user)


MENU: list[MenuEntry] = [
    MenuEntry(_("Home"), "home", None, 0),
    MenuEntry(_("Service catalog"), "catalog:item_list", "catalog.view_serviceitem", 30),
    MenuEntry(_("Units and windows"), "org:unit_list", "org.view_unit", 70),
    MenuEntry(_("Staff"), "org:staff_list", "org.view_staff", 71),
    MenuEntry(_("A/B posts"), "org:post_list", "org.view_post", 72),
    MenuEntry(_("Accounts"), "org:account_list", "org.view_membership", 80),
    MenuEntry(_("Working-day calendar"), "calendar:overview", "core.view_calendarday", 90),
    MenuEntry(_("Audit trail"), "core:audit_list", "core.view_auditentry", 95),
]


def register_menu(entry: MenuEntry) -> None:
    """Apps add their pages to the menu from AppConfig.ready()."""
    if all(e.url_name != entry.url_name for e in MENU):
        MENU.append(entry)
        MENU.sort(key=lambda e: e.order)


# Entries are grouped by their order: thirty pages in one flat bar are hard to scan.
GROUPS: list[tuple[int, str | Promise]] = [
    (0, _("Overview")),
    (10, _("Handling")),
    (30, _("Catalog")),
    (40, _("Supervision and feedback")),
    (50, _("Staffing")),
    (60, _("Oversight and reports")),
    (70, _("Settings")),
]


def _group_of(order: int) -> str | Promise:
    label = GROUPS[0][1]
    for start, name in GROUPS:
        if order >= start:
            label = name
    return label


def menu_for(user: Any, path: str) -> list[dict[str, Any]]:
    """The groups of menu entries `user` may open, in order; empty groups are left out."""
    groups: list[dict[str, Any]] = []
    for entry in MENU:
        if not entry.shows_to(user):
            continue
        url = reverse(entry.url_name)
        active = path == url if url == "/" else path.startswith(url)
        label = _group_of(entry.order)
        if not groups or groups[-1]["label"] != label:
            groups.append({"label": label, "items": [], "active": False})
        groups[-1]["items"].append({"label": entry.label, "url": url, "active": active})
        groups[-1]["active"] |= active
    return groups
