"""View decorators: anonymous visitors go to the login page, logged-in people without the
permission get 403. And the center a request acts in, which core's own pages read without
knowing the organization (org's middleware and the API's token check set it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required


def perm_required(perm: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        return login_required(permission_required(perm, raise_exception=True)(view))

    return decorate


# The center whose roles count for `user.has_perm`, set on the account object for a request.
ACTING_CENTER_ATTR = "_govhall_acting_center_id"


def request_center_id(request: Any) -> int | None:
    """The id of the center the logged-in person is working in on this request (or None)."""
    return getattr(request.user, ACTING_CENTER_ATTR, None)
