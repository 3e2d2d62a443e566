"""What the public does without logging in: upload supplementary materials through the
一次性告知书's link, and look up a case's progress.

No account stands behind these calls: the notice's token, or the case number with the phone's
last digits under a rate limit, is the only key. Audit entries name the system as the actor.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.choices import CaseStatus
from govhall.cases.models import Case, CaseEvent, SupplementNotice, SupplementUpload
from govhall.cases.services import ACTION_NAMES
from govhall.core.audit import audit_record
from govhall.core.errors import DomainError
from govhall.core.ratelimit import exceeded, hit
from govhall.core.text import mask_name, strip_bidi
from govhall.core.uploads import read_head, sniff
from govhall.org.models import Center

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UPLOADS_PER_NOTICE = 20
ALLOWED_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".pdf"})

# Stored as the action itself (not a key of ACTION_NAMES), so every timeline reads it as is.
UPLOAD_ACTION = "网上补正材料已上传"
ONLINE_APPLICANT = "申请人（网上）"

# 10 lookups per address per 10 minutes; 5 wrong guesses per case number per hour.
LOOKUPS_PER_IP = (10, 10 * 60)
FAILURES_PER_NUMBER = (5, 60 * 60)

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
CASE_NUMBER_RE = re.compile(r"^[A-Za-z0-9-]{1,32}$")

# Timeline lines whose note the applicant may read (event action keys): lists of materials, and
# the reasons of a decision against the application, which the applicant is owed (行政许可法
# 第三十八条: a refusal states its reasons). Other notes (opinions, who approved) stay inside.
PUBLIC_NOTES = frozenset({"request_supplement", "reject", "return", UPLOAD_ACTION})


class RateLimited(DomainError):
    """Too many attempts: the face answers 429."""


# --- pure helpers ---------------------------------------------------------------------------


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


# --- online supplements (网上补正) -------------------------------------------------------------


def notice_by_token(token: str) -> SupplementNotice | None:
    """The notice a 补正告知书's link or QR code opens; None for an unknown token."""
    if not TOKEN_RE.match(token or ""):
        return None
    return (
        SupplementNotice.objects.select_related("case", "case__item", "case__unit", "case__center")
        .filter(token=token)
        .first()
    )


def notice_accepts_uploads(notice: SupplementNotice) -> bool:
    return notice.resolved_at is None and notice.case.status not in CaseStatus.closed()


@transaction.atomic
def supplement_upload_add(
    *, notice: SupplementNotice, material: str, file: Any
) -> SupplementUpload:
    """Store one file the applicant sent for a missing material, for the window to check.

    JPEG or PNG photos and PDF files only, judged by their content; at most 10 MB each and 20
    files per notice. The window sees a line on the case's timeline.
    """
    # Locked so two uploads at once cannot both take the notice's last place.
    notice = SupplementNotice.objects.select_for_update().select_related("case").get(pk=notice.pk)
    case = notice.case
    if notice.resolved_at is not None:
        raise DomainError(
            _("The materials of this notice are complete: nothing more needs to be uploaded."),
            field="file",
        )
    if case.status in CaseStatus.closed():
        raise DomainError(
            _("Application {number} is closed: nothing more can be uploaded.").format(
                number=case.number
            ),
            field="file",
        )
    material = (material or "").strip()
    if material not in notice.materials:
        raise DomainError(_("Choose one of the missing materials."), field="material")
    if file is None:
        raise DomainError(
            _("Choose a file for “{material}”.").format(material=material), field="file"
        )
    kept = notice.uploads.exclude(accepted=False).count()
    if kept >= MAX_UPLOADS_PER_NOTICE:
        raise DomainError(
            _("At most {n} files can be uploaded for one notice.").format(n=MAX_UPLOADS_PER_NOTICE),
            field="file",
        )
    # Shown back in messages: without bidi controls, "photo<U+202E>gpj.exe" reads as it is.
    name = strip_bidi(str(getattr(file, "name", "") or ""))
    size = int(getattr(file, "size", 0) or 0)
    if size <= 0:
        raise DomainError(
            _("File “{name}” for “{material}” is empty.").format(name=name, material=material),
            field="file",
        )
    if size > MAX_UPLOAD_BYTES:
        raise DomainError(
            _(
                "File “{name}” for “{material}” is {size} MB: a file may be at most {limit} MB."
            ).format(
                name=name,
                material=material,
                size=_megabytes(size),
                limit=_megabytes(MAX_UPLOAD_BYTES).removesuffix(".0"),
            ),
            field="file",
        )
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    kind = sniff(read_head(file))
    if kind is None or extension not in ALLOWED_EXTENSIONS:
        raise DomainError(
            _(
                "File “{name}” for “{material}” is not a photo (JPEG, PNG) or a PDF document: "
                "only these can be uploaded."
            ).format(name=name, material=material),
            field="file",
        )
    now = timezone.now()
    upload = SupplementUpload(notice=notice, material=material, uploaded_at=now)
    # A random name: the applicant's file name never reaches the file system.
    upload.file.save(secrets.token_hex(16) + kind.extension, file, save=False)
    upload.save()
    CaseEvent.objects.create(
        case=case, at=now, action=UPLOAD_ACTION, by_name=ONLINE_APPLICANT, note=material
    )
    audit_record(
        by=None,
        action="case.supplement_upload",
        obj=case,
        center_id=case.center_id,
        after={
            "notice": notice.pk,
            "upload": upload.pk,
            "material": material,
            "file": upload.file.name,
            "type": kind.mime,
            "size": size,
        },
    )
    return upload


