"""The monthly bulletin (窗口工作情况通报): numbered issues per center and year, the office's texts,
and the versions frozen at each publication."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.bulletins.choices import BulletinStatus, Register
from govhall.org.models import Center


class Bulletin(models.Model):
    """One issue of the bulletin (随县政务服务【2016】第3期) reporting one month."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="bulletins"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month reported."))
    year = models.PositiveSmallIntegerField(_("year"), help_text=_("The year of the issue number."))
    number = models.PositiveSmallIntegerField(
        _("issue number"), help_text=_("第N期: counted per center and year.")
    )
    title = models.CharField(_("title"), max_length=100)
    status = models.CharField(
        _("status"), max_length=16, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT
    )
    issued_on = models.DateField(
        _("date of issue"),
        null=True,
        blank=True,
        help_text=_("Printed under the masthead and in the imprint; empty: the day of publishing."),
    )
    intro = models.TextField(_("opening paragraph"), blank=True)
    problems = models.TextField(
        _("problems (存在问题)"), blank=True, help_text=_("One numbered point per line.")
    )
    plans = models.TextField(
        _("next steps and requirements (下步工作打算及要求)"),
        blank=True,
        help_text=_("One numbered point per line."),
    )
    copy_to = models.CharField(
        _("copied to (抄送)"), max_length=300, blank=True, help_text=_("e.g. 县委办、县政府办")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["-month", "-pk"]
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        constraints = [
            models.UniqueConstraint(
                fields=["center", "year", "number"], name="bulletin_unique_number_in_year"
            ),
            models.UniqueConstraint(fields=["center", "month"], name="bulletin_one_per_month"),
            models.CheckConstraint(condition=Q(number__gte=1), name="bulletin_number_positive"),
        ]
        permissions = [("publish_bulletin", "Can publish a bulletin")]

    def __str__(self) -> str:
        return f"{self.year}年第{self.number}期 {self.title}"

    @property
    def is_published(self) -> bool:
        return self.status == BulletinStatus.PUBLISHED


class BulletinVersion(models.Model):
    """A published state of a bulletin: its figures and texts as they stood, never changed."""

    bulletin = models.ForeignKey(
        Bulletin, verbose_name=_("bulletin"), on_delete=models.CASCADE, related_name="versions"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    number = models.PositiveSmallIntegerField(_("issue number"))
    title = models.CharField(_("title"), max_length=100)
    issued_on = models.DateField(_("date of issue"))
    figures = models.JSONField(_("figures"))
    intro = models.TextField(_("opening paragraph"), blank=True)
    problems = models.TextField(_("problems (存在问题)"), blank=True)
    plans = models.TextField(_("next steps and requirements (下步工作打算及要求)"), blank=True)
    copy_to = models.CharField(_("copied to (抄送)"), max_length=300, blank=True)
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["bulletin", "-version"]
        verbose_name = _("bulletin version")
        verbose_name_plural = _("bulletin versions")
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "version"], name="bulletin_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.bulletin} v{self.version}"


# --- day counters (docs/performance.md, "Month figures from day counters") --------------------


def _counter(label: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, default=0)


class DayCount(models.Model):
    """A unit's countable figures of one local day, rolled up from the records (`rollup.py`).

    Each record counts on the day of the time that decides its figure (acceptance, completion,
    refusal, consultation, rating, card), so a month is the sum of its days. The overdue figure
    is a state at the month's end: a promised case is overdue and unfinished from the day it
    passes its deadline (`overdue_from`) to the day it closes (`overdue_to`), so the number at
    a day's end is the sum of `overdue_from - overdue_to` up to it; the roll-up writes that sum
    on each month's last day (`overdue_open`), so a month is read from its own days."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    accepted = _counter(_("accepted"))
    completed = _counter(_("completed"))
    completed_immediate = _counter(_("completed immediately"))
    completed_promised = _counter(_("completed, promised"))
    rejected = _counter(_("refused"))
    on_time = _counter(_("completed on time"))
    early = _counter(_("completed early"))
    late = _counter(_("completed late"))
    promised_workdays = _counter(_("working days used"))
    overdue_from = _counter(_("overdue from"))
    overdue_to = _counter(_("overdue until"))
    overdue_open = _counter(_("overdue and unfinished at the month's end"))
    yellow = _counter(_("yellow cards"))
    red = _counter(_("red cards"))
    consultations = _counter(_("consultations"))
    very_satisfied = _counter(_("very satisfied"))
    satisfied = _counter(_("satisfied"))
    basic = _counter(_("basically satisfied"))
    dissatisfied = _counter(_("dissatisfied"))
    very_dissatisfied = _counter(_("very dissatisfied"))

    class Meta:
        verbose_name = _("day count")
        verbose_name_plural = _("day counts")
        constraints = [
            models.UniqueConstraint(fields=["center", "day", "unit"], name="daycount_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}"


class RollupState(models.Model):
    """How far a center's day counters hold: every day up to `rolled_through` is rolled and
    unchanged since. A write touching an earlier day lowers it (`version` + 1), and the nightly
    roll-up rolls the days after it again."""

    center = models.OneToOneField(Center, on_delete=models.CASCADE, related_name="+")
    rolled_through = models.DateField(_("rolled through"), null=True, blank=True)
    version = models.PositiveBigIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("roll-up state")
        verbose_name_plural = _("roll-up states")

    def __str__(self) -> str:
        return f"{self.center_id} ≤ {self.rolled_through}"


class RegisterCheck(models.Model):
    """The office's word that a register was kept in a month though it holds no entry of it
    (no complaint came, no inspection found anything): the bulletin may then state the absence."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    register = models.CharField(_("register"), max_length=16, choices=Register.choices)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed"))

    class Meta:
        ordering = ["center", "-month", "register"]
        verbose_name = _("register confirmation")
        verbose_name_plural = _("register confirmations")
        constraints = [
            models.UniqueConstraint(
                fields=["center", "month", "register"], name="register_check_once_a_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.center} {self.month:%Y-%m} {self.get_register_display()}"
