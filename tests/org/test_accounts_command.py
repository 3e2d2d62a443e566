"""manage.py accounts: operators open accounts and grant roles center by center."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from govhall.core.models import AuditEntry
from govhall.org.models import Membership
from govhall.org.selectors import CENTER_SESSION_KEY


def run(*args: str, stdin: str | None = None, monkeypatch: Any = None) -> str:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("accounts", *args, stdout=out)
    return out.getvalue()


def test_create_reads_the_password_from_stdin_and_audits_it(hall: Any, monkeypatch: Any) -> None:
    # when an operator opens an account with a password on standard input
    out = run("create", "wangwu", "--name", "王五", "--password-stdin",
              stdin="Hall-pass-2026\n", monkeypatch=monkeypatch)  # fmt: skip
    # then the account logs in with it, holds no role yet, and the opening is in the audit trail
    user = get_user_model().objects.get(username="wangwu")
    assert "wangwu" in out
    assert user.first_name == "王五"
    assert user.check_password("Hall-pass-2026")
    assert not Membership.objects.filter(user=user).exists()
    entry = AuditEntry.objects.get(action="account.create", object_repr="wangwu")
    assert entry.chain == 0
    assert "Hall-pass-2026" not in json.dumps(entry.after)


def test_create_without_a_password_cannot_log_in_yet(hall: Any) -> None:
    out = run("create", "zhaoliu", "--name", "赵六")
    assert "changepassword" in out
    assert not get_user_model().objects.get(username="zhaoliu").has_usable_password()


def test_create_refuses_a_weak_password_and_a_taken_name(hall: Any, monkeypatch: Any) -> None:
    with pytest.raises(CommandError):
        run("create", "weak", "--name", "弱", "--password-stdin", stdin="123\n",
            monkeypatch=monkeypatch)  # fmt: skip
    assert not get_user_model().objects.filter(username="weak").exists()
    with pytest.raises(CommandError, match="office_a"):
        run("create", "office_a", "--name", "重名")


def test_grant_and_revoke_a_unit_role_in_one_center(hall: Any) -> None:
    # given an account without roles
    run("create", "wangwu", "--name", "王五")
    user = get_user_model().objects.get(username="wangwu")
    # when it is made window staff of 公安局 in center A
    run("grant", "wangwu", "window_staff", "--center", hall.a.name, "--unit", "公安局")
    # then it holds that role there, audited in A's chain
    membership = Membership.objects.get(user=user)
    assert (membership.center, membership.unit, membership.role) == (hall.a, hall.x, "window_staff")
    assert AuditEntry.objects.filter(chain=hall.a.pk, action="membership.grant").exists()
    # when the role is revoked, it is gone and the revocation is audited too
    run("revoke", "wangwu", "window_staff", "--center", hall.a.name, "--unit", "公安局")
    assert not Membership.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(chain=hall.a.pk, action="membership.revoke").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("grant", "clerk_x", "janitor", "--center", "甲政务服务中心"), "office, chief"),
        (("grant", "clerk_x", "chief", "--center", "甲政务服务中心"), None),  # no unit
        (("grant", "clerk_x", "chief", "--center", "甲政务服务中心", "--unit", "林业局"), "林业局"),
        (("grant", "nobody", "office", "--center", "甲政务服务中心"), "nobody"),
        (("grant", "clerk_x", "office", "--center", "丙中心"), "丙中心"),
        (("revoke", "clerk_x", "office", "--center", "甲政务服务中心"), "clerk_x"),
    ],
)
def test_wrong_grants_are_refused_with_a_message(
    hall: Any, args: tuple[str, ...], message: str | None
) -> None:
    before = Membership.objects.count()
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert Membership.objects.count() == before


def test_list_prints_the_centers_accounts_and_only_their_roles_there(hall: Any) -> None:
    # given clerk_x also made the office of center B
    run("grant", "clerk_x", "office", "--center", hall.b.name)
    # when center A's accounts are listed as JSON
    members = json.loads(run("list", "--center", hall.a.name, "--format", "json"))
    by_name = {m["username"]: m for m in members}
    # then each A account appears once with its A roles; B's office role is not A's business
    assert set(by_name) == {"office_a", "supervisor_a", "chief_x", "clerk_x", "leader_y"}
    assert by_name["clerk_x"] == {
        "username": "clerk_x",
        "name": "钱办事",
        "active": True,
        "roles": [{"role": "window_staff", "unit": "公安局"}],
    }
    assert by_name["office_a"]["roles"] == [{"role": "office", "unit": None}]
    b_members = json.loads(run("list", "--center", hall.b.name, "--format", "json"))
    assert {"role": "office", "unit": None} in {m["username"]: m for m in b_members}["clerk_x"][
        "roles"
    ]


def test_a_role_granted_by_command_works_only_in_its_center(hall: Any) -> None:
    # given window staff of A who is granted the office of B by command
    run("grant", "clerk_x", "office", "--center", hall.b.name)
    client = Client()
    client.force_login(hall.user("clerk_x"))
    # then working in B the office pages open, working in A they do not
    for center, status in ((hall.b, 200), (hall.a, 403)):
        session = client.session
        session[CENTER_SESSION_KEY] = center.pk
        session.save()
        assert client.get(reverse("org:unit_create")).status_code == status, center.name
