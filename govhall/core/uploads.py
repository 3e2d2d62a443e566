"""Uploads judged by their content (magic numbers), never by their names: one checker for
every app (supplements, stamped leave notes, inspection photos, clippings)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from govhall.core.errors import DomainError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    mime: str
    extension: str
    label: str


JPEG = FileKind("image/jpeg", ".jpg", "JPEG")
PNG = FileKind("image/png", ".png", "PNG")
PDF = FileKind("application/pdf", ".pdf", "PDF")
IMAGES = (JPEG, PNG)


def sniff(head: bytes) -> FileKind | None:
    """The file's type from its first bytes (its magic number)."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def read_head(file: Any) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    return head


def checked_upload(
    file: UploadedFile, *, allowed: tuple[FileKind, ...], field: str, prefix: str
) -> UploadedFile:
    """The upload renamed to a random name with the extension of its real type; refused when
    too large or of another type."""
    if file.size is not None and file.size > MAX_UPLOAD_BYTES:
        raise DomainError(
            _("The file is too large: at most {mb} MB.").format(mb=MAX_UPLOAD_BYTES // 1048576),
            field=field,
        )
    kind = sniff(read_head(file))
    if kind not in allowed:
        raise DomainError(
            _("The file must be {kinds}.").format(kinds=" / ".join(k.label for k in allowed)),
            field=field,
        )
    file.name = f"{prefix}-{uuid.uuid4().hex}{kind.extension}"
    return file


def stored_kind(field_file: Any) -> FileKind | None:
    """The type of a stored file, read again from storage (never trusted from its name)."""
    with field_file.open("rb") as handle:
        return sniff(handle.read(16))
