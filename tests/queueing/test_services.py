from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import given
from hypothesis import strategies as st

from govhall.core.errors import DomainError
from govhall.org import services as org_services
from govhall.queueing import rules
from govhall.queueing.choices import AlertKind, Priority, TicketStatus
from govhall.queueing.models import QueueAlert
from govhall.queueing.selectors import late_openings, position_of
from govhall.queueing.services import (
    queue_watch,
    ticket_call_next,
    ticket_finish,
    ticket_issue,
    ticket_skip,
    ticket_transfer,
    window_pause,
    window_resume,
)
from govhall.staffing.models import Vacancy
from tests.factories import PostFactory, StaffFactory
from tests.queueing.conftest import DAY, Queue, at


def take(queue: Queue, code: str = "A", **kw: Any) -> Any:
    return ticket_issue(center=queue.hall.a, category=code, channel="kiosk", **kw)


def test_numbers_count_up_per_category_and_day(queue: Queue) -> None:
    # when
    first, second, other = take(queue), take(queue), take(queue, "B")
    # then
    assert [first.number, second.number, other.number] == ["A001", "A002", "B001"]
    assert position_of(second).ahead == 1
    assert position_of(first).ahead == 0


def test_a_number_outside_ticketing_hours_is_refused_with_the_hours(
    queue: Queue, clock: Any
) -> None:
    # given
    clock.move_to(at(18, 0))
    # when / then
    with pytest.raises(DomainError) as refused:
        take(queue)
    assert "08:30" in str(refused.value)
    assert "17:30" in str(refused.value)


def test_an_unknown_category_and_a_bad_phone_are_named(queue: Queue) -> None:
    with pytest.raises(DomainError) as unknown:
        take(queue, "Z")
    assert unknown.value.field == "category"
    with pytest.raises(DomainError) as phone:
        take(queue, phone="123")
    assert phone.value.field == "phone"


def test_the_window_calls_its_categories_oldest_first_and_elderly_first(queue: Queue) -> None:
    # given
    hall = queue.hall
    plain = take(queue)
    take(queue, "B")
    elderly = take(queue, priority=Priority.ELDERLY)
    # when
    called = ticket_call_next(window=hall.x_window, by=hall.user("clerk_x"))
    again = ticket_call_next(window=hall.x_window, by=hall.user("clerk_x"))
    # then
    assert called is not None
    assert called.pk == elderly.pk
    assert again is not None
    assert again.pk == plain.pk
    elderly.refresh_from_db()
    assert elderly.status == TicketStatus.DONE  # the next call finished the one at the window
    assert ticket_call_next(window=hall.x_window, by=hall.user("clerk_x")) is None


def test_the_public_cannot_ask_for_the_green_channel(queue: Queue) -> None:
    with pytest.raises(DomainError):
        take(queue, priority=Priority.GREEN)
    green = take(queue, priority=Priority.GREEN, by=queue.hall.user("office_a"))
    assert green.rank == 0


def test_only_staff_on_duty_at_the_window_may_call_there(queue: Queue) -> None:
    # given
    hall = queue.hall
    take(queue)
    # when / then: the 住建局 clerk is not on duty at the 公安局 window
    with pytest.raises(PermissionDenied):
        ticket_call_next(window=hall.x_window, by=hall.user("clerk_z"))
    with pytest.raises(PermissionDenied):
        ticket_call_next(window=hall.x_window, by=hall.user("leader_y"))


def test_the_b_role_covers_the_window(queue: Queue, hall: Any) -> None:
    # given: 钱办事's B角 is a colleague at another window of the unit
    other_window = hall.x_window.__class__.objects.create(
        center=hall.a, unit=hall.x, name="户籍窗口"
    )
    backup = StaffFactory(window=other_window, name="周B角")
    PostFactory(window=hall.x_window, primary=hall.x_clerk, backup=backup)
    user = org_services.account_create(
        by=None,
        center=hall.a,
        username="backup",
        password="pw-for-tests-long",
        role="window_staff",
        unit=hall.x,
        staff=backup,
    )
    take(queue)
    # when
    called = ticket_call_next(window=hall.x_window, by=user)
    # then
    assert called is not None
    assert called.staff == backup


def test_a_missed_number_goes_back_three_places_then_is_dropped(queue: Queue) -> None:
    # given
    hall = queue.hall
    clerk = hall.user("clerk_x")
    tickets = [take(queue) for _ in range(5)]
    first = ticket_call_next(window=hall.x_window, by=clerk)
    assert first is not None
    # when
    ticket_skip(ticket=first, by=clerk)
    # then: A002, A003, A004 are called before A001 again
    order = []
    for _ in range(4):
        called = ticket_call_next(window=hall.x_window, by=clerk)
        assert called is not None
        order.append(called.number)
    assert order == ["A002", "A003", "A004", "A001"]
    assert tickets[0].number == "A001"


def test_transfer_keeps_the_place_in_the_new_category(queue: Queue) -> None:
    hall = queue.hall
    early = take(queue)
    take(queue, "B")
    called = ticket_call_next(window=hall.x_window, by=hall.user("clerk_x"))
    assert called is not None
    assert called.pk == early.pk
    # when
    ticket_transfer(ticket=called, by=hall.user("clerk_x"), category=queue.b)
    # then: the B window calls the transferred number before the later B ticket
    nxt = ticket_call_next(window=hall.y_window, by=hall.user("office_a"))
    assert nxt is not None
    assert nxt.pk == early.pk


