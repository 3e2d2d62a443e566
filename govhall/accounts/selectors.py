"""Reads for the login security page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from govhall.accounts.models import AccountSecurity, LoginFailure
from govhall.core import clock
from govhall.core.access import Actor
from govhall.org.models import Center
from govhall.org.selectors import people_only


def failure_window() -> dt.timedelta:
    """How long a failed login counts towards a lock."""
    return dt.timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)


def account_security_list(*, center: Center, q: str = "") -> QuerySet[Any]:
    """The center's accounts with their recent failed logins and second-factor state."""
    since = clock.now() - failure_window()
    failures = (
        LoginFailure.objects.filter(username=OuterRef("username"), cleared=False, at__gt=since)
        .order_by()
        .values("username")
        .annotate(n=Count("pk"))
        .values("n")
    )
    users = (
        people_only(get_user_model().objects.filter(memberships__center=center))
        .distinct()
        .select_related("security")
        .annotate(
            recent_failures=Coalesce(Subquery(failures, output_field=IntegerField()), Value(0))
        )
        .order_by("-recent_failures", "username")
    )
    if q:
        users = users.filter(username__icontains=q)
    return users


def failure_limit() -> int:
    return settings.LOGIN_FAILURES_PER_ACCOUNT


def security_of(user: Actor) -> AccountSecurity | None:
    return AccountSecurity.objects.filter(user=user).first()
