"""Demo evaluation of December 2016 in 随县政务服务中心: the month computed from its records
and the awards confirmed as the reference bulletin lists them (二、量化评比). October and
November, whose issues the demo publishes, are confirmed as the ranking proposes.

The bulletin names five 红旗窗口 units; the demo's 星级首席 are those units' chief
representatives and its 服务标兵 the staff whose good deeds the month's journal tells (the
bulletin's ten), topped up from the ranking if there are fewer. Where this differs from the
computed ranking the office overrides it, with the bulletin's own reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from govhall.demo.data.org import DEMO_CENTER
from govhall.evaluation import selectors, services
from govhall.evaluation.choices import ScoreKind
from govhall.evaluation.models import MonthEvaluation
from govhall.journal.selectors import good_deeds
from govhall.org.choices import StaffRole
from govhall.org.models import Center, Staff, Unit

MONTH = dt.date(2016, 12, 1)
# The months of the issues published before December (第1期, 第2期): their awards are the ranked
# proposal, confirmed as computed, so the published issues print them.
EARLIER = (dt.date(2016, 10, 1), dt.date(2016, 11, 1))
RED_FLAG_UNITS = ["公安局", "住建局", "林业局", "发改局", "食药监局"]
REASON = "依据12月份考核及群众评议结果"


def load_evaluation_demo(stdout: Any) -> None:
    """Compute December 2016 and confirm its awards (left alone once computed)."""
    center = Center.objects.filter(name=DEMO_CENTER).first()
    if center is None:
        stdout.write(f"{DEMO_CENTER} is not loaded; no demo evaluation.")
        return
    if MonthEvaluation.objects.filter(center=center, month=MONTH).exists():
        stdout.write("2016年12月 is already evaluated; left as it is.")
        return
    for month in EARLIER:
        _confirm_as_proposed(center, month)
    evaluation = services.evaluation_compute(by=None, center=center, month=MONTH)
    units = {u.name: u for u in Unit.objects.filter(center=center, name__in=RED_FLAG_UNITS)}
    red_flag = [units[name] for name in RED_FLAG_UNITS if name in units]
    chief_of = {
        s.unit_id: s
        for s in Staff.objects.filter(
            center=center, role=StaffRole.CHIEF, is_active=True, unit__in=red_flag
        )
    }
    chiefs = [chief_of[u.pk] for u in red_flag if u.pk in chief_of]
    rules = selectors.evaluation_rules(evaluation)
    models_of_service = _good_deed_staff(center)
    wanted = rules.award_count("model_staff")
    if len(models_of_service) < wanted:
        for card in selectors.proposal(evaluation)[ScoreKind.STAFF]:
            if card.staff not in models_of_service and len(models_of_service) < wanted:
                models_of_service.append(card.staff)
    services.awards_confirm(
        by=None,
        evaluation=evaluation,
        units=red_flag,
        chiefs=chiefs,
        staff=models_of_service[:wanted],
        reason=REASON,
    )
    awards = selectors.awards_for(center=center, month=MONTH)
    stdout.write(
        "量化评比 2016年12月: 红旗窗口 {u}; 星级首席 {c}; 服务标兵 {s}".format(
            u="、".join(awards.red_flag_units),
            c="、".join(awards.star_chiefs),
            s="、".join(awards.model_staff),
        )
    )


def _confirm_as_proposed(center: Center, month: dt.date) -> None:
    """Compute the month and confirm the awards the ranking proposes."""
    evaluation = services.evaluation_compute(by=None, center=center, month=month)
    proposal = selectors.proposal(evaluation)
    services.awards_confirm(
        by=None,
        evaluation=evaluation,
        units=[card.unit for card in proposal[ScoreKind.UNIT]],
        chiefs=[card.staff for card in proposal[ScoreKind.CHIEF]],
        staff=[card.staff for card in proposal[ScoreKind.STAFF]],
    )


def _good_deed_staff(center: Center) -> list[Staff]:
    """The people of December's good deeds (好人好事), in the journal's order, once each."""
    ids = list(dict.fromkeys(d.staff_id for d in good_deeds(center=center, month=MONTH)))
    found = Staff.objects.filter(center=center, is_active=True).in_bulk(ids)
    return [found[i] for i in ids if i in found]
