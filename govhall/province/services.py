"""Writes of the provincial links: the outbox (written with the change), delivery with retries,
fetching the platform's warnings, a person's "retry now", and the link's configuration.

Delivery is at-least-once with a platform that de-duplicates by `message_id`: a message is
claimed (status sent) in a short transaction under a row lock, handed to the adapter outside
any transaction, and its answer recorded in a second short transaction. Two pushers never hand
the same message over twice; a pusher that dies mid-call leaves the message sent, and it is
due again after CLAIM_LEASE.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from govhall.cases.models import Case
from govhall.core import clock
from govhall.core.access import Actor, require
from govhall.core.audit import audit_record, snapshot
from govhall.core.errors import DomainError
from govhall.org.models import Center
from govhall.province.adapters import (
    Ack,
    InboundWarning,
    PlatformError,
    ProvincialPlatform,
    adapter_for,
)
from govhall.province.choices import MessageKind, MessageStatus
from govhall.province.models import OutboxAttempt, OutboxMessage, ProvinceLink, ProvincialWarning
from govhall.province.rules import CLAIM_LEASE, backoff, gives_up

CLAIM_BATCH = 50


# --- the outbox ---------------------------------------------------------------------------


def outbox_write(
    *,
    center_id: int,
    kind: str,
    event: str,
    dedupe_key: str,
    reference: str,
    payload: dict[str, Any],
    case: Case | None = None,
    rating: Any = None,
) -> None:
    """Queue one message inside the caller's transaction: it exists exactly when the change
    it reports was committed. A second write with the same key is ignored (no error, so the
    caller's transaction stays usable on PostgreSQL)."""
    now = clock.now()
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                center_id=center_id,
                kind=kind,
                event=event,
                dedupe_key=dedupe_key,
                reference=reference[:64],
                payload=payload,
                case=case,
                rating=rating,
                next_attempt_at=now,
                created_at=now,
            )
        ],
        ignore_conflicts=True,
    )


def envelope(message: OutboxMessage) -> dict[str, Any]:
    """What the adapter receives: the stored payload with the message's identity."""
    return {
        "message_id": str(message.message_id),
        "kind": message.kind,
        "event": message.event,
        "center": message.payload.get("center", ""),
        "attempt": message.attempts,
        "written_at": message.created_at.isoformat(),
        "data": message.payload,
    }


# --- delivery -----------------------------------------------------------------------------


@dataclass
class PushResult:
    acknowledged: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def tried(self) -> int:
        return self.acknowledged + self.retrying + self.failed


def _due(now: dt.datetime, center: Center | None, ids: Iterable[int] | None) -> QuerySet:
    links = ProvinceLink.objects.filter(enabled=True)
    if center is not None:
        links = links.filter(center=center)
    due = OutboxMessage.objects.filter(
        Q(status=MessageStatus.PENDING, next_attempt_at__lte=now)
        | Q(status=MessageStatus.SENT, claimed_at__lt=now - CLAIM_LEASE),
        center_id__in=links.values("center_id"),
    )
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    return due


def _claim(now: dt.datetime, center: Center | None, ids: Iterable[int] | None) -> list:
    """Take a batch of due messages for this pusher. On PostgreSQL the rows another pusher has
    locked are skipped; SQLite serialises writers, and the status change hides them."""
    with transaction.atomic():
        batch = list(
            _due(now, center, ids)
            .select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "pk")[:CLAIM_BATCH]
        )
        if batch:
            OutboxMessage.objects.filter(pk__in=[m.pk for m in batch]).update(
                status=MessageStatus.SENT, claimed_at=now, attempts=F("attempts") + 1
            )
    for message in batch:
        message.status, message.claimed_at = MessageStatus.SENT, now
        message.attempts += 1
    return batch


def _hand_over(adapter: ProvincialPlatform, message: OutboxMessage) -> Ack:
    try:
        if message.kind == MessageKind.RATING:
            return adapter.push_rating(envelope(message))
        return adapter.push_case(envelope(message))
    except Exception as exc:  # an adapter must answer with an Ack; a crash is a failed try
        return Ack(ok=False, reason=f"the adapter failed: {exc!r}")


