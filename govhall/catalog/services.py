"""Every write to the catalog: drafting, the eight parts, submission, review and publication."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govhall.catalog.choices import (
    Category,
    ChangeType,
    FeeMode,
    HandlingType,
    ItemStatus,
    Part,
    Target,
    VersionState,
)
from govhall.catalog.files import FILE_RULES
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
from govhall.catalog.rules import PartCounts, basic_filled, limit_problems, missing_parts
from govhall.catalog.selectors import BASIC_COMPARED
from govhall.catalog.signals import version_returned
from govhall.core.access import Actor, require
from govhall.core.audit import audit_record, snapshot
from govhall.core.errors import DomainError
from govhall.core.text import pinyin_key, pinyin_readings, search_texts, strip_bidi
from govhall.core.uploads import checked_upload
from govhall.org.models import Center, Unit

# The list parts, their model and the fields a row may carry.
ROW_PARTS: dict[str, tuple[type, tuple[str, ...]]] = {
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
            "blank_form",
            "sample",
            "note",
        ),
    ),
    Part.FEES: (FeeLine, ("name", "amount", "unit_text", "basis")),
    Part.FORMS: (FormFile, ("name", "file")),
    Part.STEPS: (ProcessStep, ("name", "role", "limit_days", "standard")),
    Part.RISKS: (RiskPoint, ("step", "risk", "level", "measure")),
    Part.FAQS: (Faq, ("question", "answer")),
}

# The 基本信息表 as the review compares it, and the fee and form declarations and flowchart.
BASIC_FIELDS = (*BASIC_COMPARED, "fee_mode", "no_forms", "flowchart_image")

# What a draft's basic-information page may change besides the 基本信息表 itself.
EDITABLE_FIELDS = (*BASIC_FIELDS, "decision_document", "change_note", "related_codes")

LIMIT_MESSAGES = {
    "half_days": gettext_lazy("Limits are counted in whole or half working days."),
    "over_legal": gettext_lazy("The promised limit may not exceed the legal limit."),
    "immediate_not_zero": gettext_lazy("An immediate item is promised 0 days."),
    "promised_zero": gettext_lazy("A promised item needs a promised limit of at least half a day."),
    "steps_over_promised": gettext_lazy(
        "The steps' time limits add up to more than the promised limit."
    ),
}


def _days(value: Any, field: str) -> Decimal:
    try:
        days = Decimal(str(value).strip() or "0")
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(_("Enter a number of working days."), field=field) from exc
    if not days.is_finite() or days < 0 or days > 9999:
        raise DomainError(_("Enter a number of working days."), field=field)
    return days


def _checked_file(model: type, field: str, value: Any) -> Any:
    """A catalog file: a new upload passes the one upload checker (content sniffed, size
    limited, stored under a random name); a kept file must be one of the catalog's own."""
    if not value:
        return ""
    allowed, prefix = FILE_RULES[field]
    if isinstance(value, UploadedFile):
        return checked_upload(value, allowed=allowed, field=field, prefix=prefix)
    name = str(getattr(value, "name", value) or "")
    upload_to = str(model._meta.get_field(field).upload_to)
    if not name.startswith(upload_to) or ".." in name or "\\" in name:
        raise DomainError(_("This file is not one of the catalog's files."), field=field)
    return value


def _check_limits(version: ItemVersion, step_days: list[Decimal] | None = None) -> None:
    if step_days is None:
        step_days = list(version.steps.values_list("limit_days", flat=True))
    problems = limit_problems(
        handling_type=version.handling_type,
        legal_days=version.legal_days,
        promised_days=version.promised_days,
        step_days=step_days,
    )
    if problems:
        field, code = problems[0]
        raise DomainError(str(LIMIT_MESSAGES[code]), field=field)


