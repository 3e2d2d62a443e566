"""Choices of the monthly bulletin."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Format(models.TextChoices):
    """The formats a bulletin is delivered in (file extension as value)."""

    HTML = "html", "HTML"
    DOCX = "docx", "Word (DOCX)"
    PDF = "pdf", "PDF"
    JSON = "json", "JSON"


class Register(models.TextChoices):
    """The hall's registers the bulletin reads; a sentence stating that something did not
    happen (no complaints, full attendance …) needs its register to have been kept that month."""

    CASES = "cases", _("cases (办件)")
    ATTENDANCE = "attendance", _("attendance punches (考勤)")
    LEAVE = "leave", _("leave (请假)")
    OUTINGS = "outings", _("outings (外出办事登记)")
    PATROLS = "patrols", _("patrol sign-ins (巡查签到)")
    INSPECTIONS = "inspections", _("daily inspections (日常巡查)")
    FEEDBACK = "feedback", _("complaints and messages (投诉、留言)")
    JOURNAL = "journal", _("work journal (领导督办、媒体报道、信息报送、其他工作、好人好事)")


# Attendance is shown by punches alone: an empty attendance register means nobody was seen to
# come, so the office cannot confirm it "kept with nothing to record".
CONFIRMABLE = tuple(r for r in Register.values if r != Register.ATTENDANCE)
