"""Reads of public feedback: lists for the staff pages (scoped to what the person may see) and
the month's figures for the bulletin and scoring (`user` None: the whole center).

Figures run in the database, one query per family: satisfaction by unit, window, staff or
month; complaint and message counts; rectification counts; what stands overdue on a day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import reverse
from django.utils import timezone

from govhall.core.access import Viewer
from govhall.core.months import local_start, month_bounds, shift_month
from govhall.feedback.choices import (
    FeedbackKind,
    FeedbackStatus,
    Finding,
    FollowUpResult,
    RatingLevel,
    RatingReview,
    RectificationStatus,
)
from govhall.feedback.models import Feedback, FeedbackSettings, Rating, Rectification
from govhall.feedback.rules import satisfaction_rate
from govhall.org.models import Center
from govhall.org.scoping import scoped

By = Literal["unit", "window", "staff"]


def settings_of(center: Center) -> FeedbackSettings:
    """The center's limits (the defaults, unsaved, until the office changes them)."""
    row = FeedbackSettings.objects.filter(center=center).first()
    return row if row is not None else FeedbackSettings(center=center)


# --- lists ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingFilters:
    month: dt.date | None = None
    unit_id: int | None = None
    level: int | None = None
    channel: str = ""
    review: str = ""  # a RatingReview value, or "bad" for every 差评


def rating_list(*, user: Viewer, center: Center, filters: RatingFilters) -> QuerySet[Rating]:
    ratings = scoped(Rating.objects.filter(center=center), user).select_related(
        "unit", "window", "staff", "case", "case__item", "consultation", "rectification"
    )
    if filters.month is not None:
        start, end = month_bounds(filters.month)
        ratings = ratings.filter(rated_at__gte=start, rated_at__lt=end)
    if filters.unit_id is not None:
        ratings = ratings.filter(unit_id=filters.unit_id)
    if filters.level is not None:
        ratings = ratings.filter(level=filters.level)
    if filters.channel:
        ratings = ratings.filter(channel=filters.channel)
    if filters.review == "bad":
        ratings = ratings.filter(level__in=sorted(RatingLevel.bad()))
    elif filters.review in RatingReview.values:
        ratings = ratings.filter(review=filters.review)
    return ratings.order_by("-rated_at", "-pk")


def rating_get(*, user: Viewer, center: Center, pk: int) -> Rating | None:
    return rating_list(user=user, center=center, filters=RatingFilters()).filter(pk=pk).first()


def rating_of_case(case: Any) -> Rating | None:
    """The case's rating, if it has one (for the case page)."""
    return Rating.objects.filter(case=case).first()


def rectification_list(
    *,
    user: Viewer,
    center: Center,
    status: str = "",
    unit_id: int | None = None,
    overdue_on: dt.date | None = None,
) -> QuerySet[Rectification]:
    """Tasks the person may see (a unit sees its own); `status` "active" means unfinished."""
    tasks = scoped(Rectification.objects.filter(center=center), user).select_related(
        "unit", "rating", "rating__case", "rating__case__item", "rating__staff"
    )
    if status == "active":
        tasks = tasks.filter(status__in=sorted(RectificationStatus.active()))
    elif status:
        tasks = tasks.filter(status=status)
    if unit_id is not None:
        tasks = tasks.filter(unit_id=unit_id)
    if overdue_on is not None:
        tasks = tasks.filter(_task_overdue_q(local_start(overdue_on)))
    return tasks.order_by(F("closed_at").asc(nulls_first=True), "rectify_due", "-opened_at", "-pk")


