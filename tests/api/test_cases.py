"""Cases through the API with a token: intake, transitions, lookups, lists and scoping."""

from __future__ import annotations

import time_machine
from django.utils import translation
from django.utils.translation import gettext as _

from govhall.api.models import ApiClient
from govhall.api.services import api_client_revoke
from govhall.cases.models import Case
from govhall.core.models import AuditEntry
from tests.api.conftest import Api, at, new_case


def test_a_case_is_received_accepted_completed_and_found_by_number(api, items):
    # given a case received through the API on Thursday 1 September 2016
    with time_machine.travel(at(2016, 9, 1, 9, 30), tick=False):
        created = new_case(api, items.passport, applicant_id_number="420321199001011234")
    number = created["number"]
    assert created["status"] == "received"
    assert created["item_code"] == "P001"
    assert created["allowed_actions"][:2] == ["accept", "reject"]

    # when it is accepted and, a few days later, completed
    with time_machine.travel(at(2016, 9, 1, 9, 40), tick=False):
        accepted = api.post(f"/cases/{number}/transitions", {"action": "accept"})
    with time_machine.travel(at(2016, 9, 6, 15, 0), tick=False):
        completed = api.post(
            f"/cases/{number}/transitions", {"action": "complete", "result": "certificate"}
        )

    # then the deadline is the 7th working day after acceptance, and the case reads completed
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["due_date"] == "2016-09-12"
    assert completed.status_code == 200
    assert completed.json()["status"] == "completed"
    assert completed.json()["allowed_actions"] == []

    found = api.get(f"/cases/{number}")
    assert found.status_code == 200
    body = found.json()
    assert [e["action"] for e in body["events"]] == ["receive", "accept", "complete"]
    assert body["events"][0]["by"] == "a_write"  # the client's system account acts
    assert body["completed_at"].startswith("2016-09-06T15:00:00")
    assert body["applicant_id_number"] == "420321199001011234"  # the office role sees it

    listed = api.get("/cases", {"status": "completed"}).json()
    assert [c["number"] for c in listed["results"]] == [number]
    # the audit trail names the client's account
    actors = set(
        AuditEntry.objects.filter(object_type="cases.case").values_list("actor_name", flat=True)
    )
    assert actors == {ApiClient.objects.get(name="a_write").user.username}


def test_each_lifecycle_action_is_reachable(api, items):
    with time_machine.travel(at(2016, 9, 1, 9, 0), tick=False):
        number = new_case(api, items.passport)["number"]
        steps = [
            {"action": "request_supplement", "materials": ["户口簿"]},
            {"action": "supplement_complete"},
            {"action": "record_step", "name": "审核", "result": "通过"},
            {"action": "suspend", "kind": "expert_review", "reason": "专家评审"},
            {"action": "resume"},
            {"action": "extend", "reason": "材料复杂", "approved_by": "王局长", "days": 5},
            {"action": "return", "reason": "不属本单位"},
        ]
        statuses = []
        for step in steps:
            response = api.post(f"/cases/{number}/transitions", step)
            assert response.status_code == 200, response.content
            statuses.append(response.json()["status"])
    assert statuses == [
        "supplementing",
        "accepted",
        "in_progress",
        "suspended",
        "in_progress",
        "in_progress",
        "returned",
    ]


