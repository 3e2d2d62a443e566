"""Choices of the work journal."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    """What the bulletin reports besides the figures, one kind per section."""

    LEADER_VISIT = "leader_visit", _("Leader supervision visit")
    MEDIA_REPORT = "media_report", _("Media report")
    INFO_SUBMISSION = "info_submission", _("Information submission")
    OTHER_WORK = "other_work", _("Other work")
    GOOD_DEED = "good_deed", _("Good deed")


# The Chinese names of the import file's 类型 column (DESIGN.md §5): data, not translations.
KIND_NAMES: dict[str, str] = {
    "领导督办": EntryKind.LEADER_VISIT,
    "媒体报道": EntryKind.MEDIA_REPORT,
    "信息报送": EntryKind.INFO_SUBMISSION,
    "其他工作": EntryKind.OTHER_WORK,
    "好人好事": EntryKind.GOOD_DEED,
}
