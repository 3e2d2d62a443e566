"""空岗 for one day: record each post whose holder and backup were both away with nobody named to
cover. Idempotent, so a timer can run it every evening (and again after a failure) safely."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.workdays import FIRST_DATE, LAST_DATE
from govhall.org.models import Center
from govhall.org.selectors import center_by_name
from govhall.staffing.services import vacancies_record


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


class Command(BaseCommand):
    help = (
        "Record the vacancies (空岗) of day D: posts whose holder and backup were both away "
        "(leave, outing, no punch all day) with nobody named to cover. Without --center, every "
        "active center."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--center", help="center name (default: every active center)")

    def handle(self, *args: Any, date: str | None, center: str | None, **options: Any) -> None:
        day = _date(date) if date else timezone.localdate()
        if center:
            target = center_by_name(center)
            if target is None:
                raise CommandError(_("No center is named “{name}”.").format(name=center))
            centers = [target]
        else:
            centers = list(Center.objects.filter(is_active=True))
        for hall in centers:
            found = vacancies_record(center=hall, date=day)
            self.stdout.write(f"{hall.name} {day.isoformat()}: {len(found)} 空岗")
            for v in sorted(found, key=lambda v: (v.unit.position, v.window_id)):
                self.stdout.write(f"  {v.window}  {v.get_half_display()}  {v.reason}")
