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
