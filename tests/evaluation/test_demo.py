"""The demo scores December 2016 and confirms the reference bulletin's awards (二、量化评比)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from govhall.demo.loaders.evaluation import MONTH, REASON
from govhall.evaluation import selectors
from govhall.evaluation.choices import EvaluationStatus
from govhall.evaluation.models import MonthEvaluation
from govhall.journal.selectors import good_deeds
from govhall.org.choices import StaffRole
from govhall.org.models import Staff


@pytest.fixture
def demo(demo_center):
    """The shared demo hall (tests/shared_demo.py), built once for all the tests reading it."""
    return demo_center


def test_the_demo_confirms_the_bulletins_awards_for_december_2016(demo):
    awards = selectors.awards_for(center=demo, month=MONTH)
    assert awards.confirmed
    assert awards.red_flag_units == ("公安局", "住建局", "林业局", "发改局", "食药监局")
    chiefs = {
        s.name: s.unit.name
        for s in Staff.objects.filter(center=demo, role=StaffRole.CHIEF).select_related("unit")
    }
    assert len(awards.star_chiefs) == 5
    assert [chiefs[name] for name in awards.star_chiefs] == list(awards.red_flag_units)
    deeds = list(dict.fromkeys(d.staff for d in good_deeds(center=demo, month=MONTH)))
    assert list(awards.model_staff) == deeds[:10]
    assert len(awards.model_staff) == 10
    evaluation = MonthEvaluation.objects.get(center=demo, month=MONTH)
    assert evaluation.status == EvaluationStatus.CONFIRMED
    assert evaluation.override_reason == REASON
    # every unit and person of the hall has a scorecard explained line by line
    assert (
        evaluation.scorecards.filter(kind="unit").count()
        == demo.units.filter(is_active=True).count()
    )
    assert not evaluation.scorecards.filter(kind="staff", lines__isnull=True).exists()


def test_loading_the_demo_twice_leaves_the_evaluation_as_it_is(demo):
    before = MonthEvaluation.objects.filter(center=demo).count()
    call_command("load_demo", stdout=StringIO())
    assert MonthEvaluation.objects.filter(center=demo).count() == before
    # October and November (the published 第1期, 第2期) and December
    months = MonthEvaluation.objects.filter(center=demo, month__year=2016)
    assert sorted(m.month.month for m in months) == [10, 11, 12]