def _index_search(item: ServiceItem, version: ItemVersion) -> None:
    """Copy the public version's name into the item and index its pinyin for kiosk search."""
    item.name, item.category, item.target = version.name, version.category, version.target
    item.sort_key = pinyin_key(version.name)[:400]
    full, initials = pinyin_readings(version.name)
    item.search_pinyin = " ".join(full)
    item.search_initials = " ".join(initials)
    _index_terms(item, version)


def _index_terms(item: ServiceItem, version: ItemVersion | None) -> None:
    """Index what else the public types for the item: its result (办理结果, e.g. 营业执照),
    its materials and the office's keywords, in Chinese, full pinyin and initials."""
    terms = [version.result_name] if version is not None else []
    if version is not None and version.pk:
        terms += Material.objects.filter(version=version).values_list("name", flat=True)
    terms += keyword_list(item.keywords)
    item.search_terms, item.search_terms_pinyin = search_texts(terms)


MAX_KEYWORDS = 30
MAX_KEYWORD_LENGTH = 50
_KEYWORD_SEPARATORS = re.compile(r"[\n\r,，、;；]+")


def keyword_list(text: str) -> list[str]:
    """营业执照、执照\n办执照 → [营业执照, 执照, 办执照]: one per line or comma, no repeats."""
    words = (" ".join(w.split()) for w in _KEYWORD_SEPARATORS.split(text or ""))
    return list(dict.fromkeys(w for w in words if w))


@transaction.atomic
def item_set_keywords(*, by: Actor, item: ServiceItem, keywords: str) -> ServiceItem:
    """Set the words (aliases) the public may also search the item by; the kiosk finds them at once."""
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    require(by, "catalog.review_itemversion", center_id=item.center_id)
    words = keyword_list(strip_bidi(keywords))
    if len(words) > MAX_KEYWORDS:
        raise DomainError(
            _("At most {n} keywords per item.").format(n=MAX_KEYWORDS), field="keywords"
        )
    too_long = [w for w in words if len(w) > MAX_KEYWORD_LENGTH]
    if too_long:
        raise DomainError(
            _("Keyword “{word}” is longer than {n} characters.").format(
                word=too_long[0][:MAX_KEYWORD_LENGTH], n=MAX_KEYWORD_LENGTH
            ),
            field="keywords",
        )
    before = {"keywords": keyword_list(item.keywords)}
    item.keywords = "\n".join(words)
    current = ItemVersion.objects.filter(pk=item.current_id).first() if item.current_id else None
    _index_terms(item, current)
    item.save(update_fields=["keywords", "search_terms", "search_terms_pinyin"])
    audit_record(
        by=by,
        action="item.keywords",
        obj=item,
        center_id=item.center_id,
        before=before,
        after={"keywords": words},
    )
    return item


def _require_unit(by: Actor, perm: str, item: ServiceItem) -> None:
    require(by, perm, center_id=item.center_id, unit_id=item.unit_id)


def _require_editable(version: ItemVersion) -> None:
    if not version.is_editable:
        raise DomainError(
            _("Version {n} is {state} and can no longer be edited.").format(
                n=version.number, state=version.get_state_display()
            )
        )


# --- creating items and versions ------------------------------------------------------------


