"""The authenticator (TOTP) second factor: enrol, log in with a code, no replay, reset."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pyotp
import time_machine
from django.urls import reverse

from govhall.accounts import services
from govhall.accounts.models import AccountSecurity
from govhall.core.crypto import is_token
from tests.conftest import PASSWORD

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def enrol(client: Any) -> str:
    """Open the enrolment page, read the manual key, confirm with a code; returns the key."""
    page = client.get(reverse("accounts:totp")).content.decode()
    assert "data:image/png;base64," in page
    key = re.search(r'class="mono totp-key">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    response = client.post(reverse("accounts:totp"), {"code": pyotp.TOTP(key).now()})
    assert response.status_code == 302
    return key


def password_step(client: Any, username: str = "office_a") -> Any:
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def test_enrolment_needs_a_matching_code(login: Any, hall: Any) -> None:
    office = login("office_a")
    office.get(reverse("accounts:totp"))
    response = office.post(reverse("accounts:totp"), {"code": "000000"})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert not AccountSecurity.objects.get(user=hall.user("office_a")).totp_enabled


def test_enrolled_login_asks_for_the_code_after_the_password(
    client: Any, login: Any, hall: Any
) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        key = enrol(login("office_a"))
        client.post(reverse("logout"))
        traveller.shift(dt.timedelta(seconds=60))
        # when the password is right
        response = password_step(client)
        # then the second page asks for the code, and nobody is logged in yet
        assert response["Location"] == reverse("accounts:login_code")
        assert client.get("/")["Location"].startswith(reverse("login"))
        response = client.post(reverse("accounts:login_code"), {"code": pyotp.TOTP(key).now()})
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(hall.user("office_a").pk)


def test_a_code_cannot_be_used_twice(client: Any, login: Any) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        key = enrol(login("office_a"))
        client.post(reverse("logout"))
        traveller.shift(dt.timedelta(seconds=60))
        code = pyotp.TOTP(key).now()
        password_step(client)
        assert client.post(reverse("accounts:login_code"), {"code": code}).status_code == 302
        client.post(reverse("logout"))
        # when the same code is replayed within its window
        password_step(client)
        response = client.post(reverse("accounts:login_code"), {"code": code})
        # then it is refused
        assert response.status_code == 200
        assert "code" in response.context["form"].errors
        assert "_auth_user_id" not in client.session


def test_wrong_codes_count_towards_the_lockout(client: Any, login: Any) -> None:
    with time_machine.travel(START, tick=False):
        enrol(login("office_a"))
        client.post(reverse("logout"))
        password_step(client)
        for _ in range(5):
            response = client.post(reverse("accounts:login_code"), {"code": "123456"})
        assert services.login_lock(username="office_a", address="127.0.0.1") is not None
    assert response.status_code == 302
    assert response["Location"] == reverse("login")


def test_code_page_without_a_password_step_goes_back_to_login(client: Any, hall: Any) -> None:
    response = client.get(reverse("accounts:login_code"))
    assert response["Location"] == reverse("login")


def test_secret_is_stored_encrypted(login: Any, hall: Any) -> None:
    enrol(login("office_a"))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT totp_secret FROM accounts_accountsecurity WHERE user_id = %s",
            [hall.user("office_a").pk],
        )
        (raw,) = cursor.fetchone()
    assert is_token(raw)


def test_office_resets_a_lost_authenticator(client: Any, login: Any, hall: Any) -> None:
    enrol(login("chief_x"))
    office = login("office_a")
    office.post(reverse("accounts:security_action", args=[hall.user("chief_x").pk, "reset_totp"]))
    office.post(reverse("logout"))
    # the chief logs in with the password alone
    assert password_step(client, "chief_x")["Location"] == reverse("home")
