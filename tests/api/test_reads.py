"""The public catalog, consultations, the month's figures and the day's warnings."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import time_machine
from django.core.management import call_command

from govhall.supervision.selectors import warnings_for_day
from tests.api.conftest import Api, at, new_case


def test_the_catalog_is_public_and_searchable_by_pinyin_initials(client, items, hall):
    anonymous = Api(client)
    centers = anonymous.get("/centers").json()
    assert {c["name"] for c in centers} == {hall.a.name, hall.b.name}
    found = anonymous.get(f"/centers/{hall.a.pk}/items", {"q": "hz"}).json()
    assert [i["code"] for i in found["results"]][:1] == ["P001"]
    assert "F001" not in {i["code"] for i in found["results"]}  # center B's item
    browse = anonymous.get(f"/centers/{hall.a.pk}/items", {"limit": 2}).json()
    rest = anonymous.get(
        f"/centers/{hall.a.pk}/items", {"limit": 2, "cursor": browse["next_cursor"]}
    ).json()
    codes = [i["code"] for i in browse["results"] + rest["results"]]
    assert sorted(codes) == ["H001", "I001", "P001"]
    assert rest["next_cursor"] is None


def test_an_item_reads_with_its_eight_parts(client, items, hall):
    body = Api(client).get(f"/centers/{hall.a.pk}/items/{items.passport.pk}").json()
    parts = body["parts"]
    assert set(parts) == {
        "basic",
        "flowchart",
        "materials",
        "fees",
        "forms",
        "steps",
        "risks",
        "faqs",
    }
    assert parts["basic"]["promised_days"] == 7
    assert [m["name"] for m in parts["materials"]] == ["居民身份证", "近期免冠照片"]
    assert parts["fees"] == {
        "mode": "charged",
        "lines": [{"name": "护照工本费", "amount": "160.00", "unit_text": "本", "basis": ""}],
    }
    assert parts["flowchart"]["steps"] == ["受理", "审核", "制证"]
    assert parts["faqs"][0]["answer"] == "7个工作日。"


def test_an_item_of_another_center_is_not_found(client, items, hall):
    response = Api(client).get(f"/centers/{hall.a.pk}/items/{items.forestry.pk}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert Api(client).get("/centers/999999/items").status_code == 404


def test_consultations_are_logged_listed_and_filtered(api, items, hall, tokens):
    with time_machine.travel(at(2016, 12, 5, 10, 0), tick=False):
        created = api.post(
            "/consultations",
            {
                "unit_id": hall.x.pk,
                "person_times": 3,
                "topic": "护照",
                "item_id": items.passport.pk,
            },
        )
        api.post("/consultations", {"unit_id": hall.y.pk, "channel": "phone"})
    with time_machine.travel(at(2016, 12, 6, 10, 0), tick=False):
        api.post("/consultations", {"unit_id": hall.x.pk})
    assert created.status_code == 201
    assert created.json()["person_times"] == 3
    assert created.json()["unit"] == "公安局"

    def topics(**params):
        return [r["unit"] for r in api.get("/consultations", params).json()["results"]]

    # newest first; the two of 5 December (same instant) by id, later first
    assert topics() == ["公安局", "住建局", "公安局"]
    assert topics(unit=hall.y.pk) == ["住建局"]
    assert topics(channel="phone") == ["住建局"]
    assert len(topics(date_from="2016-12-06")) == 1
    assert len(topics(date_to="2016-12-05")) == 2
    assert api.get("/consultations", token=tokens["b_write"]).json()["results"] == []
    # a unit of another center is refused by name
    foreign = api.post("/consultations", {"unit_id": hall.z.pk})
    assert foreign.status_code == 422
    assert list(foreign.json()["error"]["fields"]) == ["unit_id"]


def test_the_months_figures_equal_the_bulletin_commands_json(api, items, hall):
    with time_machine.travel(at(2016, 12, 5, 9, 0), tick=False):
        number = new_case(api, items.passport)["number"]
        api.post(f"/cases/{number}/transitions", {"action": "accept"})
    with time_machine.travel(at(2017, 1, 3, 9, 0), tick=False):
        response = api.get("/figures/2016-12")
        out = StringIO()
        call_command("bulletin", "2016-12", "--format", "json", "--center", hall.a.name, stdout=out)
    assert response.status_code == 200
    assert response.json() == json.loads(out.getvalue())
    assert response.json()["cases"]["accepted"] == 1


def test_a_month_that_does_not_exist_names_the_field(api, items):
    response = api.get("/figures/2016-13")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["month"]
    assert api.get("/figures/december").status_code == 400


def test_the_days_warnings_are_the_supervision_list(api, items, hall, tokens, login):
    with time_machine.travel(at(2016, 9, 1, 9, 0), tick=False):
        number = new_case(api, items.passport)["number"]
        api.post(f"/cases/{number}/transitions", {"action": "accept"})
        housing = new_case(api, items.housing)["number"]
        api.post(f"/cases/{housing}/transitions", {"action": "accept"})
    response = api.get("/warnings", {"date": "2016-09-13"})
    assert response.status_code == 200
    expected = [w.as_json() for w in warnings_for_day(center=hall.a, on=dt.date(2016, 9, 13))]
    assert response.json() == {"date": "2016-09-13", "warnings": expected}
    assert {w["case_no"] for w in response.json()["warnings"]} == {number, housing}
    assert {w["level"] for w in response.json()["warnings"]} == {"red"}
    # a chief of unit X sees only the unit's cards
    chief = Api(login("chief_x"))
    assert [
        w["case_no"] for w in chief.get("/warnings", {"date": "2016-09-13"}).json()["warnings"]
    ] == [number]
    # center B sees none of them
    assert (
        api.get("/warnings", {"date": "2016-09-13"}, token=tokens["b_write"]).json()["warnings"]
        == []
    )
    missing = api.get("/warnings")
    assert missing.status_code == 400
    assert list(missing.json()["error"]["fields"]) == ["date"]


def test_me_says_who_the_token_is(api, hall, tokens):
    body = api.get("/me", token=tokens["a_read"]).json()
    assert body == {
        "center": {"id": hall.a.pk, "name": hall.a.name},
        "account": body["account"],
        "client": "a_read",
        "can_write": False,
    }
