"""The demo's December 2016 equals the reference bulletin, and its autumn is a plausible history.

Figures are counted here with the ORM, by the definitions of DESIGN.md §5, over local-time
month boundaries (Asia/Shanghai midnight, not UTC: a case accepted at 2016-12-01 07:30 local
is 2016-11-30 in UTC).
"""

from __future__ import annotations

import datetime as dt
import time
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Sum

from govhall.cases.choices import CaseSource, CaseStatus
from govhall.cases.models import Case, CaseEvent, Consultation
from govhall.core.audit import verify_all
from govhall.core.calendar import get_calendar
from govhall.core.models import AuditEntry
from govhall.demo.data.cases import BULLETIN_PEOPLE
from govhall.demo.data.org import DEMO_CENTER
from govhall.demo.loaders.cases import load_cases_demo
from govhall.demo.loaders.catalog import load_catalog_demo
from govhall.demo.loaders.org import load_org_demo
from govhall.org.models import Center, Unit

SHANGHAI = ZoneInfo("Asia/Shanghai")
OPEN = [CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED]


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


DEC = (local(2016, 12, 1), local(2017, 1, 1))
NOV = (local(2016, 11, 1), local(2016, 12, 1))
OCT = (local(2016, 10, 1), local(2016, 11, 1))
SEP = (local(2016, 9, 1), local(2016, 10, 1))


def accepted_in(month: tuple[dt.datetime, dt.datetime]) -> Q:
    """Accepted in the month; 不予受理 is not accepted (DESIGN.md §5)."""
    return Q(accepted_at__gte=month[0], accepted_at__lt=month[1]) & ~Q(
        status__in=[CaseStatus.REJECTED, CaseStatus.VOIDED]
    )


def completed_in(month: tuple[dt.datetime, dt.datetime]) -> Q:
    return Q(completed_at__gte=month[0], completed_at__lt=month[1])


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Build the demo hall once for this module; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_org_demo(StringIO())
        load_catalog_demo(StringIO())
        out = StringIO()
        started = time.monotonic()
        load_cases_demo(out)
        seconds = time.monotonic() - started
        yield Center.objects.get(name=DEMO_CENTER), out.getvalue(), seconds
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded, db):
    return loaded[0]


def cases(center: Center) -> QuerySet[Case]:
    return Case.objects.filter(center=center)


# --- the bulletin's figures ---------------------------------------------------------------------


def test_december_accepted_and_completed_equal_the_bulletin(demo):
    figures = cases(demo).aggregate(
        accepted=Count("pk", filter=accepted_in(DEC)),
        completed=Count("pk", filter=completed_in(DEC)),
        immediate=Count("pk", filter=completed_in(DEC) & Q(handling_type="immediate")),
        promised=Count("pk", filter=completed_in(DEC) & Q(handling_type="promised")),
    )
    assert figures == {"accepted": 6560, "completed": 6496, "immediate": 5720, "promised": 776}


def test_the_top_five_units_and_their_order_equal_the_bulletin(demo):
    per_unit = list(
        cases(demo)
        .filter(accepted_in(DEC))
        .values("unit__name")
        .annotate(accepted=Count("pk"))
        .order_by("-accepted", "unit__name")
    )
    assert [(row["unit__name"], row["accepted"]) for row in per_unit[:5]] == [
        ("公安局", 3932),
        ("住建局", 1075),
        ("林业局", 770),
        ("财政局", 236),
        ("发改局", 146),
    ]
    others = per_unit[5:]
    assert others, "the other units accept cases too"
    assert all(row["accepted"] < 146 for row in others)
    assert sum(row["accepted"] for row in others) == 6560 - (3932 + 1075 + 770 + 236 + 146)


def test_jingxinju_has_no_case_at_all_in_december_but_had_some_before(demo):
    unit = Unit.objects.get(center=demo, name="经信局")
    theirs = cases(demo).filter(unit=unit)
    in_december = (
        Q(received_at__gte=DEC[0], received_at__lt=DEC[1])
        | Q(accepted_at__gte=DEC[0], accepted_at__lt=DEC[1])
        | Q(closed_at__gte=DEC[0], closed_at__lt=DEC[1])
        | Q(status__in=OPEN)  # open through December
        | Q(closed_at__gte=DEC[1])
    )
    assert not theirs.filter(in_december).exists()
    assert theirs.filter(accepted_in(SEP) | accepted_in(OCT) | accepted_in(NOV)).exists()
    units_with_cases = set(
        cases(demo).filter(accepted_in(DEC)).values_list("unit__name", flat=True)
    )
    without = (
        set(Unit.objects.filter(center=demo).values_list("name", flat=True)) - units_with_cases
    )
    assert without == {"经信局"}


