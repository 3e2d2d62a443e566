"""Reading the State Council's holiday notice (pasted text) and the schedule CSV."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import chinese_calendar
import pytest

from govhall.core.holiday_notice import (
    ScheduleDay,
    ScheduleError,
    parse_notice,
    parse_schedule_csv,
    schedule_csv,
)

D = dt.date
NOTICES = Path(__file__).parent / "notices"


def notice(year: int) -> str:
    return (NOTICES / f"{year}.txt").read_text(encoding="utf-8")


def package_days(year: int) -> set[tuple[dt.date, bool]]:
    """The year's days off and adjusted working days as chinesecalendar ships them."""
    return {(day, False) for day in chinese_calendar.holidays if day.year == year} | {
        (day, True) for day in chinese_calendar.workdays if day.year == year
    }


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_published_notice_gives_the_same_days_as_chinesecalendar(year):
    # given the State Council's notice for the year, as published
    # when
    days = parse_notice(notice(year), year=year)
    # then
    assert {(day.date, day.is_workday) for day in days} == package_days(year)


def test_the_2026_notice_names_each_holiday_and_its_adjusted_working_days():
    # given / when
    days = {day.date: day for day in parse_notice(notice(2026), year=2026)}
    # then
    assert [days[D(2026, 1, n)].name for n in (1, 2, 3)] == ["元旦"] * 3
    assert days[D(2026, 1, 4)] == ScheduleDay(D(2026, 1, 4), True, "元旦调休上班")
    assert sum(1 for day in days.values() if day.name == "春节") == 9
    assert days[D(2026, 2, 28)].name == "春节调休上班"
    assert days[D(2026, 10, 10)] == ScheduleDay(D(2026, 10, 10), True, "国庆节调休上班")


def test_the_2025_notice_reads_a_one_day_holiday_and_a_joint_national_day():
    # given / when
    days = {day.date: day for day in parse_notice(notice(2025), year=2025)}
    # then
    assert days[D(2025, 1, 1)] == ScheduleDay(D(2025, 1, 1), False, "元旦")
    assert D(2025, 1, 2) not in days
    assert days[D(2025, 10, 8)].name == "国庆节、中秋节"
    assert days[D(2025, 5, 31)].name == "端午节"  # a range across months: 5月31日至6月2日
    assert days[D(2025, 6, 2)].name == "端午节"


def test_a_december_date_in_the_new_years_item_is_the_previous_december():
    # given the 2019 style: the holiday starts in the old year
    text = "一、元旦：12月30日（周日）至1月1日（周二）放假调休，共3天。12月29日（周六）上班。"
    # when
    days = parse_notice(text, year=2019)
    # then
    assert [(day.date, day.is_workday) for day in days] == [
        (D(2018, 12, 29), True),
        (D(2018, 12, 30), False),
        (D(2018, 12, 31), False),
        (D(2019, 1, 1), False),
    ]


def test_a_date_with_its_year_written_out_keeps_that_year():
    # given
    text = "一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。"
    # when
    days = parse_notice(text, year=2019)
    # then
    assert days[0] == ScheduleDay(D(2018, 12, 29), True, "元旦调休上班")
    assert days[-1].date == D(2019, 1, 1)


def test_the_previous_years_notice_pasted_on_the_wrong_page_is_refused_line_by_line():
    # given the 2025 notice pasted for 2026
    # when
    with pytest.raises(ScheduleError) as refused:
        parse_notice(notice(2025), year=2026)
    # then
    problems = refused.value.problems
    assert problems[0] == "第1行：这是2025年的通知，不是2026年的。"
    assert "第7行：通知说1月1日是周三，但在2026年它是周四：是否贴了另一年的通知？" in problems


def test_a_day_count_that_disagrees_with_the_dates_names_the_line():
    # given "共8天" for a run of 7 days, on the second line
    text = "一、元旦：1月1日至3日放假调休，共3天。\n二、国庆节：10月1日至7日放假调休，共8天。"
    # when
    with pytest.raises(ScheduleError) as refused:
        parse_notice(text, year=2026)
    # then
    assert refused.value.problems == ["第2行：通知说放假8天，但所列日期共7天。"]


def test_an_impossible_date_names_the_line():
    # given
    text = "一、春节：2月30日至3月2日放假，共3天。"
    # when
    with pytest.raises(ScheduleError) as refused:
        parse_notice(text, year=2027)
    # then
    assert refused.value.problems == ["第1行：“2月30日”不是有效日期。"]


def test_text_without_a_numbered_item_is_refused_with_an_example():
    # given / when
    with pytest.raises(ScheduleError) as refused:
        parse_notice("放假安排还没有公布", year=2027)
    # then
    assert refused.value.problems[0].startswith("没有找到节假日")


def test_the_csv_gives_the_days_of_its_rows():
    # given
    content = "日期,类型,名称\n2027-01-01,休息日,元旦\n2027-01-04,上班日,\n".encode("utf-8-sig")
    # when
    days = parse_schedule_csv(content, year=2027)
    # then
    assert days == [
        ScheduleDay(D(2027, 1, 1), False, "元旦"),
        ScheduleDay(D(2027, 1, 4), True, "调休上班"),
    ]


def test_a_csv_saved_by_excel_in_gb18030_is_read():
    # given
    content = "日期,类型,名称\n2027-10-01,休息日,国庆节\n".encode("gb18030")
    # when / then
    assert parse_schedule_csv(content, year=2027)[0].name == "国庆节"


def test_every_bad_csv_row_is_named_with_its_problem():
    # given rows 2 and 4 wrong, row 3 right, row 5 outside the year
    content = (
        "日期,类型,名称\n"
        "2027-02-30,休息日,春节\n"
        "2027-02-06,上班日,春节调休上班\n"
        "2027-02-07,补班,\n"
        "2028-01-01,休息日,元旦\n"
    )
    # when
    with pytest.raises(ScheduleError) as refused:
        parse_schedule_csv(content, year=2027)
    # then
    assert refused.value.problems == [
        "第2行：日期“2027-02-30”不是像2027-01-01这样的日期。",
        "第4行：类型“补班”必须是休息日或上班日。",
        "第5行：2028年1月1日不在2027年的安排中。",
    ]


def test_a_csv_without_the_type_column_is_refused_at_its_header():
    # given / when
    with pytest.raises(ScheduleError) as refused:
        parse_schedule_csv("日期,名称\n2027-01-01,元旦\n", year=2027)
    # then
    assert refused.value.problems == ["第1行：缺少列 类型（应为：日期、类型、名称）。"]


def test_a_date_given_both_as_day_off_and_working_day_is_refused():
    # given
    content = "日期,类型,名称\n2027-01-01,休息日,元旦\n2027-01-01,上班日,\n"
    # when
    with pytest.raises(ScheduleError) as refused:
        parse_schedule_csv(content, year=2027)
    # then
    assert refused.value.problems == ["第2行：2027年1月1日既被列为休息日又被列为上班日。"]


def test_the_days_written_as_csv_read_back_the_same():
    # given
    days = parse_notice(notice(2026), year=2026)
    # when / then
    assert parse_schedule_csv(schedule_csv(days), year=2026) == days