def rectification_get(*, user: Viewer, center: Center, pk: int) -> Rectification | None:
    return (
        rectification_list(user=user, center=center)
        .select_related("rating__consultation", "rating__window")
        .prefetch_related("follow_ups")
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class FeedbackFilters:
    kind: str = ""
    status: str = ""  # a FeedbackStatus value, or "waiting"
    unit_id: int | None = None
    month: dt.date | None = None
    q: str = ""


def feedback_list(*, user: Viewer, center: Center, filters: FeedbackFilters) -> QuerySet[Feedback]:
    """Complaints and messages the person may see: the office all, a unit those routed to it."""
    items = scoped(Feedback.objects.filter(center=center), user).select_related(
        "unit", "named_unit"
    )
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.status == "waiting":
        items = items.filter(status__in=sorted(FeedbackStatus.waiting()))
    elif filters.status:
        items = items.filter(status=filters.status)
    if filters.unit_id is not None:
        items = items.filter(unit_id=filters.unit_id)
    if filters.month is not None:
        start, end = month_bounds(filters.month)
        items = items.filter(submitted_at__gte=start, submitted_at__lt=end)
    if filters.q:
        items = items.filter(
            Q(code=filters.q.upper())
            | Q(subject__icontains=filters.q)
            | Q(content__icontains=filters.q)
        )
    return items.order_by(F("answer_due").asc(nulls_last=True), "-submitted_at", "-pk")


def feedback_get(*, user: Viewer, center: Center, pk: int) -> Feedback | None:
    return (
        feedback_list(user=user, center=center, filters=FeedbackFilters())
        .prefetch_related("entries")
        .filter(pk=pk)
        .first()
    )


# --- satisfaction -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SatisfactionRow:
    """Valid ratings of one unit, window, staff member or month, by level, and the rate."""

    key: Any
    name: str
    very_satisfied: int = 0
    satisfied: int = 0
    basic: int = 0
    dissatisfied: int = 0
    very_dissatisfied: int = 0

    @property
    def total(self) -> int:
        return (
            self.very_satisfied
            + self.satisfied
            + self.basic
            + self.dissatisfied
            + self.very_dissatisfied
        )

    @property
    def satisfied_count(self) -> int:
        """非常满意 + 满意 + 基本满意."""
        return self.very_satisfied + self.satisfied + self.basic

    @property
    def rate(self) -> Any:
        """满意率 in percent (Decimal, one decimal), None without ratings."""
        return satisfaction_rate(self.satisfied_count, self.total)


LEVEL_COUNTS = {
    "very_satisfied": Count("pk", filter=Q(level=RatingLevel.VERY_SATISFIED)),
    "satisfied": Count("pk", filter=Q(level=RatingLevel.SATISFIED)),
    "basic": Count("pk", filter=Q(level=RatingLevel.BASIC)),
    "dissatisfied": Count("pk", filter=Q(level=RatingLevel.DISSATISFIED)),
    "very_dissatisfied": Count("pk", filter=Q(level=RatingLevel.VERY_DISSATISFIED)),
}


def _valid_ratings(center: Center, user: Viewer) -> QuerySet[Rating]:
    ratings = Rating.objects.filter(center=center).exclude(review=RatingReview.INVALID)
    return scoped(ratings, user) if user is not None else ratings


def _row(key: Any, name: str, values: dict[str, Any]) -> SatisfactionRow:
    return SatisfactionRow(key, name, **{k: values.get(k, 0) for k in LEVEL_COUNTS})


GROUPS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    # by: (key, name columns, ordering)
    "unit": ("unit_id", ("unit__name",), ("unit__position", "unit__sort_key")),
    "window": (
        "window_id",
        ("window__unit__name", "window__name"),
        ("window__unit__position", "window__unit__sort_key", "window__number", "window__name"),
    ),
    "staff": (
        "staff_id",
        ("staff__unit__name", "staff__name"),
        ("staff__unit__position", "staff__unit__sort_key", "staff__sort_key"),
    ),
}


