"""The role matrix: each persona sees its own center and, for unit roles, its own unit only."""

from __future__ import annotations

import pytest

from govhall.org.models import Center, Staff, Unit
from govhall.org.scoping import scope_for, scoped

# persona -> (units seen, staff seen)
EXPECTED = {
    "office_a": ({"公安局", "住建局"}, {"赵首席", "钱办事", "孙房产"}),
    "supervisor_a": ({"公安局", "住建局"}, {"赵首席", "钱办事", "孙房产"}),
    "chief_x": ({"公安局"}, {"赵首席", "钱办事"}),
    "clerk_x": ({"公安局"}, {"赵首席", "钱办事"}),
    "leader_y": ({"住建局"}, {"孙房产"}),
    "office_b": ({"林业局"}, {"李林业"}),
    "clerk_z": ({"林业局"}, {"李林业"}),
    "admin": ({"公安局", "住建局", "林业局"}, {"赵首席", "钱办事", "孙房产", "李林业"}),
}


@pytest.mark.parametrize(("persona", "expected"), EXPECTED.items())
def test_each_role_sees_exactly_its_units_and_staff(hall, persona, expected):
    # given
    user = hall.user(persona)
    units, staff = expected
    # when
    seen_units = set(scoped(Unit.objects.all(), user, unit="id").values_list("name", flat=True))
    seen_staff = set(scoped(Staff.objects.all(), user).values_list("name", flat=True))
    # then
    assert seen_units == units
    assert seen_staff == staff


@pytest.mark.parametrize(
    ("persona", "centers"),
    [
        ("office_a", {"甲政务服务中心"}),
        ("clerk_x", {"甲政务服务中心"}),
        ("clerk_z", {"乙政务服务中心"}),
    ],
)
def test_center_level_records_are_seen_by_every_member_of_the_center(hall, persona, centers):
    seen = set(
        scoped(Center.objects.all(), hall.user(persona), center="id", unit=None).values_list(
            "name", flat=True
        )
    )
    assert seen == centers


def test_anonymous_and_inactive_accounts_see_nothing(hall, django_user_model):
    # given
    from django.contrib.auth.models import AnonymousUser

    inactive = hall.user("office_a")
    inactive.is_active = False
    # then
    assert not scoped(Unit.objects.all(), AnonymousUser(), unit="id").exists()
    assert not scoped(Unit.objects.all(), inactive, unit="id").exists()


# Pages: (url name, args builder, {persona: status}); 404 hides records of another unit/center.
def _unit_x(hall):
    return [hall.x.pk]


PAGE_MATRIX = [
    (
        "org:unit_list",
        None,
        {"office_a": 200, "clerk_x": 200, "leader_y": 200, "supervisor_a": 200, "anonymous": 302},
    ),
    (
        "org:unit_detail",
        _unit_x,
        {
            "office_a": 200,
            "chief_x": 200,
            "clerk_x": 200,
            "leader_y": 404,
            "office_b": 404,
            "clerk_z": 404,
            "anonymous": 302,
        },
    ),
    (
        "org:unit_create",
        None,
        {
            "office_a": 200,
            "chief_x": 403,
            "clerk_x": 403,
            "leader_y": 403,
            "supervisor_a": 403,
            "anonymous": 302,
        },
    ),
    (
        "org:unit_edit",
        _unit_x,
        {"office_a": 200, "office_b": 404, "chief_x": 403, "supervisor_a": 403},
    ),
    ("org:staff_list", None, {"office_a": 200, "clerk_x": 200, "anonymous": 302}),
    ("org:post_list", None, {"office_a": 200, "chief_x": 200, "clerk_x": 200, "supervisor_a": 200}),
    (
        "core:audit_list",
        None,
        {
            "office_a": 200,
            "supervisor_a": 200,
            "chief_x": 403,
            "clerk_x": 403,
            "leader_y": 403,
            "anonymous": 302,
        },
    ),
    ("org:import", None, {"office_a": 200, "chief_x": 404, "clerk_x": 404}),
]


@pytest.mark.parametrize(
    ("url_name", "args", "persona", "status"),
    [(u, a, p, s) for u, a, expected in PAGE_MATRIX for p, s in expected.items()],
)
def test_pages_answer_each_role_as_the_matrix_says(client, hall, url_name, args, persona, status):
    # given
    from django.urls import reverse

    if persona != "anonymous":
        client.force_login(hall.user(persona))
    url = reverse(url_name, args=args(hall) if args else None)
    # when
    response = client.get(url)
    # then
    assert response.status_code == status


def test_a_unit_role_list_page_never_names_another_units_staff(login, hall):
    # when
    page = login("clerk_x").get("/org/staff/").content.decode()
    # then
    assert "钱办事" in page
    assert "孙房产" not in page
    assert "李林业" not in page


def test_scope_is_computed_once_per_request_user(hall, django_assert_num_queries):
    user = hall.user("clerk_x")
    with django_assert_num_queries(1):
        scope_for(user)
        scope_for(user)


def test_a_list_under_a_permission_shows_only_units_whose_role_grants_it(hall):
    # given clerk_x (window staff of 公安局) who also leads 住建局
    from govhall.org import services

    user = hall.user("clerk_x")
    services.membership_grant(by=None, user=user, center=hall.a, role="unit_leader", unit=hall.y)
    # when the leave register (a leader's read, not a clerk's) lists units
    units = scoped(Unit.objects.all(), user, unit="id", perm="staffing.view_leave")
    # then only the led unit is there; without the permission both units are
    assert set(units.values_list("name", flat=True)) == {"住建局"}
    assert set(scoped(Unit.objects.all(), user, unit="id").values_list("name", flat=True)) == {
        "公安局",
        "住建局",
    }


def test_permissions_are_those_of_the_roles_in_that_center_and_unit(hall):
    # given clerk_x, window staff of 公安局 in A, made the office of B
    from govhall.org import services

    user = hall.user("clerk_x")
    services.membership_grant(by=None, user=user, center=hall.b, role="office")
    scope = scope_for(user)
    # then in A it may handle cases of its unit but not create units; in B it may
    assert scope.allows("cases.handle_case", hall.a.pk, hall.x.pk)
    assert not scope.allows("cases.handle_case", hall.a.pk, hall.y.pk)
    assert not scope.allows("org.add_unit", hall.a.pk)
    assert scope.allows("org.add_unit", hall.b.pk)
    assert scope.allows("cases.handle_case", hall.b.pk, hall.z.pk)  # the office's reach


def test_has_perm_answers_for_the_acting_center_only(hall):
    from govhall.org import services
    from govhall.org.scoping import set_acting_center

    user = hall.user("clerk_x")
    services.membership_grant(by=None, user=user, center=hall.b, role="office")
    # an account of two centers that has not chosen one holds nothing
    assert not user.has_perm("org.add_unit")
    assert not user.has_perm("cases.handle_case")
    set_acting_center(user, hall.a.pk)
    assert user.has_perm("cases.handle_case")
    assert not user.has_perm("org.add_unit")
    set_acting_center(user, hall.b.pk)
    assert user.has_perm("org.add_unit")


@pytest.mark.django_db
def test_every_permission_a_role_names_exists():
    # a misspelt codename would silently grant nothing
    from django.contrib.auth.models import Permission

    from govhall.org.roles import ROLE_PERMISSIONS

    named = {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}
    existing = {
        f"{app}.{code}"
        for app, code in Permission.objects.values_list("content_type__app_label", "codename")
    }
    assert sorted(named - existing) == []
