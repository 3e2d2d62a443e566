"""Choices of public feedback: rating levels and tags, rectification, complaints and messages."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RatingLevel(models.IntegerChoices):
    """好差评's five levels; the number orders them (5 is best)."""

    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    BASIC = 3, _("Basically satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")

    @classmethod
    def satisfied(cls) -> frozenset[int]:
        """What the satisfaction rate counts as satisfied: 非常满意, 满意 and 基本满意."""
        return frozenset({cls.VERY_SATISFIED, cls.SATISFIED, cls.BASIC})

    @classmethod
    def bad(cls) -> frozenset[int]:
        """差评: each opens a rectification task for the unit."""
        return frozenset({cls.DISSATISFIED, cls.VERY_DISSATISFIED})


# The levels' names as the hall's documents print them (data, like the bulletin's text).
LEVEL_NAMES = {
    RatingLevel.VERY_SATISFIED: "非常满意",
    RatingLevel.SATISFIED: "满意",
    RatingLevel.BASIC: "基本满意",
    RatingLevel.DISSATISFIED: "不满意",
    RatingLevel.VERY_DISSATISFIED: "非常不满意",
}


class RatingTag(models.TextChoices):
    """What the applicant may tick besides the level: praise and complaints about the service."""

    WARM = "warm", _("Warm and patient")
    EFFICIENT = "efficient", _("Quick and efficient")
    CLEAR = "clear", _("Clear explanations")
    ONE_VISIT = "one_visit", _("Done in one visit")
    UNFRIENDLY = "unfriendly", _("Unfriendly attitude")
    SLOW = "slow", _("Slow, long wait")
    UNCLEAR = "unclear", _("Unclear explanations")
    MANY_VISITS = "many_visits", _("Had to come several times")
    ABSENT = "absent", _("Nobody at the window")

    @classmethod
    def praise(cls) -> list[RatingTag]:
        return [cls.WARM, cls.EFFICIENT, cls.CLEAR, cls.ONE_VISIT]

    @classmethod
    def criticism(cls) -> list[RatingTag]:
        return [cls.UNFRIENDLY, cls.SLOW, cls.UNCLEAR, cls.MANY_VISITS, cls.ABSENT]


class RatingChannel(models.TextChoices):
    WINDOW = "window", _("Rating pad at the window")
    QR = "qr", _("QR code on the receipt")
    WEB = "web", _("Web, with case number and phone")


class RatingReview(models.TextChoices):
    """The validity review of a rating (恶意差评 are found invalid and count nowhere)."""

    NONE = "", _("Not reviewed")
    REQUESTED = "requested", _("Review requested by the unit")
    VALID = "valid", _("Reviewed: valid")
    INVALID = "invalid", _("Reviewed: invalid")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("Waiting for contact")
    CONTACTED = "contacted", _("Being rectified")
    RECTIFIED = "rectified", _("Waiting for the follow-up call")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled: the rating was found invalid")

    @classmethod
    def active(cls) -> frozenset[str]:
        """The unit still has work to do."""
        return frozenset({cls.OPEN, cls.CONTACTED, cls.RECTIFIED})


class FollowUpResult(models.TextChoices):
    """回访: what the applicant said when called after the rectification."""

    SATISFIED = "satisfied", _("Satisfied with the rectification")
    ACCEPTED = "accepted", _("Accepts the explanation")
    DISSATISFIED = "dissatisfied", _("Still dissatisfied")
    UNREACHABLE = "unreachable", _("Could not be reached")


class FeedbackKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    MESSAGE = "message", _("Message")


# 类型 column of the `feedback` import (DESIGN.md §5).
KIND_NAMES = {"投诉": FeedbackKind.COMPLAINT, "留言": FeedbackKind.MESSAGE}


class FeedbackStatus(models.TextChoices):
    NEW = "new", _("Waiting to be routed")
    ROUTED = "routed", _("Being handled")
    ANSWERED = "answered", _("Answered")
    REOPENED = "reopened", _("Reopened by the submitter")
    CLOSED = "closed", _("Closed: the submitter is satisfied")
    DISMISSED = "dismissed", _("Dismissed")
    ARCHIVED = "archived", _("Imported history")

    @classmethod
    def waiting(cls) -> frozenset[str]:
        """An answer is owed: the clock runs."""
        return frozenset({cls.NEW, cls.ROUTED, cls.REOPENED})


class FeedbackChannel(models.TextChoices):
    ONLINE = "online", _("Kiosk or web")
    IMPORT = "import", _("Imported")


class Finding(models.TextChoices):
    """What looking into a complaint found (投诉 only)."""

    SUBSTANTIATED = "substantiated", _("Substantiated")
    PARTLY = "partly", _("Partly substantiated")
    UNSUBSTANTIATED = "unsubstantiated", _("Not substantiated")
