"""Public feedback: ratings (好差评) of cases and consultations, the rectification a bad rating
opens, and complaints (投诉) and messages (留言) from the public with their answers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.cases.models import Case, Consultation
from govhall.feedback.choices import (
    FeedbackChannel,
    FeedbackKind,
    FeedbackStatus,
    Finding,
    FollowUpResult,
    RatingChannel,
    RatingLevel,
    RatingReview,
    RatingTag,
    RectificationStatus,
)
from govhall.org.models import Center, Staff, Unit, Window

USER = settings.AUTH_USER_MODEL


class FeedbackSettings(models.Model):
    """A center's limits for answering the public, in working days, and how often a submitter
    may reopen an answered complaint or message."""

    center = models.OneToOneField(
        Center, verbose_name=_("center"), on_delete=models.CASCADE, related_name="feedback_settings"
    )
    contact_days = models.PositiveSmallIntegerField(
        _("days to verify and contact (working days)"),
        default=1,
        help_text=_(
            "After a bad rating, the unit verifies it and contacts the applicant within this."
        ),
    )
    rectify_days = models.PositiveSmallIntegerField(
        _("days to rectify (working days)"),
        default=15,
        help_text=_("After a bad rating, the rectification is finished within this."),
    )
    complaint_days = models.PositiveSmallIntegerField(
        _("days to answer a complaint (working days)"), default=10
    )
    message_days = models.PositiveSmallIntegerField(
        _("days to answer a message (working days)"), default=10
    )
    max_reopens = models.PositiveSmallIntegerField(
        _("times an answer may be reopened"),
        default=1,
        help_text=_("How many times a dissatisfied submitter may send an answer back."),
    )

    class Meta:
        verbose_name = _("feedback settings")
        verbose_name_plural = _("feedback settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(contact_days__gte=1, contact_days__lte=10),
                name="feedback_contact_days_1_to_10",
            ),
            models.CheckConstraint(
                condition=Q(rectify_days__gte=1, rectify_days__lte=60),
                name="feedback_rectify_days_1_to_60",
            ),
            models.CheckConstraint(
                condition=Q(complaint_days__gte=1, complaint_days__lte=60),
                name="feedback_complaint_days_1_to_60",
            ),
            models.CheckConstraint(
                condition=Q(message_days__gte=1, message_days__lte=60),
                name="feedback_message_days_1_to_60",
            ),
            models.CheckConstraint(
                condition=Q(max_reopens__lte=5), name="feedback_max_reopens_at_most_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.center_id}"


class Rating(models.Model):
    """One applicant's rating (好差评) of a case or a consultation: one per case or consultation."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="ratings"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="ratings"
    )
    window = models.ForeignKey(
        Window,
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    staff = models.ForeignKey(
        Staff,
        verbose_name=_("staff"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    level = models.PositiveSmallIntegerField(_("rating"), choices=RatingLevel.choices)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=RatingChannel.choices)
    rated_at = models.DateTimeField(_("rated"))

    review = models.CharField(
        _("validity review"), max_length=16, choices=RatingReview.choices, blank=True, default=""
    )
    review_requested_at = models.DateTimeField(_("review requested"), null=True, blank=True)
    review_requested_by = models.ForeignKey(
        USER,
        verbose_name=_("review requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_request_reason = models.TextField(_("why the unit asks for a review"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        USER,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_note = models.TextField(_("review reason"), blank=True)

    class Meta:
        ordering = ["-rated_at", "-pk"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            # One rating per case, and per consultation: a second attempt is refused here even
            # when two submits race past the service's check.
            models.UniqueConstraint(
                fields=["case"], condition=Q(case__isnull=False), name="rating_one_per_case"
            ),
            models.UniqueConstraint(
                fields=["consultation"],
                condition=Q(consultation__isnull=False),
                name="rating_one_per_consultation",
            ),
            models.CheckConstraint(
                condition=(Q(case__isnull=False) & Q(consultation__isnull=True))
                | (Q(case__isnull=True) & Q(consultation__isnull=False)),
                name="rating_of_a_case_or_a_consultation",
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="rating_level_1_to_5"
            ),
            models.CheckConstraint(
                condition=~Q(review=RatingReview.INVALID) | ~Q(review_note=""),
                name="rating_invalid_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["center", "rated_at"], name="rating_center_rated"),
            models.Index(fields=["unit", "rated_at"], name="rating_unit_rated"),
        ]
        permissions = [
            ("use_rating_pad", "Can turn the rating pad toward an applicant"),
            ("review_rating", "Can decide whether a rating is valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} #{self.pk}"

    @property
    def counts(self) -> bool:
        """A rating found invalid (恶意差评) counts nowhere."""
        return self.review != RatingReview.INVALID

    @property
    def is_bad(self) -> bool:
        return self.level in RatingLevel.bad()

    @property
    def tag_labels(self) -> list[str]:
        return [str(RatingTag(t).label) for t in self.tags or [] if t in RatingTag.values]


class Rectification(models.Model):
    """整改: the task a bad rating opens for the unit — verify and contact the applicant, rectify,
    record the outcome, and call the applicant back (回访)."""

    rating = models.OneToOneField(
        Rating, verbose_name=_("rating"), on_delete=models.PROTECT, related_name="rectification"
    )
    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="rectifications"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="rectifications"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
    )
    opened_at = models.DateTimeField(_("opened"))
    contact_due = models.DateTimeField(_("contact due"))
    rectify_due = models.DateTimeField(_("rectification due"))

    contacted_at = models.DateTimeField(_("contacted"), null=True, blank=True)
    contacted_by = models.ForeignKey(
        USER, verbose_name=_("contacted by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    contact_note = models.TextField(_("what verification and contact found"), blank=True)
    rectified_at = models.DateTimeField(_("rectified"), null=True, blank=True)
    rectified_by = models.ForeignKey(
        USER, verbose_name=_("rectified by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    outcome = models.TextField(_("outcome of the rectification"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("rectification task")
        verbose_name_plural = _("rectification tasks")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=RectificationStatus.CLOSED)
                | (Q(closed_at__isnull=False) & ~Q(outcome="")),
                name="rectification_closed_has_outcome",
            ),
        ]
        indexes = [
            models.Index(fields=["center", "opened_at"], name="rectification_center_opened"),
            # What is due: supervision reads the open tasks by their deadlines.
            models.Index(
                fields=["center", "rectify_due"],
                name="rectification_open_due",
                condition=Q(status__in=["open", "contacted", "rectified"]),
            ),
        ]
        permissions = [
            (
                "handle_rectification",
                "Can record contact, outcome and follow-up of a rectification",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in RectificationStatus.active()


class FollowUp(models.Model):
    """回访: one call to the applicant after the rectification, with what they said."""

    rectification = models.ForeignKey(
        Rectification,
        verbose_name=_("rectification task"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    called_at = models.DateTimeField(_("called"))
    called_by = models.ForeignKey(
        USER, verbose_name=_("called by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    caller_name = models.CharField(_("caller"), max_length=100, blank=True)
    result = models.CharField(_("result"), max_length=16, choices=FollowUpResult.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["called_at", "pk"]
        verbose_name = _("follow-up call")
        verbose_name_plural = _("follow-up calls")

    def __str__(self) -> str:
        return f"{self.rectification_id} {self.result}"


class Feedback(models.Model):
    """A complaint (投诉) or a message (留言) from the public, routed to a unit and answered by a
    deadline; the submitter reads the answer with its reference code and may reopen it."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="feedback"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=FeedbackKind.choices)
    code = models.CharField(_("reference code"), max_length=16, unique=True)
    channel = models.CharField(
        _("channel"), max_length=16, choices=FeedbackChannel.choices, default=FeedbackChannel.ONLINE
    )
    named_unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit named by the submitter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("handling unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    subject = models.CharField(_("subject"), max_length=60, blank=True)
    content = models.TextField(_("content"))
    name = models.CharField(_("name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    submitted_at = models.DateTimeField(_("submitted"))
    status = models.CharField(
        _("status"), max_length=16, choices=FeedbackStatus.choices, default=FeedbackStatus.NEW
    )
    answer_due = models.DateTimeField(_("answer due"), null=True, blank=True)

    routed_at = models.DateTimeField(_("routed"), null=True, blank=True)
    routed_by = models.ForeignKey(
        USER, verbose_name=_("routed by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    answer = models.TextField(_("answer"), blank=True)
    finding = models.CharField(_("finding"), max_length=16, choices=Finding.choices, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        USER, verbose_name=_("answered by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    # Whether the first answer came by its deadline (kept: a reopen sets a new deadline).
    first_answer_on_time = models.BooleanField(_("first answer on time"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    dismissed_at = models.DateTimeField(_("dismissed"), null=True, blank=True)
    dismiss_reason = models.TextField(_("reason for dismissal"), blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("complaint or message")
        verbose_name_plural = _("complaints and messages")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=FeedbackKind.values), name="feedback_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=FeedbackStatus.values), name="feedback_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=FeedbackStatus.ANSWERED) | ~Q(answer=""),
                name="feedback_answered_has_answer",
            ),
        ]
        indexes = [
            models.Index(fields=["center", "submitted_at"], name="feedback_center_submitted"),
            models.Index(fields=["unit", "status"], name="feedback_unit_status"),
            models.Index(
                fields=["center", "answer_due"],
                name="feedback_waiting_due",
                condition=Q(status__in=["new", "routed", "reopened"]),
            ),
        ]
        permissions = [
            ("route_feedback", "Can route complaints and messages to units and dismiss them"),
            ("answer_feedback", "Can answer complaints and messages"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_waiting(self) -> bool:
        return self.status in FeedbackStatus.waiting()


class FeedbackEntry(models.Model):
    """One line of a complaint's or message's history; public lines are shown to the submitter."""

    feedback = models.ForeignKey(
        Feedback, verbose_name=_("complaint or message"), on_delete=models.CASCADE,
        related_name="entries",
    )  # fmt: skip
    at = models.DateTimeField(_("time"))
    action = models.CharField(_("action"), max_length=16)
    by_name = models.CharField(_("by"), max_length=100, blank=True)
    text = models.TextField(_("text"), blank=True)
    public = models.BooleanField(_("shown to the submitter"), default=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("history line")
        verbose_name_plural = _("history lines")

    def __str__(self) -> str:
        return f"{self.feedback_id} {self.action}"
