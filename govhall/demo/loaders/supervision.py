"""Demo supervision: the December 2016 runs of `supervise` over the demo hall's cases, so the
dashboard shows the yellow and red cards of the bulletin's month with their history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from govhall.core.calendar import get_calendar
from govhall.demo.data.org import DEMO_CENTER
from govhall.org.models import Center
from govhall.supervision.models import Warning
from govhall.supervision.services import supervise_day

FIRST_DAY, LAST_DAY = dt.date(2016, 12, 1), dt.date(2016, 12, 31)


def load_supervision_demo(stdout: Any) -> None:
    """Run the daily check on every working day of December 2016 (idempotent, like the command)."""
    center = Center.objects.filter(name=DEMO_CENTER).first()
    if center is None or Warning.objects.filter(center=center).exists():
        return
    calendar = get_calendar(center)
    issued, day = 0, FIRST_DAY
    while day <= LAST_DAY:
        if calendar.is_workday(day):
            issued += len(supervise_day(by=None, center=center, on=day).issued)
        day += dt.timedelta(days=1)
    stdout.write(f"电子监察：2016年12月 {issued} 张预警牌")
