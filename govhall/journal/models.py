"""The work journal (工作日志): leader visits, media reports, units' information submissions,
other work and good deeds — what the monthly bulletin reports besides its figures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.journal.choices import EntryKind
from govhall.org.models import Center, Staff, Unit


class JournalEntry(models.Model):
    """One entry of the journal; which fields matter depends on its kind."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="journal"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    date = models.DateField(_("date"))
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="journal_entries",
    )
    staff = models.ForeignKey(
        Staff,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="journal_entries",
    )
    person = models.CharField(
        _("who"),
        max_length=200,
        blank=True,
        help_text=_(
            "The visitors (e.g. 县人大常委会副主任 X一行), or who submitted the information."
        ),
    )
    outlet = models.CharField(_("media outlet"), max_length=100, blank=True)
    section = models.CharField(
        _("page or programme"), max_length=60, blank=True, help_text=_("e.g. 第三版")
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    clipping = models.FileField(_("clipping"), upload_to="journal/clippings/%Y/%m/", blank=True)
    content = models.TextField(_("content"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EntryKind.values), name="journal_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind=EntryKind.INFO_SUBMISSION) | Q(unit__isnull=False),
                name="journal_info_submission_has_unit",
            ),
            models.CheckConstraint(
                condition=~Q(kind=EntryKind.GOOD_DEED) | Q(staff__isnull=False),
                name="journal_good_deed_has_staff",
            ),
        ]
        indexes = [
            models.Index(fields=["center", "kind", "date"], name="journal_center_kind_date"),
            models.Index(fields=["center", "date"], name="journal_center_date"),
        ]
        permissions = [
            ("submit_info", "Can submit information (信息报送) for the unit"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d} {self.headline}"

    @property
    def headline(self) -> str:
        """A short line naming the entry, whatever its kind."""
        if self.kind == EntryKind.GOOD_DEED and self.staff_id:
            return self.staff.name
        if self.kind == EntryKind.MEDIA_REPORT and self.outlet:
            title = f"《{self.title}》" if self.title else ""
            return f"《{self.outlet}》{self.section}{title}"
        if self.title:
            return self.title
        if self.person:
            return self.person
        return self.content[:40]
