"""Working-day arithmetic over the official holiday schedule, without the database.

Statutory limits are counted in working days (行政许可法 第四十二条、第八十二条), so every
deadline in the hall is computed here. A calendar is built once from the schedule's
departures from Monday–Friday and then answers each question in O(1): a cumulative count of
working days and the list of working days' positions, both precomputed for 2000–2099.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Iterable, Mapping

FIRST_DATE = dt.date(2000, 1, 1)
LAST_DATE = dt.date(2099, 12, 31)

_FIRST = FIRST_DATE.toordinal()
_SIZE = LAST_DATE.toordinal() - _FIRST + 1


def is_weekday(day: dt.date) -> bool:
    """True from Monday to Friday: the rule every departure in the schedule is relative to."""
    return day.weekday() < 5


def _index(day: dt.date) -> int:
    index = day.toordinal() - _FIRST
    if not 0 <= index < _SIZE:
        raise ValueError(
            f"{day.isoformat()} is outside the working-day calendar "
            f"({FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()})"
        )
    return index


class WorkCalendar:
    """The working days of 2000–2099: Monday–Friday, corrected by the official schedule."""

    __slots__ = ("_known", "_ordinals", "_overrides", "_running", "_work")

    def __init__(self, overrides: Mapping[dt.date, bool], known_years: Iterable[int]) -> None:
        """`overrides` maps a date to True (working) or False (day off); `known_years` are
        the years whose official schedule is complete."""
        self._overrides: dict[dt.date, bool] = dict(overrides)
        self._known = frozenset(known_years)
        work = bytearray(1 if (i + FIRST_DATE.weekday()) % 7 < 5 else 0 for i in range(_SIZE))
        for day, working in self._overrides.items():
            work[_index(day)] = 1 if working else 0
        # running[i]: working days strictly before day i, so any span is one subtraction;
        # ordinals[k]: position of the k-th working day (0-based), so "the Nth after" is a lookup.
        running = array("l", [0]) * (_SIZE + 1)
        ordinals = array("l")
        count = 0
        for i, flag in enumerate(work):
            running[i] = count
            if flag:
                ordinals.append(i)
                count += 1
        running[_SIZE] = count
        self._work = bytes(work)
        self._running = running
        self._ordinals = ordinals

    def __repr__(self) -> str:
        return f"<WorkCalendar {len(self._overrides)} overrides, {len(self._known)} known years>"

    def is_known(self, year: int) -> bool:
        """Whether the year's official schedule is complete (otherwise Monday–Friday applies)."""
        return year in self._known

    @property
    def known_years(self) -> frozenset[int]:
        return self._known

    def override(self, day: dt.date) -> bool | None:
        """The schedule's word on a day: True working, False off, None if it follows Mon–Fri."""
        return self._overrides.get(day)

    def is_workday(self, day: dt.date) -> bool:
        return bool(self._work[_index(day)])

    def add(self, day: dt.date, n: int) -> dt.date:
        """The Nth working day after `day` (`day` itself is not counted; n=0 gives `day`)."""
        if n < 0:
            raise ValueError(f"n must not be negative, got {n}")
        index = _index(day)
        if n == 0:
            return day
        target = self._running[index + 1] + n - 1
        if target >= len(self._ordinals):
            raise ValueError(
                f"{n} working days after {day.isoformat()} is beyond {LAST_DATE.isoformat()}"
            )
        return dt.date.fromordinal(_FIRST + self._ordinals[target])

    def between(self, first: dt.date, last: dt.date) -> int:
        """Working days from `first` to `last`, both included; 0 when `last` is before `first`."""
        start, end = _index(first), _index(last)
        if end < start:
            return 0
        return self._running[end + 1] - self._running[start]

    def next_workday(self, day: dt.date) -> dt.date:
        """`day` if it is a working day, else the first working day after it."""
        position = self._running[_index(day)]
        if position >= len(self._ordinals):
            raise ValueError(f"no working day on or after {day.isoformat()} before {LAST_DATE}")
        return dt.date.fromordinal(_FIRST + self._ordinals[position])

    def previous_workday(self, day: dt.date) -> dt.date:
        """`day` if it is a working day, else the last working day before it."""
        position = self._running[_index(day) + 1] - 1
        if position < 0:
            raise ValueError(f"no working day on or before {day.isoformat()} after {FIRST_DATE}")
        return dt.date.fromordinal(_FIRST + self._ordinals[position])
