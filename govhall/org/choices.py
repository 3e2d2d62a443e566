"""Choices of the organization records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of DESIGN.md §1 that log in; the public (办事群众) uses the hall without login."""

    OFFICE = "office", _("Center office")
    CHIEF = "chief", _("Chief representative")
    WINDOW_STAFF = "window_staff", _("Window staff")
    UNIT_LEADER = "unit_leader", _("Unit supervising leader")
    SUPERVISOR = "supervisor", _("Supervisor")

    @classmethod
    def center_wide(cls) -> frozenset[str]:
        """Roles that see every unit of their center."""
        return frozenset({cls.OFFICE, cls.SUPERVISOR})


class StaffRole(models.TextChoices):
    CHIEF = "chief", _("Chief representative")
    CLERK = "clerk", _("Window staff")


class RegionKind(models.TextChoices):
    """The levels of the region tree over the centers: 省 → 市 → 县 (a district counts as a county)."""

    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")

    @classmethod
    def depth(cls, kind: str) -> int:
        """0 for a province, 1 for a city, 2 for a county: a parent is one level up."""
        return list(cls.values).index(kind)


class RegionRole(models.TextChoices):
    """Roles held in a region rather than a center: they reach every center under the region."""

    SUPERVISOR = "region_supervisor", _("Regional supervisor")


def role_label(code: str) -> str:
    """The label of a center role or a regional role."""
    for choices in (Role, RegionRole):
        if code in choices.values:
            return str(choices(code).label)
    return code
