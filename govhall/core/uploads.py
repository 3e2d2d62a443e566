"""Uploads judged by their content (magic numbers), never by their names: one checker for
every app (supplements, stamped leave notes, inspection photos, clippings, catalog forms), and
one way to hand a stored file back (`file_response`)."""

from __future__ import annotations

import re
import uuid
import zipfile
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
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
DOCX = FileKind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word"
)
XLSX = FileKind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "Excel"
)
DOC = FileKind("application/msword", ".doc", "Word 97-2003")
XLS = FileKind("application/vnd.ms-excel", ".xls", "Excel 97-2003")
IMAGES = (JPEG, PNG)
# Photos and PDF scans (supplements, stamped notes, clippings): the kinds `sniff` recognises.
SCANS = (*IMAGES, PDF)
OFFICE = (DOCX, XLSX, DOC, XLS)
# Shown in the browser; every other kind is offered as a download.
INLINE = (PDF, JPEG, PNG)

ZIP_MAGIC = b"PK\x03\x04"
# Compound File Binary (Word/Excel 97-2003, WPS): the kind is in the names of its streams.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_STREAMS = (("WordDocument".encode("utf-16-le"), DOC), ("Workbook".encode("utf-16-le"), XLS))
OLE_OLD_EXCEL = "Book".encode("utf-16-le") + b"\x00\x00"


def sniff(head: bytes) -> FileKind | None:
    """The file's type from its first bytes (its magic number)."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def sniff_file(file: Any) -> FileKind | None:
    """The file's type from its content: the magic number, and for the containers (ZIP, OLE)
    what they contain, so a renamed archive or program is not taken for a Word document."""
    head = read_head(file)
    kind = sniff(head)
    if kind is not None:
        return kind
    if head.startswith(ZIP_MAGIC):
        return _zip_kind(file)
    if head.startswith(OLE_MAGIC):
        return _ole_kind(file)
    return None


def _zip_kind(file: Any) -> FileKind | None:
    position = file.tell()
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        file.seek(position)
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def _ole_kind(file: Any) -> FileKind | None:
    position = file.tell()
    try:
        file.seek(0)
        data = file.read(MAX_UPLOAD_BYTES + 1)
    finally:
        file.seek(position)
    for name, kind in OLE_STREAMS:
        if name in data:
            return kind
    return XLS if OLE_OLD_EXCEL in data else None


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
    kind = sniff_file(file)
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
        return sniff_file(handle)


# A served file runs no script of ours; Chrome shows a PDF through a page of its own that
# embeds the file (object-src) and styles itself inline, so the pages' policy would blank it.
FILE_POLICY = (
    "default-src 'none'; object-src 'self'; img-src 'self'; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'"
)

UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|;]+')


def download_name(*parts: str, kind: FileKind) -> str:
    """A file name for the reader's disk: the parts joined, nothing a file system or a header
    could misread, the extension of the real type (Chinese kept, sent as RFC 5987)."""
    stem = "-".join(UNSAFE_IN_NAME.sub(" ", p).strip() for p in parts if p and p.strip())
    return (stem[:120].strip() or "file") + kind.extension


def file_response(
    field_file: Any, *, name_parts: tuple[str, ...], allowed: tuple[FileKind, ...], public: bool
) -> FileResponse:
    """A stored file as a response: its type sniffed again (a file of no allowed type is not
    served), PDF and images inline, others as downloads, never sniffed by the browser."""
    if not field_file:
        raise Http404
    try:
        kind = stored_kind(field_file)
    except FileNotFoundError:
        raise Http404(_("The file is missing from storage.")) from None
    if kind is None or kind not in allowed:
        raise Http404(_("The file is missing from storage."))
    response = FileResponse(
        field_file.open("rb"),
        content_type=kind.mime,
        as_attachment=kind not in INLINE,
        filename=download_name(*name_parts, kind=kind),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_POLICY
    # Published files never change (a new version makes new rows); drafts stay private.
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response
