"""Evaluation pages: the office computes, rules and confirms; a unit sees its own scorecards
and objects to its own lines; a window clerk reads but cannot object or confirm."""

from __future__ import annotations

import pytest
from django.urls import reverse

from govhall.evaluation import selectors
from govhall.evaluation.choices import EvaluationStatus, LineCode, ObjectionStatus, ScoreKind
from govhall.evaluation.models import MonthEvaluation, Objection, ScoringRules, UnitVote
from tests.evaluation.conftest import DEC, card_of, compute, line_of

MONTH = reverse("evaluation:month")


@pytest.fixture
def computed(hall, december):
    return compute(hall)


def test_anonymous_visitors_are_sent_to_log_in(client, hall):
    response = client.get(MONTH)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_office_computes_the_month_and_sees_the_ranking(hall, december, login):
    client = login("office_a")
    page = client.get(MONTH, {"month": "2016-12"})
    assert page.status_code == 200
    assert page.context["evaluation"] is None
    response = client.post(reverse("evaluation:compute"), {"month": "2016-12", "kind": "unit"})
    assert response.status_code == 302
    page = client.get(MONTH, {"month": "2016-12", "kind": "unit"})
    text = page.content.decode()
    assert "公安局" in text
    assert "住建局" in text
    assert MonthEvaluation.objects.filter(center=hall.a, month=DEC).exists()


def test_the_breakdown_page_shows_each_line_with_quantity_rule_and_points(hall, computed, login):
    x = card_of(computed, ScoreKind.UNIT, hall.x)
    text = login("office_a").get(reverse("evaluation:card_detail", args=[x.pk])).content.decode()
    assert "66.7%" in text
    assert "−0.2" in text  # the rule of the on-time rate
    assert "钱办事" in text  # the violation names who was at fault
    assert "-5.66" in text
    assert str(x.total) in text


def test_the_month_page_runs_a_bounded_number_of_queries(
    hall, computed, login, django_assert_max_num_queries
):
    client = login("office_a")
    with django_assert_max_num_queries(20):
        response = client.get(MONTH, {"month": "2016-12", "kind": "staff"})
    assert response.status_code == 200


def test_a_chief_sees_only_the_own_units_scorecards(hall, computed, login):
    client = login("chief_x")
    text = client.get(MONTH, {"month": "2016-12", "kind": "unit"}).content.decode()
    assert "公安局" in text
    assert "住建局" not in text
    y = card_of(computed, ScoreKind.UNIT, hall.y)
    assert client.get(reverse("evaluation:card_detail", args=[y.pk])).status_code == 404


def test_a_chief_objects_to_a_line_of_the_own_unit(hall, computed, login):
    client = login("chief_x")
    x = card_of(computed, ScoreKind.UNIT, hall.x)
    line = line_of(x, LineCode.OVERDUE)
    detail = client.get(reverse("evaluation:card_detail", args=[x.pk])).content.decode()
    assert reverse("evaluation:line_object", args=[line.pk]) in detail
    response = client.post(
        reverse("evaluation:line_object", args=[line.pk]), {"reason": "该件已依法办理延期"}
    )
    assert response.status_code == 302
    assert Objection.objects.get().status == ObjectionStatus.PENDING
    # an empty reason is refused on the form
    again = client.post(reverse("evaluation:line_object", args=[line.pk]), {"reason": ""})
    assert again.status_code == 200


def test_a_chief_cannot_reach_another_units_line(hall, computed, login):
    line = line_of(card_of(computed, ScoreKind.UNIT, hall.y), LineCode.PATROL)
    response = login("chief_x").post(
        reverse("evaluation:line_object", args=[line.pk]), {"reason": "不对"}
    )
    assert response.status_code == 404


def test_a_window_clerk_reads_the_units_scores_but_cannot_object_or_confirm(hall, computed, login):
    client = login("clerk_x")
    x = card_of(computed, ScoreKind.UNIT, hall.x)
    line = line_of(x, LineCode.OVERDUE)
    detail = client.get(reverse("evaluation:card_detail", args=[x.pk]))
    assert detail.status_code == 200
    assert reverse("evaluation:line_object", args=[line.pk]) not in detail.content.decode()
    response = client.post(reverse("evaluation:line_object", args=[line.pk]), {"reason": "x"})
    assert response.status_code == 403
    assert client.get(reverse("evaluation:awards"), {"month": "2016-12"}).status_code == 403
    assert client.post(reverse("evaluation:compute"), {"month": "2016-12"}).status_code == 403


def test_another_centers_office_sees_nothing_of_this_one(hall, computed, login):
    x = card_of(computed, ScoreKind.UNIT, hall.x)
    client = login("office_b")
    assert client.get(reverse("evaluation:card_detail", args=[x.pk])).status_code == 404
    assert "公安局" not in client.get(MONTH, {"month": "2016-12"}).content.decode()


