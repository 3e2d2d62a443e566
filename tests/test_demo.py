"""load_demo builds the Sui County hall through the real services, once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from govhall.core.audit import verify_all
from govhall.demo.logins import DEMO_PASSWORD
from govhall.org.models import Post, Staff, Unit, Window

BULLETIN_UNITS = {
    "公安局",
    "住建局",
    "林业局",
    "财政局",
    "发改局",
    "经信局",
    "食药监局",
    "水利局",
    "教育局",
}
# Names printed in the reference bulletin must not be reused for invented demo people.
BULLETIN_PEOPLE = {
    "刘凯",
    "肖诗忠",
    "刘婷月",
    "王芳",
    "潜继钊",
    "徐显妮",
    "廖天资",
    "王小曼",
    "张煜杭",
    "何星星",
    "曾子辉",
    "雷春梅",
    "刘静",
    "刘琪琳",
    "刘小丽",
    "何勇",
    "黄道金",
}


@pytest.fixture
def demo(demo_center):
    """The shared demo hall (tests/shared_demo.py), built once for all the tests reading it."""
    return demo_center


def test_the_demo_hall_has_the_bulletins_units_among_about_twenty(demo):
    names = set(Unit.objects.filter(center=demo).values_list("name", flat=True))
    assert names >= BULLETIN_UNITS
    assert 18 <= len(names) <= 25
    assert Window.objects.filter(unit__name="公安局", name="出入境窗口").exists()
    assert Window.objects.filter(unit__name="住建局", name="房产窗口").exists()


def test_every_unit_has_one_chief_and_every_person_a_backup(demo):
    for unit in Unit.objects.filter(center=demo):
        assert Staff.objects.filter(unit=unit, role="chief").count() == 1, unit
    people = Staff.objects.filter(center=demo)
    assert Post.objects.filter(center=demo).count() == people.count()
    assert not people.filter(name__in=BULLETIN_PEOPLE).exists()


@pytest.mark.parametrize("username", ["office", "chief", "clerk", "leader", "supervisor", "admin"])
def test_each_demo_login_works(client, demo, username):
    assert client.login(username=username, password=DEMO_PASSWORD)
    assert client.get("/").status_code == 200


def test_loading_twice_changes_nothing(demo):
    before = Staff.objects.count()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert Staff.objects.count() == before
    assert "already" in out.getvalue()


def test_the_demo_leaves_an_intact_audit_trail(demo):
    checked, problems = verify_all()
    assert problems == []
    assert checked > 100