@transaction.atomic
def item_create(
    *, by: Actor, unit: Unit, code: str, name: str, category: str, handling_type: str, **basic: Any
) -> ServiceItem:
    """Draft a new item (新增) for a unit; it is public once the office approves it."""
    require(by, "catalog.add_serviceitem", center_id=unit.center_id, unit_id=unit.pk)
    code, name = code.strip(), name.strip()
    if not code or len(code) > 40:
        raise DomainError(
            _("Enter the item's implementation code (at most 40 characters)."), field="code"
        )
    if not name:
        raise DomainError(_("Enter the item's name."), field="name")
    if category not in Category.values:
        raise DomainError(_("Choose a category."), field="category")
    if handling_type not in HandlingType.values:
        raise DomainError(_("Choose immediate or promised."), field="handling_type")
    if ServiceItem.objects.filter(center_id=unit.center_id, code=code).exists():
        raise DomainError(
            _("Item code {code} is already in the catalog.").format(code=code), field="code"
        )
    target = basic.pop("target", Target.PERSON)
    item = ServiceItem(
        center_id=unit.center_id, unit=unit, code=code, name=name, category=category, target=target
    )
    version = ItemVersion(
        number=1,
        change_type=ChangeType.ADD,
        created_by=by,
        name=name,
        category=category,
        target=target,
        handling_type=handling_type,
        legal_days=_days(basic.pop("legal_days", 0), "legal_days"),
        promised_days=_days(basic.pop("promised_days", 0), "promised_days"),
        decision_document=basic.pop("decision_document", ""),
    )
    for field, value in basic.items():
        if field not in BASIC_FIELDS:
            raise DomainError(_("Unknown field {field}.").format(field=field))
        if field in FILE_RULES:
            value = _checked_file(ItemVersion, field, value)
        setattr(version, field, value)
    _check_limits(version, [])
    _index_search(item, version)
    try:
        item.save()
    except IntegrityError as exc:  # two windows creating the same code at once
        raise DomainError(
            _("Item code {code} is already in the catalog.").format(code=code), field="code"
        ) from exc
    version.item = item
    version.save()
    audit_record(
        by=by, action="item.create", obj=item, center_id=item.center_id, after=snapshot(version)
    )
    return item