def satisfaction(
    *, center: Center, month: dt.date, by: By = "unit", user: Viewer = None
) -> list[SatisfactionRow]:
    """满意度 of the month's valid ratings per unit, window or staff member (one query), in the
    hall's order; ratings without a window or staff member are left out of those groupings.
    `rate` is None for a row without ratings — no row is listed without them."""
    if by not in GROUPS:
        raise ValueError(f"satisfaction by unit, window or staff, not {by!r}")
    key, names, ordering = GROUPS[by]
    start, end = month_bounds(month)
    rows = (
        _valid_ratings(center, user)
        .filter(rated_at__gte=start, rated_at__lt=end, **{f"{key}__isnull": False})
        .order_by()
        .values(key, *names, *ordering)
        .annotate(**LEVEL_COUNTS)
        .order_by(*ordering)
    )
    return [_row(values[key], _group_name(by, values), values) for values in rows]


def _group_name(by: str, values: dict[str, Any]) -> str:
    """公安局 · 公安局出入境窗口 → 公安局出入境窗口 (as Window names itself); 周晓岚（公安局）."""
    if by == "window":
        unit, window = values["window__unit__name"], values["window__name"]
        return window if window.startswith(unit) else f"{unit}{window}"
    if by == "staff":
        return f"{values['staff__name']}（{values['staff__unit__name']}）"
    return str(values["unit__name"])


def satisfaction_total(*, center: Center, month: dt.date, user: Viewer = None) -> SatisfactionRow:
    """The whole center's satisfaction in the month (one query)."""
    start, end = month_bounds(month)
    values = (
        _valid_ratings(center, user)
        .filter(rated_at__gte=start, rated_at__lt=end)
        .aggregate(**LEVEL_COUNTS)
    )
    return _row(None, center.name, values)


def satisfaction_between(
    *, center: Center, start: dt.datetime, end: dt.datetime
) -> SatisfactionRow:
    """The center's valid ratings given in [start, end), by level (one query): the hall's big
    screen shows the day's."""
    values = (
        _valid_ratings(center, None)
        .filter(rated_at__gte=start, rated_at__lt=end)
        .aggregate(**LEVEL_COUNTS)
    )
    return _row(None, center.name, values)


