"""Choices of the staffing records: attendance, leave, outings, vacancies."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PunchKind(models.TextChoices):
    CLOCK_IN = "clock_in", _("Clock in")
    CLOCK_OUT = "clock_out", _("Clock out")


class PunchSource(models.TextChoices):
    SELF = "self", _("Own page")
    OFFICE = "office", _("Office entry")
    TERMINAL = "terminal", _("Attendance terminal")


class DayStatus(models.TextChoices):
    """How one working day of one person resolves (rules.resolve_day)."""

    OFF = "off", _("Day off")
    PENDING = "pending", _("Not yet")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    LEFT_EARLY = "left_early", _("Left early")
    MISSING_PUNCH = "missing_punch", _("Missing punch")
    ABSENT = "absent", _("Absent")
    LEAVE = "leave", _("On leave")
    OUTING = "outing", _("Out on business")


class LeaveKind(models.TextChoices):
    PERSONAL = "personal", _("Personal leave")
    SICK = "sick", _("Sick leave")
    ANNUAL = "annual", _("Annual leave")
    MARRIAGE = "marriage", _("Marriage leave")
    BEREAVEMENT = "bereavement", _("Bereavement leave")
    MATERNITY = "maternity", _("Maternity leave")
    OTHER = "other", _("Other leave")


# One-letter marks of the monthly sheet (事/病/休/婚/丧/产/假 in Chinese).
LEAVE_MARKS = {
    LeaveKind.PERSONAL: pgettext_lazy("leave mark", "P"),
    LeaveKind.SICK: pgettext_lazy("leave mark", "S"),
    LeaveKind.ANNUAL: pgettext_lazy("leave mark", "A"),
    LeaveKind.MARRIAGE: pgettext_lazy("leave mark", "M"),
    LeaveKind.BEREAVEMENT: pgettext_lazy("leave mark", "B"),
    LeaveKind.MATERNITY: pgettext_lazy("leave mark", "Mt"),
    LeaveKind.OTHER: pgettext_lazy("leave mark", "O"),
}


class LeaveSpan(models.TextChoices):
    DAYS = "days", _("Whole or half days")
    HOURS = "hours", _("Hours")


class Half(models.TextChoices):
    AM = "am", _("Morning")
    PM = "pm", _("Afternoon")


class DayPart(models.TextChoices):
    """The part of one working day a leave takes."""

    WHOLE = "whole", _("Whole day")
    AM = "am", _("Morning")
    PM = "pm", _("Afternoon")
    HOURS = "hours", _("Hours")


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class ApprovalLevel(models.TextChoices):
    """The steps of the leave approval chain, lowest first."""

    CHIEF = "chief", _("Unit chief representative")
    OFFICE = "office", _("Center office")
    LEADER = "leader", _("Center leader")

    @classmethod
    def order(cls) -> list[str]:
        return [cls.CHIEF, cls.OFFICE, cls.LEADER]


class RecordSource(models.TextChoices):
    SELF = "self", _("The staff member")
    OFFICE = "office", _("Entered by the office")
    IMPORT = "import", _("Imported")


class VacancyHalf(models.TextChoices):
    AM = "am", _("Morning")
    PM = "pm", _("Afternoon")
    WHOLE = "whole", _("Whole day")
