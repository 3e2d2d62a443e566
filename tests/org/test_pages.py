"""The office's organization pages: forms, confirmations, search, paging, query counts."""

from __future__ import annotations

import pytest

from govhall.core.models import AuditEntry
from govhall.org.models import Post, Staff, Unit, Window
from tests.factories import StaffFactory, UnitFactory


def test_office_adds_a_unit_a_window_and_a_person(login, hall):
    client = login("office_a")
    # when
    response = client.post(
        "/org/units/new/", {"name": "税务局", "full_name": "随县税务局", "position": 5}
    )
    unit = Unit.objects.get(name="税务局")
    client.post(
        f"/org/units/{unit.pk}/windows/new/", {"name": "税务窗口", "number": "C01", "floor": "一楼"}
    )
    window = Window.objects.get(name="税务窗口")
    client.post(
        "/org/staff/new/",
        {
            "name": "吴税",
            "unit": unit.pk,
            "window": window.pk,
            "role": "chief",
            "phone": "13900001234",
        },
    )
    # then
    assert response.status_code == 302
    assert Staff.objects.get(name="吴税").is_chief
    page = client.get(f"/org/units/{unit.pk}/").content.decode()
    assert "税务窗口" in page
    assert "吴税" in page


def test_a_duplicate_unit_name_is_shown_on_the_form_field(login, hall):
    response = login("office_a").post("/org/units/new/", {"name": "公安局", "position": 1})
    assert response.status_code == 200
    assert "公安局" in response.context["form"].errors["name"][0]


def test_a_window_of_another_unit_is_refused_on_the_staff_form(login, hall):
    response = login("office_a").post(
        "/org/staff/new/",
        {"name": "错位", "unit": hall.x.pk, "window": hall.y_window.pk, "role": "clerk"},
    )
    assert "window" in response.context["form"].errors
    assert not Staff.objects.filter(name="错位").exists()


def test_a_unit_of_another_center_cannot_be_chosen(login, hall):
    response = login("office_a").post(
        "/org/staff/new/", {"name": "越界", "unit": hall.z.pk, "role": "clerk"}
    )
    assert "unit" in response.context["form"].errors
    assert not Staff.objects.filter(name="越界").exists()


def test_stopping_a_unit_asks_first_and_then_hides_it(login, hall):
    client = login("office_a")
    # the GET only asks
    assert client.get(f"/org/units/{hall.y.pk}/toggle/").status_code == 200
    assert Unit.objects.get(pk=hall.y.pk).is_active
    # the POST does it
    client.post(f"/org/units/{hall.y.pk}/toggle/")
    assert not Unit.objects.get(pk=hall.y.pk).is_active
    listed = [u.name for u in client.get("/org/units/").context["page"]]
    stopped = [u.name for u in client.get("/org/units/?show=inactive").context["page"]]
    assert "住建局" not in listed
    assert stopped == ["住建局"]


def test_a_chief_names_a_backup_for_a_colleague(login, hall):
    client = login("chief_x")
    response = client.post(f"/org/posts/{hall.x_clerk.pk}/edit/", {"backup": hall.x_chief.pk})
    assert response.status_code == 302
    assert Post.objects.get(primary=hall.x_clerk).backup == hall.x_chief
    assert AuditEntry.objects.filter(action="post.set", actor_name="chief_x").exists()


def test_the_post_page_warns_of_people_without_a_backup(login, hall):
    page = login("office_a").get("/org/posts/").content.decode()
    assert "钱办事" in page  # no backup yet


def test_staff_search_finds_by_chinese_pinyin_and_phone(login, hall):
    StaffFactory(window=hall.x_window, name="欧阳明", phone="13912345678")
    client = login("office_a")
    for q in ["欧阳", "ouyang", "13912345678"]:
        assert "欧阳明" in client.get("/org/staff/", {"q": q}).content.decode(), q


def test_long_lists_page_and_a_bad_page_number_shows_the_last_page(login, hall):
    for i in range(30):
        UnitFactory(center=hall.a, name=f"单位{i:02d}")
    client = login("office_a")
    first = client.get("/org/units/").context["page"]
    assert first.paginator.count == 32
    assert len(first.object_list) == 25
    assert client.get("/org/units/?page=999").context["page"].number == 2
    assert client.get("/org/units/?page=abc").context["page"].number == 1


def test_the_unit_list_costs_the_same_few_queries_for_many_units(
    login, hall, django_assert_max_num_queries
):
    for i in range(30):
        UnitFactory(center=hall.a, name=f"单位{i:02d}")
    client = login("office_a")
    with django_assert_max_num_queries(12):
        client.get("/org/units/")


# The office's home page also reads the jobs' state (2 queries) and, in a month when the
# missing-schedule banner applies, whether the person dismissed it (1).
@pytest.mark.parametrize(("url", "limit"), [("/org/staff/", 15), ("/org/posts/", 15), ("/", 16)])
def test_lists_do_not_query_per_row(login, hall, url, limit, django_assert_max_num_queries):
    for i in range(20):
        StaffFactory(window=hall.x_window, name=f"员{i}")
    client = login("office_a")
    with django_assert_max_num_queries(limit):
        client.get(url)


def test_office_creates_a_login_for_a_staff_member(login, hall, client):
    response = login("office_a").post(
        f"/org/staff/{hall.y_clerk.pk}/account/",
        {"username": "sunfc", "password": "Fangchan-2016!"},
    )
    assert response.status_code == 302
    client.logout()
    assert client.login(username="sunfc", password="Fangchan-2016!")


def test_a_weak_initial_password_is_refused(login, hall):
    response = login("office_a").post(
        f"/org/staff/{hall.y_clerk.pk}/account/", {"username": "sunfc", "password": "123"}
    )
    assert "password" in response.context["form"].errors


def test_office_gives_a_unit_leader_a_login(login, hall, client):
    response = login("office_a").post(
        "/org/accounts/new/",
        {
            "username": "leaderx",
            "full_name": "公安局分管领导",
            "role": "unit_leader",
            "unit": hall.x.pk,
            "password": "Xunchá-2016!",
        },
    )
    assert response.status_code == 302
    client.logout()
    assert client.login(username="leaderx", password="Xunchá-2016!")
    assert [u.name for u in client.get("/org/units/").context["page"]] == ["公安局"]


def test_a_unit_role_account_without_a_unit_is_refused_on_the_unit_field(login, hall):
    response = login("office_a").post(
        "/org/accounts/new/",
        {"username": "nounit", "full_name": "无单位", "role": "chief", "password": "Xunchá-2016!"},
    )
    assert "unit" in response.context["form"].errors


def test_office_suspends_a_login_after_confirming(login, hall, client):
    office = login("office_a")
    clerk = hall.user("clerk_x")
    assert office.get(f"/org/accounts/{clerk.pk}/toggle/").status_code == 200
    office.post(f"/org/accounts/{clerk.pk}/toggle/")
    clerk.refresh_from_db()
    assert not clerk.is_active
    client.logout()
    assert not client.login(username="clerk_x", password="pw-for-tests")


def test_office_of_another_center_cannot_suspend_the_login(login, hall):
    clerk = hall.user("clerk_x")
    assert login("office_b").post(f"/org/accounts/{clerk.pk}/toggle/").status_code == 404
    clerk.refresh_from_db()
    assert clerk.is_active
