"""Who sees what: every staff-facing query goes through `scoped`, every write through `require`.

A person sees only the centers they belong to; unit roles (chief, window staff, unit leader)
see only their own unit's records within it. Superusers (system administrators) see all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from govhall.core.errors import NotAllowed
from govhall.org.choices import Role
from govhall.org.models import Membership

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Scope:
    everything: bool
    center_ids: frozenset[int]
    wide_center_ids: frozenset[int]
    unit_ids: frozenset[int]
    roles: frozenset[str]

    def sees_center(self, center_id: int) -> bool:
        return self.everything or center_id in self.center_ids

    def sees_unit(self, center_id: int, unit_id: int | None) -> bool:
        if self.everything or center_id in self.wide_center_ids:
            return True
        return unit_id is not None and unit_id in self.unit_ids

    def has_role(self, *roles: str) -> bool:
        return self.everything or bool(self.roles & set(roles))


NOBODY = Scope(False, frozenset(), frozenset(), frozenset(), frozenset())


def scope_for(user: Any) -> Scope:
    """The user's scope, computed once per user object (one query)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    cached = getattr(user, "_govhall_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(True, frozenset(), frozenset(), frozenset(), frozenset(Role.values))
    else:
        rows = list(
            Membership.objects.filter(user=user, center__is_active=True).values_list(
                "center_id", "unit_id", "role"
            )
        )
        scope = Scope(
            everything=False,
            center_ids=frozenset(c for c, _u, _r in rows),
            wide_center_ids=frozenset(c for c, _u, r in rows if r in Role.center_wide()),
            unit_ids=frozenset(u for _c, u, r in rows if u is not None),
            roles=frozenset(r for _c, _u, r in rows),
        )
    user._govhall_scope = scope
    return scope


def scoped(
    queryset: QuerySet[M], user: Any, *, center: str = "center", unit: str | None = "unit"
) -> QuerySet[M]:
    """Limit `queryset` to what `user` may see.

    `center` is the path to the record's center id, `unit` the path to its unit id, or None
    for center-level records (seen by every member of the center).
    """
    scope = scope_for(user)
    if scope.everything:
        return queryset
    if unit is None:
        return queryset.filter(**{f"{center}__in": scope.center_ids})
    return queryset.filter(
        Q(**{f"{center}__in": scope.wide_center_ids}) | Q(**{f"{unit}__in": scope.unit_ids})
    )


def require(user: Any, perm: str, *, center_id: int, unit_id: int | None = None) -> None:
    """Refuse unless `user` holds `perm` and may act in that center (and unit). None = system."""
    if user is None:
        return
    scope = scope_for(user)
    allowed = user.has_perm(perm) and (
        scope.sees_unit(center_id, unit_id) if unit_id is not None else scope.sees_center(center_id)
    )
    if not allowed:
        raise NotAllowed(_("You are not allowed to do this here."))
