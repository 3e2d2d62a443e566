"""Reads of the catalog for staff pages: lists, one item, the review queue and campaigns."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from govhall.catalog.choices import ItemStatus, Part, VersionState
from govhall.catalog.diff import PartSnapshot, Snapshot, VersionDiff, diff_versions
from govhall.catalog.models import (
    Faq,
    FeeLine,
    FormFile,
    ItemVersion,
    Material,
    ProcessStep,
    ReviewCampaign,
    RiskPoint,
    ServiceItem,
)
from govhall.catalog.rules import PartCounts, basic_filled, missing_parts
from govhall.core.access import Viewer
from govhall.org.models import Center
from govhall.org.scoping import scoped

PART_COUNTS = ("materials", "fee_lines", "forms", "steps", "risks", "faqs")


def item_list(
    *,
    user: Viewer,
    center: Center,
    q: str = "",
    unit_id: int | None = None,
    category: str = "",
    status: str = "",
) -> QuerySet[ServiceItem]:
    items = scoped(ServiceItem.objects.filter(center=center), user).select_related(
        "unit", "current"
    )
    if unit_id:
        items = items.filter(unit_id=unit_id)
    if category:
        items = items.filter(category=category)
    if status:
        items = items.filter(status=status)
    if q:
        compact = q.replace(" ", "").lower()
        items = items.filter(
            Q(name__icontains=q)
            | Q(code__icontains=q)
            | Q(search_pinyin__contains=compact)
            | Q(search_initials__contains=compact)
        )
    open_versions = ItemVersion.objects.filter(item=OuterRef("pk"), state__in=VersionState.open())
    return items.annotate(has_open=Exists(open_versions)).order_by("unit__position", "sort_key")


def item_for(*, user: Viewer, center: Center, pk: int) -> ServiceItem | None:
    return (
        scoped(ServiceItem.objects.filter(center=center), user)
        .select_related("unit", "current")
        .filter(pk=pk)
        .first()
    )


def version_with_parts(version_id: int) -> ItemVersion:
    """One version and its eight parts in seven queries, whatever their sizes."""
    return (
        ItemVersion.objects.select_related("item__unit", "reviewed_by", "created_by")
        .prefetch_related(*PART_COUNTS)
        .get(pk=version_id)
    )


def open_version(item: ServiceItem) -> ItemVersion | None:
    return item.versions.filter(state__in=VersionState.open()).first()


def counts_of(version: ItemVersion) -> PartCounts:
    """Completeness input for a version whose parts are prefetched or annotated."""

    def count(name: str) -> int:
        annotated = getattr(version, f"n_{name}", None)
        return annotated if annotated is not None else len(getattr(version, name).all())

    values = {
        f: getattr(version, f)
        for f in (
            "name",
            "category",
            "handling_type",
            "legal_basis",
            "conditions",
            "place",
            "hours",
            "result_name",
        )
    }
    return PartCounts(
        basic_filled=basic_filled(values),
        has_flowchart_image=bool(version.flowchart_image),
        fee_mode=version.fee_mode,
        no_forms=version.no_forms,
        **{name: count(name) for name in PART_COUNTS},
    )


def _annotated_versions(queryset: QuerySet[ItemVersion]) -> QuerySet[ItemVersion]:
    return queryset.annotate(**{f"n_{name}": Count(name, distinct=True) for name in PART_COUNTS})


def review_queue(*, user: Viewer, center: Center) -> QuerySet[ItemVersion]:
    """Versions the units have submitted, oldest first."""
    versions = ItemVersion.objects.filter(item__center=center, state=VersionState.SUBMITTED)
    return (
        scoped(versions, user, center="item__center", unit="item__unit")
        .select_related("item__unit")
        .order_by("submitted_at")
    )


@dataclass
class UnitProgress:
    """One unit's line on the campaign page."""

    unit_id: int
    unit: str
    items: int = 0
    complete: int = 0
    reviewed: int = 0
    submitted: int = 0
    returned: int = 0
    drafting: int = 0
    missing: dict[str, int] = field(default_factory=dict)

    @property
    def stale(self) -> int:
        return self.items - self.reviewed

    @property
    def incomplete(self) -> int:
        return self.items - self.complete

    @property
    def missing_by_part(self) -> list[int]:
        """Items missing each part, in the order of the eight parts."""
        return [self.missing.get(part.value, 0) for part in Part]


