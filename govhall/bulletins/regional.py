"""The regional bulletin's figures (区域通报): one row per center under a region, ranked, with
last month beside it. Pure types and rules; `selectors.region_figures` fills them with what each
center's `figures()` gives, read for all the centers at once, and the renderers only format them.

Definitions (docs/regions.md):
- on_time_rate — promised cases completed in the month by their deadline, in percent of the
  promised cases completed in the month (one decimal); None when none was completed.
- satisfaction — valid ratings of the month at 非常满意, 满意 or 基本满意, in percent of the
  month's valid ratings (one decimal); None without ratings.
- patrol_rate — units whose leader signed in at least once in the month (巡查签到), in percent
  of the hall's units that month (those signed in, and the others active and stationed by the
  month's end); None for a hall without units.
- red_cards / yellow_cards — the deadline warnings issued in the month (电子监察).
- vacancies — the A/B vacancies (空岗) recorded in the month.
- average_wait — minutes from taking a number to its first call, over the month's numbers
  (排队叫号); None for a hall that issued none.

Ranking: on-time rate, highest first; then satisfaction, highest first; then cases accepted,
most first; then the center's name. A rate that is None ranks after every number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from govhall.bulletins.types import number_json

# The keys of a center's row in `bulletin --region --format json` (DESIGN.md §5), in order.
CENTER_KEYS = (
    "center", "accepted", "completed", "on_time_rate", "satisfaction", "red_cards",
    "yellow_cards", "patrol_rate",
)  # fmt: skip
# The region's word in the title: 全市政务服务中心运行情况通报.
SCOPE_WORD = {"province": "全省", "city": "全市", "county": "全县"}


def patrol_rate(signed: int, units: int) -> Decimal | None:
    """Signed units in percent of the units (one decimal, half up); None without units."""
    if not units:
        return None
    return (Decimal(100 * signed) / units).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CenterMonth:
    """One center's month as the region compares it."""

    center: str
    center_id: int
    accepted: int = 0
    completed: int = 0
    on_time_rate: Decimal | None = None
    satisfaction: Decimal | None = None
    red_cards: int = 0
    yellow_cards: int = 0
    patrol_rate: Decimal | None = None
    vacancies: int = 0
    average_wait: float | None = None  # minutes to the first call; None without the queue

    @property
    def has_records(self) -> bool:
        return bool(self.accepted or self.completed)


def rank_key(row: CenterMonth) -> tuple[Any, ...]:
    """The ranking rule of the module's docstring, as a sort key."""
    return (
        row.on_time_rate is None,
        -(row.on_time_rate or 0),
        row.satisfaction is None,
        -(row.satisfaction or 0),
        -row.accepted,
        row.center,
    )


def _change(now: Decimal | int | None, before: Decimal | int | None) -> Decimal | int | None:
    if now is None or before is None:
        return None
    return now - before


@dataclass(frozen=True)
class RankedCenter:
    """A center's place in the region's month, with last month's figures beside it."""

    rank: int
    now: CenterMonth
    before: CenterMonth

    @property
    def accepted_change(self) -> int | None:
        return _change(self.now.accepted, self.before.accepted)  # type: ignore[return-value]

    @property
    def completed_change(self) -> int | None:
        return _change(self.now.completed, self.before.completed)  # type: ignore[return-value]

    @property
    def on_time_change(self) -> Decimal | None:
        return _change(self.now.on_time_rate, self.before.on_time_rate)  # type: ignore[return-value]

    @property
    def satisfaction_change(self) -> Decimal | None:
        return _change(self.now.satisfaction, self.before.satisfaction)  # type: ignore[return-value]

    def as_json(self) -> dict[str, Any]:
        """The contract's row (CENTER_KEYS)."""
        row = self.now
        return {
            "center": row.center,
            "accepted": row.accepted,
            "completed": row.completed,
            "on_time_rate": number_json(row.on_time_rate),
            "satisfaction": number_json(row.satisfaction),
            "red_cards": row.red_cards,
            "yellow_cards": row.yellow_cards,
            "patrol_rate": number_json(row.patrol_rate),
        }

    def as_api_json(self) -> dict[str, Any]:
        """The contract's row, then the rank, vacancies and last month's change."""
        return {
            **self.as_json(),
            "center_id": self.now.center_id,
            "rank": self.rank,
            "vacancies": self.now.vacancies,
            "average_wait_minutes": self.now.average_wait,
            "change": {
                "accepted": self.accepted_change,
                "completed": self.completed_change,
                "on_time_rate": number_json(self.on_time_change),
                "satisfaction": number_json(self.satisfaction_change),
            },
        }


def rank(rows: list[CenterMonth], before: dict[int, CenterMonth]) -> tuple[RankedCenter, ...]:
    """The centers in ranking order, numbered from 1 (equal keys share nothing: the name
    decides), each with its previous month (an empty month when it has none)."""
    ordered = sorted(rows, key=rank_key)
    return tuple(
        RankedCenter(index, row, before.get(row.center_id, CenterMonth(row.center, row.center_id)))
        for index, row in enumerate(ordered, start=1)
    )


@dataclass(frozen=True)
class RegionFigures:
    """The region's month: every center under it, ranked."""

    region: str
    region_id: int
    kind: str
    short_name: str
    month: dt.date
    centers: tuple[RankedCenter, ...] = ()

    @property
    def number(self) -> int:
        """One issue a month: December's is 第12期."""
        return self.month.month

    @property
    def issue(self) -> str:
        return f"{self.short_name}【{self.month.year}】第{self.number}期"

    @property
    def title(self) -> str:
        return f"{SCOPE_WORD.get(self.kind, '')}政务服务中心运行情况通报"

    @property
    def accepted(self) -> int:
        return sum(c.now.accepted for c in self.centers)

    @property
    def completed(self) -> int:
        return sum(c.now.completed for c in self.centers)

    @property
    def red_cards(self) -> int:
        return sum(c.now.red_cards for c in self.centers)

    @property
    def yellow_cards(self) -> int:
        return sum(c.now.yellow_cards for c in self.centers)

    @property
    def has_records(self) -> bool:
        return any(c.now.has_records for c in self.centers)

    def summary(self) -> str:
        """The opening sentence: 2016年12月，全市3个政务服务中心共受理办件…件，办结…件。"""
        text = (
            f"{self.month.year}年{self.month.month}月，{SCOPE_WORD.get(self.kind, '')}"
            f"{len(self.centers)}个政务服务中心共受理办件{self.accepted}件，办结{self.completed}件"
        )
        if self.red_cards or self.yellow_cards:
            text += f"，电子监察亮红牌{self.red_cards}张、黄牌{self.yellow_cards}张"
        return text + "。"

    def as_json(self) -> dict[str, Any]:
        """`bulletin YYYY-MM --region NAME --format json`: the contract's keys, ranked."""
        return {
            "region": self.region,
            "month": f"{self.month:%Y-%m}",
            "centers": [c.as_json() for c in self.centers],
        }

    def as_api_json(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "region_id": self.region_id,
            "month": f"{self.month:%Y-%m}",
            "issue": self.issue,
            "centers": [c.as_api_json() for c in self.centers],
        }
