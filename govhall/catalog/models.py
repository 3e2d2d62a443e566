"""The service catalog (事项库): items, their versions and the eight parts of each version.

An item is the stable identity (its implementation code); its content lives in versions.
Every published version is kept: the current one is shown to the public, and cases keep the
version they were accepted under.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from govhall.catalog.choices import (
    Category,
    ChangeType,
    CopyForm,
    FeeMode,
    HandlingType,
    ItemStatus,
    MaterialKind,
    MaterialSource,
    Medium,
    Necessity,
    RiskLevel,
    Target,
    VersionState,
    Visits,
)
from govhall.org.models import Center, Unit

DAYS = {"max_digits": 5, "decimal_places": 1, "validators": [MinValueValidator(Decimal("0"))]}


class ServiceItem(models.Model):
    """A service or approval the hall handles (政务服务事项), identified by its implementation code."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="items"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="items"
    )
    code = models.CharField(_("implementation code"), max_length=40)
    status = models.CharField(
        _("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.DRAFT
    )
    current = models.ForeignKey(
        "ItemVersion",
        verbose_name=_("published version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Denormalised from the current version for listing and kiosk search (one table, no join).
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=2, choices=Category.choices)
    target = models.CharField(_("serves"), max_length=8, choices=Target.choices)
    sort_key = models.CharField(_("pinyin sort key"), max_length=400, editable=False)
    search_pinyin = models.TextField(_("pinyin readings"), blank=True, editable=False)
    search_initials = models.TextField(_("pinyin initials"), blank=True, editable=False)
    # Other words the public uses for the item (营业执照 for 个体工商户设立登记), kept by the office.
    keywords = models.TextField(
        _("search keywords"),
        blank=True,
        help_text=_("Other words the public uses for this item (aliases), one per line."),
    )
    # The result's name, the materials and the keywords, as searched (refreshed on publish and
    # when the keywords change): the text, and its full pinyin and initials in one column (one
    # scan per search, not two).
    search_terms = models.TextField(_("search terms"), blank=True, editable=False)
    search_terms_pinyin = models.TextField(_("search terms in pinyin"), blank=True, editable=False)
    reviewed_at = models.DateTimeField(_("last reviewed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["unit__position", "sort_key"]
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        constraints = [
            models.UniqueConstraint(fields=["center", "code"], name="item_unique_code_in_center"),
        ]
        indexes = [models.Index(fields=["center", "status"])]
        permissions = [
            ("submit_itemversion", "Can submit an item version for review"),
            ("review_itemversion", "Can approve or return an item version"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.status == ItemStatus.PUBLISHED and self.current_id is not None


class ItemVersion(models.Model):
    """One version of an item's eight parts; drafts are edited, published ones never change."""

    item = models.ForeignKey(
        ServiceItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    state = models.CharField(
        _("state"), max_length=16, choices=VersionState.choices, default=VersionState.DRAFT
    )
    change_type = models.CharField(
        _("change"), max_length=16, choices=ChangeType.choices, default=ChangeType.ADD
    )
    decision_document = models.CharField(
        _("decision document"),
        max_length=120,
        blank=True,
        help_text=_("The document that decided the change, e.g. 随县政办发[2016]55号"),
    )
    change_note = models.TextField(_("what changed"), blank=True)
    related_codes = models.CharField(
        _("related items"),
        max_length=400,
        blank=True,
        help_text=_("Codes of the items split from or merged into this one."),
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    # 基本信息表
    name = models.CharField(_("item name"), max_length=200)
    basic_code = models.CharField(
        _("basic code"), max_length=12, blank=True, help_text=_("The national 12-character code.")
    )
    category = models.CharField(_("category"), max_length=2, choices=Category.choices)
    target = models.CharField(
        _("serves"), max_length=8, choices=Target.choices, default=Target.PERSON
    )
    handling_type = models.CharField(
        _("handling type"), max_length=16, choices=HandlingType.choices
    )
    legal_days = models.DecimalField(_("legal limit (working days)"), **DAYS)
    promised_days = models.DecimalField(_("promised limit (working days)"), **DAYS)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    visits = models.PositiveSmallIntegerField(
        _("visits to the hall"), choices=Visits.choices, default=Visits.ONCE
    )
    special_procedures = models.TextField(
        _("special procedures"),
        blank=True,
        help_text=_("Hearing, testing, expert review … that stop the clock; one per line."),
    )
    conditions = models.TextField(_("acceptance conditions"), blank=True)
    place = models.CharField(_("where to apply"), max_length=200, blank=True)
    hours = models.CharField(_("office hours"), max_length=200, blank=True)
    service_scope = models.CharField(
        _("residents served"),
        max_length=200,
        blank=True,
        help_text=_("通办范围, e.g. 随县、曾都区户籍居民"),
    )
    result_name = models.CharField(_("result"), max_length=200, blank=True)
    result_type = models.CharField(
        _("result type"), max_length=40, blank=True, help_text=_("证照, 批文, 其他 …")
    )
    phone = models.CharField(_("enquiry phone"), max_length=40, blank=True)
    # 收费标准: stated explicitly, since "free" is an answer and an empty list is not.
    fee_mode = models.CharField(
        _("fees"), max_length=8, choices=FeeMode.choices, default=FeeMode.UNSET, blank=True
    )
    # 服务表格: likewise "this item has no forms" is an answer.
    no_forms = models.BooleanField(_("the item needs no forms"), default=False)
    # 权力运行流程图: drawn from the steps unless an image replaces it.
    flowchart_image = models.FileField(
        _("flowchart image"), upload_to="catalog/flowcharts/", blank=True
    )

    class Meta:
        ordering = ["item", "-number"]
        verbose_name = _("item version")
        verbose_name_plural = _("item versions")
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="version_unique_number"),
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(state__in=["draft", "submitted", "returned"]),
                name="version_one_open_per_item",
            ),
            models.CheckConstraint(
                condition=Q(promised_days__lte=F("legal_days")),
                name="version_promised_within_legal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.state in (VersionState.DRAFT, VersionState.RETURNED)

    @property
    def special_procedure_list(self) -> list[str]:
        return [line.strip() for line in self.special_procedures.splitlines() if line.strip()]


class PartRow(models.Model):
    """A row of one of a version's list parts, kept in the order the unit gave."""

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]


class Material(PartRow):
    """申报材料: one document the applicant must bring."""

    name = models.CharField(_("material"), max_length=200)
    kind = models.CharField(
        _("type"), max_length=16, choices=MaterialKind.choices, default=MaterialKind.CERTIFICATE
    )
    source = models.CharField(
        _("source"), max_length=16, choices=MaterialSource.choices, default=MaterialSource.APPLICANT
    )
    necessity = models.CharField(
        _("necessity"), max_length=16, choices=Necessity.choices, default=Necessity.REQUIRED
    )
    copy_form = models.CharField(
        _("original or copy"), max_length=8, choices=CopyForm.choices, default=CopyForm.ORIGINAL
    )
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    medium = models.CharField(
        _("paper or electronic"), max_length=16, choices=Medium.choices, default=Medium.PAPER
    )
    blank_form = models.FileField(_("blank form"), upload_to="catalog/materials/", blank=True)
    sample = models.FileField(_("filled-in sample"), upload_to="catalog/materials/", blank=True)
    note = models.CharField(_("note"), max_length=400, blank=True)

    class Meta(PartRow.Meta):
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        default_related_name = "materials"

    def __str__(self) -> str:
        return self.name


class FeeLine(PartRow):
    """收费标准: one charge with its amount and legal basis."""

    name = models.CharField(_("charge"), max_length=200)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    unit_text = models.CharField(_("per"), max_length=40, blank=True, help_text=_("e.g. 每本"))
    basis = models.CharField(_("basis"), max_length=400, blank=True)

    class Meta(PartRow.Meta):
        verbose_name = _("fee line")
        verbose_name_plural = _("fee lines")
        default_related_name = "fee_lines"

    def __str__(self) -> str:
        return self.name


class FormFile(PartRow):
    """服务表格: a form the public can download."""

    name = models.CharField(_("form"), max_length=200)
    file = models.FileField(_("file"), upload_to="catalog/forms/", blank=True)

    class Meta(PartRow.Meta):
        verbose_name = _("service form")
        verbose_name_plural = _("service forms")
        default_related_name = "forms"

    def __str__(self) -> str:
        return self.name


class ProcessStep(PartRow):
    """办理环节: one step of handling, with who does it, how long it may take and the standard."""

    name = models.CharField(_("step"), max_length=60)
    role = models.CharField(_("handled by"), max_length=100, blank=True)
    limit_days = models.DecimalField(_("time limit (working days)"), **DAYS, default=Decimal("0"))
    standard = models.TextField(_("review standard"), blank=True)

    class Meta(PartRow.Meta):
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        default_related_name = "steps"

    def __str__(self) -> str:
        return self.name


class RiskPoint(PartRow):
    """廉政风险点: where integrity could fail in handling, and how it is prevented."""

    step = models.CharField(_("step"), max_length=60)
    risk = models.CharField(_("risk"), max_length=400)
    level = models.CharField(
        _("level"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.MEDIUM
    )
    measure = models.TextField(_("prevention measure"))

    class Meta(PartRow.Meta):
        verbose_name = _("integrity risk point")
        verbose_name_plural = _("integrity risk points")
        default_related_name = "risks"

    def __str__(self) -> str:
        return self.risk


class Faq(PartRow):
    """常见问题: a question the public asks, with its answer."""

    question = models.CharField(_("question"), max_length=400)
    answer = models.TextField(_("answer"))

    class Meta(PartRow.Meta):
        verbose_name = _("FAQ")
        verbose_name_plural = _("FAQs")
        default_related_name = "faqs"

    def __str__(self) -> str:
        return self.question


class ReviewCampaign(models.Model):
    """A 梳理审查 campaign: every unit re-submits its items' eight parts by a due date."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="campaigns"
    )
    name = models.CharField(_("name"), max_length=200)
    document = models.CharField(_("based on"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    due_on = models.DateField(_("due on"))

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("review campaign")
        verbose_name_plural = _("review campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=F("starts_on")), name="campaign_due_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CatalogStamp(models.Model):
    """A center's catalog as the kiosk searches it, stamped: a fresh token on every write that
    can change what a search finds (an item saved or deleted, a unit saved), in the writer's
    transaction. Each app process keeps its search index while the token it was built under is
    still the one in the database (govhall.catalog.search_index)."""

    center = models.OneToOneField(
        Center, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    token = models.UUIDField()

    def __str__(self) -> str:
        return f"{self.center_id}: {self.token}"
