"""Session limits and the forced password change, checked on every request."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from govhall.accounts import sessions

# Pages anyone may open, and the ones an account owing a new password still needs.
PUBLIC_PREFIXES = ("/kiosk/", "/service/", "/feedback/", "/healthz", "/i18n/", "/static/")


def _is_public(path: str) -> bool:
    return path.startswith(PUBLIC_PREFIXES) and not path.startswith("/feedback/manage/")


def _login_redirect(request: HttpRequest) -> HttpResponse:
    query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
    return HttpResponseRedirect(reverse("login") + (f"?{query}" if query else ""))


class SessionExpiryMiddleware:
    """Ends a session after SESSION_IDLE_MINUTES without a request, and SESSION_MAX_HOURS after
    its login in any case; the person lands on the login page with a message saying why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            expired = self._expired(request)
            if expired:
                logout(request)
                messages.info(request, expired)
                if request.method == "GET" and not request.path.startswith("/api/"):
                    return _login_redirect(request)
        return self.get_response(request)

    def _expired(self, request: HttpRequest) -> str:
        session = request.session
        now = sessions.now_seconds()
        login_at = session.get(sessions.LOGIN_AT)
        seen_at = session.get(sessions.SEEN_AT)
        if login_at is None or seen_at is None:  # a session from before these limits
            session[sessions.LOGIN_AT] = login_at or now
            session[sessions.SEEN_AT] = now
            return ""
        if now - seen_at > settings.SESSION_IDLE_MINUTES * 60:
            return _(
                "You were logged out after {minutes} minutes without activity. Log in again."
            ).format(minutes=settings.SESSION_IDLE_MINUTES)
        if now - login_at > settings.SESSION_MAX_HOURS * 3600:
            return _(
                "You were logged out: a session lasts at most {hours} hours. Log in again."
            ).format(hours=settings.SESSION_MAX_HOURS)
        if now - seen_at >= sessions.SEEN_RESOLUTION_SECONDS:
            session[sessions.SEEN_AT] = now
        return ""


class PasswordChangeRequiredMiddleware:
    """An account owing a new password (flagged, or a demo login outside the demo server) sees
    the password change page before anything else; logging out and public pages still work."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            and sessions.password_change_owed(request)
            and not _is_public(request.path)
            and request.path not in (reverse("password_change"), reverse("logout"))
        ):
            if request.method == "GET":
                messages.warning(
                    request,
                    _("Choose a new password for your account before you continue."),
                )
            return HttpResponseRedirect(reverse("password_change"))
        return self.get_response(request)
