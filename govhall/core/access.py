"""View decorators: anonymous visitors go to the login page, logged-in people without the
permission get 403. And the center a request acts in, which core's own pages read without
knowing the organization (org's middleware and the API's token check set it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from django.contrib.auth.decorators import login_required, permission_required
from django.utils.translation import gettext as _

from govhall.core.errors import NotAllowed

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# The account a service acts as: a person's login (AUTH_USER_MODEL is Django's own User), or None
# for the system itself (a command, an import, a scheduled job). Views pass `request.user` from
# behind `login_required`, so it is never the anonymous visitor here.
Actor: TypeAlias = "User | None"

# Whoever asks a selector: also the anonymous visitor of a public page, who is shown nothing
# scoped (org.scoping.scope_for).
Viewer: TypeAlias = "User | AnonymousUser | None"


def perm_required(perm: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        return login_required(permission_required(perm, raise_exception=True)(view))

    return decorate


# The center whose roles count for `user.has_perm`, set on the account object for a request.
ACTING_CENTER_ATTR = "_govhall_acting_center_id"


def request_center_id(request: Any) -> int | None:
    """The id of the center the logged-in person is working in on this request (or None)."""
    return getattr(request.user, ACTING_CENTER_ATTR, None)


@dataclass(frozen=True)
class Place:
    """Where an action happens: a center and, for a unit's records, the unit. Passed as the object
    of `user.has_perm(perm, place)`, it asks for the roles held there (org's role backend)."""

    center_id: int
    unit_id: int | None = None


def require(user: Actor, perm: str, *, center_id: int, unit_id: int | None = None) -> None:
    """Refuse unless `user` holds a role granting `perm` in that center (and unit, where the
    record has one). None = the system itself."""
    if user is None:
        return
    # org's role backend takes a Place where the stubs expect a model instance.
    if not user.has_perm(perm, Place(center_id, unit_id)):  # type: ignore[arg-type]
        raise NotAllowed(_("You are not allowed to do this here."))
