"""The demo month (December 2016) after the reference bulletin: only 发改局, 住建局 and 教育局
patrolled, and the inspections show the problems the bulletin names."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model

from govhall.demo.loaders.oversight import load_oversight_demo
from govhall.org.models import Unit
from govhall.oversight import selectors
from govhall.oversight.choices import ViolationKind
from govhall.oversight.models import Inspection, PatrolSignIn, UnitLeader
from tests.test_demo import BULLETIN_PEOPLE


@pytest.fixture
def demo(demo_center):
    """The shared demo hall (tests/shared_demo.py), built once for all the tests reading it."""
    return demo_center


def test_only_the_bulletins_three_units_signed_in_december(demo):
    signed, unsigned = selectors.patrol_units(center=demo, month="2016-12")
    assert {u.name for u in signed} == {"发改局", "住建局", "教育局"}
    assert len(signed) + len(unsigned) == Unit.objects.filter(center=demo, is_active=True).count()


def test_every_unit_has_its_leaders_and_the_demo_leader_login_is_fagaiju(demo):
    for unit in Unit.objects.filter(center=demo):
        assert UnitLeader.objects.filter(unit=unit).count() >= 1
    leader = UnitLeader.objects.get(user=get_user_model().objects.get(username="leader"))
    assert (leader.unit.name, leader.name) == ("发改局", "高建明")


def test_the_demo_names_are_invented(demo):
    names = set(UnitLeader.objects.values_list("name", flat=True))
    assert not names & BULLETIN_PEOPLE


def test_the_inspections_show_the_problems_the_bulletin_names(demo):
    rows = selectors.violations(center=demo, month="2016-12")
    kinds = {r.kind for r in rows}
    assert {ViolationKind.LATE_OR_EARLY, ViolationKind.TV_OR_CHAT, ViolationKind.OFF_POST} <= kinds
    late = next(r for r in rows if r.kind == ViolationKind.LATE_OR_EARLY)
    assert (late.staff, late.time.hour, late.time.minute) == ("", 14, 20)
    assert any(not r.staff and r.window for r in rows)


def test_loading_the_demo_twice_adds_nothing(demo):
    counts = (UnitLeader.objects.count(), PatrolSignIn.objects.count(), Inspection.objects.count())
    load_oversight_demo(StringIO())
    assert (
        UnitLeader.objects.count(),
        PatrolSignIn.objects.count(),
        Inspection.objects.count(),
    ) == counts