@transaction.atomic
def version_start(
    *,
    by: Actor,
    item: ServiceItem,
    change_type: str,
    decision_document: str = "",
    change_note: str = "",
) -> ItemVersion:
    """Open a new draft of an item (变更, 拆分, 合并, 暂停, 取消), copied from its current version."""
    _require_unit(by, "catalog.change_itemversion", item)
    if change_type not in ChangeType.values or change_type == ChangeType.ADD:
        raise DomainError(_("Choose the kind of change."), field="change_type")
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    if item.versions.filter(state__in=VersionState.open()).exists():
        raise DomainError(_("This item already has a version being drafted or reviewed."))
    if item.status == ItemStatus.CANCELLED:
        raise DomainError(_("A cancelled item cannot be changed."))
    source = item.current or item.versions.order_by("-number").first()
    if source is None:
        raise DomainError(_("This item has no version to start from."))
    number = (item.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = _copy_version(source, number=number, by=by)
    draft.change_type = change_type
    draft.decision_document = decision_document.strip()
    draft.change_note = change_note.strip()
    draft.save()
    audit_record(
        by=by,
        action="item.version_start",
        obj=item,
        center_id=item.center_id,
        after={
            "version": number,
            "change_type": change_type,
            "decision_document": draft.decision_document,
        },
    )
    return draft


def _copy_version(source: ItemVersion, *, number: int, by: Actor) -> ItemVersion:
    draft = ItemVersion.objects.get(pk=source.pk)
    draft.pk = None
    draft._state.adding = True
    draft.number = number
    draft.state = VersionState.DRAFT
    draft.review_comment = ""
    draft.created_by = by
    draft.submitted_at = draft.reviewed_at = draft.published_at = None
    draft.reviewed_by = None
    draft.save()
    for _part, (model, fields) in ROW_PARTS.items():
        rows = [
            model(version=draft, position=row.position, **{f: getattr(row, f) for f in fields})
            for row in model.objects.filter(version=source)
        ]
        model.objects.bulk_create(rows)
    return draft


# --- editing a draft ------------------------------------------------------------------------


@transaction.atomic
def version_update_basic(*, by: Actor, version: ItemVersion, **fields: Any) -> ItemVersion:
    """Change the 基本信息表 (and the fee and form declarations) of a draft."""
    _require_unit(by, "catalog.change_itemversion", version.item)
    version = ItemVersion.objects.select_for_update().get(pk=version.pk)
    _require_editable(version)
    before = snapshot(version)
    for field, value in fields.items():
        if field not in EDITABLE_FIELDS:
            raise DomainError(_("Unknown field {field}.").format(field=field))
        if field in ("legal_days", "promised_days"):
            value = _days(value, field)
        if field == "name" and not str(value).strip():
            raise DomainError(_("Enter the item's name."), field="name")
        if field == "category" and value not in Category.values:
            raise DomainError(_("Choose a category."), field="category")
        if field == "handling_type" and value not in HandlingType.values:
            raise DomainError(_("Choose immediate or promised."), field="handling_type")
        if field == "fee_mode" and value not in FeeMode.values:
            raise DomainError(_("Choose free or charged."), field="fee_mode")
        if field in FILE_RULES:
            value = _checked_file(ItemVersion, field, value)
        setattr(version, field, value.strip() if isinstance(value, str) else value)
    _check_limits(version)
    version.save()
    audit_record(
        by=by,
        action="item.version_edit",
        obj=version,
        center_id=version.item.center_id,
        before=before,
        after=snapshot(version),
    )
    return version


@transaction.atomic
def version_set_rows(
    *, by: Actor, version: ItemVersion, part: str, rows: list[dict[str, Any]]
) -> ItemVersion:
    """Replace one list part (materials, fees, forms, steps, risks, FAQs) of a draft."""
    _require_unit(by, "catalog.change_itemversion", version.item)
    version = ItemVersion.objects.select_for_update().get(pk=version.pk)
    _require_editable(version)
    if part not in ROW_PARTS:
        raise DomainError(_("Unknown part {part}.").format(part=part))
    model, fields = ROW_PARTS[part]
    before = [snapshot(row) for row in model.objects.filter(version=version)]
    objects = []
    for position, row in enumerate(rows):
        unknown = set(row) - set(fields)
        if unknown:
            raise DomainError(_("Unknown field {field}.").format(field=", ".join(sorted(unknown))))
        if part == Part.STEPS:
            row = {**row, "limit_days": _days(row.get("limit_days", 0), "limit_days")}
        row = _checked_row_files(model, row, position)
        objects.append(model(version=version, position=position, **row))
    if part == Part.STEPS:
        _check_limits(version, [o.limit_days for o in objects])
    for obj in objects:
        obj.full_clean(exclude=["version"])
    model.objects.filter(version=version).delete()
    model.objects.bulk_create(objects)
    audit_record(
        by=by,
        action=f"item.{part}_set",
        obj=version,
        center_id=version.item.center_id,
        before={"rows": before},
        after={"rows": [snapshot(o) for o in model.objects.filter(version=version)]},
    )
    return version


def _checked_row_files(model: type, row: dict[str, Any], position: int) -> dict[str, Any]:
    checked = dict(row)
    for field in FILE_RULES.keys() & row.keys():
        try:
            checked[field] = _checked_file(model, field, row[field])
        except DomainError as error:
            label = model._meta.get_field(field).verbose_name
            raise DomainError(
                _("Row {n}, {field}: {message}").format(
                    n=position + 1, field=label, message=error.message
                ),
                field=field,
            ) from error
    return checked


@transaction.atomic
def version_discard(*, by: Actor, version: ItemVersion) -> None:
    """Throw away a draft that was never published (an unpublished new item goes with it)."""
    _require_unit(by, "catalog.change_itemversion", version.item)
    _require_editable(version)
    item = version.item
    audit_record(
        by=by,
        action="item.version_discard",
        obj=version,
        center_id=item.center_id,
        before=snapshot(version),
    )
    version.delete()
    if not item.versions.exists():
        audit_record(
            by=by, action="item.delete", obj=item, center_id=item.center_id, before=snapshot(item)
        )
        item.delete()


# --- review ---------------------------------------------------------------------------------


def version_counts(version: ItemVersion) -> PartCounts:
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
        materials=version.materials.count(),
        fee_lines=version.fee_lines.count(),
        forms=version.forms.count(),
        steps=version.steps.count(),
        risks=version.risks.count(),
        faqs=version.faqs.count(),
    )


