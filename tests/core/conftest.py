"""Accounts for the calendar's tests: the system administrator (who keeps the national
schedule), an office user holding the calendar permissions directly but no center (roles are
granted elsewhere), and a user holding none."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission

CALENDAR_PERMS = ("view_calendarday", "change_calendarday", "change_calendaryear")


def _user_with(django_user_model: Any, username: str, codenames: tuple[str, ...]) -> Any:
    user = django_user_model.objects.create_user(username, password="pw-for-tests")
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="core", codename__in=codenames)
    )
    return django_user_model.objects.get(pk=user.pk)  # a fresh object: no stale perm cache


@pytest.fixture
def system_admin(db: Any, django_user_model: Any) -> Any:
    """The system administrator: the only person who changes the national schedule."""
    return django_user_model.objects.create_superuser("sysadmin", "", "pw-for-tests")


@pytest.fixture
def calendar_office(db: Any, django_user_model: Any) -> Any:
    """The center office's calendar keeper."""
    return _user_with(django_user_model, "calendar_office", CALENDAR_PERMS)


@pytest.fixture
def calendar_viewer(db: Any, django_user_model: Any) -> Any:
    """May look at the calendar, not change it."""
    return _user_with(django_user_model, "calendar_viewer", ("view_calendarday",))


@pytest.fixture
def nobody(db: Any, django_user_model: Any) -> Any:
    """A logged-in account without any calendar permission."""
    return _user_with(django_user_model, "nobody", ())
