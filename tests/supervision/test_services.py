"""督办, appeals and their decisions, the threshold, and who may do each."""

from __future__ import annotations

import datetime as dt

import pytest

from govhall.core.audit import verify_all
from govhall.core.errors import DomainError, NotAllowed
from govhall.core.models import AuditEntry
from govhall.supervision import services
from govhall.supervision.models import Alert, Warning
from govhall.supervision.selectors import warning_counts, warnings_for_day
from tests.supervision.conftest import accept, at


@pytest.fixture
def red(hall, passport):
    """A red card against a unit X case due 2016-12-12, issued on 12-13."""
    case = accept(hall.user("clerk_x"), passport, at(2016, 12, 1, 9, 0))
    result = services.supervise_day(by=None, center=hall.a, on=dt.date(2016, 12, 13))
    (warning,) = result.issued
    assert (warning.case_id, warning.level) == (case.pk, "red")
    return warning


# --- 督办 ------------------------------------------------------------------------------------


def test_the_supervisor_supervises_a_card_with_a_note(hall, red):
    supervisor = hall.user("supervisor_a")
    warning = services.warning_supervise(by=supervisor, warning=red, note="请于12月15日前办结")
    warning.refresh_from_db()
    assert (warning.status, warning.supervised_by, warning.supervision_note) == (
        "supervised",
        supervisor,
        "请于12月15日前办结",
    )
    assert AuditEntry.objects.filter(action="warning.supervise", object_id=str(red.pk)).exists()


def test_supervising_needs_a_note_and_happens_once(hall, red):
    office = hall.user("office_a")
    with pytest.raises(DomainError) as error:
        services.warning_supervise(by=office, warning=red, note="  ")
    assert error.value.field == "note"
    services.warning_supervise(by=office, warning=red, note="督办")
    with pytest.raises(DomainError) as error:
        services.warning_supervise(by=office, warning=red, note="再督办")
    assert error.value.field == "status"


@pytest.mark.parametrize("persona", ["chief_x", "clerk_x", "leader_y", "office_b"])
def test_only_the_office_and_the_supervisor_of_the_center_supervise(hall, red, persona):
    with pytest.raises(NotAllowed):
        services.warning_supervise(by=hall.user(persona), warning=red, note="督办")
    assert Warning.objects.get(pk=red.pk).status == "issued"


# --- appeals ---------------------------------------------------------------------------------


def test_the_office_accepts_an_appeal_and_the_card_is_cancelled(hall, red):
    chief, office = hall.user("chief_x"), hall.user("office_a")
    appeal = services.warning_appeal(by=chief, warning=red, reason="申请人书面要求延后取证")
    assert (appeal.decision, appeal.appealed_by) == ("pending", chief)
    decided = services.appeal_decide(by=office, appeal=appeal, accept=True)
    red.refresh_from_db()
    assert (decided.decision, decided.decided_by, red.status) == ("accepted", office, "cancelled")
    assert decided.decided_at is not None
    assert red.cancelled_at is not None
    # the chief hears of it, and the card no longer counts
    assert Alert.objects.filter(
        user=chief, warning__isnull=True, text__contains=red.case.number
    ).exists()
    assert warning_counts(center=hall.a, month=dt.date(2016, 12, 1)) == {}
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"warning.issue", "warning.appeal", "warning.appeal_decide", "warning.cancel"} <= actions
    assert verify_all()[1] == []


def test_a_rejected_appeal_needs_a_reason_and_the_card_stands(hall, red):
    appeal = services.warning_appeal(by=hall.user("chief_x"), warning=red, reason="系统故障")
    with pytest.raises(DomainError) as error:
        services.appeal_decide(by=hall.user("office_a"), appeal=appeal, accept=False)
    assert error.value.field == "note"
    services.appeal_decide(by=hall.user("office_a"), appeal=appeal, accept=False, note="无故障记录")
    red.refresh_from_db()
    assert (red.status, red.appeal.decision, red.appeal.decision_note) == (
        "issued",
        "rejected",
        "无故障记录",
    )
    assert warning_counts(center=hall.a, month=dt.date(2016, 12, 1)) == {hall.x.pk: (0, 1)}
    with pytest.raises(DomainError) as error:
        services.appeal_decide(by=hall.user("office_a"), appeal=appeal, accept=True)
    assert error.value.field == "decision"


