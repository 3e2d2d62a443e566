"""What a login session remembers about itself: when it began, when it was last used, and
whether its account must change its password first (kept in the session, so checking it on
every request costs no query)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from govhall.accounts.models import AccountSecurity

LOGIN_AT = "_govhall_login_at"
SEEN_AT = "_govhall_seen_at"
CHANGE_FLAG = "_govhall_pw_change"  # "must" / "demo" / absent
# The last-seen time is written at most this often (a session write per request is wasteful).
SEEN_RESOLUTION_SECONDS = 60


def now_seconds() -> float:
    return time.time()


def password_flag_for(user: Any) -> str:
    row = (
        AccountSecurity.objects.filter(user=user)
        .values_list("must_change_password", "demo_account")
        .first()
    )
    if row is None:
        return ""
    must, demo = row
    return "must" if must else ("demo" if demo else "")


def session_started(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """user_logged_in: stamp the session and remember whether a new password is owed."""
    session = getattr(request, "session", None)
    if session is None:
        return
    moment = now_seconds()
    session[LOGIN_AT] = moment
    session[SEEN_AT] = moment
    flag = password_flag_for(user)
    if flag:
        session[CHANGE_FLAG] = flag
    else:
        session.pop(CHANGE_FLAG, None)


def password_change_owed(request: HttpRequest) -> bool:
    flag = request.session.get(CHANGE_FLAG, "")
    return flag == "must" or (flag == "demo" and not settings.DEMO_MODE)


def password_change_settled(request: HttpRequest) -> None:
    request.session.pop(CHANGE_FLAG, None)