def test_some_applications_were_refused_at_the_door_and_are_not_counted_as_accepted(demo):
    refused = cases(demo).filter(
        status=CaseStatus.REJECTED, closed_at__gte=DEC[0], closed_at__lt=DEC[1]
    )
    assert refused.count() > 10
    assert not refused.filter(accepted_at__isnull=False).exists()
    assert not refused.filter(completed_at__isnull=False).exists()
    assert cases(demo).filter(Q(accepted_at__gte=DEC[0], accepted_at__lt=DEC[1])).count() == 6560


def test_jingxinju_had_the_most_consultations_in_december_with_26_person_times(demo):
    per_unit = dict(
        Consultation.objects.filter(center=demo, at__gte=DEC[0], at__lt=DEC[1])
        .values("unit__name")
        .annotate(total=Sum("person_times"))
        .values_list("unit__name", "total")
    )
    assert per_unit.pop("经信局") == 26
    assert len(per_unit) >= 5
    assert max(per_unit.values()) < 26


# --- 出入境窗口 ------------------------------------------------------------------------------------


def test_the_exit_entry_window_has_cases_since_it_opened_in_october(demo):
    exit_cases = cases(demo).filter(window__name="出入境窗口")
    assert exit_cases.filter(accepted_in(OCT)).exists()
    assert not exit_cases.filter(received_at__lt=OCT[0]).exists()
    by_report = exit_cases.filter(accepted_at__lt=local(2016, 12, 15)).exclude(
        status=CaseStatus.REJECTED
    )
    assert by_report.count() == 122
    assert exit_cases.filter(item__name="普通护照签发").exists()


def test_the_exit_entry_window_answered_two_hundred_odd_enquiries_by_mid_december(demo):
    total = Consultation.objects.filter(
        center=demo, staff__window__name="出入境窗口", at__lt=local(2016, 12, 15)
    ).aggregate(total=Sum("person_times"))["total"]
    assert 200 <= total < 250


def test_earlier_months_are_there_for_trends_and_smaller_than_december(demo):
    accepted = {
        name: cases(demo).filter(accepted_in(month)).count()
        for name, month in (("sep", SEP), ("oct", OCT), ("nov", NOV), ("dec", DEC))
    }
    assert all(1000 < accepted[m] < accepted["dec"] for m in ("sep", "oct", "nov"))
    assert not cases(demo).filter(received_at__lt=SEP[0]).exists()
    assert not cases(demo).filter(received_at__gte=DEC[1]).exists()


# --- the calendar and the hall's hours -----------------------------------------------------------


def _hall_hours(moment: dt.datetime) -> bool:
    at = moment.astimezone(SHANGHAI).time()
    return dt.time(8, 30) <= at <= dt.time(12, 0) or dt.time(14, 30) <= at <= dt.time(17, 30)


def test_cases_are_accepted_and_completed_on_working_days_within_hall_hours(demo):
    calendar = get_calendar()
    moments = cases(demo).values_list("received_at", "accepted_at", "completed_at", "closed_at")
    checked = 0
    for row in moments:
        for moment in row:
            if moment is None:
                continue
            assert calendar.is_workday(moment.astimezone(SHANGHAI).date()), moment
            assert _hall_hours(moment), moment
            checked += 1
    assert checked > 40000
    # 2016-10-01..07 was the National Day holiday; 10-08 and 10-09 (a weekend) were worked.
    october = cases(demo).filter(accepted_in(OCT))
    holiday = october.filter(accepted_at__lt=local(2016, 10, 8))
    assert not holiday.exists()
    assert october.filter(
        accepted_at__gte=local(2016, 10, 8), accepted_at__lt=local(2016, 10, 10)
    ).exists()


