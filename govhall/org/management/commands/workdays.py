"""Working-day arithmetic from the command line, on the calendar the hall uses."""

from __future__ import annotations

import datetime as dt
from argparse import SUPPRESS, ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from govhall.core.calendar import get_calendar
from govhall.core.workdays import FIRST_DATE, LAST_DATE, WorkCalendar
from govhall.org.models import Center
from govhall.org.selectors import center_by_name


def _date(value: str, argument: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("{argument} “{value}” is not a date: use YYYY-MM-DD.").format(
                argument=argument, value=value
            )
        ) from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise CommandError(
            _("{argument} {value} is outside the calendar ({first} to {last}).").format(
                argument=argument, value=value, first=FIRST_DATE, last=LAST_DATE
            )
        )
    return day


def _count(value: str, argument: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = -1
    if n < 0:
        raise CommandError(
            _("{argument} “{value}” is not a number of working days (0 or more).").format(
                argument=argument, value=value
            )
        )
    return n


def _add_center(parser: ArgumentParser) -> None:
    # Accepted before or after the action (`workdays --center 甲 add …`, `workdays add … --center 甲`).
    parser.add_argument(
        "--center",
        metavar="NAME",
        default=SUPPRESS,
        help="count on this center's calendar: the national schedule with the center's own days "
        "(default: the only center in the database; the national schedule when there is none)",
    )


class Command(BaseCommand):
    help = (
        "Working-day arithmetic on a center's calendar (the official holiday schedule with the "
        "center's own days). "
        "'workdays add DATE N' prints the Nth working day after DATE (DATE itself not counted); "
        "'workdays between A B' prints the number of working days from A to B, both included."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        _add_center(parser)
        actions = parser.add_subparsers(dest="action", metavar="{add,between}", required=True)
        add = actions.add_parser("add", help="The Nth working day after DATE.")
        _add_center(add)
        add.add_argument("date", metavar="DATE", help="YYYY-MM-DD")
        add.add_argument("n", metavar="N", help="working days to add (0 or more)")
        between = actions.add_parser("between", help="Working days from A to B, both included.")
        _add_center(between)
        between.add_argument("first", metavar="A", help="YYYY-MM-DD")
        between.add_argument("last", metavar="B", help="YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options.get("center")
        center = center_by_name(name)
        if center is None and name:
            raise CommandError(_("No center is named {name}.").format(name=name))
        if center is None and Center.objects.exists():
            raise CommandError(_("The database holds several centers: name one with --center."))
        calendar = get_calendar(center)
        if options["action"] == "add":
            start = _date(options["date"], "DATE")
            n = _count(options["n"], "N")
            try:
                result = calendar.add(start, n)
            except ValueError as error:
                raise CommandError(str(error)) from None
            self._warn_unknown(calendar, start, result)
            self.stdout.write(result.isoformat())
        else:
            first = _date(options["first"], "A")
            last = _date(options["last"], "B")
            self._warn_unknown(calendar, min(first, last), max(first, last))
            self.stdout.write(str(calendar.between(first, last)))

    def _warn_unknown(self, calendar: WorkCalendar, first: dt.date, last: dt.date) -> None:
        unknown = [y for y in range(first.year, last.year + 1) if not calendar.is_known(y)]
        if unknown:
            self.stderr.write(
                _(
                    "Warning: the official holiday schedule for {years} has not been entered; "
                    "Monday to Friday is assumed."
                ).format(years=", ".join(str(y) for y in unknown))
            )
