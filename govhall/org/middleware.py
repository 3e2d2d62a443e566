"""Permissions on a page are those of the roles held in the center the person is working in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import get_user
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from govhall.org.scoping import set_acting_center
from govhall.org.selectors import current_center


def _acting_user(request: HttpRequest) -> Any:
    user = get_user(request)  # cached on the request, as Django's own middleware does
    if user.is_authenticated:
        center = current_center(request, user)
        set_acting_center(user, center.pk if center is not None else None)
    return user


class ActingCenterMiddleware:
    """After AuthenticationMiddleware: `request.user` answers `has_perm` for its current center.

    Lazy like Django's own `request.user`, so a public page without a session costs nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.user = SimpleLazyObject(lambda: _acting_user(request))  # type: ignore[assignment]
        return self.get_response(request)