def test_immediate_cases_are_completed_the_day_they_are_accepted(demo):
    immediate = cases(demo).filter(handling_type="immediate", status=CaseStatus.COMPLETED)
    assert immediate.count() > 15000
    assert not immediate.exclude(completed_at__gte=F("accepted_at")).exists()
    assert not immediate.exclude(completed_at__lte=F("due_at")).exists()


def test_promised_cases_are_mostly_completed_by_their_deadline_and_a_few_late(demo):
    done = cases(demo).filter(handling_type="promised", status=CaseStatus.COMPLETED)
    late = done.filter(completed_at__gt=F("due_at")).count()
    assert not done.exclude(completed_at__gt=F("accepted_at")).exists()
    assert 0 < late < done.count() * 0.08


# --- the year's end: warnings for 电子监察 ---------------------------------------------------------


def test_on_december_30_some_open_promised_cases_are_overdue_and_some_due_now(demo):
    open_promised = cases(demo).filter(
        handling_type="promised", status__in=OPEN, accepted_at__lt=local(2016, 12, 31)
    )
    due = set(open_promised.values_list("due_date", flat=True))
    red = {d for d in due if d < dt.date(2016, 12, 30)}
    # Yellow: due that day, or the next working day — Tuesday 2017-01-03, after the weekend
    # and the New Year holiday (01-01, 01-02).
    yellow = due & {dt.date(2016, 12, 30), dt.date(2017, 1, 3)}
    assert red
    assert dt.date(2016, 12, 30) in yellow
    assert dt.date(2017, 1, 3) in yellow
    assert get_calendar().add(dt.date(2016, 12, 30), 1) == dt.date(2017, 1, 3)
    overdue_units = set(
        open_promised.filter(due_date__lt=dt.date(2016, 12, 30)).values_list(
            "unit__name", flat=True
        )
    )
    assert len(overdue_units) >= 2


def test_the_open_cases_of_the_year_end_went_through_the_lifecycle_services(demo):
    live = cases(demo).filter(source=CaseSource.APP)
    assert live.count() >= 5
    assert set(live.values_list("status", flat=True)) <= set(OPEN)
    events = set(CaseEvent.objects.filter(case__in=live).values_list("action", flat=True))
    assert {"receive", "accept", "request_supplement", "record_step"} <= events
    supplemented = live.get(events__action="request_supplement")
    assert supplemented.accepted_at > supplemented.received_at
    assert live.filter(due_date__lt=dt.date(2016, 12, 30)).exists()


# --- people, records and the step itself -----------------------------------------------------------


def test_cases_are_handled_by_the_units_own_staff_for_invented_applicants(demo):
    accepted = cases(demo).filter(accepted_at__isnull=False)
    assert not accepted.filter(accepted_by__isnull=True).exists()
    assert not accepted.exclude(accepted_by__unit=F("unit")).exists()
    done = cases(demo).filter(status=CaseStatus.COMPLETED)
    assert not done.exclude(completed_by__unit=F("unit")).exists()
    assert not cases(demo).exclude(applicant_phone__startswith="1390000").exists()
    assert not cases(demo).filter(applicant_name__in=BULLETIN_PEOPLE).exists()
    assert cases(demo).filter(applicant_name__endswith="有限公司").exists()


def test_the_history_is_one_audited_import_and_the_chain_holds(demo):
    entry = AuditEntry.objects.get(chain=demo.pk, action="case.import")
    assert entry.after["count"] == cases(demo).filter(source=CaseSource.IMPORT).count()
    assert len(entry.after["sha256"]) == 64
    assert AuditEntry.objects.filter(chain=demo.pk, action="consultation.import").count() == 1
    assert verify_all()[1] == []


def test_case_numbers_follow_the_day_and_unit(demo):
    sample = cases(demo).filter(source=CaseSource.IMPORT).select_related("unit")[:200]
    for case in sample:
        day = case.received_at.astimezone(SHANGHAI)
        assert case.number.startswith(f"{day:%Y%m%d}{case.unit_id % 1000:03d}")
        assert len(case.number) == 15


def test_the_step_is_fast_and_loading_it_again_changes_nothing(demo, loaded):
    assert loaded[2] < 30
    before = Case.objects.count()
    out = StringIO()
    load_cases_demo(out)
    assert Case.objects.count() == before
    assert "already" in out.getvalue()
