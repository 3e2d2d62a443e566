"""Template context every page needs: the person's center, menu and calendar warnings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from govhall.core.calendar import calendar_banner, may_change_national
from govhall.org.navigation import menu_for
from govhall.org.scoping import scope_for
from govhall.org.selectors import center_choices_for, current_center


def hall(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {"demo_mode": settings.DEMO_MODE}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    center = current_center(request)
    context.update(
        current_center=center,
        center_choices=center_choices_for(user),
        menu=menu_for(user, request.path),
        # The missing-schedule banner: the office and the system administrator (rule in
        # calendar_banner); the system administrator gets the entry form, the office the advice.
        calendar_warnings=calendar_banner(user),
        calendar_warning_can_enter=may_change_national(user),
        user_roles=sorted(scope_for(user).roles_in(center.pk if center else None)),
    )
    return context
