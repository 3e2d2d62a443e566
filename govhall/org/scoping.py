"""Who sees what and who may do what, always in one center.

A role is held in a center (and, for unit roles, in one unit of it): it grants its permissions
there and nowhere else. Every staff-facing query goes through `scoped`, every write through
`govhall.core.access.require`, and `user.has_perm` (pages, menus, templates) asks about the center the person is
working in (`acting_center_id`). Superusers (system administrators) see and may do everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from django.db.models import (
    BooleanField,
    CharField,
    Exists,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
)

from govhall.core.access import ACTING_CENTER_ATTR, Viewer
from govhall.org.choices import RegionRole, Role
from govhall.org.models import Center, Membership, Staff
from govhall.org.roles import ROLE_PERMISSIONS

M = TypeVar("M", bound=Model)


# Roles that see every unit of the centers they reach.
CENTER_WIDE = Role.center_wide() | {RegionRole.SUPERVISOR}


@dataclass(frozen=True)
class Grant:
    """One membership: a role in a center, for unit roles in one unit. A regional role makes
    one grant per center under its region."""

    center_id: int
    unit_id: int | None
    role: str

    @property
    def center_wide(self) -> bool:
        return self.role in CENTER_WIDE

    def covers(self, center_id: int, unit_id: int | None) -> bool:
        """Whether this grant reaches a record of that center (and unit; None: the center's own)."""
        if self.center_id != center_id:
            return False
        return unit_id is None or self.center_wide or self.unit_id == unit_id


@dataclass(frozen=True)
class Scope:
    everything: bool
    grants: frozenset[Grant]
    # The centers where the account is linked to an active staff record (holds a post there):
    # read with the memberships, so the menu knows it without a query of its own.
    post_center_ids: frozenset[int] = frozenset()
    _perm_cache: dict[tuple[int, int | None], frozenset[str]] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    @property
    def center_ids(self) -> frozenset[int]:
        return frozenset(g.center_id for g in self.grants)

    @property
    def wide_center_ids(self) -> frozenset[int]:
        return frozenset(g.center_id for g in self.grants if g.center_wide)

    @property
    def unit_ids(self) -> frozenset[int]:
        return frozenset(g.unit_id for g in self.grants if g.unit_id is not None)

    def sees_unit(self, center_id: int, unit_id: int | None) -> bool:
        if self.everything or center_id in self.wide_center_ids:
            return True
        return unit_id is not None and any(g.covers(center_id, unit_id) for g in self.grants)

    def roles_in(self, center_id: int | None) -> frozenset[str]:
        """The roles held in that center (all roles for a system administrator)."""
        if self.everything:
            return frozenset(Role.values)
        return frozenset(g.role for g in self.grants if g.center_id == center_id)

    def perms_in(self, center_id: int, unit_id: int | None = None) -> frozenset[str]:
        """What the roles reaching that center (and unit) grant, as `app_label.codename`."""
        key = (center_id, unit_id)
        cached = self._perm_cache.get(key)
        if cached is None:
            cached = frozenset(
                perm
                for g in self.grants
                if g.covers(center_id, unit_id)
                for perm in ROLE_PERMISSIONS.get(g.role, ())
            )
            self._perm_cache[key] = cached
        return cached

    def allows(self, perm: str, center_id: int, unit_id: int | None = None) -> bool:
        return self.everything or perm in self.perms_in(center_id, unit_id)

    def only_center_id(self) -> int | None:
        """The center of an account that works in exactly one (commands and tests act there)."""
        centers = self.center_ids
        return next(iter(centers)) if len(centers) == 1 else None


NOBODY = Scope(False, frozenset())


def scope_for(user: Viewer) -> Scope:
    """The user's scope, computed once per user object (one query)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    cached = getattr(user, "_govhall_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(True, frozenset())
    else:
        posts = Staff.objects.filter(
            user_id=OuterRef("user_id"), center_id=OuterRef("center_id"), is_active=True
        )
        rows = list(
            Membership.objects.filter(user=user, center__is_active=True)
            .order_by()
            .annotate(post=Exists(posts))
            .values_list("center_id", "unit_id", "role", "post")
            .union(_regional_rows(user))
        )
        scope = Scope(
            False,
            frozenset(Grant(c, u, r) for c, u, r, _post in rows),
            frozenset(c for c, _u, _r, post in rows if post),
        )
    user._govhall_scope = scope
    return scope


def centers_under(region_ids: QuerySet[int] | set[int] | list[int]) -> Q:
    """Centers of these regions or of their children and grandchildren (the tree is at most
    province → city → county deep)."""
    return (
        Q(region__in=region_ids)
        | Q(region__parent__in=region_ids)
        | Q(region__parent__parent__in=region_ids)
    )


def _regional_rows(user: Viewer) -> QuerySet[Center]:
    """(center, no unit, regional role) for every active center under a region the user
    supervises: the same shape as a membership, so one query finds both."""
    regions = user.region_memberships.values("region_id")  # type: ignore[union-attr]
    return (
        Center.objects.filter(centers_under(regions), is_active=True)
        .order_by()
        .annotate(
            no_unit=Value(None, output_field=IntegerField()),
            region_role=Value(RegionRole.SUPERVISOR.value, output_field=CharField()),
            no_post=Value(False, output_field=BooleanField()),
        )
        .values_list("id", "no_unit", "region_role", "no_post")
    )


def forget_scope(user: Viewer) -> None:
    """Drop the cached scope (after a membership of this account object changed)."""
    user.__dict__.pop("_govhall_scope", None)


def set_acting_center(user: Viewer, center_id: int | None) -> None:
    """Make `user.has_perm` answer for the roles held in this center."""
    setattr(user, ACTING_CENTER_ATTR, center_id)


def acting_center_id(user: Viewer) -> int | None:
    """The center whose roles count for `user.has_perm`: the one set for this request, else the
    account's only center. An account of several centers with none set holds no permission."""
    if hasattr(user, ACTING_CENTER_ATTR):
        return getattr(user, ACTING_CENTER_ATTR)
    return scope_for(user).only_center_id()


def scoped(
    queryset: QuerySet[M],
    user: Viewer,
    *,
    center: str = "center",
    unit: str | None = "unit",
    perm: str | None = None,
) -> QuerySet[M]:
    """Limit `queryset` to what `user` may see.

    `center` is the path to the record's center id, `unit` the path to its unit id, or None
    for center-level records (seen by every member of the center). With `perm`, only the roles
    granting that permission count: a window clerk of one unit who leads another sees the led
    unit's records under the leader's permission, not his own unit's.
    """
    scope = scope_for(user)
    if scope.everything:
        return queryset
    grants = [g for g in scope.grants if perm is None or perm in ROLE_PERMISSIONS.get(g.role, ())]
    if unit is None:
        return queryset.filter(**{f"{center}__in": {g.center_id for g in grants}})
    return queryset.filter(
        Q(**{f"{center}__in": {g.center_id for g in grants if g.center_wide}})
        | Q(**{f"{unit}__in": {g.unit_id for g in grants if not g.center_wide}})
    )
