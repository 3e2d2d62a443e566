"""Choices of the monthly evaluation (量化评比): what is scored, the lines of a breakdown, awards."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScoreKind(models.TextChoices):
    """Who a scorecard is about; each kind competes for its own award."""

    UNIT = "unit", _("Units")
    CHIEF = "chief", _("Chief representatives")
    STAFF = "staff", _("Staff")


class AwardKind(models.TextChoices):
    """The month's awards: 红旗窗口 for units, 星级首席 for chiefs, 服务标兵 for staff."""

    RED_FLAG = "red_flag", _("Red-flag window")
    STAR_CHIEF = "star_chief", _("Star chief representative")
    MODEL_STAFF = "model_staff", _("Model of service")

    @classmethod
    def for_score(cls, kind: str) -> AwardKind:
        return {
            ScoreKind.UNIT: cls.RED_FLAG,
            ScoreKind.CHIEF: cls.STAR_CHIEF,
            ScoreKind.STAFF: cls.MODEL_STAFF,
        }[ScoreKind(kind)]


# The award names as the bulletin prints them (data, Chinese by nature).
AWARD_NAMES = {
    AwardKind.RED_FLAG: "红旗窗口",
    AwardKind.STAR_CHIEF: "星级首席",
    AwardKind.MODEL_STAFF: "服务标兵",
}


class Grade(models.TextChoices):
    PASS = "pass", _("Pass")
    BASIC = "basic", _("Basic pass")
    FAIL = "fail", _("Fail")


# The grades as the hall's documents print them.
GRADE_NAMES = {Grade.PASS: "合格", Grade.BASIC: "基本合格", Grade.FAIL: "不合格"}


class EvaluationStatus(models.TextChoices):
    COMPUTED = "computed", _("Computed, awards not confirmed")
    CONFIRMED = "confirmed", _("Awards confirmed")


class LineCode(models.TextChoices):
    """One input of a scorecard: a measured figure, an event, a vote or the office's entry."""

    ACCEPTED = "accepted", _("Cases accepted")
    COMPLETED = "completed", _("Cases completed")
    ON_TIME_RATE = "on_time_rate", _("On-time completion rate")
    EARLY_RATE = "early_rate", _("Early completion rate")
    OVERDUE = "overdue", _("Overdue cases without a red card")
    YELLOW = "yellow", _("Yellow cards")
    RED = "red", _("Red cards")
    SATISFACTION = "satisfaction", _("Satisfaction rate")
    COMPLAINT = "complaint", _("Complaint")
    VIOLATION = "violation", _("Violation found on inspection")
    VACANCY = "vacancy", _("Posts left empty (A/B)")
    INFO_SUBMISSION = "info_submission", _("Information submitted")
    PATROL = "patrol", _("Unit leader's patrol sign-in")
    GOOD_DEED = "good_deed", _("Good deed")
    QUEUE_WAIT = "queue_wait", _("Average wait at the unit's windows (queue)")
    LATE_OPENING = "late_opening", _("Windows late to call after opening (queue)")
    LATE = "late", _("Late arrivals")
    LEFT_EARLY = "left_early", _("Early departures")
    ABSENT = "absent", _("Days absent")
    LEAVE = "leave", _("Leave days beyond the allowance")
    ADJUSTMENT = "adjustment", _("Bonus or penalty by the office")

    @classmethod
    def per_event(cls) -> frozenset[str]:
        """Codes listed one line per record, so a unit can object to the one it disputes."""
        return frozenset({cls.COMPLAINT, cls.VIOLATION, cls.GOOD_DEED, cls.ADJUSTMENT})

    @classmethod
    def informative(cls) -> frozenset[str]:
        """Figures shown for context that carry no points."""
        return frozenset({cls.ACCEPTED, cls.COMPLETED})


class RuleShape(models.TextChoices):
    """How a line's points follow from its quantity."""

    NONE = "none", _("for information")
    PER_EVENT = "per_event", _("per event")
    BELOW_FLOOR = "below_floor", _("per point below the floor")
    PER_POINT = "per_point", _("per percentage point")
    ABOVE_CEILING = "above", _("per minute above the limit")
    ONCE = "once", _("once when it happened")
    ENTERED = "entered", _("as entered")


class Source(models.TextChoices):
    """The apps whose figures feed the scores; one missing adds no line, and the page says so."""

    CASES = "cases", _("Cases")
    WARNINGS = "warnings", _("Deadline warnings")
    RATINGS = "ratings", _("Ratings")
    COMPLAINTS = "complaints", _("Complaints")
    VIOLATIONS = "violations", _("Inspections")
    VACANCIES = "vacancies", _("A/B vacancies")
    ATTENDANCE = "attendance", _("Attendance punches")
    LEAVE = "leave", _("Leave")
    INFO = "info", _("Information submissions")
    PATROL = "patrol", _("Patrol sign-in")
    GOOD_DEEDS = "good_deeds", _("Good deeds")
    QUEUE = "queue", _("Queue (tickets and calls)")


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the office")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class LineNote(models.TextChoices):
    """Why a line carries no points, or where a figure came from."""

    NONE = "", _("—")
    NO_PROMISED = "no_promised", _("no promised case completed this month")
    NO_RATINGS = "no_ratings", _("no valid rating this month")
    NO_LONGER_MEASURED = "gone", _("no longer in the month's records")
    DEFAULTED = "defaulted", _("not entered: the unit's score stands in")
    NO_STAFF = "no_staff", _("no staff scored: the unit's score stands in")
