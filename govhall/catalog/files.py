"""The catalog's files — flowchart images, blank forms, filled-in samples, service forms: what
each may be (judged by content, core.uploads) and which stored file an address names.

Files are never linked at their storage path: the public reaches a published item's current
files through the kiosk, staff reach any version in their scope through the catalog pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from govhall.catalog.choices import ItemStatus
from govhall.catalog.models import FormFile, ItemVersion, Material, ServiceItem
from govhall.core.uploads import IMAGES, OFFICE, PDF, FileKind

DOCUMENTS: tuple[FileKind, ...] = (PDF, *IMAGES, *OFFICE)

# Field → (the kinds it may hold, the prefix of its random stored name).
FILE_RULES: dict[str, tuple[tuple[FileKind, ...], str]] = {
    "flowchart_image": (IMAGES, "flowchart"),
    "blank_form": (DOCUMENTS, "blank"),
    "sample": (DOCUMENTS, "sample"),
    "file": (DOCUMENTS, "form"),
}

# The kind named in an address → (the model holding it, its field). A flowchart's pk is its
# version's; the others' are their row's.
FLOWCHART = "flowchart"
BLANK_FORM = "blank-form"
SAMPLE = "sample"
FORM = "form"
FILE_KINDS: dict[str, tuple[type, str]] = {
    FLOWCHART: (ItemVersion, "flowchart_image"),
    BLANK_FORM: (Material, "blank_form"),
    SAMPLE: (Material, "sample"),
    FORM: (FormFile, "file"),
}


@dataclass(frozen=True)
class CatalogFile:
    """One stored file with what the download is called and what it may be."""

    file: FieldFile
    name_parts: tuple[str, ...]
    allowed: tuple[FileKind, ...]


def version_file(*, version: ItemVersion, kind: str, pk: int) -> CatalogFile | None:
    """The file of `kind` in row `pk` of `version` (the version itself for a flowchart)."""
    if kind not in FILE_KINDS:
        return None
    model, field = FILE_KINDS[kind]
    row: Any
    if model is ItemVersion:
        row = version if pk == version.pk else None
    else:
        row = model.objects.filter(version=version, pk=pk).first()
    if row is None or not getattr(row, field):
        return None
    if kind == FLOWCHART:
        parts: tuple[str, ...] = (version.name, _("flowchart"))
    elif kind == BLANK_FORM:
        parts = (version.name, row.name, _("blank form"))
    elif kind == SAMPLE:
        parts = (version.name, row.name, _("filled-in sample"))
    else:
        parts = (version.name, row.name)
    return CatalogFile(file=getattr(row, field), name_parts=parts, allowed=FILE_RULES[field][0])


def public_file(*, item_id: int, kind: str, pk: int) -> CatalogFile | None:
    """A file of a published item's current version in an open center; nothing else is public
    (drafts, versions under review, superseded versions, suspended or cancelled items)."""
    item = (
        ServiceItem.objects.filter(
            pk=item_id,
            status=ItemStatus.PUBLISHED,
            current__isnull=False,
            center__is_active=True,
        )
        .select_related("current")
        .first()
    )
    if item is None or item.current is None:
        return None
    return version_file(version=item.current, kind=kind, pk=pk)