def test_the_office_accepts_an_objection_on_its_page(hall, computed, login):
    from govhall.evaluation import services

    line = line_of(card_of(computed, ScoreKind.UNIT, hall.x), LineCode.OVERDUE)
    objection = services.objection_raise(by=hall.user("chief_x"), line=line, reason="已延期")
    client = login("office_a")
    listing = client.get(reverse("evaluation:objection_list"), {"status": "pending"})
    assert "已延期" in listing.content.decode()
    response = client.post(
        reverse("evaluation:objection_decide", args=[objection.pk]),
        {"decision": "accept", "points": "", "note": "延期手续齐全"},
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.points == 0


def test_a_rejection_without_a_note_is_refused_on_the_form(hall, computed, login):
    from govhall.evaluation import services

    line = line_of(card_of(computed, ScoreKind.UNIT, hall.x), LineCode.OVERDUE)
    objection = services.objection_raise(by=hall.user("chief_x"), line=line, reason="已延期")
    response = login("office_a").post(
        reverse("evaluation:objection_decide", args=[objection.pk]), {"decision": "reject"}
    )
    assert response.status_code == 200
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.PENDING


def test_the_office_confirms_the_proposed_awards_on_the_awards_page(hall, computed, login):
    client = login("office_a")
    url = reverse("evaluation:awards")
    page = client.get(url, {"month": "2016-12"})
    assert page.status_code == 200
    proposal = selectors.proposal(computed)
    data = {
        "month": "2016-12",
        "units": [str(c.unit_id) for c in proposal[ScoreKind.UNIT]],
        "chiefs": [str(c.staff_id) for c in proposal[ScoreKind.CHIEF]],
        "staff": [str(c.staff_id) for c in proposal[ScoreKind.STAFF]],
    }
    # adding a unit outside the proposal needs a reason
    refused = client.post(url, {**data, "units": [str(hall.x.pk), str(hall.y.pk)]})
    assert refused.status_code == 200
    computed.refresh_from_db()
    assert computed.status == EvaluationStatus.COMPUTED
    # the proposal as it stands needs none
    response = client.post(url, data)
    assert response.status_code == 302
    computed.refresh_from_db()
    assert computed.status == EvaluationStatus.CONFIRMED
    text = client.get(url, {"month": "2016-12"}).content.decode()
    assert "“红旗窗口”的窗口单位:住建局。" in text


def test_the_office_enters_votes_and_a_penalty(hall, computed, login):
    client = login("office_a")
    url = f"{reverse('evaluation:votes')}?month=2016-12"
    response = client.post(url, {f"duty_{hall.x.pk}": "95", f"applicant_{hall.x.pk}": ""})
    assert response.status_code == 302
    vote = UnitVote.objects.get(unit=hall.x)
    assert (vote.duty_score, vote.applicant_score) == (95, None)
    bad = client.post(url, {f"duty_{hall.y.pk}": "150"})
    assert bad.status_code == 200
    response = client.post(
        f"{reverse('evaluation:adjustment_create')}?month=2016-12",
        {"target": f"staff:{hall.y_clerk.pk}", "points": "3", "reason": "协助他窗口汇总报表"},
    )
    assert response.status_code == 302
    y_clerk = card_of(computed, ScoreKind.STAFF, hall.y_clerk)
    assert y_clerk.lines.filter(code=LineCode.ADJUSTMENT, points=3).exists()


def test_the_office_saves_a_rules_version_from_the_editor(hall, login):
    client = login("office_a")
    url = reverse("evaluation:rules_edit")
    form = client.get(url, {"from": "2016-12"})
    assert form.status_code == 200
    data = {name: str(field.initial) for name, field in form.context["form"].fields.items()
            if name not in {"effective_from", "note"}}  # fmt: skip
    data.update({"effective_from": "2016-12", "note": "红牌加重", "unit__red": "-6"})
    response = client.post(url, data)
    assert response.status_code == 302
    version = ScoringRules.objects.get(center=hall.a)
    assert version.params["unit"]["red"] == "-6"
    # weights that do not add up are refused on the form
    data.update({"red_flag__unit": "0.5"})
    assert client.post(url, data).status_code == 200
    assert client.get(reverse("evaluation:rules_list")).status_code == 200
    assert login("chief_x").get(url).status_code == 403


def test_the_annual_page_lists_the_years_months(hall, computed, login):
    response = login("office_a").get(reverse("evaluation:annual"), {"year": "2016", "kind": "unit"})
    assert response.status_code == 200
    assert "公安局" in response.content.decode()
    assert login("office_a").get(reverse("evaluation:annual"), {"year": "abc"}).status_code == 400
