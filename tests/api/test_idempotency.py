"""Idempotency-Key on creates: a retry returns the first answer and creates nothing more."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from govhall.api import idempotency
from govhall.api.models import IdempotencyRecord
from govhall.cases.models import Case, Consultation
from tests.api.conftest import Api

BODY = {"item_code": "P001", "applicant_name": "张三", "applicant_phone": "13800001111"}


def test_a_retry_with_the_same_key_and_body_gets_the_first_answer(api, items):
    first = api.post("/cases", BODY, headers={"Idempotency-Key": "k-1"})
    again = api.post("/cases", BODY, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Case.objects.count() == 1


def test_the_same_key_with_another_body_is_a_conflict(api, items):
    api.post("/cases", BODY, headers={"Idempotency-Key": "k-2"})
    other = api.post(
        "/cases", {**BODY, "applicant_name": "李四"}, headers={"Idempotency-Key": "k-2"}
    )
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_conflict"
    assert "Idempotency-Key" in other.json()["error"]["fields"]
    assert Case.objects.count() == 1


def test_keys_belong_to_one_client(api, items, tokens):
    # center B's client using the same key string is a different request altogether
    api.post("/cases", BODY, headers={"Idempotency-Key": "shared"})
    b_body = {"item_code": "F001", "applicant_name": "林"}
    other = api.post(
        "/cases", b_body, token=tokens["b_write"], headers={"Idempotency-Key": "shared"}
    )
    assert other.status_code == 201
    assert Case.objects.count() == 2


def test_a_refused_create_is_not_remembered(api, items):
    refused = api.post("/cases", {**BODY, "item_code": "NOPE"}, headers={"Idempotency-Key": "k-3"})
    assert refused.status_code == 422
    assert not IdempotencyRecord.objects.exists()


def test_consultations_are_idempotent_too(api, items, hall):
    body = {"unit_id": hall.x.pk, "person_times": 3, "topic": "护照办理"}
    first = api.post("/consultations", body, headers={"Idempotency-Key": "c-1"})
    again = api.post("/consultations", body, headers={"Idempotency-Key": "c-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Consultation.objects.count() == 1


def test_a_key_stored_by_a_concurrent_request_wins_over_the_late_one(api, items, monkeypatch):
    # given a request that missed the stored answer (it looked before the other committed)
    first = api.post("/cases", BODY, headers={"Idempotency-Key": "race"})
    real_filter = IdempotencyRecord.objects.filter
    real_create = IdempotencyRecord.objects.create
    looks = []

    class _Manager:
        def create(self, **kwargs):
            return real_create(**kwargs)

        def filter(self, **kwargs):
            looks.append(kwargs)
            rows = real_filter(**kwargs)
            return rows.none() if len(looks) == 1 else rows

    monkeypatch.setattr(IdempotencyRecord, "objects", _Manager())
    # when it creates, the unique key refuses its record and everything it wrote is undone
    again = api.post("/cases", BODY, headers={"Idempotency-Key": "race"})
    # then it answers what the first one stored
    assert again.status_code == 201
    assert again.json() == first.json()
    assert Case.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_retries_create_one_case(hall, items, tokens):
    results: list[tuple[int, dict]] = []
    barrier = threading.Barrier(2)

    def call() -> None:
        try:
            barrier.wait()
            response = Api(Client(), tokens["a_write"]).post(
                "/cases", BODY, headers={"Idempotency-Key": "threads"}
            )
            results.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=call) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _body in results] == [201, 201]
    assert results[0][1] == results[1][1]
    assert Case.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_the_body_hash_ignores_key_order():
    assert idempotency.body_hash({"a": 1, "b": "甲"}) == idempotency.body_hash({"b": "甲", "a": 1})