@transaction.atomic
def version_submit(*, by: Actor, version: ItemVersion) -> ItemVersion:
    """Send a draft to the center office; it must carry all eight parts and its decision document."""
    _require_unit(by, "catalog.submit_itemversion", version.item)
    version = ItemVersion.objects.select_for_update().get(pk=version.pk)
    _require_editable(version)
    if not version.decision_document.strip():
        raise DomainError(
            _("Name the document that decided this change (e.g. 随县政办发[2016]55号)."),
            field="decision_document",
        )
    if version.change_type not in (ChangeType.SUSPEND, ChangeType.CANCEL):
        missing = missing_parts(version_counts(version))
        if missing:
            raise DomainError(
                _("These parts are still missing: {parts}.").format(
                    parts="、".join(str(p.label) for p in missing)
                )
            )
        _check_limits(version)
    version.state = VersionState.SUBMITTED
    version.submitted_at = timezone.now()
    version.save(update_fields=["state", "submitted_at"])
    audit_record(
        by=by,
        action="item.version_submit",
        obj=version,
        center_id=version.item.center_id,
        after={"state": version.state},
    )
    return version


@transaction.atomic
def version_return(*, by: Actor, version: ItemVersion, comment: str) -> ItemVersion:
    """Send a submitted version back to the unit with the office's comments; its chief is told."""
    item = version.item
    require(by, "catalog.review_itemversion", center_id=item.center_id)
    version = ItemVersion.objects.select_for_update().get(pk=version.pk)
    if version.state != VersionState.SUBMITTED:
        raise DomainError(_("Only a submitted version can be returned."))
    if not comment.strip():
        raise DomainError(_("Say what the unit must change."), field="comment")
    version.state = VersionState.RETURNED
    version.review_comment = comment.strip()
    version.reviewed_by = by
    version.reviewed_at = timezone.now()
    version.save(update_fields=["state", "review_comment", "reviewed_by", "reviewed_at"])
    audit_record(
        by=by,
        action="item.version_return",
        obj=version,
        center_id=item.center_id,
        after={"comment": version.review_comment},
    )
    # The unit's chief is told (an in-app alert, by supervision, which sits above the catalog).
    version_returned.send(
        sender=ItemVersion, version=version, comment=version.review_comment, by=by
    )
    return version


STATUS_AFTER = {
    ChangeType.SUSPEND: ItemStatus.SUSPENDED,
    ChangeType.CANCEL: ItemStatus.CANCELLED,
}


@transaction.atomic
def version_approve(*, by: Actor, version: ItemVersion, comment: str = "") -> ItemVersion:
    """Publish a submitted version: the public sees it from now on; the previous one is kept."""
    item = ServiceItem.objects.select_for_update().get(pk=version.item_id)
    require(by, "catalog.review_itemversion", center_id=item.center_id)
    version = ItemVersion.objects.select_for_update().get(pk=version.pk)
    if version.state != VersionState.SUBMITTED:
        raise DomainError(_("Only a submitted version can be approved."))
    return _publish(by=by, item=item, version=version, comment=comment)


def _publish(
    *, by: Actor, item: ServiceItem, version: ItemVersion, comment: str = ""
) -> ItemVersion:
    now = timezone.now()
    before = {"status": item.status, "current": item.current_id}
    if item.current_id:
        ItemVersion.objects.filter(pk=item.current_id).update(state=VersionState.SUPERSEDED)
    version.state = VersionState.PUBLISHED
    version.review_comment = comment.strip()
    version.reviewed_by = by
    version.reviewed_at = version.published_at = now
    version.save()
    item.current = version
    item.status = STATUS_AFTER.get(version.change_type, ItemStatus.PUBLISHED)
    item.reviewed_at = now
    _index_search(item, version)
    item.save()
    audit_record(
        by=by,
        action="item.publish",
        obj=item,
        center_id=item.center_id,
        before=before,
        after={"status": item.status, "current": version.pk, "version": version.number},
    )
    return version


