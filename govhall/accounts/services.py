"""Login security: lockout after failed logins, forced password change, TOTP second factor.

Failures are rows in the database, so every server process (gunicorn worker, machine) counts
the same ones. Passwords and codes are never logged.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

import pyotp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from govhall.accounts.models import AccountSecurity, LoginFailure
from govhall.accounts.selectors import failure_window
from govhall.core import clock
from govhall.core.access import Actor, require
from govhall.core.audit import audit_record
from govhall.core.errors import DomainError, NotAllowed

logger = logging.getLogger("govhall.security")

# The demo's published password (README, the demo server's login page): an account using it is
# a demo account whoever set it, and must choose its own outside the demo server.
DEMO_PASSWORD = "govhall-demo"  # noqa: S105

TOTP_ISSUER = "govhall"
# A code is accepted one 30-second step either side of now (phone clocks drift).
TOTP_DRIFT_STEPS = 1


@dataclass(frozen=True)
class Lock:
    """Why logins are refused for now, and until when."""

    reason: str  # "account" or "address"
    until: dt.datetime


def client_address(request: HttpRequest) -> str:
    """The client's address. Behind nginx, nginx must pass it as REMOTE_ADDR (real_ip module):
    X-Forwarded-For is not trusted, as anyone can send it."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")[:64]


def _lock_from(failures: Any, limit: int, reason: str) -> Lock | None:
    """Locked while `limit` failures lie in the window; it opens when the oldest of them
    leaves it."""
    since = clock.now() - failure_window()
    times = list(failures.filter(at__gt=since).order_by("-at").values_list("at", flat=True)[:limit])
    if limit <= 0 or len(times) < limit:
        return None
    return Lock(reason=reason, until=times[-1] + failure_window())


def login_lock(*, username: str, address: str) -> Lock | None:
    """The lock holding back logins of this account or from this address, if any."""
    by_account = _lock_from(
        LoginFailure.objects.filter(username=username.strip(), cleared=False),
        settings.LOGIN_FAILURES_PER_ACCOUNT,
        "account",
    )
    by_address = _lock_from(
        LoginFailure.objects.filter(address=address),
        settings.LOGIN_FAILURES_PER_ADDRESS,
        "address",
    )
    locks = [lock for lock in (by_account, by_address) if lock is not None]
    return max(locks, key=lambda lock: lock.until) if locks else None


def login_failure_record(*, username: str, address: str, stage: str = "password") -> Lock | None:
    """Count one failed login; returns the lock it brings about, if any."""
    username = username.strip()[:150]
    LoginFailure.objects.create(username=username, address=address, at=clock.now())
    lock = login_lock(username=username, address=address)
    logger.warning(
        "login failed: stage=%s username=%r address=%s%s",
        stage,
        username,
        address,
        f" locked ({lock.reason}) until {lock.until.isoformat()}" if lock else "",
    )
    return lock


def login_success_record(*, user: Any, address: str) -> None:
    """A successful login clears the account's failures (the address's stay counted)."""
    LoginFailure.objects.filter(username=user.get_username(), cleared=False).update(cleared=True)
    logger.info("login: username=%r address=%s", user.get_username(), address)


def security_for(user: Any) -> AccountSecurity:
    security, _created = AccountSecurity.objects.get_or_create(user=user)
    return security


def _require_manager(by: Actor, user: Any) -> list[int]:
    """The office of every center the account works in, or a system administrator."""
    center_ids = sorted(set(user.memberships.values_list("center_id", flat=True)))
    if by is None:
        return center_ids
    if user.is_superuser and not by.is_superuser:
        raise NotAllowed(_("Only a system administrator may change another administrator."))
    if not center_ids and not by.is_superuser:
        raise NotAllowed(_("You are not allowed to do this here."))
    for center_id in center_ids:
        require(by, "org.change_membership", center_id=center_id)
    return center_ids


def _audit(by: Actor, user: Any, action: str, center_ids: list[int], **after: Any) -> None:
    for center_id in center_ids or [0]:
        audit_record(
            by=by,
            action=action,
            object_type="auth.user",
            object_id=str(user.pk),
            object_repr=user.get_username(),
            center_id=center_id,
            after=after or None,
        )