def _record(message: OutboxMessage, ack: Ack, link: ProvinceLink | None) -> str:
    """Store the answer; returns the message's new status."""
    at = clock.now()
    max_attempts = link.max_attempts if link is not None else 1
    reason = ack.reason or _("refused without a reason")
    if ack.ok:
        changes: dict[str, Any] = {
            "status": MessageStatus.ACKNOWLEDGED,
            "acknowledged_at": at,
            "ack_reference": ack.reference[:120],
            "last_error": "",
        }
    elif gives_up(message.attempts, max_attempts):
        changes = {"status": MessageStatus.FAILED, "last_error": reason}
    else:
        changes = {
            "status": MessageStatus.PENDING,
            "next_attempt_at": at + backoff(message.attempts),
            "last_error": reason,
        }
    with transaction.atomic():
        OutboxAttempt.objects.create(
            message=message, at=at, ok=ack.ok, detail=ack.reference if ack.ok else reason
        )
        # Only the pusher holding the claim records the outcome (a stale claim may be re-taken).
        updated = OutboxMessage.objects.filter(
            pk=message.pk, status=MessageStatus.SENT, claimed_at=message.claimed_at
        ).update(**changes)
        if updated and changes["status"] == MessageStatus.FAILED:
            audit_record(
                by=None,
                action="province.give_up",
                obj=message,
                center_id=message.center_id,
                after={"attempts": message.attempts, "error": reason},
            )
    for name, value in changes.items():
        setattr(message, name, value)
    return str(changes["status"])


def province_push(
    *, center: Center | None = None, message_ids: Iterable[int] | None = None
) -> PushResult:
    """Deliver every due message (of one center, or all) once; record acknowledgements,
    schedule retries with backoff, give up after the link's maximum attempts."""
    now = clock.now()
    result = PushResult()
    adapters: dict[int, tuple[ProvinceLink | None, ProvincialPlatform | None, str]] = {}
    ids = list(message_ids) if message_ids is not None else None
    while batch := _claim(now, center, ids):
        for message in batch:
            if message.center_id not in adapters:
                link = ProvinceLink.objects.filter(center_id=message.center_id).first()
                try:
                    adapters[message.center_id] = (link, adapter_for(link), "")
                except DomainError as exc:
                    adapters[message.center_id] = (link, None, exc.message)
            link, adapter, problem = adapters[message.center_id]
            ack = _hand_over(adapter, message) if adapter else Ack(ok=False, reason=problem)
            status = _record(message, ack, link)
            if status == MessageStatus.ACKNOWLEDGED:
                result.acknowledged += 1
            elif status == MessageStatus.FAILED:
                result.failed += 1
                result.errors.append(f"{message.reference}: {message.last_error}")
            else:
                result.retrying += 1
    return result


@transaction.atomic
def outbox_retry(*, by: Actor, message: OutboxMessage) -> OutboxMessage:
    """A person sends a failed message again: a fresh round of attempts, due now."""
    require(by, "province.retry_outboxmessage", center_id=message.center_id)
    message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if message.status != MessageStatus.FAILED:
        raise DomainError(
            _("Only a failed message can be retried; this one is {status}.").format(
                status=message.get_status_display()
            ),
            field="status",
        )
    before = {"status": message.status, "attempts": message.attempts}
    message.status = MessageStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = clock.now()
    message.save(update_fields=["status", "attempts", "next_attempt_at"])
    audit_record(
        by=by,
        action="province.retry",
        obj=message,
        center_id=message.center_id,
        before=before,
        after={"status": message.status, "attempts": 0},
    )
    return message


# --- inbound warnings ---------------------------------------------------------------------


@dataclass
class PullResult:
    stored: int = 0
    linked: int = 0
    errors: list[str] = field(default_factory=list)


