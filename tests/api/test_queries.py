"""Pinned query counts: each endpoint costs the same however many rows it returns."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govhall.cases import services
from govhall.cases.models import Case
from tests.api.conftest import at, new_case


def _receive(hall, item, n):
    office = hall.user("office_a")
    for i in range(n):
        case = services.case_receive(by=office, item=item, applicant_name=f"申请人{i}")
        services.case_accept(by=office, case=case)


def _count(call) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = call()
    assert response.status_code < 300, response.content
    return len(ctx.captured_queries)


@pytest.fixture
def frozen():
    with time_machine.travel(at(2016, 9, 1, 9, 0), tick=False):
        yield


def test_a_list_of_fifty_cases_costs_what_a_list_of_five_does(api, items, hall, frozen):
    _receive(hall, items.passport, 5)
    api.get("/me")  # the first request records last_used_at (once a minute)
    five = _count(lambda: api.get("/cases", {"limit": 50}))
    _receive(hall, items.passport, 45)
    fifty = _count(lambda: api.get("/cases", {"limit": 50}))
    assert Case.objects.count() == 50
    assert five == fifty


def test_pinned_query_counts_per_endpoint(
    api, items, hall, frozen, django_assert_num_queries, django_assert_max_num_queries
):
    _receive(hall, items.passport, 3)
    api.get("/me")  # records last_used_at and reads the token's rights (kept a minute)
    number = Case.objects.first().number
    # the token (1) + its rate count, shared by every process (1) + the rows (1): the account's
    # rights are not read again
    with django_assert_num_queries(3):
        api.get("/cases")
    with django_assert_num_queries(4):
        api.get(f"/cases/{number}")  # + the timeline
    with django_assert_num_queries(3):
        api.get("/consultations")
    with django_assert_num_queries(2):
        api.get("/me")
    api.client.get(f"/api/v1/centers/{hall.a.pk}/items", {"q": "hz"})  # indexes the catalog
    with django_assert_max_num_queries(3):
        # center + the catalog's search stamp (is this process's index current?) + page
        api.client.get(f"/api/v1/centers/{hall.a.pk}/items", {"q": "hz"})
    with django_assert_max_num_queries(8):
        api.client.get(f"/api/v1/centers/{hall.a.pk}/items/{items.passport.pk}")  # + 6 parts
    with django_assert_max_num_queries(7):
        api.get("/warnings", {"date": "2016-09-20"})  # + calendar check and settings
    # Intake, the busiest write: token, rate count, item, transaction (here a savepoint and its release, the
    # test being one transaction), number, calendar check, case, timeline line, and the audit
    # entry with its chain head (3; 2 on PostgreSQL, where the entry and the head's new hash are
    # one statement). The answer is built from the rows written.
    audit = 2 if connection.vendor == "postgresql" else 3
    body = {"item_code": "P001", "applicant_name": "张三"}
    with django_assert_num_queries(9 + audit):
        new_case(api, items.passport)
    with django_assert_num_queries(13 + audit):
        api.post("/cases", body, headers={"Idempotency-Key": "q"})  # + look-up and store
    with django_assert_num_queries(3):
        api.post("/cases", body, headers={"Idempotency-Key": "q"})  # replay: token, count, record
    # + one read of the case as stored, so a change to an already-rolled day sends its month
    # back to live counting (the day counters of the month figures)
    with django_assert_max_num_queries(17):
        api.post(f"/cases/{number}/transitions", {"action": "complete", "result": "granted"})
    with django_assert_max_num_queries(9):
        api.post("/consultations", {"unit_id": hall.x.pk})
