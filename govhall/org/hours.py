"""The hall's hours as the working-time engine wants them."""

from __future__ import annotations

from govhall.core.worktime import DayHours, HoursOf, HoursVariant, seasonal_hours
from govhall.org.models import Center, HallHours


def hours_of(center: Center) -> HoursOf:
    """A function date → that day's hours for the center (default 8:30–12:00, 14:30–17:30)."""
    variants = [
        HoursVariant(
            h.from_month,
            h.from_day,
            DayHours(h.morning_start, h.morning_end, h.afternoon_start, h.afternoon_end),
        )
        for h in HallHours.objects.filter(center=center)
    ]
    return seasonal_hours(variants)
