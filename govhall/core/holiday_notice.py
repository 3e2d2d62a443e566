"""Reading the State Council's holiday schedule (国务院办公厅关于XXXX年部分节假日安排的通知).

Pure functions, no database: the notice pasted as text, or a small CSV (日期, 类型, 名称), becomes
the list of days the calendar services enter. Every problem names its line (or row).

Rules for the notice's dates: a date belongs to the schedule's year unless it says another year
("2018年12月30日至2019年1月1日"); in the New Year's item (元旦) a December date without a year is the
previous December (the only holiday that can start in the old year). The weekday the notice
gives in brackets ("1月1日（周四）") must be the date's weekday: a notice pasted on the wrong
year's page is caught there.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from govhall.core.text import chinese_date

REST, WORK = "休息日", "上班日"
CSV_HEADERS = ("日期", "类型", "名称")
NAME_MAX = 60

_CN_DIGITS = "一二三四五六七八九十"
_ITEM = re.compile(rf"^\s*[{_CN_DIGITS}]+\s*[、.．]\s*(?P<name>[^：:]+?)\s*[：:](?P<body>.*)$")
_TITLE_YEAR = re.compile(r"关于\s*(\d{4})\s*年.*节假日")
_DATE = re.compile(
    r"(?:(?P<year>\d{4})\s*年)?\s*(?:(?P<month>\d{1,2})\s*月)?\s*(?P<day>\d{1,2})\s*日"
    r"(?:\s*[（(](?P<note>[^）)]*)[）)])?"
)
_CSV_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")
_TOTAL = re.compile(r"共\s*(\d+)\s*天")
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEKDAY_IN_NOTE = re.compile(r"(?:周|星期)([一二三四五六日天])")


@dataclass(frozen=True)
class ScheduleDay:
    """One day of the schedule: a holiday (day off) or an adjusted working day (调休上班)."""

    date: dt.date
    is_workday: bool
    name: str

    @property
    def kind(self) -> str:
        return WORK if self.is_workday else REST


class ScheduleError(ValueError):
    """The text or file cannot be read; `problems` are messages, each naming its line or row."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _weekday_name(day: dt.date) -> str:
    return "周" + "一二三四五六日"[day.weekday()]


class _Line:
    """Problems of one line of the notice, each prefixed with its number."""

    def __init__(self, number: int, problems: list[str]) -> None:
        self.number = number
        self.problems = problems

    def refuse(self, message: str) -> None:
        self.problems.append(_("Line {line}: {problem}").format(line=self.number, problem=message))


def _dates_of(
    sentence: str, *, year: int, new_year: bool, line: _Line
) -> list[tuple[dt.date, bool]] | None:
    """The dates of one sentence, each with whether it ends a range ("至") begun by the one
    before; None when one of them is not a date (the problem is recorded)."""
    found: list[tuple[dt.date, bool]] = []
    month: int | None = None
    last_end = 0
    for match in _DATE.finditer(sentence):
        between = sentence[last_end : match.start()]
        last_end = match.end()
        if match["month"]:
            month = int(match["month"])
        if month is None:
            line.refuse(_("“{text}” gives no month.").format(text=match.group(0).strip()))
            return None
        if match["year"]:
            day_year = int(match["year"])
        elif new_year and month == 12:
            day_year = year - 1
        else:
            day_year = year
        try:
            day = dt.date(day_year, month, int(match["day"]))
        except ValueError:
            line.refuse(_("“{text}” is not a date.").format(text=match.group(0).strip()))
            return None
        weekday = _WEEKDAY_IN_NOTE.search(match["note"] or "")
        if weekday and _WEEKDAYS[weekday.group(1)] != day.weekday():
            line.refuse(
                _(
                    "the notice says {date} is a {said}, but in {year} it is a {actual}: is this "
                    "the notice for another year?"
                ).format(
                    date=f"{day.month}月{day.day}日",
                    said="周" + weekday.group(1),
                    year=day.year,
                    actual=_weekday_name(day),
                )
            )
            return None
        found.append((day, bool(found) and "至" in between))
    return found


