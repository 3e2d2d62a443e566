"""Regions (区域监管): the tree over centers and the regional supervisor, who reads every center
under its region and writes nowhere."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from govhall.core.access import require
from govhall.core.errors import DomainError, NotAllowed
from govhall.org import services
from govhall.org.choices import RegionKind, RegionRole
from govhall.org.models import Center
from govhall.org.roles import REGION_READ, ROLE_PERMISSIONS
from govhall.org.scoping import forget_scope, scope_for, scoped
from govhall.org.selectors import region_centers, regions_for

WRITE_PERMS = sorted(
    {perm for perms in ROLE_PERMISSIONS.values() for perm in perms} - {perm for perm in REGION_READ}
)


@pytest.fixture
def city(hall):
    """随州市 (in 湖北省) over center A through its county; center B is elsewhere."""
    province = services.region_create(by=None, name="湖北省", kind=RegionKind.PROVINCE)
    city = services.region_create(by=None, name="随州市", kind=RegionKind.CITY, parent=province)
    county = services.region_create(by=None, name="随县", kind=RegionKind.COUNTY, parent=city)
    services.center_place_in_region(by=None, center=hall.a, region=county)
    return city


@pytest.fixture
def regional(city, django_user_model):
    user = django_user_model.objects.create_user("region_sz", password="pw-for-tests")
    services.region_membership_grant(by=None, user=user, region=city)
    return user


def test_the_regional_supervisor_reads_every_center_under_its_region_and_no_other(hall, regional):
    # when its scope is asked
    centers = set(
        scoped(Center.objects.all(), regional, center="id", unit=None).values_list(
            "name", flat=True
        )
    )
    # then it reaches center A (under its county) and not center B
    assert centers == {hall.a.name}
    assert scope_for(regional).sees_unit(hall.a.pk, hall.x.pk)
    assert scope_for(regional).allows("cases.view_case", hall.a.pk, hall.y.pk)
    assert not scope_for(regional).allows("cases.view_case", hall.b.pk)


def test_every_write_permission_is_refused_to_the_regional_supervisor(hall, regional):
    # given every permission some role writes with (services check it through require)
    allowed = []
    for perm in WRITE_PERMS:
        # when the regional supervisor acts in a center under its region, for a unit or not
        for unit_id in (None, hall.x.pk):
            try:
                require(regional, perm, center_id=hall.a.pk, unit_id=unit_id)
            except NotAllowed:
                continue
            allowed.append((perm, unit_id))
    # then each is refused
    assert len(WRITE_PERMS) > 50
    assert allowed == []


def test_the_regional_role_holds_only_view_permissions():
    assert all(p.split(".", 1)[1].startswith("view_") for p in REGION_READ)
    assert "supervision.supervise_warning" not in REGION_READ  # 督办 writes a note


def test_a_real_write_service_refuses_the_regional_supervisor(hall, regional):
    with pytest.raises(NotAllowed):
        services.unit_create(by=regional, center=hall.a, name="新单位")
    assert not hall.a.units.filter(name="新单位").exists()


def test_a_region_lists_its_childrens_centers_and_the_supervisor_its_regions(hall, city, regional):
    assert list(region_centers(region=city)) == [hall.a]
    assert {r.name for r in regions_for(regional)} == {"随州市", "随县"}


def test_the_level_must_fit_the_parent(city):
    with pytest.raises(DomainError) as error:
        services.region_create(by=None, name="某省", kind=RegionKind.PROVINCE, parent=city)
    assert error.value.field == "parent"


def test_only_the_system_manages_regions(hall, city):
    office = hall.user("office_a")
    with pytest.raises(NotAllowed):
        services.region_create(by=office, name="某市", kind=RegionKind.CITY)
    with pytest.raises(NotAllowed):
        services.region_membership_grant(by=office, user=office, region=city)


def test_a_center_membership_cannot_carry_the_regional_role(hall):
    with pytest.raises(DomainError):
        services.membership_grant(
            by=None, user=hall.user("clerk_x"), center=hall.a, role=RegionRole.SUPERVISOR
        )


def test_the_accounts_command_grants_and_revokes_the_regional_role(hall, city, django_user_model):
    # given an account with no role
    user = django_user_model.objects.create_user("sz_supervisor")
    out = StringIO()
    # when it is granted the city's supervision
    call_command(
        "accounts", "grant", "sz_supervisor", "region_supervisor", region="随州市", stdout=out
    )
    # then it reads center A
    forget_scope(user)
    assert scope_for(user).center_ids == {hall.a.pk}
    assert "随州市" in out.getvalue()
    # and once revoked, nothing
    call_command(
        "accounts", "revoke", "sz_supervisor", "region_supervisor", region="随州市", stdout=out
    )
    forget_scope(user)
    assert scope_for(user).center_ids == frozenset()


def test_the_accounts_command_names_what_is_missing(hall, city, django_user_model):
    django_user_model.objects.create_user("sz2")
    with pytest.raises(CommandError, match="--region"):
        call_command("accounts", "grant", "sz2", "region_supervisor", stdout=StringIO())
    with pytest.raises(CommandError, match="某市"):
        call_command("accounts", "grant", "sz2", "region_supervisor", region="某市")