def test_finish_names_the_case_by_its_number_and_refuses_unknown_numbers(queue: Queue) -> None:
    hall = queue.hall
    take(queue)
    called = ticket_call_next(window=hall.x_window, by=hall.user("clerk_x"))
    assert called is not None
    with pytest.raises(DomainError) as unknown:
        ticket_finish(ticket=called, by=hall.user("clerk_x"), case_no="NO-SUCH")
    assert unknown.value.field == "case_no"
    done = ticket_finish(ticket=called, by=hall.user("clerk_x"))
    assert done.status == TicketStatus.DONE


def test_a_paused_window_does_not_call_until_resumed(queue: Queue) -> None:
    hall = queue.hall
    take(queue)
    window_pause(window=hall.x_window, by=hall.user("clerk_x"), reason="training")
    with pytest.raises(DomainError):
        ticket_call_next(window=hall.x_window, by=hall.user("clerk_x"))
    window_resume(window=hall.x_window, by=hall.user("clerk_x"))
    assert ticket_call_next(window=hall.x_window, by=hall.user("clerk_x")) is not None


def test_an_idle_window_with_people_waiting_records_a_vacancy_and_a_warning(
    queue: Queue, clock: Any
) -> None:
    # given: a post at the window and a number taken at 9:00
    hall = queue.hall
    PostFactory(window=hall.x_window, primary=hall.x_clerk, backup=hall.x_chief)
    take(queue)
    # when: nobody calls for 16 minutes
    clock.move_to(at(9, 16))
    first = queue_watch(center=hall.a)
    clock.move_to(at(9, 20))
    again = queue_watch(center=hall.a)
    # then: one idle stretch, one 空岗 for the window's post, kept current
    assert [a.kind for a in first] == [AlertKind.IDLE_WINDOW]
    assert again == []
    vacancy = Vacancy.objects.get(window=hall.x_window, date=DAY)
    assert vacancy.minutes == 20


def test_a_window_that_calls_in_time_is_not_idle(queue: Queue, clock: Any) -> None:
    hall = queue.hall
    take(queue)
    take(queue)
    clock.move_to(at(9, 10))
    ticket_call_next(window=hall.x_window, by=hall.user("clerk_x"))
    clock.move_to(at(9, 20))
    assert not [a for a in queue_watch(center=hall.a) if a.kind == AlertKind.IDLE_WINDOW]


def test_a_long_wait_raises_one_warning(queue: Queue, clock: Any) -> None:
    hall = queue.hall
    window_pause(window=hall.x_window, by=hall.user("clerk_x"), reason="training")
    take(queue)
    clock.move_to(at(9, 31))
    queue_watch(center=hall.a)
    queue_watch(center=hall.a)
    assert QueueAlert.objects.filter(kind=AlertKind.LONG_WAIT).count() == 1


def test_a_first_call_long_after_opening_is_a_late_opening(queue: Queue, clock: Any) -> None:
    # given: a number waiting from 8:35, the afternoon too
    hall = queue.hall
    clock.move_to(at(8, 35))
    take(queue)
    clock.move_to(at(9, 5))
    ticket_call_next(window=hall.x_window, by=hall.user("clerk_x"))
    clock.move_to(at(14, 35))
    take(queue)
    clock.move_to(at(14, 45))
    ticket_call_next(window=hall.x_window, by=hall.user("clerk_x"))
    # when
    late = late_openings(center=hall.a, first=DAY, last=DAY)
    # then: the morning's 35 minutes are late; the afternoon's 15 are not
    assert [(x.window, x.minutes) for x in late] == [(hall.x_window, 35)]


@given(
    st.lists(st.integers(min_value=0, max_value=10**6), unique=True, max_size=20),
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=0, max_value=10),
)
def test_a_missed_number_lands_behind_exactly_the_next_n_waiting(
    places: list[int], own: int, back: int
) -> None:
    others = sorted(p for p in places if p != own)
    new = rules.place_after(others, own, back)
    behind_before = [p for p in others if p > own]
    passed = [p for p in behind_before if p < new]
    assert len(passed) == min(back, len(behind_before))
    assert new >= own


def test_waits_are_estimated_from_people_ahead_and_windows() -> None:
    assert rules.estimated_wait_minutes(0, 2, 6) == 0
    assert rules.estimated_wait_minutes(4, 2, 6) == 12
    assert rules.ticketing_hours(rules.DayHours(), dt.time(8, 0), dt.time(17, 0)) == (
        dt.time(8, 30),
        dt.time(17, 0),
    )


def test_the_estimated_wait_follows_todays_service_once_five_were_served(
    queue: Queue, clock: Any
) -> None:
    # given: five applicants served in 10 minutes each at the only A window
    hall = queue.hall
    clerk = hall.user("clerk_x")
    for _ in range(5):
        take(queue)
    for minute in range(0, 60, 10):
        clock.move_to(at(9, 10) + dt.timedelta(minutes=minute))
        ticket_call_next(window=hall.x_window, by=clerk)
    # when: two more wait
    take(queue)
    last = take(queue)
    # then: one ahead of the last, served at the day's pace of 10 minutes
    where = position_of(last)
    assert where.ahead == 1
    assert where.estimated_wait_minutes == 20


def test_a_window_serving_one_applicant_for_long_is_not_idle(queue: Queue, clock: Any) -> None:
    # given: the first applicant takes 40 minutes at the window while others wait
    hall = queue.hall
    take(queue)
    take(queue)
    ticket_call_next(window=hall.x_window, by=hall.user("clerk_x"))
    # when
    clock.move_to(at(9, 40))
    raised = queue_watch(center=hall.a)
    # then: a long wait for the one waiting, but no idle window
    assert AlertKind.IDLE_WINDOW not in {a.kind for a in raised}
