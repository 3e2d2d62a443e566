"""Organization services: rules, refusals, permission and audit."""

from __future__ import annotations

import pytest

from govhall.core.errors import DomainError, NotAllowed
from govhall.core.models import AuditEntry
from govhall.org import services
from govhall.org.choices import StaffRole
from govhall.org.models import Post, Staff, Unit
from tests.factories import StaffFactory


def test_office_creates_a_unit_and_the_audit_trail_records_who_did_it(hall):
    # when
    unit = services.unit_create(by=hall.user("office_a"), center=hall.a, name="税务局")
    # then
    entry = AuditEntry.objects.get(action="unit.create", object_id=str(unit.pk))
    assert entry.actor_name == "office_a"
    assert entry.chain == hall.a.pk
    assert entry.after["name"] == "税务局"


def test_a_unit_name_is_unique_within_a_center_but_not_across_centers(hall):
    with pytest.raises(DomainError, match="公安局") as refused:
        services.unit_create(by=hall.user("office_a"), center=hall.a, name=" 公安局 ")
    assert refused.value.field == "name"
    services.unit_create(by=hall.user("office_b"), center=hall.b, name="公安局")
    assert Unit.objects.filter(name="公安局").count() == 2


def test_office_of_another_center_and_window_staff_cannot_create_units(hall):
    with pytest.raises(NotAllowed):
        services.unit_create(by=hall.user("office_b"), center=hall.a, name="税务局")
    with pytest.raises(NotAllowed):
        services.unit_create(by=hall.user("clerk_x"), center=hall.a, name="税务局")
    assert not Unit.objects.filter(name="税务局").exists()


def test_an_empty_or_overlong_name_is_refused_naming_the_field(hall):
    with pytest.raises(DomainError) as refused:
        services.unit_create(by=None, center=hall.a, name="   ")
    assert refused.value.field == "name"
    with pytest.raises(DomainError):
        services.staff_create(by=None, unit=hall.x, name="长" * 51)


def test_a_unit_has_at_most_one_active_chief(hall):
    # when / then
    with pytest.raises(DomainError, match="赵首席") as refused:
        services.staff_create(
            by=hall.user("office_a"), unit=hall.x, name="新首席", role=StaffRole.CHIEF
        )
    assert refused.value.field == "role"
    # a chief who has left frees the place
    Post.objects.all().delete()
    services.staff_update(by=None, staff=hall.x_chief, is_active=False)
    chief = services.staff_create(by=None, unit=hall.x, name="新首席", role=StaffRole.CHIEF)
    assert chief.is_chief


def test_staff_cannot_be_placed_at_a_window_of_another_unit(hall):
    with pytest.raises(DomainError) as refused:
        services.staff_create(by=None, unit=hall.x, name="错位", window=hall.y_window)
    assert refused.value.field == "window"


@pytest.mark.parametrize("phone", ["123", "2345678901a", "1380013800"])
def test_an_invalid_phone_number_is_refused(hall, phone):
    with pytest.raises(DomainError) as refused:
        services.staff_create(by=None, unit=hall.x, name="电话", phone=phone)
    assert refused.value.field == "phone"


@pytest.mark.parametrize("phone", ["13800138000", "0722-4321000", "07224321000", ""])
def test_mobile_and_landline_numbers_are_accepted(hall, phone):
    assert services.staff_create(by=None, unit=hall.x, name="电话", phone=phone).phone == phone


def test_the_backup_covers_the_holders_window_and_can_be_changed(hall):
    # when
    colleague = StaffFactory(window=hall.x_window, name="周同事")
    post = services.post_set(by=hall.user("chief_x"), primary=hall.x_clerk, backup=hall.x_chief)
    again = services.post_set(by=hall.user("chief_x"), primary=hall.x_clerk, backup=colleague)
    # then
    assert post.pk == again.pk
    assert again.window == hall.x_window
    assert Post.objects.get(primary=hall.x_clerk).backup == colleague


def test_a_backup_of_another_unit_is_refused_naming_the_field(hall):
    # when 孙房产 of 住建局 is named for 钱办事 of 公安局, which has a colleague to name
    with pytest.raises(DomainError) as refused:
        services.post_set(by=None, primary=hall.x_clerk, backup=hall.y_clerk)
    # then
    assert refused.value.field == "backup"
    assert "公安局" in refused.value.message
    assert not Post.objects.exists()


def test_a_one_person_unit_is_covered_from_another_unit(hall):
    # given 住建局 has only 孙房产
    # when
    post = services.post_set(by=None, primary=hall.y_clerk, backup=hall.x_clerk)
    # then
    assert post.backup == hall.x_clerk


def test_nobody_is_their_own_backup(hall):
    with pytest.raises(DomainError) as refused:
        services.post_set(by=None, primary=hall.x_clerk, backup=hall.x_clerk)
    assert refused.value.field == "backup"


def test_a_backup_from_another_center_is_refused(hall):
    with pytest.raises(DomainError):
        services.post_set(by=None, primary=hall.x_clerk, backup=hall.z_clerk)


def test_a_chief_cannot_arrange_posts_in_another_unit(hall):
    with pytest.raises(NotAllowed):
        services.post_set(by=hall.user("chief_x"), primary=hall.y_clerk, backup=hall.x_clerk)


def test_someone_holding_a_post_cannot_leave_until_it_is_reassigned(hall):
    # given
    post = services.post_set(by=None, primary=hall.x_clerk, backup=hall.x_chief)
    # when / then
    with pytest.raises(DomainError, match="钱办事"):
        services.staff_update(by=None, staff=hall.x_clerk, is_active=False)
    services.post_remove(by=None, post=post)
    assert services.staff_update(by=None, staff=hall.x_clerk, is_active=False).is_active is False


def test_an_account_for_staff_links_the_person_and_grants_the_unit_role(hall):
    # given
    person = Staff.objects.create(center=hall.a, unit=hall.y, window=hall.y_window, name="周新人")
    # when
    user = services.account_create(
        by=hall.user("office_a"),
        center=hall.a,
        username="zhouxr",
        password="Hall-2016-pw",
        role="window_staff",
        staff=person,
    )
    # then
    person.refresh_from_db()
    assert person.user == user
    assert user.memberships.get().unit == hall.y
    assert user.has_perm("org.view_staff")
    assert not user.has_perm("org.add_unit")


def test_a_taken_username_is_refused(hall):
    with pytest.raises(DomainError) as refused:
        services.account_create(
            by=None, center=hall.a, username="office_a", password="x", role="office"
        )
    assert refused.value.field == "username"


def test_a_unit_role_without_a_unit_is_refused(hall):
    with pytest.raises(DomainError) as refused:
        services.account_create(
            by=None, center=hall.a, username="nobody", password="x", role="chief"
        )
    assert refused.value.field == "unit"


def test_a_refused_account_leaves_no_half_made_login(hall, django_user_model):
    with pytest.raises(DomainError):
        services.account_create(by=None, center=hall.a, username="half", password="x", role="chief")
    assert not django_user_model.objects.filter(username="half").exists()


def test_a_misspelt_field_in_a_unit_update_is_refused_instead_of_silently_ignored(hall):
    # given
    unit = hall.x
    # when / then: "fullname" is no field of a unit; the old **changes dropped it without a word
    with pytest.raises(TypeError, match="fullname"):
        services.unit_update(by=hall.user("office_a"), unit=unit, fullname="随县公安局")
    # and the fields left out of an update stay as they were
    services.unit_update(by=hall.user("office_a"), unit=unit, full_name="随县公安局")
    unit.refresh_from_db()
    assert (unit.name, unit.full_name) == ("公安局", "随县公安局")