@transaction.atomic
def account_unlock(*, by: Actor, user: Any) -> int:
    """Lift a lockout: the account's failed logins stop counting. Returns how many were lifted."""
    center_ids = _require_manager(by, user)
    lifted = LoginFailure.objects.filter(username=user.get_username(), cleared=False).update(
        cleared=True
    )
    _audit(by, user, "account.unlock", center_ids, failures_cleared=lifted)
    logger.warning(
        "account unlocked: username=%r by=%r",
        user.get_username(),
        by.get_username() if by else "system",
    )
    return lifted


@transaction.atomic
def account_require_password_change(*, by: Actor, user: Any) -> AccountSecurity:
    """Make the account choose a new password at its next login."""
    center_ids = _require_manager(by, user)
    security = security_for(user)
    security.must_change_password = True
    security.save(update_fields=["must_change_password"])
    _audit(by, user, "account.require_password_change", center_ids)
    return security


@transaction.atomic
def password_changed(*, user: Any) -> AccountSecurity:
    """The account chose a new password: it is no longer forced to, nor a demo password."""
    security = security_for(user)
    security.must_change_password = False
    security.demo_account = False
    security.password_changed_at = clock.now()
    security.save(update_fields=["must_change_password", "demo_account", "password_changed_at"])
    center_ids = sorted(set(user.memberships.values_list("center_id", flat=True)))
    _audit(user, user, "account.password_change", center_ids)
    return security


def demo_accounts_mark(usernames: list[str], password: str) -> int:
    """Flag the demo's accounts still using the published password (see DEMO_MODE)."""
    marked = 0
    for user in get_user_model().objects.filter(username__in=usernames):
        if user.check_password(password):
            security = security_for(user)
            if not security.demo_account:
                security.demo_account = True
                security.save(update_fields=["demo_account"])
            marked += 1
    return marked


# --- TOTP second factor ----------------------------------------------------------------------


def totp_uri(*, user: Any, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.get_username(), issuer_name=TOTP_ISSUER)


@transaction.atomic
def totp_begin(*, user: Any) -> str:
    """A fresh key for enrolment, not yet in force until a code from it is confirmed."""
    security = AccountSecurity.objects.select_for_update().get(pk=security_for(user).pk)
    if security.totp_enabled:
        raise DomainError(_("An authenticator is already enrolled for this account."))
    if not security.totp_secret:
        security.totp_secret = pyotp.random_base32()
        security.save(update_fields=["totp_secret"])
    return security.totp_secret


def _matching_step(secret: str, code: str, last_step: int) -> int | None:
    """The time step `code` belongs to (now ± drift), if newer than `last_step`."""
    code = "".join(code.split())
    if not (len(code) == 6 and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(clock.now())
    for step in range(now_step - TOTP_DRIFT_STEPS, now_step + TOTP_DRIFT_STEPS + 1):
        if step > last_step and pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None


@transaction.atomic
def totp_confirm(*, user: Any, code: str) -> AccountSecurity:
    """Put the enrolment in force with a code from the authenticator app."""
    security = AccountSecurity.objects.select_for_update().get(pk=security_for(user).pk)
    if security.totp_enabled:
        raise DomainError(_("An authenticator is already enrolled for this account."))
    if not security.totp_secret:
        raise DomainError(_("Start the enrolment again."), field="code")
    step = _matching_step(security.totp_secret, code, security.totp_last_step)
    if step is None:
        raise DomainError(
            _("The code does not match. Enter the 6 digits the app shows now."), field="code"
        )
    security.totp_confirmed_at = clock.now()
    security.totp_last_step = step
    security.save(update_fields=["totp_confirmed_at", "totp_last_step"])
    center_ids = sorted(set(user.memberships.values_list("center_id", flat=True)))
    _audit(user, user, "account.totp_enrol", center_ids)
    return security


@transaction.atomic
def totp_verify(*, user: Any, code: str) -> bool:
    """True when `code` is valid now and was not used before (each code works once)."""
    security = AccountSecurity.objects.select_for_update().filter(user=user).first()
    if security is None or not security.totp_enabled:
        return False
    step = _matching_step(security.totp_secret, code, security.totp_last_step)
    if step is None:
        return False
    security.totp_last_step = step
    security.save(update_fields=["totp_last_step"])
    return True


@transaction.atomic
def totp_reset(*, by: Actor, user: Any) -> AccountSecurity:
    """Remove the account's authenticator (lost phone): it logs in with its password alone
    until it enrols again."""
    center_ids = _require_manager(by, user)
    security = security_for(user)
    security.totp_secret = ""
    security.totp_confirmed_at = None
    security.totp_last_step = 0
    security.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    _audit(by, user, "account.totp_reset", center_ids)
    return security
