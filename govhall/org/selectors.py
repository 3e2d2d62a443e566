"""Reads of the organization, always scoped to what the person may see."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.management import CommandError
from django.db.models import Count, Model, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from govhall.core.access import Viewer
from govhall.org.choices import StaffRole
from govhall.org.models import (
    Center,
    Membership,
    Post,
    Region,
    RegionMembership,
    Staff,
    Unit,
    Window,
)
from govhall.org.scoping import centers_under, scope_for, scoped

CENTER_SESSION_KEY = "govhall_center_id"
M = TypeVar("M", bound=Model)


def center_choices_for(user: Viewer) -> QuerySet[Center]:
    return scoped(Center.objects.filter(is_active=True), user, center="id", unit=None)


def current_center(request: HttpRequest, user: Viewer = None) -> Center | None:
    """The center the person is working in: their choice, else their first center.

    `user` is the request's account when `request.user` is not usable yet (the middleware that
    sets the acting center computes this while resolving `request.user`)."""
    cached = getattr(request, "_govhall_center", False)
    if cached is not False:
        return cached  # type: ignore[return-value]
    centers = center_choices_for(request.user if user is None else user)
    chosen = request.session.get(CENTER_SESSION_KEY)
    center = centers.filter(pk=chosen).first() if chosen else None
    if center is None:
        center = centers.first()
    request._govhall_center = center  # type: ignore[attr-defined]
    return center


def people_only(users: QuerySet[M], *, through: str = "") -> QuerySet[M]:
    """Leave out the system accounts (an API client acts as an account that has no password and
    never logs in): lists of people, their logins and their roles are not about them.
    `through` is the path to the account (`"user__"` for memberships)."""
    return users.exclude(**{f"{through}password__startswith": UNUSABLE_PASSWORD_PREFIX})


def staff_record_in(user: Viewer, center_id: int) -> Staff | None:
    """The active staff record an account is linked to in a center (its post there), if any."""
    if user is None or not getattr(user, "is_authenticated", False) or user.pk is None:
        return None
    return Staff.objects.filter(user_id=user.pk, center_id=center_id, is_active=True).first()


def center_or_404(request: HttpRequest) -> Center:
    """The center the person is working in; a page of a center answers 404 without one."""
    center = current_center(request)
    if center is None:
        raise Http404(_("Your account does not belong to any service center."))
    return center


def center_by_name(name: str | None) -> Center | None:
    """The center named; with no name, the only center, else the deployment's own (is_home)
    where one is marked (management commands)."""
    if name:
        return Center.objects.filter(name=name).first()
    centers = list(Center.objects.all()[:2])
    if len(centers) == 1:
        return centers[0]
    return Center.objects.filter(is_home=True).first()


def center_for_command(name: str | None) -> Center:
    """The center a command's `--center NAME` names (or the only one); the command stops with a
    message saying what to name otherwise."""
    center = center_by_name(name)
    if center is None:
        if name:
            raise CommandError(_("No center is named {name}.").format(name=name))
        raise CommandError(
            _(
                "The database holds several centers (and none is marked as the deployment's "
                "own) or none: name one with --center."
            )
        )
    return center


def unit_list(
    *, user: Viewer, center: Center, q: str = "", active: bool | None = True
) -> QuerySet[Unit]:
    units = (
        scoped(Unit.objects.filter(center=center), user, unit="id")
        .annotate(
            window_count=Count("windows", filter=Q(windows__is_active=True), distinct=True),
            staff_count=Count("staff", filter=Q(staff__is_active=True), distinct=True),
            chief_count=Count(
                "staff", filter=Q(staff__is_active=True, staff__role=StaffRole.CHIEF), distinct=True
            ),
        )
        .order_by("position", "sort_key")
    )  # Meta.ordering is dropped by aggregation
    if active is not None:
        units = units.filter(is_active=active)
    if q:
        compact = q.replace(" ", "").lower()
        units = units.filter(
            Q(name__icontains=q) | Q(full_name__icontains=q) | Q(sort_key__contains=compact)
        )
    return units


def window_list(*, user: Viewer, center: Center, unit: Unit | None = None) -> QuerySet[Window]:
    windows = scoped(Window.objects.filter(center=center), user).select_related("unit")
    if unit is not None:
        windows = windows.filter(unit=unit)
    return windows


def staff_list(
    *,
    user: Viewer,
    center: Center,
    q: str = "",
    unit_id: int | None = None,
    role: str = "",
    active: bool | None = True,
) -> QuerySet[Staff]:
    staff = scoped(Staff.objects.filter(center=center), user).select_related(
        "unit", "window", "user"
    )
    if active is not None:
        staff = staff.filter(is_active=active)
    if unit_id:
        staff = staff.filter(unit_id=unit_id)
    if role:
        staff = staff.filter(role=role)
    if q:
        compact = q.replace(" ", "").lower()
        staff = staff.filter(
            Q(name__icontains=q)
            | Q(phone__contains=q)
            | Q(staff_no=q)
            | Q(sort_key__contains=compact)
        )
    return staff


def post_list(*, user: Viewer, center: Center, unit_id: int | None = None) -> QuerySet[Post]:
    posts = scoped(Post.objects.filter(center=center), user, unit="window__unit").select_related(
        "window__unit", "primary", "backup"
    )
    if unit_id:
        posts = posts.filter(window__unit_id=unit_id)
    return posts


def center_members(*, center: Center) -> list[dict[str, Any]]:
    """Every account holding a role in the center, with those roles (for operators' commands):
    `[{"username", "name", "active", "roles": [{"role", "unit"}]}]`, by username."""
    members: dict[str, dict[str, Any]] = {}
    rows = (
        Membership.objects.filter(center=center)
        .select_related("user", "unit")
        .order_by("user__username", "role", "unit__position")
    )
    for m in rows:
        member = members.setdefault(
            m.user.get_username(),
            {
                "username": m.user.get_username(),
                "name": m.user.first_name,
                "active": m.user.is_active,
                "roles": [],
            },
        )
        member["roles"].append({"role": m.role, "unit": m.unit.name if m.unit_id else None})
    return list(members.values())


def membership_list(
    *, user: Viewer, center: Center, q: str = "", role: str = ""
) -> QuerySet[Membership]:
    """The logins working in a center, for its office."""
    memberships = people_only(
        scoped(Membership.objects.filter(center=center), user, unit=None), through="user__"
    ).select_related("user", "unit")
    if role:
        memberships = memberships.filter(role=role)
    if q:
        memberships = memberships.filter(
            Q(user__username__icontains=q)
            | Q(user__first_name__icontains=q)
            | Q(unit__name__icontains=q)
        )
    return memberships.order_by("role", "unit__position", "user__username")


def windows_by_name(*, center: Center, people: set[tuple[int, str]]) -> dict[tuple[int, str], str]:
    """(unit id, name) → the window of the person of that name in the unit (公安局出入境窗口),
    for records that name a person without linking a staff record: one query. The active,
    earliest record of a name wins."""
    if not people:
        return {}
    found = Staff.objects.filter(
        center=center,
        unit_id__in={unit for unit, _name in people},
        name__in={name for _unit, name in people},
        window__isnull=False,
    ).select_related("window__unit")
    return {
        (p.unit_id, p.name): str(p.window)
        for p in found.order_by("is_active", "-pk")
        if p.window is not None and p.window.unit_id == p.unit_id
    }


# --- who may cover whom (B角, 替岗人) ----------------------------------------------------------


def lone_unit_ids(*, center: Center) -> set[int]:
    """Units with one active person: only another unit's staff can cover them."""
    return set(
        Unit.objects.filter(center=center)
        .annotate(people=Count("staff", filter=Q(staff__is_active=True)))
        .filter(people__lte=1)
        .values_list("pk", flat=True)
    )


def may_cover(*, staff: Staff, other: Staff) -> bool:
    """A post is covered from the same unit, never by its holder; a one-person unit, which has
    nobody else, by someone of another unit of the same center."""
    if other.pk == staff.pk or other.center_id != staff.center_id:
        return False
    if other.unit_id == staff.unit_id:
        return True
    return (
        not Staff.objects.filter(unit_id=staff.unit_id, is_active=True)
        .exclude(pk=staff.pk)
        .exists()
    )


def cover_candidates(*, staff: Staff, among: QuerySet[Staff]) -> QuerySet[Staff]:
    """The people of `among` who may cover `staff`'s post (`may_cover`)."""
    others = among.filter(is_active=True).exclude(pk=staff.pk)
    colleagues = others.filter(unit_id=staff.unit_id)
    if Staff.objects.filter(unit_id=staff.unit_id, is_active=True).exclude(pk=staff.pk).exists():
        return colleagues
    return others.filter(center_id=staff.center_id)


# --- regions ---------------------------------------------------------------------------------


def region_for_command(name: str | None) -> Region:
    """The region a command's `--region NAME` names; the command stops with a message otherwise."""
    if not name or not name.strip():
        raise CommandError(_("Name the region with --region NAME."))
    region = Region.objects.filter(name=name.strip()).first()
    if region is None:
        raise CommandError(_("No region is named {name}.").format(name=name))
    return region


def regions_for(user: Viewer) -> QuerySet[Region]:
    """The regions `user` may read: those where it holds a regional role and the regions under
    them (every region for a system administrator)."""
    scope = scope_for(user)
    if scope.everything:
        return Region.objects.all()
    if user is None or not user.is_authenticated:
        return Region.objects.none()
    held = RegionMembership.objects.filter(user=user).values("region_id")
    return Region.objects.filter(
        Q(pk__in=held) | Q(parent__in=held) | Q(parent__parent__in=held)
    ).select_related("parent")


def region_get(*, user: Viewer, pk: int) -> Region | None:
    return regions_for(user).filter(pk=pk).first()


def region_centers(*, region: Region) -> QuerySet[Center]:
    """The active centers under the region (its own, its children's and grandchildren's)."""
    return Center.objects.filter(centers_under([region.pk]), is_active=True).order_by("name")