def _item_days(name: str, body: str, *, year: int, line: _Line) -> list[ScheduleDay]:
    """The days of one numbered item: "1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。"."""
    new_year = "元旦" in name
    days: list[ScheduleDay] = []
    for sentence in re.split(r"[。；;]", body):
        is_off, is_work = "放假" in sentence, "上班" in sentence
        if not (is_off or is_work):
            continue
        if is_off and is_work:
            # "1月1日至3日放假调休，共3天，1月4日上班" in one sentence: cut after the days off.
            off_at, work_at = sentence.find("放假"), sentence.find("上班")
            if work_at < off_at:
                cut = work_at + 2
                parts = [(sentence[:cut], True), (sentence[cut:], False)]
            else:
                total = _TOTAL.search(sentence, off_at)
                cut = total.end() if total else off_at + 2
                parts = [(sentence[:cut], False), (sentence[cut:], True)]
        else:
            parts = [(sentence, is_work)]
        for part, working in parts:
            dates = _dates_of(part, year=year, new_year=new_year, line=line)
            if dates is None:
                return []
            if not dates:
                continue
            if working:
                days.extend(ScheduleDay(day, True, f"{name}调休上班") for day, _r in dates)
                continue
            off: list[dt.date] = []
            for day, ends_range in dates:
                if ends_range:
                    start = off[-1]
                    if day <= start or (day - start).days > 31:
                        line.refuse(
                            _("the range {start} to {end} is not a run of days.").format(
                                start=chinese_date(start), end=chinese_date(day)
                            )
                        )
                        return []
                    off.extend(
                        start + dt.timedelta(days=n) for n in range(1, (day - start).days + 1)
                    )
                else:
                    off.append(day)
            total = _TOTAL.search(part)
            if total and int(total.group(1)) != len(off):
                line.refuse(
                    _("the notice says {said} days off, but its dates give {counted}.").format(
                        said=total.group(1), counted=len(off)
                    )
                )
                return []
            days.extend(ScheduleDay(day, False, name) for day in off)
    if not days:
        line.refuse(_("no day off or working day found in “{name}”.").format(name=name))
    return days


def _check_years(days: list[ScheduleDay], year: int, where: dict[dt.date, str]) -> list[str]:
    problems = []
    for day in days:
        previous_december = day.date.year == year - 1 and day.date.month == 12
        if day.date.year != year and not previous_december:
            problems.append(
                _("{where}: {date} is not in the {year} schedule.").format(
                    where=where[day.date], date=chinese_date(day.date), year=year
                )
            )
    return problems


def _merge(days: list[ScheduleDay], where: dict[dt.date, str]) -> list[ScheduleDay]:
    """The days by date; a date given twice with different kinds is refused."""
    by_date: dict[dt.date, ScheduleDay] = {}
    problems = []
    for day in days:
        seen = by_date.get(day.date)
        if seen is not None and seen.is_workday != day.is_workday:
            problems.append(
                _("{where}: {date} is given both as a day off and as a working day.").format(
                    where=where[day.date], date=chinese_date(day.date)
                )
            )
        by_date.setdefault(day.date, day)
    if problems:
        raise ScheduleError(problems)
    return sorted(by_date.values(), key=lambda day: day.date)


