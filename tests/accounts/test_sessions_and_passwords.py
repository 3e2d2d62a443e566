"""Idle and absolute session expiry, the forced password change, the password rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from govhall.accounts import services
from govhall.accounts.models import AccountSecurity
from govhall.demo.logins import DEMO_PASSWORD
from govhall.demo.logins import usernames as demo_usernames
from tests.conftest import PASSWORD

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
NEW_PASSWORD = "window42hall"


def log_in(client: Any, username: str, password: str = PASSWORD) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password})


# --- idle and absolute expiry -----------------------------------------------------------------


@pytest.fixture(autouse=True)
def _deployed_session_limits(settings: Any) -> None:
    # tests/conftest.py lifts the limits for the rest of the suite; here they are the defaults.
    settings.SESSION_IDLE_MINUTES = 30
    settings.SESSION_MAX_HOURS = 12
    settings.SESSION_COOKIE_AGE = 12 * 3600


def test_idle_session_ends_with_a_message_on_the_login_page(client: Any, hall: Any) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        log_in(client, "clerk_x")
        assert client.get("/").status_code == 200
        # when 31 minutes pass without a request
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get("/org/units/")
        # then the person is sent to the login page, which says why
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert "next=%2Forg%2Funits%2F" in response["Location"]
        page = client.get(response["Location"])
        assert "_auth_user_id" not in client.session
    shown = [str(m) for m in page.context["messages"]]
    assert len(shown) == 1
    assert "30" in shown[0]
    assert shown[0] in page.content.decode()


def test_activity_keeps_the_session_alive(client: Any, hall: Any) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        log_in(client, "clerk_x")
        for _ in range(5):
            traveller.shift(dt.timedelta(minutes=20))
            assert client.get("/").status_code == 200


def test_session_ends_after_its_maximum_age_even_when_active(
    client: Any, hall: Any, settings: Any
) -> None:
    settings.SESSION_MAX_HOURS = 1
    with time_machine.travel(START, tick=False) as traveller:
        log_in(client, "clerk_x")
        statuses = []
        for _ in range(4):
            traveller.shift(dt.timedelta(minutes=20))
            statuses.append(client.get("/"))
    # active every 20 minutes: fine for the first hour, then sent to log in again
    assert [r.status_code for r in statuses] == [200, 200, 200, 302]
    assert statuses[-1]["Location"].startswith(reverse("login"))


def test_idle_limit_is_configurable(client: Any, hall: Any, settings: Any) -> None:
    settings.SESSION_IDLE_MINUTES = 5
    with time_machine.travel(START, tick=False) as traveller:
        log_in(client, "clerk_x")
        traveller.shift(dt.timedelta(minutes=6))
        assert client.get("/").status_code == 302


# --- forced password change -------------------------------------------------------------------


def test_flagged_account_sees_only_the_password_page_until_it_changes(
    client: Any, hall: Any
) -> None:
    # given the office required a new password
    services.account_require_password_change(by=hall.user("office_a"), user=hall.user("clerk_x"))
    log_in(client, "clerk_x")
    # then every staff page leads to the password page, public pages still open
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change")
    assert client.get("/kiosk/").status_code == 200
    # when the password is changed
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    # then the pages open again and the flag is gone
    assert client.get("/").status_code == 200
    assert not AccountSecurity.objects.get(user=hall.user("clerk_x")).must_change_password


def test_logout_works_while_a_change_is_owed(client: Any, hall: Any) -> None:
    services.account_require_password_change(by=None, user=hall.user("clerk_x"))
    log_in(client, "clerk_x")
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_demo_login_must_change_password_outside_the_demo_server(
    client: Any, hall: Any, settings: Any, django_user_model: Any
) -> None:
    # given a demo login still on the published password
    user = django_user_model.objects.create_user("office", password=DEMO_PASSWORD)
    assert services.demo_accounts_mark(demo_usernames(), DEMO_PASSWORD) == 1
    settings.DEMO_MODE = False
    # when it logs in
    log_in(client, "office", DEMO_PASSWORD)
    # then it is sent to choose a password
    assert client.get("/").status_code == 302
    assert AccountSecurity.objects.get(user=user).demo_account


def test_demo_login_works_as_it_is_on_the_demo_server(
    client: Any, hall: Any, settings: Any, django_user_model: Any
) -> None:
    django_user_model.objects.create_user("office", password=DEMO_PASSWORD)
    services.demo_accounts_mark(demo_usernames(), DEMO_PASSWORD)
    settings.DEMO_MODE = True
    log_in(client, "office", DEMO_PASSWORD)
    assert client.get("/", follow=False).status_code == 200


def test_any_account_on_the_published_demo_password_is_flagged(
    client: Any, hall: Any, settings: Any
) -> None:
    settings.DEMO_MODE = False
    user = hall.user("chief_x")
    user.set_password(DEMO_PASSWORD)
    user.save()
    log_in(client, "chief_x", DEMO_PASSWORD)
    assert client.get("/cases/")["Location"] == reverse("password_change")


def test_new_password_must_differ_from_the_old(client: Any, hall: Any) -> None:
    log_in(client, "clerk_x")
    user = hall.user("clerk_x")
    user.set_password("same-pass-2024")
    user.save()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "same-pass-2024",
            "new_password1": "same-pass-2024",
            "new_password2": "same-pass-2024",
        },
    )
    assert response.status_code == 200
    assert "new_password1" in response.context["form"].errors


# --- password rules and hashing ---------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    ["short1a", "1234567890123", "onlyletterspassword", "password123", "clerkx2024hall"],
)
def test_weak_passwords_are_refused(hall: Any, password: str) -> None:
    user = hall.user("clerk_x")
    user.first_name = "clerkx2024hall"
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_good_password_is_accepted(hall: Any) -> None:
    validate_password(NEW_PASSWORD, hall.user("clerk_x"))


def test_the_rule_messages_are_chinese_by_default(hall: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_password("1234567890", hall.user("clerk_x"))
    text = " ".join(refused.value.messages)
    assert "密码" in text


def test_argon2_hashes_new_passwords_and_older_hashes_still_work() -> None:
    # conftest makes tests hash with MD5; the deployed setting is what matters here
    from govhall import settings as deployed

    assert deployed.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert any("PBKDF2" in h for h in deployed.PASSWORD_HASHERS[1:])
    assert deployed.SESSION_COOKIE_AGE == 12 * 3600
    assert deployed.SESSION_IDLE_MINUTES == 30
