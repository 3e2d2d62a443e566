"""Every transition of a case, every refusal, and the clock through them."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection
from django.utils import translation

from govhall.cases import services
from govhall.cases.choices import CaseStatus
from govhall.cases.models import Case, CaseEvent
from govhall.core.audit import verify_all
from govhall.core.errors import DomainError, NotAllowed
from tests.cases.conftest import at


@pytest.fixture(autouse=True)
def _english_messages():
    # Assertions below match the services' English source messages.
    with translation.override("en"):
        yield


def receive(hall, item, persona="clerk_x", **kw):
    return services.case_receive(
        by=hall.user(persona), item=item, applicant_name="张三", applicant_phone="13900001234", **kw
    )


def test_a_case_gets_a_number_per_unit_and_day_in_sequence(hall, passport):
    with time_machine.travel(at(2016, 12, 8, 9, 0)):
        first, second = receive(hall, passport), receive(hall, passport)
    assert first.number == f"20161208{hall.x.pk % 1000:03d}0001"
    assert second.number == f"20161208{hall.x.pk % 1000:03d}0002"
    assert first.item_version == passport.current


def test_a_promised_case_is_due_n_working_days_after_acceptance_across_national_day(hall, passport):
    with time_machine.travel(at(2016, 9, 30, 10, 0)):
        case = services.case_accept(by=hall.user("clerk_x"), case=receive(hall, passport))
    # 7 days after Fri 09-30 in 2016: 10-08, 09, 10, 11, 12, 13, 14
    assert case.due_date == dt.date(2016, 10, 14)


def test_an_immediate_case_is_due_the_day_it_is_accepted(hall, on_the_spot):
    with time_machine.travel(at(2016, 12, 8, 10, 0)):
        case = services.case_accept(by=hall.user("clerk_x"), case=receive(hall, on_the_spot))
        services.case_complete(by=hall.user("clerk_x"), case=case, result="certificate")
    case.refresh_from_db()
    assert case.due_date == dt.date(2016, 12, 8)
    assert case.status == CaseStatus.COMPLETED


def test_missing_materials_wait_and_the_clock_starts_from_acceptance(hall, passport):
    clerk = hall.user("clerk_x")
    with time_machine.travel(at(2016, 12, 5, 9, 0)):
        case = receive(hall, passport)
        notice = services.case_request_supplement(
            by=clerk, case=case, materials=["户口簿", "近期照片"]
        )
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUPPLEMENTING
    assert notice.materials == ["户口簿", "近期照片"]
    with time_machine.travel(at(2016, 12, 8, 15, 0)):
        case = services.case_supplement_complete(by=clerk, case=case)
    assert case.status == CaseStatus.ACCEPTED
    assert case.due_date == dt.date(2016, 12, 19)  # 7 working days after Thu 12-08


def test_the_supplement_notice_must_come_within_five_working_days_of_receipt(hall, passport):
    with time_machine.travel(at(2016, 12, 1, 9, 0)):
        case = receive(hall, passport)
    with time_machine.travel(at(2016, 12, 9, 9, 0)), pytest.raises(DomainError, match="第三十二条"):
        services.case_request_supplement(by=hall.user("clerk_x"), case=case, materials=["户口簿"])


def test_a_special_procedure_stops_the_clock_and_moves_the_deadline_back(hall, passport):
    clerk = hall.user("clerk_x")
    with time_machine.travel(at(2016, 12, 1, 9, 0)):
        case = services.case_accept(by=clerk, case=receive(hall, passport))
    assert case.due_date == dt.date(2016, 12, 12)
    with time_machine.travel(at(2016, 12, 5, 9, 0)):
        services.case_suspend(by=clerk, case=case, kind="expert_review", reason="专家评审")
    with time_machine.travel(at(2016, 12, 8, 9, 0)):
        case = services.case_resume(by=clerk, case=case)
    assert case.paused_days == 3  # 12-05, 06, 07
    assert case.due_date == dt.date(2016, 12, 15)


def test_a_supplement_after_acceptance_also_stops_the_clock(hall, passport):
    clerk = hall.user("clerk_x")
    with time_machine.travel(at(2016, 12, 1, 9, 0)):
        case = services.case_accept(by=clerk, case=receive(hall, passport))
    with time_machine.travel(at(2016, 12, 2, 9, 0)):
        services.case_request_supplement(by=clerk, case=case, materials=["补充证明"])
    with time_machine.travel(at(2016, 12, 6, 9, 0)):
        case = services.case_supplement_complete(by=clerk, case=case)
    assert case.paused_days == 2  # 12-02 (Fri) and 12-05 (Mon)
    assert case.due_date == dt.date(2016, 12, 14)


def test_an_extension_adds_its_days_once_and_only_before_the_deadline(hall, passport):
    clerk = hall.user("clerk_x")
    with time_machine.travel(at(2016, 12, 1, 9, 0)):
        case = services.case_accept(by=clerk, case=receive(hall, passport))
    with time_machine.travel(at(2016, 12, 9, 9, 0)):
        services.case_extend(by=clerk, case=case, reason="需现场核查", approved_by="局长 李某")
        with pytest.raises(DomainError, match="already"):
            services.case_extend(by=clerk, case=case, reason="再延", approved_by="局长")
    case.refresh_from_db()
    assert case.due_date == dt.date(2016, 12, 26)  # 12-12 + 10 working days
    other = None
    with time_machine.travel(at(2016, 12, 1, 9, 0)):
        other = services.case_accept(by=clerk, case=receive(hall, passport))
    with time_machine.travel(at(2016, 12, 13, 9, 0)), pytest.raises(DomainError):
        services.case_extend(by=clerk, case=other, reason="迟了", approved_by="局长")


@pytest.mark.parametrize(
    ("prepare", "action"),
    [
        ("completed", lambda by, c: services.case_accept(by=by, case=c)),
        ("completed", lambda by, c: services.case_complete(by=by, case=c, result="granted")),
        ("received", lambda by, c: services.case_complete(by=by, case=c, result="granted")),
        ("received", lambda by, c: services.case_resume(by=by, case=c)),
        ("accepted", lambda by, c: services.case_reject(by=by, case=c, reason="x")),
        ("rejected", lambda by, c: services.case_void(by=by, case=c, reason="x")),
    ],
)
def test_an_illegal_transition_is_refused_and_changes_nothing(hall, passport, prepare, action):
    clerk = hall.user("clerk_x")
    case = receive(hall, passport)
    if prepare in ("accepted", "completed"):
        case = services.case_accept(by=clerk, case=case)
    if prepare == "completed":
        case = services.case_complete(by=clerk, case=case, result="granted")
    if prepare == "rejected":
        case = services.case_reject(by=clerk, case=case, reason="材料不属本单位")
    before = (Case.objects.get(pk=case.pk).status, CaseEvent.objects.count())
    with pytest.raises(DomainError):
        action(clerk, case)
    assert (Case.objects.get(pk=case.pk).status, CaseEvent.objects.count()) == before


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda by, c: services.case_reject(by=by, case=c, reason=" "), "reason"),
        (
            lambda by, c: services.case_request_supplement(by=by, case=c, materials=["", " "]),
            "materials",
        ),
    ],
)
def test_refusals_name_the_field(hall, passport, call, field):
    case = receive(hall, passport)
    with pytest.raises(DomainError) as refused:
        call(hall.user("clerk_x"), case)
    assert refused.value.field == field


def test_a_refusal_must_give_reasons(hall, passport):
    clerk = hall.user("clerk_x")
    case = services.case_accept(by=clerk, case=receive(hall, passport))
    with pytest.raises(DomainError) as refused:
        services.case_complete(by=clerk, case=case, result="refused")
    assert refused.value.field == "note"


def test_only_published_items_can_be_applied_for(hall, passport):
    from govhall.catalog.models import ServiceItem

    ServiceItem.objects.filter(pk=passport.pk).update(status="suspended")
    passport.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        receive(hall, passport)
    assert refused.value.field == "item"


def test_staff_of_another_unit_cannot_touch_the_case(hall, passport):
    case = receive(hall, passport)
    with pytest.raises(NotAllowed):
        services.case_accept(by=hall.user("leader_y"), case=case)
    with pytest.raises(NotAllowed):
        services.case_accept(by=hall.user("office_b"), case=case)


def test_every_transition_leaves_a_timeline_line_and_an_intact_audit_chain(hall, passport):
    clerk = hall.user("clerk_x")
    case = services.case_accept(by=clerk, case=receive(hall, passport))
    services.case_record_step(by=clerk, case=case, name="审查", result="通过", opinion="材料齐全")
    services.case_complete(by=clerk, case=case, result="certificate")
    assert list(case.events.values_list("action", flat=True)) == [
        "receive",
        "accept",
        "record_step",
        "complete",
    ]
    assert case.events.first().by_name == "钱办事"
    assert verify_all()[1] == []


@pytest.mark.django_db(transaction=True)
def test_two_windows_completing_one_case_at_once_complete_it_exactly_once(hall, passport):
    clerk = hall.user("clerk_x")
    case = services.case_accept(by=clerk, case=receive(hall, passport))
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def complete() -> None:
        barrier.wait()
        try:
            services.case_complete(by=clerk, case=case, result="granted")
            outcomes.append("done")
        except DomainError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=complete) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["done", "refused"]
    assert CaseEvent.objects.filter(case=case, action="complete").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_windows_receiving_at_the_same_instant_get_different_numbers(hall, passport):
    numbers: list[str] = []
    barrier = threading.Barrier(4)

    def take() -> None:
        barrier.wait()
        try:
            numbers.append(receive(hall, passport).number)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(numbers)) == 4
    # the four appends to the center's audit chain queued up: one chain, no fork
    assert verify_all()[1] == []
