"""Monthly evaluation (量化评比): rules per center and month, stored scorecards with their
breakdowns, the units' objections, the office's entries and votes, and the confirmed awards."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from govhall.evaluation.choices import (
    AwardKind,
    EvaluationStatus,
    Grade,
    LineCode,
    LineNote,
    ObjectionStatus,
    RuleShape,
    ScoreKind,
)
from govhall.org.models import Center, Staff, Unit

USER = settings.AUTH_USER_MODEL


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text == "-0" else text


def _signed(value: Decimal) -> str:
    """+2, −0.5, 0: points as the breakdown prints them."""
    text = _number(value)
    if value > 0:
        return f"+{text}"
    return text.replace("-", "−")


POINTS = {"max_digits": 8, "decimal_places": 2}


class ScoringRules(models.Model):
    """The center's scoring parameters from a month on, until a later version takes over."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="scoring_rules"
    )
    effective_from = models.DateField(_("effective from (month)"))
    params = models.JSONField(_("parameters"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    saved_by = models.ForeignKey(
        USER, verbose_name=_("saved by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    saved_at = models.DateTimeField(_("saved"))

    class Meta:
        ordering = ["center", "-effective_from"]
        verbose_name = _("scoring rules")
        verbose_name_plural = _("scoring rules")
        constraints = [
            models.UniqueConstraint(
                fields=["center", "effective_from"], name="scoring_rules_one_per_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.center} {self.effective_from:%Y-%m}"


class MonthEvaluation(models.Model):
    """One center's month as computed by the office: the stored scorecards do not follow later
    changes to the records until the office computes again, and never once awards are confirmed."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="evaluations"
    )
    month = models.DateField(_("month"))
    status = models.CharField(
        _("status"), max_length=12, choices=EvaluationStatus.choices,
        default=EvaluationStatus.COMPUTED,
    )  # fmt: skip
    rules = models.ForeignKey(
        ScoringRules, verbose_name=_("rules version"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    params = models.JSONField(_("parameters used"))
    missing_sources = models.JSONField(_("sources not counted"), default=list, blank=True)
    computed_at = models.DateTimeField(_("computed"))
    computed_by = models.ForeignKey(
        USER, verbose_name=_("computed by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    confirmed_at = models.DateTimeField(_("awards confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        USER, verbose_name=_("confirmed by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    override_reason = models.TextField(_("reason for departing from the ranking"), blank=True)

    class Meta:
        ordering = ["center", "-month"]
        verbose_name = _("month evaluation")
        verbose_name_plural = _("month evaluations")
        constraints = [
            models.UniqueConstraint(fields=["center", "month"], name="evaluation_one_per_month"),
        ]
        permissions = [
            ("compute_evaluation", "Can compute a month's scores"),
            ("confirm_awards", "Can confirm a month's awards"),
        ]

    def __str__(self) -> str:
        return f"{self.center} {self.month.year}年{self.month.month}月"

    @property
    def is_confirmed(self) -> bool:
        return self.status == EvaluationStatus.CONFIRMED


class Scorecard(models.Model):
    """A unit's, chief's or person's score of the month, with its breakdown lines (units and
    staff) or its blended parts (`award_parts`: 红旗窗口 and 星级首席)."""

    evaluation = models.ForeignKey(
        MonthEvaluation, verbose_name=_("month"), on_delete=models.CASCADE,
        related_name="scorecards",
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=8, choices=ScoreKind.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="scorecards"
    )
    staff = models.ForeignKey(
        Staff, verbose_name=_("staff member"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="scorecards",
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=100)
    total = models.DecimalField(_("score"), **POINTS)
    grade = models.CharField(_("grade"), max_length=8, choices=Grade.choices)
    award_score = models.DecimalField(_("award score"), **POINTS)
    award_parts = models.JSONField(_("award score parts"), default=list, blank=True)
    rank = models.PositiveIntegerField(_("rank"), default=0)

    class Meta:
        ordering = ["evaluation", "kind", "rank", "name"]
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "kind", "unit"],
                condition=Q(staff__isnull=True),
                name="scorecard_one_per_unit",
            ),
            models.UniqueConstraint(
                fields=["evaluation", "kind", "staff"],
                condition=Q(staff__isnull=False),
                name="scorecard_one_per_person",
            ),
            models.CheckConstraint(
                condition=Q(kind=ScoreKind.UNIT, staff__isnull=True)
                | Q(kind__in=[ScoreKind.CHIEF, ScoreKind.STAFF], staff__isnull=False),
                name="scorecard_staff_matches_kind",
            ),
        ]
        indexes = [models.Index(fields=["evaluation", "kind", "rank"])]

    def __str__(self) -> str:
        return f"{self.evaluation} {self.name}"

    @property
    def has_lines(self) -> bool:
        return self.kind != ScoreKind.CHIEF


class ScoreLine(models.Model):
    """One line of a breakdown: the input, its quantity, the rule, the points; an accepted
    objection overrides the points (`overridden`), and a recomputation keeps the override."""

    scorecard = models.ForeignKey(
        Scorecard, verbose_name=_("scorecard"), on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.CharField(_("input"), max_length=20, choices=LineCode.choices)
    ref = models.CharField(_("record"), max_length=40, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    shape = models.CharField(_("rule"), max_length=12, choices=RuleShape.choices)
    quantity = models.DecimalField(
        _("quantity"), null=True, blank=True, max_digits=12, decimal_places=2
    )
    per = models.DecimalField(_("points each"), null=True, blank=True, **POINTS)
    threshold = models.DecimalField(_("threshold"), null=True, blank=True, **POINTS)
    note = models.CharField(_("note"), max_length=12, choices=LineNote.choices, blank=True)
    measured_points = models.DecimalField(_("points as measured"), **POINTS)
    points = models.DecimalField(_("points"), **POINTS)
    overridden = models.BooleanField(_("changed on objection"), default=False)

    class Meta:
        ordering = ["scorecard", "position", "pk"]
        verbose_name = _("score line")
        verbose_name_plural = _("score lines")
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "code", "ref"], name="score_line_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()} {self.points}"

    @property
    def is_informative(self) -> bool:
        return self.shape == RuleShape.NONE

    @property
    def is_rate(self) -> bool:
        return self.code in {LineCode.ON_TIME_RATE, LineCode.EARLY_RATE, LineCode.SATISFACTION}

    @property
    def quantity_text(self) -> str:
        if self.quantity is None:
            return "—"
        text = _number(self.quantity)
        return f"{text}%" if self.is_rate else text

    @property
    def rule_text(self) -> str:
        """The rule that turns the quantity into points, in words (−5 each; −0.5 per point
        below 95%; …)."""
        per = _signed(self.per) if self.per is not None else ""
        threshold = _number(self.threshold) if self.threshold is not None else ""
        if self.shape == RuleShape.NONE:
            return gettext("for information, no points")
        if self.shape == RuleShape.ENTERED:
            return gettext("entered by the office")
        if self.shape == RuleShape.BELOW_FLOOR:
            return gettext("{per} per point below {floor}%").format(per=per, floor=threshold)
        if self.shape == RuleShape.ABOVE_CEILING:
            return gettext("{per} per minute above {limit} minutes").format(
                per=per, limit=threshold
            )
        if self.shape == RuleShape.PER_POINT:
            return gettext("{per} per percentage point").format(per=per)
        if self.shape == RuleShape.ONCE:
            return gettext("{per} when it happened").format(per=per)
        if self.code == LineCode.LEAVE:
            return gettext("{per} per day beyond {days} days").format(per=per, days=threshold)
        if self.code == LineCode.VIOLATION:
            return gettext("{per} per point deducted on inspection").format(per=per)
        return gettext("{per} each").format(per=per)


class ScoreAdjustment(models.Model):
    """A bonus or penalty the office enters for a unit or a person, with its reason."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ForeignKey(
        Staff, verbose_name=_("staff member"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=1)
    reason = models.CharField(_("reason"), max_length=300)
    entered_by = models.ForeignKey(
        USER, verbose_name=_("entered by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    entered_at = models.DateTimeField(_("entered"))

    class Meta:
        ordering = ["center", "-month", "pk"]
        verbose_name = _("bonus or penalty")
        verbose_name_plural = _("bonuses and penalties")
        constraints = [
            models.CheckConstraint(condition=~Q(points=0), name="adjustment_points_not_zero"),
        ]

    def __str__(self) -> str:
        who = self.staff.name if self.staff_id else self.unit.name
        return f"{who} {self.points:+}"


class UnitVote(models.Model):
    """The month's votes on a unit (0–100): by the hall's duty staff and by applicants."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    duty_score = models.DecimalField(
        _("duty staff's vote"), null=True, blank=True, max_digits=5, decimal_places=2
    )
    applicant_score = models.DecimalField(
        _("applicants' vote"), null=True, blank=True, max_digits=5, decimal_places=2
    )
    entered_by = models.ForeignKey(
        USER, verbose_name=_("entered by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    entered_at = models.DateTimeField(_("entered"))

    class Meta:
        ordering = ["center", "-month", "unit"]
        verbose_name = _("unit vote")
        verbose_name_plural = _("unit votes")
        constraints = [
            models.UniqueConstraint(fields=["center", "month", "unit"], name="unit_vote_unique"),
            models.CheckConstraint(
                condition=Q(duty_score__isnull=True)
                | Q(duty_score__gte=Decimal(0), duty_score__lte=Decimal(100)),
                name="unit_vote_duty_in_range",
            ),
            models.CheckConstraint(
                condition=Q(applicant_score__isnull=True)
                | Q(applicant_score__gte=Decimal(0), applicant_score__lte=Decimal(100)),
                name="unit_vote_applicant_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.month:%Y-%m}"


class Objection(models.Model):
    """异议: a unit disputes one line of a scorecard; the office accepts (the line is removed or
    adjusted) or rejects it, with a note."""

    line = models.ForeignKey(
        ScoreLine, verbose_name=_("line"), on_delete=models.CASCADE, related_name="objections"
    )
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    raised_by = models.ForeignKey(
        USER, verbose_name=_("raised by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    raised_at = models.DateTimeField(_("raised"))
    status = models.CharField(
        _("status"), max_length=10, choices=ObjectionStatus.choices,
        default=ObjectionStatus.PENDING,
    )  # fmt: skip
    points_before = models.DecimalField(_("points before"), **POINTS)
    points_after = models.DecimalField(_("points after"), null=True, blank=True, **POINTS)
    decision_note = models.TextField(_("decision"), blank=True)
    decided_by = models.ForeignKey(
        USER, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.UniqueConstraint(
                fields=["line"],
                condition=Q(status=ObjectionStatus.PENDING),
                name="objection_one_pending_per_line",
            ),
        ]
        permissions = [
            ("raise_objection", "Can object to a line of the unit's scores"),
            ("decide_objection", "Can rule on objections"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.line}"


class Award(models.Model):
    """A confirmed award of the month (红旗窗口, 星级首席, 服务标兵), in the office's order."""

    evaluation = models.ForeignKey(
        MonthEvaluation, verbose_name=_("month"), on_delete=models.CASCADE, related_name="awards"
    )
    kind = models.CharField(_("award"), max_length=12, choices=AwardKind.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ForeignKey(
        Staff, verbose_name=_("staff member"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"))
    proposed = models.BooleanField(_("in the ranked proposal"), default=True)

    class Meta:
        ordering = ["evaluation", "kind", "position"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "kind", "unit"],
                condition=Q(staff__isnull=True),
                name="award_unit_once",
            ),
            models.UniqueConstraint(
                fields=["evaluation", "kind", "staff"],
                condition=Q(staff__isnull=False),
                name="award_person_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"
