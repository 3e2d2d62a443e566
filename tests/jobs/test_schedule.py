"""The hall's schedule as a pure rule: slots on working days in hall hours, catch-up once."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from govhall.core.workdays import WorkCalendar
from govhall.core.worktime import DayHours
from govhall.jobs.registry import JOBS
from govhall.jobs.schedule import CatchUp, Kind, Spec, due_slots, next_slot

# 2016: National Day week off (10-03..10-07), Sunday 10-09 an adjusted working day (调休).
CALENDAR = WorkCalendar(
    {
        **{dt.date(2016, 10, d): False for d in range(3, 8)},
        dt.date(2016, 10, 8): True,
        dt.date(2016, 10, 9): True,
    },
    [2016],
)
SUMMER = DayHours(dt.time(8, 0), dt.time(12, 0), dt.time(15, 0), dt.time(18, 0))


def hours(_day: dt.date) -> DayHours:
    return SUMMER


HALL_JOBS = [job for job in JOBS.values() if job.spec.hall]
moments = st.datetimes(min_value=dt.datetime(2016, 9, 20), max_value=dt.datetime(2016, 10, 20))


@settings(max_examples=60, deadline=None)
@given(
    job=st.sampled_from(HALL_JOBS),
    last=st.none() | moments,
    now=moments,
)
def test_hall_jobs_fall_only_on_working_days_inside_hall_hours(job, last, now):
    # when
    slots = due_slots(job.spec, last=last, now=now, calendar=CALENDAR, hours_of=hours)
    # then
    for slot in slots:
        assert CALENDAR.is_workday(slot.date()), slot
        if job.spec.kind in (Kind.EVERY, Kind.AT_CLOSE):
            assert SUMMER.morning_start <= slot.time() <= SUMMER.afternoon_end, slot
        assert slot <= now
        assert last is None or slot > last


@settings(max_examples=60, deadline=None)
@given(last=moments, gap=st.integers(min_value=0, max_value=6 * 24 * 60), steps=st.integers(1, 5))
def test_catch_up_after_downtime_yields_each_missed_supervision_once(last, gap, steps):
    # given: the worker was down from `last` to `now`, then ticks again a few times
    spec = JOBS["supervise"].spec
    now = last + dt.timedelta(minutes=gap)
    seen: list[dt.datetime] = []
    done = last
    # when: each tick runs what is due and remembers the newest slot it ran
    for step in range(steps):
        tick = now + dt.timedelta(minutes=step)
        slots = due_slots(spec, last=done, now=tick, calendar=CALENDAR, hours_of=hours)
        seen += slots
        done = max([done, *slots])
    # then: every working day's 08:00 in (last, now] came exactly once
    expected = []
    day = last.date()
    while day <= now.date():
        moment = dt.datetime.combine(day, dt.time(8, 0))
        if CALENDAR.is_workday(day) and last < moment <= now + dt.timedelta(minutes=steps - 1):
            expected.append(moment)
        day += dt.timedelta(days=1)
    assert seen == expected


def test_supervision_skips_the_national_day_week_and_works_the_adjusted_sunday():
    # when: the worker comes back on Monday 10-10 at 09:00 after stopping on 09-30 at 09:00
    slots = due_slots(
        JOBS["supervise"].spec,
        last=dt.datetime(2016, 9, 30, 8, 0),
        now=dt.datetime(2016, 10, 10, 9, 0),
        calendar=CALENDAR,
        hours_of=hours,
    )
    # then: the two adjusted working days (8th, 9th) and Monday, nothing in the holiday
    assert [s.date().day for s in slots] == [8, 9, 10]


def test_a_frequent_job_runs_only_its_latest_missed_slot():
    slots = due_slots(
        JOBS["province_push"].spec,
        last=dt.datetime(2016, 9, 28, 10, 0),
        now=dt.datetime(2016, 9, 29, 10, 30, 30),
        calendar=CALENDAR,
        hours_of=hours,
    )
    assert slots == [dt.datetime(2016, 9, 29, 10, 30)]


def test_catch_up_reaches_back_seven_working_days_at_most():
    spec = Spec(Kind.DAILY_AT, at=dt.time(8, 0), catch_up=CatchUp.EACH, catch_up_days=7)
    slots = due_slots(
        spec,
        last=dt.datetime(2016, 8, 1, 8, 0),
        now=dt.datetime(2016, 9, 30, 9, 0),
        calendar=CALENDAR,
        hours_of=hours,
    )
    # 7 working days before Friday 09-30 is Wednesday 09-21
    assert slots[0].date() == dt.date(2016, 9, 21)
    assert len(slots) == 8


def test_a_job_never_run_starts_with_todays_slot():
    slots = due_slots(
        JOBS["supervise"].spec,
        last=None,
        now=dt.datetime(2016, 9, 29, 9, 0),
        calendar=CALENDAR,
        hours_of=hours,
    )
    assert slots == [dt.datetime(2016, 9, 29, 8, 0)]


def test_month_close_is_due_on_the_first_working_day_after_a_holiday_start():
    # October 2016 starts with the National Day week: its first working day is Saturday the 8th.
    following = next_slot(
        JOBS["month_close"].spec,
        after=dt.datetime(2016, 9, 30, 12, 0),
        calendar=CALENDAR,
        hours_of=hours,
    )
    assert following == dt.datetime(2016, 10, 8, 9, 0)


def test_vacancies_are_recorded_when_the_hall_closes():
    following = next_slot(
        JOBS["record_vacancies"].spec,
        after=dt.datetime(2016, 9, 30, 12, 0),
        calendar=CALENDAR,
        hours_of=hours,
    )
    assert following == dt.datetime(2016, 9, 30, 18, 0)