def test_a_transition_the_state_forbids_is_a_conflict_and_changes_nothing(api, items):
    number = new_case(api, items.passport)["number"]
    response = api.post(f"/cases/{number}/transitions", {"action": "complete", "result": "granted"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert "status" in response.json()["error"]["fields"]
    assert Case.objects.get(number=number).status == "received"


def test_a_refused_business_rule_names_the_field(api, items):
    number = new_case(api, items.passport)["number"]
    response = api.post(f"/cases/{number}/transitions", {"action": "reject", "reason": "  "})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "domain_error"
    assert list(response.json()["error"]["fields"]) == ["reason"]


def test_list_pages_walked_by_cursor_show_every_case_once(api, items, hall):
    # given 23 cases received at the very same instant (ties broken by id)
    with time_machine.travel(at(2016, 9, 1, 10, 0), tick=False):
        expected = {new_case(api, items.passport, f"申请人{i}")["number"] for i in range(23)}
    # when the list is walked five at a time
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": 5, **({"cursor": cursor} if cursor else {})}
        body = api.get("/cases", params).json()
        seen += [c["number"] for c in body["results"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    # then every case comes exactly once, newest (highest number) first
    assert pages == 5
    assert len(seen) == len(set(seen)) == 23
    assert set(seen) == expected
    assert seen == sorted(seen, reverse=True)


def test_a_forged_cursor_is_a_clear_input_error(api, items):
    response = api.get("/cases", {"cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["cursor"]


def test_list_filters_by_unit_dates_handling_type_and_overdue(api, items, hall):
    with time_machine.travel(at(2016, 9, 1, 9, 0), tick=False):
        late = new_case(api, items.passport, "逾期")["number"]
        api.post(f"/cases/{late}/transitions", {"action": "accept"})
        quick = new_case(api, items.on_the_spot, "即办")["number"]
        api.post(f"/cases/{quick}/transitions", {"action": "accept"})
        api.post(f"/cases/{quick}/transitions", {"action": "complete", "result": "granted"})
    with time_machine.travel(at(2016, 9, 20, 9, 0), tick=False):
        housing = new_case(api, items.housing, "住建")["number"]
        api.post(f"/cases/{housing}/transitions", {"action": "accept"})

        def numbers(**params):
            response = api.get("/cases", params)
            assert response.status_code == 200, response.content
            return {c["number"] for c in response.json()["results"]}

        assert numbers(unit=hall.y.pk) == {housing}
        assert numbers(handling_type="immediate") == {quick}
        assert numbers(accepted_from="2016-09-01", accepted_to="2016-09-01") == {late, quick}
        assert numbers(accepted_from="2016-09-02") == {housing}
        assert numbers(completed_from="2016-09-01", completed_to="2016-09-30") == {quick}
        assert numbers(overdue="true") == {late}  # due 12 September, still open
        assert numbers(overdue="false") == {quick, housing}
        late_row = api.get(f"/cases/{late}").json()
        assert late_row["is_overdue"] is True


def test_another_centers_token_sees_none_of_its_cases(api, items, tokens):
    number = new_case(api, items.passport)["number"]
    # when center B's client looks
    by_number = api.get(f"/cases/{number}", token=tokens["b_write"])
    listed = api.get("/cases", token=tokens["b_write"])
    moved = api.post(f"/cases/{number}/transitions", {"action": "accept"}, token=tokens["b_write"])
    # then the case does not exist for it (404, not 403) and nothing changed
    assert by_number.status_code == 404
    assert by_number.json()["error"]["code"] == "not_found"
    assert listed.json()["results"] == []
    assert moved.status_code == 404
    assert Case.objects.get(number=number).status == "received"
    # nor can it receive a case for center A's item
    foreign = api.post(
        "/cases", {"item_id": items.passport.pk, "applicant_name": "李四"}, token=tokens["b_write"]
    )
    assert foreign.status_code == 422
    assert list(foreign.json()["error"]["fields"]) == ["item_id"]


def test_a_window_clerks_session_sees_only_the_units_cases(api, items, login):
    x_case = new_case(api, items.passport)["number"]
    y_case = new_case(api, items.housing)["number"]
    client = login("clerk_x")
    session = Api(client)
    assert {c["number"] for c in session.get("/cases").json()["results"]} == {x_case}
    assert session.get(f"/cases/{y_case}").status_code == 404
    assert session.get(f"/cases/{x_case}").status_code == 200


def test_a_revoked_token_is_refused(api, items, tokens):
    client = ApiClient.objects.get(name="a_write")
    api_client_revoke(by=None, client=client)
    response = api.get("/cases")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert api.get("/cases", token="gh_wrong").status_code == 401
    assert api.get("/cases", token="").status_code == 401


def test_a_read_only_token_reads_but_cannot_write(api, items, tokens):
    number = new_case(api, items.passport, applicant_id_number="420321199001011234")["number"]
    created = api.post(
        "/cases", {"item_code": "P001", "applicant_name": "王五"}, token=tokens["a_read"]
    )
    moved = api.post(f"/cases/{number}/transitions", {"action": "accept"}, token=tokens["a_read"])
    assert created.status_code == 403
    assert created.json()["error"]["code"] == "forbidden"
    assert moved.status_code == 403
    assert Case.objects.count() == 1
    read = api.get(f"/cases/{number}", token=tokens["a_read"])
    assert read.status_code == 200
    # the read role (supervisor) does not see full ID numbers
    assert read.json()["applicant_id_number"] != "420321199001011234"
    assert read.json()["applicant_id_number"].startswith("4203")


def test_bad_input_names_the_field(api, items):
    missing = api.post("/cases", {"item_code": "P001"})
    wrong_type = api.post("/consultations", {"unit_id": "x", "person_times": 1})
    too_many = api.post("/consultations", {"unit_id": 1, "person_times": 5000})
    unknown = api.post("/cases", {"item_code": "P001", "applicant_name": "甲", "colour": "red"})
    bad_status = api.get("/cases", {"status": "lost"})
    bad_date = api.get("/cases", {"accepted_from": "2016-13-40"})
    far_date = api.get("/cases", {"accepted_from": "1900-01-01"})
    not_json = api.post("/cases", "{not json")
    no_item = api.post("/cases", {"applicant_name": "甲"})
    unknown_item = api.post("/cases", {"item_code": "NOPE", "applicant_name": "甲"})
    expectations = [
        (missing, 400, "applicant_name"),
        (wrong_type, 400, "unit_id"),
        (too_many, 400, "person_times"),
        (unknown, 400, "colour"),
        (bad_status, 400, "status"),
        (bad_date, 400, "accepted_from"),
        (far_date, 400, "accepted_from"),
        (not_json, 400, "body"),
        (no_item, 400, "item_code"),
        (unknown_item, 422, "item_code"),
    ]
    for response, status, field in expectations:
        assert response.status_code == status, (field, response.content)
        error = response.json()["error"]
        assert field in error["fields"], (field, error)
        assert error["message"]
        assert error["fields"][field]
    assert Case.objects.count() == 0


def test_case_numbers_of_an_odd_shape_are_refused_before_the_database(api, items):
    response = api.get("/cases/abc%00def")
    assert response.status_code == 400
    assert "number" in response.json()["error"]["fields"]


def test_an_empty_name_is_refused_as_too_short_text_not_as_a_list(api, items):
    # given an empty name
    response = api.post("/cases", {"item_code": "P001", "applicant_name": ""})
    # then the message speaks of characters, as for any text field
    assert response.status_code == 400
    message = response.json()["error"]["fields"]["applicant_name"]
    with translation.override("zh-hans"):
        assert message == _("Enter at least {n} characters.").format(n=1)
