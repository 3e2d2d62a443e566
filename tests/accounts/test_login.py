"""Login through the login page: lockout per account and per address, its expiry, unlock."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from govhall.accounts import services
from govhall.accounts.models import LoginFailure
from tests.conftest import PASSWORD

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def post_login(client: Any, username: str, password: str, address: str = "10.0.0.1") -> Any:
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_correct_password_logs_in_and_lands_on_next(client: Any, hall: Any) -> None:
    # when
    response = client.post(
        reverse("login") + "?next=/org/units/",
        {"username": "clerk_x", "password": PASSWORD, "next": "/org/units/"},
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == "/org/units/"
    assert client.get(reverse("home")).status_code == 200


def test_next_to_another_site_is_ignored(client: Any, hall: Any) -> None:
    response = client.post(
        reverse("login"),
        {"username": "clerk_x", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")


def test_wrong_password_says_so_without_revealing_which(client: Any, hall: Any) -> None:
    response = post_login(client, "clerk_x", "wrong")
    assert response.status_code == 200
    assert "请输入一个正确的用户名和密码" in response.content.decode()
    assert LoginFailure.objects.filter(username="clerk_x").count() == 1


@pytest.mark.django_db
def test_account_is_locked_after_five_failures_even_with_the_right_password(
    client: Any, hall: Any
) -> None:
    # given five failures from five different machines
    with time_machine.travel(START, tick=False):
        for i in range(5):
            post_login(client, "clerk_x", "wrong", address=f"10.0.0.{i + 1}")
        # when the right password comes
        response = post_login(client, "clerk_x", PASSWORD, address="10.0.0.9")
        # then it is refused, with the time to try again (09:15 UTC = 17:15 in Shanghai)
        assert response.status_code == 200
        assert "17:15" in response.content.decode()
        assert "_auth_user_id" not in client.session


def test_lock_expires_after_the_window(client: Any, hall: Any) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(5):
            post_login(client, "clerk_x", "wrong")
        assert post_login(client, "clerk_x", PASSWORD).status_code == 200
        # when 15 minutes have passed since the first failure
        traveller.shift(dt.timedelta(minutes=15, seconds=1))
        response = post_login(client, "clerk_x", PASSWORD)
    # then the password works again
    assert response.status_code == 302


def test_other_accounts_are_not_locked_by_one_account(client: Any, hall: Any) -> None:
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            post_login(client, "clerk_x", "wrong")
        response = post_login(client, "chief_x", PASSWORD)
    assert response.status_code == 302


def test_success_clears_the_accounts_counter(client: Any, hall: Any) -> None:
    with time_machine.travel(START, tick=False):
        for _ in range(4):
            post_login(client, "clerk_x", "wrong")
        assert post_login(client, "clerk_x", PASSWORD).status_code == 302
        client.post(reverse("logout"))
        for _ in range(4):
            post_login(client, "clerk_x", "wrong")
        # four more failures after a success: still not five in a row
        assert post_login(client, "clerk_x", PASSWORD).status_code == 302


def test_address_is_locked_after_twenty_failures_across_accounts(client: Any, hall: Any) -> None:
    with time_machine.travel(START, tick=False):
        for i in range(20):
            post_login(client, f"nobody{i}", "wrong", address="10.9.9.9")
        # a real account with its right password, from the same address
        locked = post_login(client, "chief_x", PASSWORD, address="10.9.9.9")
        other_address = post_login(client, "chief_x", PASSWORD, address="10.9.9.10")
    assert locked.status_code == 200
    assert "17:15" in locked.content.decode()
    assert other_address.status_code == 302


def test_attempts_while_locked_do_not_extend_the_lock(client: Any, hall: Any) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(5):
            post_login(client, "clerk_x", "wrong")
        traveller.shift(dt.timedelta(minutes=10))
        for _ in range(5):
            post_login(client, "clerk_x", "wrong")
        traveller.shift(dt.timedelta(minutes=5, seconds=1))
        assert post_login(client, "clerk_x", PASSWORD).status_code == 302


def test_office_unlocks_a_locked_account(client: Any, hall: Any, login: Any) -> None:
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            post_login(client, "clerk_x", "wrong")
        office = login("office_a")
        page = office.get(reverse("accounts:security"))
        assert "clerk_x" in page.content.decode()
        response = office.post(
            reverse("accounts:security_action", args=[hall.user("clerk_x").pk, "unlock"])
        )
        assert response.status_code == 302
        office.post(reverse("logout"))
        assert post_login(client, "clerk_x", PASSWORD).status_code == 302


def test_office_of_another_center_cannot_unlock(hall: Any, login: Any) -> None:
    office_b = login("office_b")
    office_b.post(reverse("accounts:security_action", args=[hall.user("clerk_x").pk, "unlock"]))
    # the refusal is shown as a message; nothing was audited as unlocked
    from govhall.core.models import AuditEntry

    assert not AuditEntry.objects.filter(action="account.unlock").exists()


def test_window_staff_cannot_open_the_security_page(login: Any) -> None:
    assert login("clerk_x").get(reverse("accounts:security")).status_code == 403


def test_failed_logins_are_logged_without_the_password(client: Any, hall: Any, caplog: Any) -> None:
    with caplog.at_level("WARNING", logger="govhall.security"):
        post_login(client, "clerk_x", "s3cret-typo-123")
    assert "clerk_x" in caplog.text
    assert "s3cret-typo-123" not in caplog.text


def test_lock_reports_the_oldest_failure_plus_the_window(hall: Any) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(5):
            services.login_failure_record(username="clerk_x", address="a")
            traveller.shift(dt.timedelta(minutes=1))
        lock = services.login_lock(username="clerk_x", address="b")
    assert lock is not None
    assert lock.reason == "account"
    assert lock.until == START + dt.timedelta(minutes=15)


def test_the_admin_login_goes_through_the_same_login_page(client: Any, hall: Any) -> None:
    # the admin's own form would bypass the lockout and the second factor
    response = client.get("/sysadmin/login/?next=/sysadmin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=%2Fsysadmin%2F"
    response = client.post(
        response["Location"], {"username": "admin", "password": PASSWORD, "next": "/sysadmin/"}
    )
    assert response["Location"] == "/sysadmin/"
    assert client.get("/sysadmin/").status_code == 200