@dataclass
class ItemProgress:
    item: ServiceItem
    version: ItemVersion
    missing: list[Part]
    reviewed: bool
    open_state: str


def campaign_progress(
    *, user: Viewer, center: Center, campaign: ReviewCampaign | None, unit_id: int | None = None
) -> tuple[list[UnitProgress], list[ItemProgress]]:
    """Per unit and per item: which of the eight parts are missing and who is behind.

    An item counts as reviewed when a version was published since the campaign started; its
    completeness is judged on the version being worked on if there is one, else the current one.
    Three queries whatever the catalog's size.
    """
    items = scoped(
        ServiceItem.objects.filter(center=center).exclude(status=ItemStatus.CANCELLED), user
    ).select_related("unit")
    if unit_id:
        items = items.filter(unit_id=unit_id)
    versions = _annotated_versions(
        ItemVersion.objects.filter(item__in=items).filter(
            Q(state__in=VersionState.open()) | Q(state=VersionState.PUBLISHED)
        )
    )
    by_item: dict[int, dict[str, ItemVersion]] = defaultdict(dict)
    for version in versions:
        slot = "published" if version.state == VersionState.PUBLISHED else "open"
        by_item[version.item_id][slot] = version
    units: dict[int, UnitProgress] = {}
    rows: list[ItemProgress] = []
    for item in items.order_by("unit__position", "sort_key"):
        slots = by_item.get(item.pk, {})
        version = slots.get("open") or slots.get("published")
        if version is None:
            continue
        missing = missing_parts(counts_of(version))
        published = slots.get("published")
        reviewed = bool(
            campaign
            and published
            and published.published_at
            and published.published_at.date() >= campaign.starts_on
        )
        open_state = slots["open"].state if "open" in slots else ""
        progress = units.setdefault(item.unit_id, UnitProgress(item.unit_id, item.unit.name))
        progress.items += 1
        progress.complete += not missing
        progress.reviewed += reviewed
        progress.submitted += open_state == VersionState.SUBMITTED
        progress.returned += open_state == VersionState.RETURNED
        progress.drafting += open_state == VersionState.DRAFT
        for part in missing:
            progress.missing[part.value] = progress.missing.get(part.value, 0) + 1
        rows.append(ItemProgress(item, version, missing, reviewed, open_state))
    return list(units.values()), rows


def campaign_list(*, user: Viewer, center: Center) -> QuerySet[ReviewCampaign]:
    return scoped(ReviewCampaign.objects.filter(center=center), user, unit=None)


def version_history(item: ServiceItem) -> QuerySet[ItemVersion]:
    return item.versions.select_related("reviewed_by", "created_by").order_by("-number")


# --- what a version changes (the review's comparison) ----------------------------------------

# The 基本信息表 as compared (the fee and form declarations and the flowchart image belong to
# their own parts).
BASIC_COMPARED = (
    "name",
    "basic_code",
    "category",
    "target",
    "handling_type",
    "legal_days",
    "promised_days",
    "legal_basis",
    "visits",
    "special_procedures",
    "conditions",
    "place",
    "hours",
    "service_scope",
    "result_name",
    "result_type",
    "phone",
)

