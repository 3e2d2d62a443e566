"""电子监察 for one day: record the day's yellow and red cards, alert the units, and report.

Idempotent, so a timer can run it every morning (and again after a failure) safely.
"""

from __future__ import annotations

import datetime as dt
import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.workdays import FIRST_DATE, LAST_DATE
from govhall.org.selectors import center_for_command
from govhall.supervision.selectors import DayWarning
from govhall.supervision.services import supervise_day

LEVEL_NAMES = {"red": "红牌", "yellow": "黄牌"}


def _date(value: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("--date “{value}” is not a date: use YYYY-MM-DD.").format(value=value)
        ) from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise CommandError(
            _("--date {value} is outside the calendar ({first} to {last}).").format(
                value=value, first=FIRST_DATE, last=LAST_DATE
            )
        )
    return day


def as_json(on: dt.date, warnings: list[DayWarning]) -> str:
    """The contract: {"date", "warnings": [{"case_no", "unit", "item", "deadline", "level"}]}."""
    document = {"date": on.isoformat(), "warnings": [w.as_json() for w in warnings]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def as_text(on: dt.date, warnings: list[DayWarning]) -> str:
    """A plain table for people reading a terminal or a mail."""
    header = ("级别", "办件编号", "单位", "事项", "办结期限")
    rows = [
        (LEVEL_NAMES[w.level], w.case_no, w.unit, w.item, w.deadline.isoformat()) for w in warnings
    ]
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(
            c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True)
        ).rstrip()

    red = sum(1 for w in warnings if w.level == "red")
    out = [f"{on.isoformat()}  红牌 {red}  黄牌 {len(warnings) - red}", ""]
    if rows:
        out += [line(header), line(tuple("-" * w for w in widths)), *(line(r) for r in rows)]
    else:
        out.append("无预警")
    return "\n".join(out) + "\n"


class Command(BaseCommand):
    help = (
        "Deadline warnings (yellow and red cards) on day D: records new cards once, withdraws "
        "those whose cases have closed, alerts the units' staff, and writes the day's list."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--date", metavar="D", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--format", choices=["json", "text"], default="json")
        parser.add_argument("--out", metavar="FILE", help="write here instead of standard output")
        parser.add_argument(
            "--center", metavar="NAME", help="the center (default: the only one in the database)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        on = _date(options["date"]) if options["date"] else timezone.localdate()
        center = center_for_command(options["center"])
        result = supervise_day(by=None, center=center, on=on)
        render = as_json if options["format"] == "json" else as_text
        output = render(on, result.warnings)
        if options["out"]:
            Path(options["out"]).write_text(output, encoding="utf-8")
        else:
            self.stdout.write(output, ending="")
        if options["verbosity"] >= 1:
            self.stderr.write(
                _(
                    "{center} {date}: {issued} new cards, {withdrawn} withdrawn, {alerts} alerts."
                ).format(
                    center=center.name,
                    date=on.isoformat(),
                    issued=len(result.issued),
                    withdrawn=len(result.withdrawn),
                    alerts=result.alerts,
                )
            )
