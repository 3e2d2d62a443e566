"""Accounts for the calendar's tests: the system administrator (who keeps the national
schedule), a center's office and supervisor (roles grant permissions in their center only), and
an account holding no role."""

from __future__ import annotations

from typing import Any

import pytest

from govhall.org import services as org
from govhall.org.choices import Role
from tests.factories import CenterFactory

PASSWORD = "pw-for-tests"


def _member(django_user_model: Any, username: str, role: str) -> Any:
    center = CenterFactory(name=f"{username}的中心")
    user = org.account_create(
        by=None, center=center, username=username, password=PASSWORD, role=role
    )
    return django_user_model.objects.get(pk=user.pk)  # a fresh object: no stale perm cache


@pytest.fixture
def system_admin(db: Any, django_user_model: Any) -> Any:
    """The system administrator: the only person who changes the national schedule."""
    return django_user_model.objects.create_superuser("sysadmin", "", PASSWORD)


@pytest.fixture
def calendar_office(db: Any, django_user_model: Any) -> Any:
    """A center's office: every calendar permission, for its own center's days."""
    return _member(django_user_model, "calendar_office", Role.OFFICE)


@pytest.fixture
def calendar_viewer(db: Any, django_user_model: Any) -> Any:
    """May look at the calendar, not change it (a supervisor)."""
    return _member(django_user_model, "calendar_viewer", Role.SUPERVISOR)


@pytest.fixture
def nobody(db: Any, django_user_model: Any) -> Any:
    """A logged-in account without any role."""
    return django_user_model.objects.create_user("nobody", password=PASSWORD)
