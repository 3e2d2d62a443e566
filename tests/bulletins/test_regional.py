"""The regional bulletin's pure rules: the patrol rate and the ranking."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from govhall.bulletins.regional import CenterMonth, RegionFigures, patrol_rate, rank

rates = st.one_of(st.none(), st.integers(0, 1000).map(lambda n: Decimal(n) / 10))
rows = st.lists(
    st.builds(
        CenterMonth,
        center=st.sampled_from("甲乙丙丁戊己庚辛"),
        center_id=st.integers(1, 10_000),
        accepted=st.integers(0, 5000),
        on_time_rate=rates,
        satisfaction=rates,
    ),
    max_size=8,
    unique_by=lambda r: r.center_id,
)


def test_the_patrol_rate_is_signed_units_over_units():
    assert patrol_rate(2, 3) == Decimal("66.7")
    assert patrol_rate(3, 3) == Decimal(100)
    assert patrol_rate(0, 0) is None


@given(rows)
def test_the_ranking_puts_the_better_on_time_rate_first_and_numbers_from_one(rows):
    ranked = rank(rows, {})
    assert [c.rank for c in ranked] == list(range(1, len(rows) + 1))
    rated = [c.now.on_time_rate for c in ranked]
    numbers = [r for r in rated if r is not None]
    # every center with a rate before every center without one, highest rate first
    assert rated == numbers + [None] * (len(rated) - len(numbers))
    assert numbers == sorted(numbers, reverse=True)


@given(rows)
def test_the_ranking_does_not_depend_on_the_order_the_centers_come_in(rows):
    assert [c.now.center_id for c in rank(rows, {})] == [
        c.now.center_id for c in rank(list(reversed(rows)), {})
    ]


def test_equal_on_time_rates_are_decided_by_satisfaction_then_cases():
    a = CenterMonth("甲", 1, accepted=10, on_time_rate=Decimal(90), satisfaction=Decimal(80))
    b = CenterMonth("乙", 2, accepted=5, on_time_rate=Decimal(90), satisfaction=Decimal(95))
    c = CenterMonth("丙", 3, accepted=50, on_time_rate=Decimal(90), satisfaction=Decimal(80))
    assert [r.now.center for r in rank([a, b, c], {})] == ["乙", "丙", "甲"]


def test_the_change_on_last_month_is_shown_where_both_months_have_a_figure():
    now = CenterMonth("甲", 1, accepted=12, on_time_rate=Decimal("90.0"))
    before = CenterMonth("甲", 1, accepted=10, on_time_rate=None)
    (row,) = rank([now], {1: before})
    assert row.accepted_change == 2
    assert row.on_time_change is None
    assert row.as_api_json()["change"] == {
        "accepted": 2, "completed": 0, "on_time_rate": None, "satisfaction": None,
    }  # fmt: skip


def test_the_issue_and_title_follow_the_region_and_the_month():
    figures = RegionFigures("随州市", 1, "city", "随州市政务服务", dt.date(2016, 12, 1))
    assert figures.issue == "随州市政务服务【2016】第12期"
    assert figures.title == "全市政务服务中心运行情况通报"
    assert figures.as_json() == {"region": "随州市", "month": "2016-12", "centers": []}