def parse_notice(text: str, *, year: int) -> list[ScheduleDay]:
    """The days of the State Council's notice for `year`, pasted as text (the numbered items;
    the title, greeting and closing lines may be pasted too and are skipped)."""
    problems: list[str] = []
    days: list[ScheduleDay] = []
    where: dict[dt.date, str] = {}
    items = 0
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line_text = raw.strip().replace("\u3000", " ")
        if not line_text:
            continue
        title = _TITLE_YEAR.search(line_text)
        if title and int(title.group(1)) != year:
            problems.append(
                _("Line {line}: this is the notice for {found}, not {year}.").format(
                    line=number, found=title.group(1), year=year
                )
            )
            continue
        item = _ITEM.match(line_text)
        if item is None:
            continue  # title, greeting, closing words, signature
        items += 1
        line = _Line(number, problems)
        name = item["name"].strip()
        if len(name) > NAME_MAX - len("调休上班"):
            line.refuse(_("the holiday's name is too long."))
            continue
        for day in _item_days(name, item["body"], year=year, line=line):
            where.setdefault(day.date, _("Line {line}").format(line=number))
            days.append(day)
    if not problems and not items:
        problems.append(
            _(
                "No holiday found: paste the notice's numbered items, for example "
                "“一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。”"
            )
        )
    problems += _check_years(days, year, where)
    if problems:
        raise ScheduleError(problems)
    return _merge(days, where)


def _csv_date(value: str) -> dt.date | None:
    """2027-01-01 (or 2027/1/1, as Excel may write it); None when it is not a date."""
    match = _CSV_DATE.fullmatch(value)
    if match is None:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def parse_schedule_csv(content: bytes | str, *, year: int) -> list[ScheduleDay]:
    """The days of a small CSV with the columns 日期 (YYYY-MM-DD), 类型 (休息日 / 上班日) and 名称;
    UTF-8 (with or without BOM) or GB18030, as Excel saves it on Chinese Windows."""
    if isinstance(content, bytes):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = content.decode("gb18030")
            except UnicodeDecodeError:
                raise ScheduleError([_("The file is not a CSV text file.")]) from None
    else:
        text = content.lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    while rows and not any(cell.strip() for cell in rows[0]):
        rows.pop(0)
    if not rows:
        raise ScheduleError([_("The file is empty.")])
    header = [cell.strip() for cell in rows[0]]
    missing = [column for column in CSV_HEADERS[:2] if column not in header]
    if missing:
        raise ScheduleError(
            [
                _("Row 1: the columns {missing} are missing (expected: {expected}).").format(
                    missing="、".join(missing), expected="、".join(CSV_HEADERS)
                )
            ]
        )
    at = {column: header.index(column) for column in CSV_HEADERS if column in header}
    problems: list[str] = []
    days: list[ScheduleDay] = []
    where: dict[dt.date, str] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(column: str, row: list[str] = row) -> str:
            index = at.get(column)
            return row[index].strip() if index is not None and index < len(row) else ""

        row_problems = []
        value = cell("日期")
        date = _csv_date(value)
        if date is None:
            row_problems.append(
                _("日期 “{value}” is not a date like 2027-01-01.").format(value=value)
            )
        kind = cell("类型")
        if kind not in (REST, WORK):
            row_problems.append(
                _("类型 “{value}” must be {rest} or {work}.").format(
                    value=kind, rest=REST, work=WORK
                )
            )
        name = cell("名称")
        if len(name) > NAME_MAX:
            row_problems.append(_("名称 is longer than {n} characters.").format(n=NAME_MAX))
        if row_problems:
            problems += [
                _("Row {row}: {problem}").format(row=number, problem=problem)
                for problem in row_problems
            ]
            continue
        if date is None:  # pragma: no cover — reported above
            continue
        if not name:
            name = "调休上班" if kind == WORK else "休息日"
        where.setdefault(date, _("Row {row}").format(row=number))
        days.append(ScheduleDay(date, kind == WORK, name))
    if not problems and not days:
        problems.append(_("The file has no days below its header row."))
    problems += _check_years(days, year, where)
    if problems:
        raise ScheduleError(problems)
    return _merge(days, where)


def schedule_csv(days: list[ScheduleDay]) -> str:
    """The days as the CSV `parse_schedule_csv` reads (the preview carries it to the confirm)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADERS)
    for day in days:
        writer.writerow([day.date.isoformat(), day.kind, day.name])
    return out.getvalue()
