"""Reads of bulletins: which ones a person sees, and the document each state of one makes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from govhall.bulletins import rollup
from govhall.bulletins.choices import BulletinStatus
from govhall.bulletins.figures import figures
from govhall.bulletins.models import Bulletin, BulletinVersion
from govhall.bulletins.regional import CenterMonth, RegionFigures, patrol_rate, rank
from govhall.bulletins.text import Document, Texts, build_document
from govhall.bulletins.types import MonthFigures
from govhall.cases.selectors import month_consultations_by_unit
from govhall.core.access import Viewer
from govhall.core.months import month_start, shift_month
from govhall.feedback.rules import satisfaction_rate as rate_of
from govhall.feedback.selectors import satisfaction_total
from govhall.org.models import Center, Region, Unit
from govhall.org.scoping import scope_for, scoped
from govhall.org.selectors import region_centers
from govhall.oversight import selectors as oversight
from govhall.queueing.selectors import month as queueing
from govhall.staffing import selectors as staffing
from govhall.supervision.selectors import COUNTED, month_unit_stats

EDIT = "bulletins.change_bulletin"


def sees_drafts(user: Viewer, center: Center) -> bool:
    """The office works on drafts; supervisors and leaders read what was published."""
    return user is not None and scope_for(user).allows(EDIT, center.pk)


def own_unit_names(user: Viewer, center: Center) -> list[str]:
    """The units a chief, window or leader account works for in the center (none for the office
    and supervisors, who read the whole center)."""
    scope = scope_for(user)
    if scope.everything or center.pk in scope.wide_center_ids:
        return []
    ids = {g.unit_id for g in scope.grants if g.center_id == center.pk and g.unit_id is not None}
    return list(Unit.objects.filter(pk__in=ids).values_list("name", flat=True))


def bulletin_list(*, user: Viewer, center: Center) -> QuerySet[Bulletin]:
    bulletins = scoped(Bulletin.objects.filter(center=center), user, unit=None)
    if not sees_drafts(user, center):
        bulletins = bulletins.filter(status=BulletinStatus.PUBLISHED)
    return bulletins.order_by("-year", "-number")


def bulletin_get(*, user: Viewer, center: Center, pk: int) -> Bulletin | None:
    return bulletin_list(user=user, center=center).filter(pk=pk).first()


def bulletin_for_month(*, center: Center, month: dt.date) -> Bulletin | None:
    return Bulletin.objects.filter(center=center, month=month_start(month)).first()


def latest_version(bulletin: Bulletin) -> BulletinVersion | None:
    return bulletin.versions.order_by("-version").first()


def texts_of(item: Bulletin | BulletinVersion) -> Texts:
    return Texts(
        title=item.title,
        intro=item.intro,
        problems=item.problems,
        plans=item.plans,
        copy_to=item.copy_to,
    )


def version_document(version: BulletinVersion) -> Document:
    """A published version exactly as it was frozen."""
    return build_document(
        MonthFigures.from_json(version.figures), texts_of(version), issued_on=version.issued_on
    )


def draft_document(bulletin: Bulletin, *, today: dt.date | None = None) -> Document:
    """The working state: today's figures with the office's current texts."""
    live = figures(bulletin.center, bulletin.month, number=bulletin.number)
    issued_on = bulletin.issued_on or today or timezone.localdate()
    return build_document(live, texts_of(bulletin), issued_on=issued_on)


def bulletin_document(bulletin: Bulletin, *, today: dt.date | None = None) -> Document:
    """What the bulletin reads now: its latest published version, else its draft."""
    version = latest_version(bulletin) if bulletin.is_published else None
    if version is not None:
        return version_document(version)
    return draft_document(bulletin, today=today)


def month_document(
    *, center: Center, month: dt.date | str, today: dt.date | None = None
) -> Document:
    """The month's bulletin: the issue when the office has made one, else a draft from the
    figures alone (the next issue number, generated texts)."""
    month = month_start(month)
    bulletin = bulletin_for_month(center=center, month=month)
    if bulletin is not None:
        return bulletin_document(bulletin, today=today)
    live = figures(center, month)
    return build_document(live, Texts.drafts(live), issued_on=today or timezone.localdate())


# --- many centers at once (a region's ranking) -------------------------------------------------


@dataclass(frozen=True)
class CenterMonthCounts:
    """One center's month, as the bulletin counts it: cases, timeliness, cards, consultations
    and valid ratings by level (satisfied = 非常满意 + 满意 + 基本满意)."""

    center_id: int
    accepted: int = 0
    completed: int = 0
    completed_immediate: int = 0
    completed_promised: int = 0
    rejected: int = 0
    on_time: int = 0
    early: int = 0
    promised_workdays: int = 0
    overdue: int = 0
    yellow: int = 0
    red: int = 0
    consultations: int = 0
    very_satisfied: int = 0
    satisfied: int = 0
    basic: int = 0
    dissatisfied: int = 0
    very_dissatisfied: int = 0
    from_counters: bool = True  # False: counted from the records (the current month)

    @property
    def ratings(self) -> int:
        return (
            self.very_satisfied
            + self.satisfied
            + self.basic
            + self.dissatisfied
            + self.very_dissatisfied
        )

    @property
    def on_time_rate(self) -> Decimal | None:
        """Percent of completed promised cases done by their deadline (one decimal)."""
        return _percent(self.on_time, self.completed_promised)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        """满意率 in percent, as the bulletin gives it (None without ratings)."""
        return rate_of(self.very_satisfied + self.satisfied + self.basic, self.ratings)


COUNT_FIELDS = tuple(f.name for f in fields(CenterMonthCounts))[1:-1]


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def centers_month_counts(
    center_ids: Sequence[int], month: dt.date | str
) -> dict[int, CenterMonthCounts]:
    """center id → its figures for `month`, for a region's ranking: every center whose day
    counters hold the month in one query over them (docs/performance.md); a center whose
    counters do not (the current month, a center not rolled yet) counted from its records.
    Not scoped: the caller decides who may see which centers."""
    month = month_start(month)
    rolled = rollup.months_counts(list(center_ids), month)
    result: dict[int, CenterMonthCounts] = {}
    for center_id, counts in rolled.items():
        totals: dict[str, Any] = {key: counts.total(key) for key in COUNT_FIELDS}
        result[center_id] = CenterMonthCounts(center_id, **totals)
    for center in Center.objects.filter(pk__in=[c for c in center_ids if c not in rolled]):
        result[center.pk] = _live_counts(center, month)
    return result


def _live_counts(center: Center, month: dt.date) -> CenterMonthCounts:
    stats = month_unit_stats(user=None, center=center, month=month)
    values: dict[str, Any] = {key: sum(getattr(r, key) for r in stats) for key in COUNTED}
    ratings = satisfaction_total(center=center, month=month)
    consulted = month_consultations_by_unit(center=center, month=month)
    return CenterMonthCounts(
        center.pk,
        **values,
        consultations=sum(consulted.values()),
        **{key: getattr(ratings, key) for key in rollup.LEVELS},
        from_counters=False,
    )


# --- regions ---------------------------------------------------------------------------------


def centers_month(centers: Sequence[Center], month: dt.date) -> dict[int, CenterMonth]:
    """center id → its month as the region compares it: the figures its own bulletin gives,
    read for all the centers at once (a few grouped queries, whatever their number)."""
    ids = [c.pk for c in centers]
    counts = centers_month_counts(ids, month)
    patrols = oversight.centers_patrol_counts(ids, month)
    vacancies = staffing.centers_vacancy_totals(ids, month)
    waits = queueing.centers_average_waits(ids, month)
    rows = {}
    for center in centers:
        found = counts[center.pk]
        rows[center.pk] = CenterMonth(
            center=center.name,
            center_id=center.pk,
            accepted=found.accepted,
            completed=found.completed,
            on_time_rate=found.on_time_rate,
            satisfaction=found.satisfaction_rate,
            red_cards=found.red,
            yellow_cards=found.yellow,
            patrol_rate=patrol_rate(*patrols.get(center.pk, (0, 0))),
            vacancies=vacancies.get(center.pk, 0),
            average_wait=waits.get(center.pk),
        )
    return rows


def region_figures(*, region: Region, month: dt.date | str) -> RegionFigures:
    """The region's month: each center under it, ranked (regional.py), with last month beside."""
    month = month_start(month)
    centers = list(region_centers(region=region))
    rows = centers_month(centers, month)
    before = centers_month(centers, shift_month(month, -1))
    return RegionFigures(
        region=region.name,
        region_id=region.pk,
        kind=region.kind,
        short_name=region.short_name or f"{region.name}政务服务",
        month=month,
        centers=rank(list(rows.values()), before),
    )