def satisfaction_by_month(
    *, center: Center, first: dt.date, last: dt.date, user: Viewer = None
) -> list[SatisfactionRow]:
    """The center's satisfaction month by month from `first`'s month to `last`'s (one query);
    `key` is each month's first day, months without ratings are listed empty."""
    start, _end = month_bounds(first)
    _start, end = month_bounds(last)
    rows = (
        _valid_ratings(center, user)
        .filter(rated_at__gte=start, rated_at__lt=end)
        .annotate(month=TruncMonth("rated_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("month")
        .annotate(**LEVEL_COUNTS)
    )
    found = {timezone.localtime(r["month"]).date() if isinstance(r["month"], dt.datetime)
             else r["month"]: r for r in rows}  # fmt: skip
    result = []
    month = first.replace(day=1)
    while month <= last:
        result.append(_row(month, f"{month.year}年{month.month}月", found.get(month, {})))
        month = shift_month(month, 1)
    return result


# --- complaints and messages -------------------------------------------------------------------


def feedback_recorded(*, center: Center, month: dt.date) -> bool:
    """Whether the complaint and message register holds any entry submitted in the month
    (dismissed ones included: the register was kept)."""
    start, end = month_bounds(month)
    return Feedback.objects.filter(
        center=center, submitted_at__gte=start, submitted_at__lt=end
    ).exists()


def complaint_counts(*, center: Center, month: dt.date, user: Viewer = None) -> dict[str, int]:
    """The month's complaints and messages (by submission time) and how they ended, in one
    query. Dismissed ones (abuse, advertising) count nowhere; the bulletin reads
    "本月未收到投诉及留言" when `complaints` and `messages` are both 0.

    Keys: complaints, messages; answered (an answer was given, whatever came after),
    answered_on_time (the first answer by its deadline), closed (the submitter was satisfied),
    reopened (sent back at least once), waiting (no answer yet), archived (imported history),
    substantiated / partly / unsubstantiated (complaints' findings), dismissed.
    """
    start, end = month_bounds(month)
    items = Feedback.objects.filter(center=center, submitted_at__gte=start, submitted_at__lt=end)
    if user is not None:
        items = scoped(items, user)
    counted = ~Q(status=FeedbackStatus.DISMISSED)
    complaint = Q(kind=FeedbackKind.COMPLAINT)
    values = items.aggregate(
        complaints=Count("pk", filter=counted & complaint),
        messages=Count("pk", filter=counted & Q(kind=FeedbackKind.MESSAGE)),
        answered=Count("pk", filter=counted & Q(answered_at__isnull=False)),
        answered_on_time=Count("pk", filter=counted & Q(first_answer_on_time=True)),
        closed=Count("pk", filter=Q(status=FeedbackStatus.CLOSED)),
        reopened=Count("pk", filter=counted & Q(reopen_count__gt=0)),
        waiting=Count("pk", filter=Q(status__in=sorted(FeedbackStatus.waiting()))),
        archived=Count("pk", filter=Q(status=FeedbackStatus.ARCHIVED)),
        substantiated=Count("pk", filter=counted & complaint & Q(finding=Finding.SUBSTANTIATED)),
        partly=Count("pk", filter=counted & complaint & Q(finding=Finding.PARTLY)),
        unsubstantiated=Count(
            "pk", filter=counted & complaint & Q(finding=Finding.UNSUBSTANTIATED)
        ),
        dismissed=Count("pk", filter=Q(status=FeedbackStatus.DISMISSED)),
    )
    return {key: int(value or 0) for key, value in values.items()}


@dataclass(frozen=True)
class UnitComplaint:
    """A complaint that counts against a unit in the month's scoring."""

    id: int
    unit_id: int  # the handling unit, else the one the submitter named
    code: str
    subject: str


def unit_complaints(*, center: Center, month: dt.date) -> list[UnitComplaint]:
    """Complaints submitted in the month about a unit (the handling unit, else the one named),
    except those dismissed or found groundless, in submission order. One query."""
    start, end = month_bounds(month)
    rows = (
        Feedback.objects.filter(
            center=center,
            kind=FeedbackKind.COMPLAINT,
            submitted_at__gte=start,
            submitted_at__lt=end,
        )  # fmt: skip
        .exclude(status=FeedbackStatus.DISMISSED)
        .exclude(finding=Finding.UNSUBSTANTIATED)
        .annotate(about=Coalesce("unit_id", "named_unit_id"))
        .filter(about__isnull=False)
        .order_by("submitted_at", "pk")
        .values_list("pk", "about", "code", "subject")
    )
    return [UnitComplaint(*row) for row in rows]


def complaint_sentence(counts: dict[str, int]) -> str:
    """The bulletin's sentence on complaints and messages (data, Chinese by nature)."""
    if not counts.get("complaints") and not counts.get("messages"):
        return "本月未收到投诉及留言"
    return "本月收到投诉{c}件、留言{m}件，已答复{a}件".format(
        c=counts.get("complaints", 0), m=counts.get("messages", 0), a=counts.get("answered", 0)
    )


# --- rectification figures and what is overdue ---------------------------------------------------


def rectification_counts(*, center: Center, month: dt.date, user: Viewer = None) -> dict[str, int]:
    """Tasks opened in the month (by bad ratings) and where they stand, in one query: opened,
    closed, closed_on_time (by the rectification deadline), active, cancelled (invalid
    ratings), still_dissatisfied (the 回访 found the applicant still dissatisfied)."""
    start, end = month_bounds(month)
    tasks = Rectification.objects.filter(center=center, opened_at__gte=start, opened_at__lt=end)
    if user is not None:
        tasks = scoped(tasks, user)
    values = tasks.aggregate(
        opened=Count("pk", distinct=True),
        closed=Count("pk", filter=Q(status=RectificationStatus.CLOSED), distinct=True),
        closed_on_time=Count(
            "pk",
            filter=Q(status=RectificationStatus.CLOSED, closed_at__lte=F("rectify_due")),
            distinct=True,
        ),
        active=Count(
            "pk", filter=Q(status__in=sorted(RectificationStatus.active())), distinct=True
        ),
        cancelled=Count("pk", filter=Q(status=RectificationStatus.CANCELLED), distinct=True),
        still_dissatisfied=Count(
            "pk",
            filter=Q(
                status=RectificationStatus.CLOSED,
                follow_ups__result=FollowUpResult.DISSATISFIED,
            ),
            distinct=True,
        ),
    )
    return {key: int(value or 0) for key, value in values.items()}


def _task_overdue_q(day_start: dt.datetime) -> Q:
    """Tasks standing overdue when the day began: opened before, not cancelled by then, and
    either not contacted by its contact deadline or not closed by its rectification deadline."""
    alive = Q(opened_at__lt=day_start) & (
        Q(cancelled_at__isnull=True) | Q(cancelled_at__gte=day_start)
    )
    contact = Q(contact_due__lt=day_start) & (
        Q(contacted_at__isnull=True) | Q(contacted_at__gte=day_start)
    )
    rectify = Q(rectify_due__lt=day_start) & (
        Q(closed_at__isnull=True) | Q(closed_at__gte=day_start)
    )
    return alive & (contact | rectify)


def _answer_overdue_q(day_start: dt.datetime) -> Q:
    """Complaints and messages whose (latest) answer deadline passed before the day began with
    no answer given by then. Dismissed and imported ones owe nothing."""
    return (
        Q(answer_due__lt=day_start, submitted_at__lt=day_start)
        & ~Q(status__in=[FeedbackStatus.DISMISSED, FeedbackStatus.ARCHIVED])
        & (Q(status__in=sorted(FeedbackStatus.waiting())) | Q(answered_at__gte=day_start))
    )


@dataclass(frozen=True)
class OverdueItem:
    """One thing owed to the public past its deadline, as supervision lists it."""

    kind: str  # "contact" | "rectify" | "complaint" | "message"
    pk: int
    unit_id: int | None
    unit: str
    title: str
    due: dt.datetime
    url: str = field(default="", compare=False)

    @property
    def label(self) -> str:
        return {
            "contact": "差评未按时核实联系",
            "rectify": "差评未按时整改",
            "complaint": "投诉未按时答复",
            "message": "留言未按时答复",
        }[self.kind]


def overdue_feedback(*, center: Center, on: dt.date, user: Viewer = None) -> list[OverdueItem]:
    """Everything owed to the public that stood overdue on day `on` (two queries): rectification
    tasks not contacted or not closed by their deadlines, complaints and messages not answered
    by theirs. A deadline on day `on` itself is not yet overdue (as for cases' red cards)."""
    day_start = local_start(on)
    items: list[OverdueItem] = []
    tasks = Rectification.objects.filter(center=center).filter(_task_overdue_q(day_start))
    if user is not None:
        tasks = scoped(tasks, user)
    for task in tasks.select_related("unit", "rating__case").order_by("contact_due", "pk"):
        contact_late = task.contact_due < day_start and (
            task.contacted_at is None or task.contacted_at >= day_start
        )
        case = task.rating.case
        title = case.number if case is not None else "咨询"
        kind = "contact" if contact_late else "rectify"
        items.append(
            OverdueItem(
                kind, task.pk, task.unit_id, task.unit.name, title,
                task.contact_due if contact_late else task.rectify_due,
                reverse("feedback:task_detail", args=[task.pk]),
            )
        )  # fmt: skip
    waiting = Feedback.objects.filter(center=center).filter(_answer_overdue_q(day_start))
    if user is not None:
        waiting = scoped(waiting, user)
    for item in waiting.select_related("unit").order_by("answer_due", "pk"):
        items.append(
            OverdueItem(
                item.kind, item.pk, item.unit_id, item.unit.name if item.unit else "",
                item.subject or item.content[:30], item.answer_due,
                reverse("feedback:feedback_detail", args=[item.pk]),
            )
        )  # fmt: skip
    items.sort(key=lambda i: (i.due, i.kind, i.pk))
    return items
