"""Login (password, then the authenticator code when enrolled), logout, password change,
authenticator enrolment, and the office's login security page."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from govhall.accounts import selectors, services, sessions
from govhall.accounts.forms import CodeForm, LoginForm
from govhall.core import clock
from govhall.core.access import perm_required
from govhall.core.errors import DomainError
from govhall.core.views import paginate
from govhall.org.selectors import center_or_404

PENDING_USER = "_govhall_2fa_user"
PENDING_BACKEND = "_govhall_2fa_backend"
PENDING_AT = "_govhall_2fa_at"
PENDING_NEXT = "_govhall_2fa_next"
# The code must follow the password within this many seconds.
PENDING_SECONDS = 300


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _lock_message(lock: services.Lock) -> str:
    until = timezone.localtime(lock.until)
    minutes = max(1, math.ceil((lock.until - clock.now()).total_seconds() / 60))
    if lock.reason == "account":
        return _(
            "Too many failed logins for this account. Try again after {time} (in {minutes} "
            "minutes), or ask the center office to unlock it."
        ).format(time=until.strftime("%H:%M"), minutes=minutes)
    return _(
        "Too many failed logins from this computer. Try again after {time} (in {minutes} minutes)."
    ).format(time=until.strftime("%H:%M"), minutes=minutes)


def _complete_login(request: HttpRequest, user: Any, next_url: str) -> HttpResponse:
    for key in (PENDING_USER, PENDING_BACKEND, PENDING_AT, PENDING_NEXT):
        request.session.pop(key, None)
    auth_login(request, user)
    services.login_success_record(user=user, address=services.client_address(request))
    return HttpResponseRedirect(next_url)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    """Username and password; the authenticator code, if enrolled, on a second page."""
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated and request.method == "GET":
        return HttpResponseRedirect(next_url)
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username, password = form.cleaned_data["username"], form.cleaned_data["password"]
        address = services.client_address(request)
        lock = services.login_lock(username=username, address=address)
        user = None if lock else authenticate(request, username=username, password=password)
        if lock is None and user is None:
            lock = services.login_failure_record(username=username, address=address)
            if lock is None:
                # Django's own wording, already translated; it never says which field was wrong.
                form.add_error(
                    None,
                    AuthenticationForm.error_messages["invalid_login"]
                    % {"username": get_user_model()._meta.get_field("username").verbose_name},
                )
        if lock is not None:
            form.add_error(None, _lock_message(lock))
        elif user is not None:
            security = services.security_for(user)
            if password == services.DEMO_PASSWORD and not security.demo_account:
                # The published demo password, whoever set it: never a real account's.
                security.demo_account = True
                security.save(update_fields=["demo_account"])
            if security.totp_enabled:
                request.session[PENDING_USER] = user.pk
                request.session[PENDING_BACKEND] = user.backend
                request.session[PENDING_AT] = clock.now().timestamp()
                request.session[PENDING_NEXT] = next_url
                return redirect("accounts:login_code")
            return _complete_login(request, user, next_url)
    return render(
        request,
        "registration/login.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


@csrf_protect
@never_cache
def login_code_view(request: HttpRequest) -> HttpResponse:
    """The second step: the 6-digit code from the account's authenticator app."""
    pk = request.session.get(PENDING_USER)
    started = request.session.get(PENDING_AT, 0)
    if pk is None or clock.now().timestamp() - started > PENDING_SECONDS:
        request.session.pop(PENDING_USER, None)
        messages.info(request, _("Enter your username and password again."))
        return redirect("login")
    user = get_object_or_404(get_user_model(), pk=pk, is_active=True)
    user.backend = request.session.get(PENDING_BACKEND)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = services.client_address(request)
        lock = services.login_lock(username=user.get_username(), address=address)
        if lock is None and services.totp_verify(user=user, code=form.cleaned_data["code"]):
            return _complete_login(request, user, request.session.get(PENDING_NEXT, "/"))
        if lock is None:
            lock = services.login_failure_record(
                username=user.get_username(), address=address, stage="code"
            )
        if lock is not None:
            request.session.pop(PENDING_USER, None)
            messages.error(request, _lock_message(lock))
            return redirect("login")
        form.add_error(
            "code",
            _("The code is wrong or was already used. Enter the code the app shows now."),
        )
    return render(request, "accounts/login_code.html", {"form": form})


logout_view = auth_views.LogoutView.as_view()


def admin_login_redirect(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """/sysadmin/login/ → the one login page (lockout, second factor), then back. Someone logged in
    who is no system administrator is refused here (403): sending them to log in again would
    bring them straight back, round and round."""
    if request.user.is_authenticated:
        raise PermissionDenied(_("Only a system administrator may open the administration site."))
    target = _safe_next(request, request.GET.get("next")) if request.GET.get("next") else None
    query = urlencode({"next": target or reverse("admin:index")})
    return HttpResponseRedirect(f"{reverse('login')}?{query}")


@sensitive_post_parameters()
@login_required
def password_change_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["new_password1"] == form.cleaned_data["old_password"]:
            form.add_error("new_password1", _("The new password must differ from the current one."))
        else:
            user = form.save()
            update_session_auth_hash(request, user)
            services.password_changed(user=user)
            sessions.password_change_settled(request)
            messages.success(request, _("Your password was changed."))
            return redirect(settings.LOGIN_REDIRECT_URL)
    owed = sessions.password_change_owed(request)
    return render(request, "registration/password_change_form.html", {"form": form, "owed": owed})


@login_required
def totp_enrol_view(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code (or type the key), confirm with a code."""
    security = services.security_for(request.user)
    if security.totp_enabled:
        return render(request, "accounts/totp.html", {"security": security})
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_confirm(user=request.user, code=form.cleaned_data["code"])
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            messages.success(
                request, _("The authenticator is enrolled: logins now ask for its code.")
            )
            return redirect("accounts:totp")
    secret = services.totp_begin(user=request.user)
    uri = services.totp_uri(user=request.user, secret=secret)
    context = {
        "security": security,
        "form": form,
        "qr": segno.make(uri, error="m").png_data_uri(scale=5, border=2),
        "key": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
    return render(request, "accounts/totp.html", context)


@perm_required("org.change_membership")
def security_list_view(request: HttpRequest) -> HttpResponse:
    """The office's view of its accounts: locked ones first, second factor, forced changes."""
    center = center_or_404(request)
    q = request.GET.get("q", "").strip()
    context = {
        "page": paginate(request, selectors.account_security_list(center=center, q=q)),
        "limit": selectors.failure_limit(),
        "window": settings.LOGIN_FAILURE_WINDOW_MINUTES,
        "q": q,
    }
    return render(request, "accounts/security_list.html", context)


ACTIONS = {
    "unlock": (services.account_unlock, _("{name} is unlocked.")),
    "reset_totp": (services.totp_reset, _("The authenticator of {name} was removed.")),
    "require_change": (
        services.account_require_password_change,
        _("{name} must choose a new password at the next login."),
    ),
}


@perm_required("org.change_membership")
@require_POST
def security_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    user = get_object_or_404(get_user_model(), pk=pk)
    service, done = ACTIONS[action]
    try:
        service(by=request.user, user=user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done.format(name=user.get_username()))
    return redirect("accounts:security")