def test_a_card_is_appealed_once_with_a_reason(hall, red):
    chief = hall.user("chief_x")
    with pytest.raises(DomainError) as error:
        services.warning_appeal(by=chief, warning=red, reason="")
    assert error.value.field == "reason"
    services.warning_appeal(by=chief, warning=red, reason="理由")
    with pytest.raises(DomainError) as error:
        services.warning_appeal(by=chief, warning=red, reason="再申诉")
    assert error.value.field == "status"


@pytest.mark.parametrize("persona", ["chief_y", "clerk_x", "supervisor_a", "office_b"])
def test_only_the_units_own_chief_appeals(hall, red, chief_y, persona):
    with pytest.raises(NotAllowed):
        services.warning_appeal(
            by=hall.user(persona) if persona != "chief_y" else chief_y, warning=red, reason="理由"
        )
    assert not hasattr(Warning.objects.get(pk=red.pk), "appeal")


@pytest.mark.parametrize("persona", ["clerk_x", "chief_x", "supervisor_a", "office_b"])
def test_only_the_office_decides_appeals(hall, red, persona):
    appeal = services.warning_appeal(by=hall.user("chief_x"), warning=red, reason="理由")
    with pytest.raises(NotAllowed):
        services.appeal_decide(by=hall.user(persona), appeal=appeal, accept=True)
    red.refresh_from_db()
    assert (red.status, red.appeal.decision) == ("issued", "pending")


# --- issuing, the threshold ----------------------------------------------------------------


def test_the_office_checks_one_case_by_hand_once(hall, passport):
    case = accept(hall.user("clerk_x"), passport, at(2016, 12, 1, 9, 0))  # due 12-12
    office = hall.user("office_a")
    with pytest.raises(DomainError) as error:
        services.warning_issue(by=office, case=case, on=dt.date(2016, 12, 7))
    assert error.value.field == "case"
    warning = services.warning_issue(by=office, case=case, on=dt.date(2016, 12, 9))
    assert (warning.level, warning.deadline, warning.issued_on) == (
        "yellow",
        case.due_date,
        dt.date(2016, 12, 9),
    )
    with pytest.raises(DomainError) as error:
        services.warning_issue(by=office, case=case, on=dt.date(2016, 12, 12))
    assert error.value.field == "level"
    with pytest.raises(NotAllowed):
        services.warning_issue(by=hall.user("supervisor_a"), case=case, on=dt.date(2016, 12, 13))


def test_the_office_widens_the_yellow_threshold(hall, passport):
    case = accept(hall.user("clerk_x"), passport, at(2016, 12, 1, 9, 0))  # due Mon 12-12
    thursday = dt.date(2016, 12, 8)
    assert warnings_for_day(center=hall.a, on=thursday) == []
    services.supervision_settings_update(by=hall.user("office_a"), center=hall.a, yellow_days=2)
    assert [w.case_no for w in warnings_for_day(center=hall.a, on=thursday)] == [case.number]
    with pytest.raises(DomainError) as error:
        services.supervision_settings_update(
            by=hall.user("office_a"), center=hall.a, yellow_days=11
        )
    assert error.value.field == "yellow_days"
    with pytest.raises(NotAllowed):
        services.supervision_settings_update(
            by=hall.user("supervisor_a"), center=hall.a, yellow_days=1
        )


def test_a_person_reads_only_their_own_alerts(hall, red):
    mine = Alert.objects.filter(user=hall.user("clerk_x")).get()
    with pytest.raises(DomainError):
        services.alert_read(user=hall.user("chief_x"), alert=mine)
    services.alert_read(user=hall.user("clerk_x"), alert=mine)
    assert Alert.objects.get(pk=mine.pk).read_at is not None
    assert services.alerts_read_all(user=hall.user("chief_x")) == 1
