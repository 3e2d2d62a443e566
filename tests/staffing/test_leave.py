"""Leave: counting, the approval chain and its substitutes, the stamped note, A/B cover,
cancel and shorten, rules per center."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from govhall.core.errors import DomainError, NotAllowed
from govhall.core.models import AuditEntry
from govhall.staffing import selectors, services
from govhall.staffing.choices import ApprovalLevel, Half, LeaveKind, LeaveStatus
from govhall.staffing.models import LeaveApproval
from tests.factories import StaffFactory
from tests.staffing.conftest import approved, at, d, scan

MONDAY = at(2016, 12, 5, 10, 0)


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(MONDAY, tick=False):
        yield


def ask(hall, who="clerk_x", staff=None, start="2016-12-12", end=None, **kwargs):
    staff = staff or hall.x_clerk
    return services.leave_request(
        by=hall.user(who),
        staff=staff,
        kind=kwargs.pop("kind", LeaveKind.PERSONAL),
        start_date=d(start),
        end_date=d(end) if end else None,
        **kwargs,
    )


# --- counting ---------------------------------------------------------------------------------


def test_a_leave_over_a_weekend_counts_working_days_only(hall):
    leave = ask(hall, start="2016-12-09", end="2016-12-12")  # Friday to Monday
    assert leave.days == 2
    assert [p.date.day for p in selectors.leave_parts_of(leave)] == [9, 12]


def test_a_leave_over_the_national_day_holiday_counts_the_adjusted_working_days(hall):
    leave = ask(hall, start="2016-09-30", end="2016-10-09")
    dates = [p.date for p in selectors.leave_parts_of(leave)]
    assert dt.date(2016, 10, 3) not in dates  # 国庆节
    assert dates == [d("2016-09-30"), d("2016-10-08"), d("2016-10-09")]  # 调休 weekend worked
    assert leave.days == 3


def test_half_days_and_hours_count_in_fractions_of_a_day(hall):
    half = ask(hall, start="2016-12-12", end="2016-12-12", start_half=Half.PM, end_half=Half.PM)
    assert half.days == Decimal("0.5")
    hours = ask(
        hall, start="2016-12-13", span="hours", start_time=dt.time(8, 30), end_time=dt.time(10, 0)
    )
    assert hours.days == Decimal("0.23")  # 90 of 390 minutes


def test_a_leave_without_any_working_day_or_ending_before_it_starts_is_refused(hall):
    with pytest.raises(DomainError) as refused:
        ask(hall, start="2016-12-10", end="2016-12-11")
    assert refused.value.field == "end_date"
    with pytest.raises(DomainError) as refused:
        ask(hall, start="2016-12-12", end="2016-12-09")
    assert refused.value.field == "end_date"


def test_overlapping_leave_of_the_same_person_is_refused(hall):
    ask(hall, start="2016-12-12", end="2016-12-13")
    with pytest.raises(DomainError, match="钱办事") as refused:
        ask(hall, start="2016-12-13", end="2016-12-13")
    assert refused.value.field == "start_date"
    # the other half of a day is free
    ask(hall, start="2016-12-14", start_half=Half.AM, end_half=Half.AM, end="2016-12-14")
    ask(hall, start="2016-12-14", start_half=Half.PM, end_half=Half.PM, end="2016-12-14")


# --- who asks ---------------------------------------------------------------------------------


def test_a_clerk_asks_for_own_leave_but_not_for_a_colleague(hall):
    leave = ask(hall)
    assert leave.status == LeaveStatus.PENDING
    assert leave.step == ApprovalLevel.CHIEF
    assert AuditEntry.objects.filter(action="leave.request", object_id=str(leave.pk)).exists()
    with pytest.raises(NotAllowed):
        ask(hall, staff=hall.x_chief)


def test_the_office_asks_for_anyone_in_its_center_but_not_in_another(hall):
    assert ask(hall, who="office_a", staff=hall.y_clerk).source == "office"
    with pytest.raises(NotAllowed):
        ask(hall, who="office_b", staff=hall.y_clerk)


# --- approval -------------------------------------------------------------------------------------


def test_one_day_is_approved_by_the_units_chief(hall):
    leave = ask(hall)
    leave = services.leave_approve(by=hall.user("chief_x"), leave=leave)
    assert leave.status == LeaveStatus.APPROVED
    approval = LeaveApproval.objects.get(leave=leave)
    assert (approval.level, approval.substitute) == ("chief", False)
    assert approval.month_total == 1


def test_two_days_go_from_the_chief_to_the_office(hall):
    leave = ask(hall, end="2016-12-13")
    services.leave_note_attach(by=hall.user("clerk_x"), leave=leave, file=scan())
    assert leave.chain_levels == ["chief", "office"]
    with pytest.raises(NotAllowed):
        services.leave_approve(by=hall.user("office_a"), leave=leave)  # the chief is at work
    leave = services.leave_approve(by=hall.user("chief_x"), leave=leave)
    assert (leave.status, leave.step) == (LeaveStatus.PENDING, ApprovalLevel.OFFICE)
    with pytest.raises(NotAllowed):
        services.leave_approve(by=hall.user("chief_x"), leave=leave)
    leave = services.leave_approve(by=hall.user("office_a"), leave=leave)
    assert leave.status == LeaveStatus.APPROVED


def test_a_long_leave_ends_with_the_center_leader(hall, leader):
    leave = ask(hall, end="2016-12-16")
    services.leave_note_attach(by=hall.user("clerk_x"), leave=leave, file=scan())
    services.leave_approve(by=hall.user("chief_x"), leave=leave)
    services.leave_approve(by=hall.user("office_a"), leave=leave)
    with pytest.raises(NotAllowed):
        services.leave_approve(by=hall.user("office_a"), leave=leave)
    leave = services.leave_approve(by=leader, leave=leave)
    assert leave.status == LeaveStatus.APPROVED


def test_with_no_leader_named_the_office_signs_the_leaders_step(hall):
    leave = ask(hall, end="2016-12-16")
    services.leave_note_attach(by=hall.user("clerk_x"), leave=leave, file=scan())
    services.leave_approve(by=hall.user("chief_x"), leave=leave)
    services.leave_approve(by=hall.user("office_a"), leave=leave)
    assert services.leave_approve(by=hall.user("office_a"), leave=leave).status == "approved"


def test_when_the_chief_is_on_leave_the_office_signs_as_substitute(hall):
    approved(hall.x_chief, "2016-12-05")  # the chief is away today
    leave = ask(hall)
    assert selectors.signing(hall.user("office_a"), leave).substitute
    leave = services.leave_approve(by=hall.user("office_a"), leave=leave)
    assert leave.status == LeaveStatus.APPROVED
    assert LeaveApproval.objects.get(leave=leave).substitute


def test_nobody_approves_their_own_leave_the_next_level_does(hall):
    leave = ask(hall, who="chief_x", staff=hall.x_chief)
    with pytest.raises(NotAllowed):
        services.leave_approve(by=hall.user("chief_x"), leave=leave)
    leave = services.leave_approve(by=hall.user("office_a"), leave=leave)
    assert leave.status == LeaveStatus.APPROVED


def test_another_units_chief_or_center_cannot_sign(hall):
    leave = ask(hall, staff=hall.y_clerk, who="office_a")
    with pytest.raises(NotAllowed):
        services.leave_approve(by=hall.user("chief_x"), leave=leave)
    with pytest.raises(NotAllowed):
        services.leave_approve(by=hall.user("office_b"), leave=leave)
    with pytest.raises(NotAllowed):
        services.leave_approve(by=hall.user("clerk_x"), leave=leave)


def test_a_refusal_needs_a_reason_and_closes_the_leave(hall):
    leave = ask(hall)
    with pytest.raises(DomainError) as refused:
        services.leave_reject(by=hall.user("chief_x"), leave=leave, note=" ")
    assert refused.value.field == "note"
    leave = services.leave_reject(by=hall.user("chief_x"), leave=leave, note="年底业务繁忙")
    assert leave.status == LeaveStatus.REJECTED
    with pytest.raises(DomainError):
        services.leave_approve(by=hall.user("chief_x"), leave=leave)


# --- the stamped note ------------------------------------------------------------------------------


def test_a_leave_over_one_day_cannot_be_approved_without_the_stamped_note(hall):
    leave = ask(hall, end="2016-12-13")
    with pytest.raises(DomainError, match="钱办事") as refused:
        services.leave_approve(by=hall.user("chief_x"), leave=leave)
    assert refused.value.field == "note_scan"
    assert LeaveApproval.objects.count() == 0
    services.leave_note_attach(by=hall.user("clerk_x"), leave=leave, file=scan())
    assert services.leave_approve(by=hall.user("chief_x"), leave=leave).step == "office"


def test_a_short_leave_that_brings_the_month_over_three_days_needs_the_note(hall):
    approved(hall.x_clerk, "2016-12-19", "2016-12-21")  # 3 days already this month
    leave = ask(hall, start="2016-12-12", end="2016-12-12", start_half=Half.AM, end_half=Half.AM)
    totals = selectors.leave_month_totals(leave)
    assert [(t.before, t.this, t.total) for t in totals] == [
        (Decimal(3), Decimal("0.5"), Decimal("3.5"))
    ]
    with pytest.raises(DomainError, match="3"):
        services.leave_approve(by=hall.user("chief_x"), leave=leave)
    services.leave_note_attach(by=hall.user("clerk_x"), leave=leave, file=scan())
    assert services.leave_approve(by=hall.user("chief_x"), leave=leave).status == "approved"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("请假条.pdf", b"just some text, not a PDF"),
        ("请假条.exe", b"%PDF-1.4 but named .exe"),
        ("请假条.pdf", b""),
    ],
)
def test_only_a_real_pdf_jpeg_or_png_is_accepted_as_the_note(hall, name, content):
    leave = ask(hall, end="2016-12-13")
    with pytest.raises(DomainError) as refused:
        services.leave_note_attach(
            by=hall.user("clerk_x"), leave=leave, file=SimpleUploadedFile(name, content)
        )
    assert refused.value.field == "note_scan"


def test_a_note_over_ten_megabytes_is_refused(hall):
    leave = ask(hall, end="2016-12-13")
    big = SimpleUploadedFile("大.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(DomainError, match="10 MB") as refused:
        services.leave_note_attach(by=hall.user("clerk_x"), leave=leave, file=big)
    assert refused.value.field == "note_scan"


def test_the_note_is_stored_under_a_random_name(hall):
    leave = ask(hall, end="2016-12-13")
    leave = services.leave_note_attach(by=hall.user("clerk_x"), leave=leave, file=scan("我的.pdf"))
    assert leave.note_scan.name.endswith(".pdf")
    assert "我的" not in leave.note_scan.name
    assert leave.note_type == "application/pdf"


# --- A/B cover ------------------------------------------------------------------------------------


def test_approving_a_leave_that_empties_a_post_needs_a_named_cover(hall, posts):
    approved(hall.x_clerk, "2016-12-12")  # the backup is away that day
    leave = ask(hall, who="chief_x", staff=hall.x_chief)
    with pytest.raises(DomainError, match="钱办事") as refused:
        services.leave_approve(by=hall.user("office_a"), leave=leave)
    assert refused.value.field == "cover"
    assert leave.status == LeaveStatus.PENDING
    cover = StaffFactory(window=hall.x_window, name="周替岗")
    leave = services.leave_approve(by=hall.user("office_a"), leave=leave, cover=cover)
    assert (leave.status, leave.cover) == (LeaveStatus.APPROVED, cover)


def test_a_leave_is_approved_without_cover_when_the_backup_is_at_work(hall, posts):
    leave = ask(hall, who="chief_x", staff=hall.x_chief)
    assert services.leave_gaps(leave) == []
    assert services.leave_approve(by=hall.user("office_a"), leave=leave).status == "approved"


def test_the_cover_must_be_someone_else_of_the_same_center(hall, posts):
    approved(hall.x_clerk, "2016-12-12")
    leave = ask(hall, who="chief_x", staff=hall.x_chief)
    for wrong in (hall.z_clerk, hall.x_chief):
        with pytest.raises(DomainError) as refused:
            services.leave_approve(by=hall.user("office_a"), leave=leave, cover=wrong)
        assert refused.value.field == "cover"


# --- cancel and shorten -------------------------------------------------------------------------


def test_the_person_cancels_a_waiting_leave(hall):
    leave = services.leave_cancel(by=hall.user("clerk_x"), leave=ask(hall))
    assert leave.status == LeaveStatus.CANCELLED
    with pytest.raises(DomainError):
        services.leave_cancel(by=hall.user("clerk_x"), leave=leave)


def test_a_started_leave_is_cancelled_by_the_chief_or_office_with_a_reason_not_by_the_person(hall):
    leave = approved(hall.x_clerk, "2016-12-05", "2016-12-06")
    with pytest.raises(NotAllowed):
        services.leave_cancel(by=hall.user("clerk_x"), leave=leave)
    with pytest.raises(DomainError) as refused:
        services.leave_cancel(by=hall.user("chief_x"), leave=leave)
    assert refused.value.field == "reason"
    leave = services.leave_cancel(by=hall.user("chief_x"), leave=leave, reason="登记错误")
    assert selectors.leave_figures(center=hall.a, month=dt.date(2016, 12, 1)) == (0, 0)


def test_shortening_counts_the_days_again(hall):
    leave = approved(hall.x_clerk, "2016-12-05", "2016-12-09")
    leave = services.leave_shorten(
        by=hall.user("office_a"), leave=leave, end_date=d("2016-12-07"), end_half=Half.AM
    )
    assert leave.days == Decimal("2.5")
    assert leave.original_end_date == d("2016-12-09")
    assert selectors.leave_figures(center=hall.a, month=dt.date(2016, 12, 1)) == (1, Decimal("2.5"))
    with pytest.raises(DomainError) as refused:
        services.leave_shorten(by=hall.user("office_a"), leave=leave, end_date=d("2016-12-08"))
    assert refused.value.field == "end_date"


# --- rules per center and the month's figures ---------------------------------------------------


def test_the_office_configures_a_rule_for_sick_leave(hall):
    services.leave_rules_install_defaults(by=hall.user("office_a"), center=hall.a)
    services.leave_rule_create(
        by=hall.user("office_a"), center=hall.a, kind=LeaveKind.SICK, max_days=5,
        level=ApprovalLevel.CHIEF,
    )  # fmt: skip
    sick = ask(hall, kind=LeaveKind.SICK, end="2016-12-15")
    personal = ask(hall, staff=hall.y_clerk, who="office_a", end="2016-12-15")
    assert sick.chain_levels == ["chief"]
    assert personal.chain_levels == ["chief", "office", "leader"]
    with pytest.raises(DomainError):
        services.leave_rule_create(
            by=hall.user("office_a"), center=hall.a, kind=LeaveKind.SICK, max_days=5,
            level=ApprovalLevel.OFFICE,
        )  # fmt: skip
    with pytest.raises(NotAllowed):
        services.leave_rule_create(
            by=hall.user("chief_x"), center=hall.a, kind="", max_days=3, level="office"
        )


def test_the_months_figures_count_approved_leave_and_its_days_within_the_month(hall):
    approved(hall.x_clerk, "2016-11-29", "2016-12-02")  # 2 of 4 days in December
    approved(hall.y_clerk, "2016-12-30", "2017-01-04")  # 12-30 only (01-02 is a holiday)
    ask(hall, start="2016-12-20")  # pending: not counted
    approved(hall.z_clerk, "2016-12-12")  # another center
    assert selectors.leave_figures(center=hall.a, month=dt.date(2016, 12, 1)) == (2, Decimal(3))
    assert selectors.leave_figures(center=hall.a, month="2017-01") == (1, Decimal(2))