def _store_warnings(link: ProvinceLink, warnings: list[InboundWarning], now: dt.datetime) -> tuple:
    unique = list({w.warning_id: w for w in reversed(warnings)}.values())
    ids = [w.warning_id for w in unique]
    numbers = {w.case_number for w in unique if w.case_number}
    cases = dict(
        Case.objects.filter(center_id=link.center_id, number__in=numbers).values_list(
            "number", "pk"
        )
    )
    known = dict(
        ProvincialWarning.objects.filter(center_id=link.center_id, warning_id__in=ids).values_list(
            "warning_id", "case_id"
        )
    )
    new = [
        ProvincialWarning(
            center_id=link.center_id,
            warning_id=w.warning_id,
            case_number=w.case_number,
            case_id=cases.get(w.case_number),
            level=w.level,
            message=w.message,
            issued_at=w.issued_at,
            received_at=now,
        )
        for w in unique
        if w.warning_id not in known
    ]
    ProvincialWarning.objects.bulk_create(new, ignore_conflicts=True)
    # A warning that arrived before its case did is linked once the case is known.
    linked = 0
    for w in unique:
        if w.warning_id in known and known[w.warning_id] is None and w.case_number in cases:
            linked += ProvincialWarning.objects.filter(
                center_id=link.center_id, warning_id=w.warning_id, case__isnull=True
            ).update(case_id=cases[w.case_number])
    return [w.warning_id for w in new], linked


def province_pull(*, center: Center | None = None) -> PullResult:
    """Fetch the platform's warnings for every enabled link (or one center's) and store the new
    ones, each once however often the platform repeats it."""
    result = PullResult()
    links = ProvinceLink.objects.filter(enabled=True).select_related("center").order_by("pk")
    if center is not None:
        links = links.filter(center=center)
    for link in links:
        now = clock.now()
        try:
            warnings = adapter_for(link).fetch_warnings(link.warnings_since)
        except (PlatformError, DomainError) as exc:
            ProvinceLink.objects.filter(pk=link.pk).update(
                last_pull_at=now, last_pull_error=str(exc)
            )
            result.errors.append(f"{link.center.name}: {exc}")
            continue
        with transaction.atomic():
            stored, linked = _store_warnings(link, warnings, now)
            since = link.warnings_since
            for warning in warnings:
                if warning.issued_at and (since is None or warning.issued_at > since):
                    since = warning.issued_at
            ProvinceLink.objects.filter(pk=link.pk).update(
                warnings_since=since, last_pull_at=now, last_pull_error=""
            )
            if stored or linked:
                audit_record(
                    by=None,
                    action="province.pull",
                    center_id=link.center_id,
                    object_type="province.provincialwarning",
                    object_repr=_("{n} warnings from the provincial platform").format(
                        n=len(stored)
                    ),
                    after={"stored": stored, "linked": linked},
                )
        result.stored += len(stored)
        result.linked += linked
    return result


# --- configuration ------------------------------------------------------------------------


LINK_FIELDS = (
    "adapter",
    "base_url",
    "enabled",
    "credentials_env",
    "send_personal_data",
    "timeout_seconds",
    "max_attempts",
)


@transaction.atomic
def province_link_save(*, by: Actor, center: Center, **values: Any) -> ProvinceLink:
    """Create or change a center's provincial link (adapter, URL, on/off, credentials variable)."""
    require(by, "province.change_provincelink", center_id=center.pk)
    unknown = set(values) - set(LINK_FIELDS)
    if unknown:
        raise DomainError(_("Unknown setting {name}.").format(name=", ".join(sorted(unknown))))
    link = ProvinceLink.objects.select_for_update().filter(center=center).first()
    before = snapshot(link) if link else None
    link = link or ProvinceLink(center=center)
    for name, value in values.items():
        setattr(link, name, value)
    try:
        link.full_clean()
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=name) from exc
    link.save()
    audit_record(
        by=by,
        action="province.link_save",
        obj=link,
        center_id=center.pk,
        before=before,
        after=snapshot(link),
    )
    return link