# List part → (its rows' model, the fields compared, the field that pairs rows, file fields).
ROWS_COMPARED: dict[str, tuple[type[Model], tuple[str, ...], str, frozenset[str]]] = {
    Part.MATERIALS: (
        Material,
        (
            "name",
            "kind",
            "source",
            "necessity",
            "copy_form",
            "copies",
            "medium",
            "note",
            "blank_form",
            "sample",
        ),
        "name",
        frozenset({"blank_form", "sample"}),
    ),  # fmt: skip
    Part.FEES: (FeeLine, ("name", "amount", "unit_text", "basis"), "name", frozenset()),
    Part.FORMS: (FormFile, ("name", "file"), "name", frozenset({"file"})),
    Part.STEPS: (ProcessStep, ("name", "role", "limit_days", "standard"), "name", frozenset()),
    Part.RISKS: (RiskPoint, ("step", "risk", "level", "measure"), "risk", frozenset()),
    Part.FAQS: (Faq, ("question", "answer"), "question", frozenset()),
}
ROW_RELATIONS: dict[str, str] = {
    Part.MATERIALS: "materials",
    Part.FEES: "fee_lines",
    Part.FORMS: "forms",
    Part.STEPS: "steps",
    Part.RISKS: "risks",
    Part.FAQS: "faqs",
}


def _shown(obj: Model, name: str) -> str:
    """A field's value as the reader sees it: choices by their label, days without ".0",
    files by their stored (random, so unique per upload) name."""
    model_field = obj._meta.get_field(name)
    value: Any = getattr(obj, name)
    if getattr(model_field, "choices", None):
        return str(getattr(obj, f"get_{name}_display")()) if value not in (None, "") else ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if value is None:
        return ""
    if hasattr(value, "name") and not isinstance(value, str):  # a FieldFile
        return str(value.name or "")
    return str(value).strip()


def _labels(model: type[Model], names: tuple[str, ...]) -> dict[str, str]:
    return {n: capfirst(str(getattr(model._meta.get_field(n), "verbose_name", n))) for n in names}


def version_snapshot(version: ItemVersion) -> Snapshot:
    """The eight parts of a version as plain values (for `diff.diff_versions`); the rows are
    read through the version's (prefetched) relations."""
    steps = list(version.steps.all())
    flowchart_fields = {"image": _shown(version, "flowchart_image")}
    if not version.flowchart_image:
        # Drawn from the steps: the chart changes when they do.
        flowchart_fields["drawn"] = " → ".join(
            f"{s.name}（{s.role}）" if s.role else s.name for s in steps
        )
    parts: dict[str, PartSnapshot] = {
        Part.BASIC: PartSnapshot(
            fields={n: _shown(version, n) for n in BASIC_COMPARED},
            labels=_labels(ItemVersion, BASIC_COMPARED),
        ),
        Part.FLOWCHART: PartSnapshot(
            fields=flowchart_fields,
            files=frozenset({"image"}),
            labels={"image": _("Flowchart image"), "drawn": _("Drawn from the handling steps")},
        ),
    }
    own_fields: dict[str, dict[str, str]] = {
        Part.FEES: {"fee_mode": _shown(version, "fee_mode")},
        Part.FORMS: {"no_forms": _shown(version, "no_forms")},
    }
    for part, (model, names, key, files) in ROWS_COMPARED.items():
        own = own_fields.get(part, {})
        rows = steps if part == Part.STEPS else getattr(version, ROW_RELATIONS[part]).all()
        parts[part] = PartSnapshot(
            fields=own,
            rows=tuple({n: _shown(row, n) for n in names} for row in rows),
            key=key,
            files=files,
            labels={**_labels(model, names), **_labels(ItemVersion, tuple(own))},
        )
    return {part.value: parts[part.value] for part in Part}


def version_base(version: ItemVersion) -> ItemVersion | None:
    """The version the public saw before this one (the published one, for a version under
    review); None for a new item never published."""
    base = (
        ItemVersion.objects.filter(
            item_id=version.item_id,
            number__lt=version.number,
            state__in=[VersionState.PUBLISHED, VersionState.SUPERSEDED],
        )
        .order_by("-number")
        .values_list("pk", flat=True)
        .first()
    )
    return version_with_parts(base) if base is not None else None


def version_changes(version: ItemVersion) -> tuple[ItemVersion | None, VersionDiff]:
    """What the version changes against the one published before it, part by part."""
    base = version_base(version)
    old = version_snapshot(base) if base is not None else None
    return base, diff_versions(old, version_snapshot(version))