@transaction.atomic
def item_import_published(
    *,
    by: Actor,
    center: Center,
    unit: Unit,
    code: str,
    basic: dict[str, Any],
    rows: dict[str, list[dict[str, Any]]],
) -> tuple[ServiceItem, bool]:
    """Put an existing catalog item in as published (imports record the catalog as it is).

    Returns (item, created). An item already in the catalog gets a new published version.
    """
    require(by, "catalog.review_itemversion", center_id=center.pk)
    item = ServiceItem.objects.select_for_update().filter(center=center, code=code).first()
    created = item is None
    if item is None:
        item = ServiceItem(
            center=center,
            unit=unit,
            code=code,
            name=basic["name"],
            category=basic["category"],
            target=basic.get("target", Target.PERSON),
        )
        _index_search(
            item,
            ItemVersion(**{k: v for k, v in basic.items() if k in ("name", "category", "target")}),
        )
        item.save()
    elif item.status == ItemStatus.CANCELLED:
        raise DomainError(_("A cancelled item cannot be changed."), field="code")
    elif item.versions.filter(state__in=VersionState.open()).exists():
        raise DomainError(
            _("Item {code} has a version under review; finish that first.").format(code=code),
            field="code",
        )
    item.unit = unit
    number = (item.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ItemVersion(
        item=item,
        number=number,
        created_by=by,
        change_type=ChangeType.ADD if created else ChangeType.CHANGE,
        state=VersionState.DRAFT,
    )
    for field, value in basic.items():
        if field not in BASIC_FIELDS and field not in ("decision_document", "change_note"):
            raise DomainError(_("Unknown field {field}.").format(field=field))
        if field in FILE_RULES:
            value = _checked_file(ItemVersion, field, value)
        setattr(version, field, value)
    version.legal_days = _days(version.legal_days, "legal_days")
    version.promised_days = _days(version.promised_days, "promised_days")
    step_days = [_days(r.get("limit_days", 0), "limit_days") for r in rows.get(Part.STEPS, [])]
    _check_limits(version, step_days)
    try:
        version.full_clean(exclude=["item", "flowchart_image"], validate_unique=False)
    except ValidationError as exc:
        field, errors = next(iter(exc.message_dict.items()))
        raise DomainError(" ".join(errors), field=field) from exc
    version.save()
    for part, part_rows in rows.items():
        model, fields = ROW_PARTS[part]
        objects = []
        for position, row in enumerate(part_rows):
            kept = _checked_row_files(
                model, {k: v for k, v in row.items() if k in fields}, position
            )
            obj = model(version=version, position=position, **kept)
            obj.full_clean(exclude=["version"])
            objects.append(obj)
        model.objects.bulk_create(objects)
    audit_record(
        by=by,
        action="item.import",
        obj=version,
        center_id=center.pk,
        after={
            **snapshot(version),
            "rows": {part: len(part_rows) for part, part_rows in rows.items()},
        },
    )
    _publish(by=by, item=item, version=version)
    return item, created


# --- campaigns ------------------------------------------------------------------------------


@transaction.atomic
def campaign_create(
    *, by: Actor, center: Center, name: str, document: str, starts_on: Any, due_on: Any
) -> ReviewCampaign:
    """Open a 梳理审查 campaign: every item must be reviewed again between the two dates."""
    require(by, "catalog.add_reviewcampaign", center_id=center.pk)
    if not name.strip():
        raise DomainError(_("Name the campaign."), field="name")
    if due_on < starts_on:
        raise DomainError(_("The due date is before the start."), field="due_on")
    campaign = ReviewCampaign.objects.create(
        center=center,
        name=name.strip(),
        document=document.strip(),
        starts_on=starts_on,
        due_on=due_on,
    )
    audit_record(
        by=by, action="campaign.create", obj=campaign, center_id=center.pk, after=snapshot(campaign)
    )
    return campaign