# --- public progress lookup (办件进度查询) ------------------------------------------------------


@dataclass(frozen=True)
class TimelineLine:
    at: dt.datetime
    action: str
    note: str = ""


@dataclass(frozen=True)
class CaseProgress:
    """What anyone holding the case number and the phone's last digits may read."""

    number: str
    item: str
    unit: str
    center: str
    applicant: str  # masked
    status: str
    status_label: str
    received_at: dt.datetime
    due_date: dt.date | None
    closed_at: dt.datetime | None
    timeline: list[TimelineLine] = field(default_factory=list)
    missing_materials: list[str] = field(default_factory=list)
    # Files sent online that the window asked for again: (material, what is wrong).
    asked_again: list[tuple[str, str]] = field(default_factory=list)


def clean_lookup(number: str, digits: str) -> tuple[str, str]:
    """The case number and the phone's last four digits as typed; malformed input is refused
    here, naming the field (which tells a guesser nothing about any case)."""
    number = "".join((number or "").split()).upper()
    digits = (digits or "").strip()
    if not CASE_NUMBER_RE.match(number):
        raise DomainError(_("Enter the case number printed on your receipt."), field="number")
    if not (len(digits) == 4 and digits.isascii() and digits.isdigit()):
        raise DomainError(_("Enter the last 4 digits of the phone number."), field="digits")
    return number, digits


def public_case_lookup(*, number: str, digits: str, client: str, scope: str, too_many: str) -> Case:
    """The case with this number whose applicant's phone ends in these 4 digits, for the public.

    A wrong number and wrong digits get the same answer. Each address may try 10 times in 10
    minutes and each case number may be guessed wrong 5 times an hour (counted per `scope`:
    progress lookup, rating …); beyond that, RateLimited with the `too_many` message.
    """
    number, digits = clean_lookup(number, digits)
    ip_limit, ip_window = LOOKUPS_PER_IP
    failure_limit, failure_window = FAILURES_PER_NUMBER
    if not hit(f"{scope}:ip:{client}", ip_limit, ip_window):
        raise RateLimited(too_many)
    failure_key = f"{scope}:fail:{number}"
    if exceeded(failure_key, failure_limit):
        raise RateLimited(too_many)
    # Numbers are unique per center: listing the centers lets the (center, number) index serve.
    centers = list(Center.objects.filter(is_active=True).values_list("pk", flat=True))
    case = (
        Case.objects.select_related("item", "unit", "center")
        .filter(center_id__in=centers, number=number, applicant_phone__endswith=digits)
        .order_by("-received_at", "-pk")
        .first()
    )
    if case is None:
        hit(failure_key, failure_limit, failure_window)
        raise DomainError(
            _("No case was found with this number and phone. Check both and try again.")
        )
    return case


def progress_lookup(*, number: str, digits: str, client: str) -> CaseProgress:
    """A case's progress by its number and the last 4 digits of the applicant's phone."""
    case = public_case_lookup(
        number=number,
        digits=digits,
        client=client,
        scope="progress",
        too_many=_("Too many lookups. Please try again later, or ask at the hall's window."),
    )
    return _progress(case)


def _progress(case: Case) -> CaseProgress:
    events = case.events.only("at", "action", "note").order_by("at", "pk")
    timeline = [
        TimelineLine(
            e.at, ACTION_NAMES.get(e.action, e.action), e.note if e.action in PUBLIC_NOTES else ""
        )
        for e in events
    ]
    missing: list[str] = []
    asked_again: list[tuple[str, str]] = []
    if case.status in (CaseStatus.SUPPLEMENTING, CaseStatus.SUSPENDED):
        notice = case.supplements.filter(resolved_at__isnull=True).order_by("-issued_at").first()
        if notice is not None:
            missing = [str(m) for m in notice.materials]
            asked_again = list(
                notice.uploads.filter(accepted=False).values_list("material", "review_note")
            )
    return CaseProgress(
        number=case.number,
        item=case.item.name,
        unit=case.unit.name,
        center=case.center.name,
        applicant=mask_name(case.applicant_name),
        status=case.status,
        status_label=str(case.get_status_display()),
        received_at=case.received_at,
        due_date=case.due_date if case.is_open else None,
        closed_at=case.closed_at,
        timeline=timeline,
        missing_materials=missing,
        asked_again=asked_again,
    )
