"""The audit trail: append-only entries, hash-chained per center.

Each entry's hash covers its own content and the previous entry's hash, so editing or
deleting any entry breaks the chain from that point on; `verify_audit` walks it.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from govhall.core.models import AuditEntry, AuditHead
from govhall.core.text import mask_id_number, mask_phone

GENESIS = "0" * 64
SYSTEM_ACTOR = "系统"
# Public contact numbers (a hall's switchboard, an item's enquiry line) are not personal data.
PUBLIC_CONTACTS = {"org.center", "catalog.itemversion", "catalog.serviceitem"}


def _masked(value: Any, public_contacts: bool) -> Any:
    """Personal data as the audit trail keeps it: ID numbers and personal phones masked, the
    trail being readable by the office and supervisors, who need not see them in full."""
    if isinstance(value, list):
        return [_masked(v, public_contacts) for v in value]
    if not isinstance(value, dict):
        return value
    result = {}
    for key, item in value.items():
        if isinstance(item, str) and item and key.endswith("id_number"):
            item = mask_id_number(item)
        elif (
            isinstance(item, str)
            and item
            and not public_contacts
            and (key == "phone" or key.endswith("_phone"))
        ):
            item = mask_phone(item)
        else:
            item = _masked(item, public_contacts)
        result[key] = item
    return result


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or None
    raise TypeError(f"not JSON-serialisable in the audit trail: {type(value).__name__}")


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=_json_default)


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The values of a record's concrete fields (foreign keys as ids), JSON-ready."""
    names = set(fields) if fields is not None else None
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if names is not None and field.name not in names:
            continue
        data[field.attname] = field.value_from_object(obj)
    return json.loads(_canonical(data))


def entry_hash(entry: AuditEntry) -> str:
    """The hash of an entry's content and of the previous entry's hash."""
    payload = _canonical(
        {
            "prev": entry.prev_hash,
            "chain": entry.chain,
            "seq": entry.seq,
            "at": entry.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "actor_id": entry.actor_id,
            "actor": entry.actor_name,
            "action": entry.action,
            "type": entry.object_type,
            "id": entry.object_id,
            "repr": entry.object_repr,
            "before": entry.before,
            "after": entry.after,
        }
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def audit_record(
    *,
    by: Any,
    action: str,
    obj: models.Model | None = None,
    center_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEntry:
    """Append one entry to the chain of `center_id` (0: system-wide); `by` None is the system."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    chain = center_id or 0
    actor_id = getattr(by, "pk", None)
    actor_name = (by.get_username() if by is not None else SYSTEM_ACTOR)[:150]
    public_contacts = object_type in PUBLIC_CONTACTS
    before = (
        _masked(json.loads(_canonical(before)), public_contacts) if before is not None else None
    )
    after = _masked(json.loads(_canonical(after)), public_contacts) if after is not None else None
    return _append(
        AuditEntry(
            chain=chain,
            actor_id=actor_id,
            actor_name=actor_name,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr,
            before=before,
            after=after,
        )
    )


# Every change in the product appends here, so the append is three plain statements rather than
# ORM calls (a fifth of a case intake's Python time went to building them). Both PostgreSQL and
# SQLite ≥ 3.35 have UPDATE/INSERT … RETURNING.
ENTRY_COLUMNS = (
    "chain", "seq", "created_at", "actor", "actor_name", "action", "object_type", "object_id",
    "object_repr", "before", "after", "prev_hash", "hash",
)  # fmt: skip


def _append(entry: AuditEntry) -> AuditEntry:
    quote = connection.ops.quote_name
    head_table, entry_table = quote(AuditHead._meta.db_table), quote(AuditEntry._meta.db_table)
    fields = [AuditEntry._meta.get_field(name) for name in ENTRY_COLUMNS]
    # Moving the head takes its row lock until the commit, so appends to one chain queue up and
    # the chain never forks; it returns the new sequence and the previous entry's hash.
    advance = f"UPDATE {head_table} SET seq = seq + 1 WHERE chain = %s RETURNING seq, hash"  # noqa: S608
    insert = (
        f"INSERT INTO {entry_table} ({', '.join(quote(f.column) for f in fields)})"  # noqa: S608
        f" VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote('id')}"
    )
    # No savepoint: a failed append must undo the caller's change too.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(advance, [entry.chain])
        row = cursor.fetchone()
        if row is None:  # the chain's first entry
            AuditHead.objects.get_or_create(chain=entry.chain, defaults={"hash": GENESIS})
            cursor.execute(advance, [entry.chain])
            row = cursor.fetchone()
        entry.seq, entry.prev_hash = row
        entry.created_at = timezone.now()
        entry.hash = entry_hash(entry)
        values = [
            field.get_db_prep_save(getattr(entry, field.attname), connection) for field in fields
        ]
        cursor.execute(insert, values)
        (entry.pk,) = cursor.fetchone()
        cursor.execute(
            f"UPDATE {head_table} SET hash = %s WHERE chain = %s",  # noqa: S608
            [entry.hash, entry.chain],
        )
    entry._state.adding, entry._state.db = False, connection.alias  # stored: never saved again
    return entry


@dataclass(frozen=True)
class ChainProblem:
    chain: int
    seq: int
    problem: str

    def __str__(self) -> str:
        return f"chain {self.chain} #{self.seq}: {self.problem}"


def verify_chain(chain: int) -> list[ChainProblem]:
    """Every break in one chain: an edited entry, a missing one, or a cut-off tail."""
    problems: list[ChainProblem] = []
    prev_hash = GENESIS
    expected_seq = 1
    entries = AuditEntry.objects.filter(chain=chain).order_by("seq")
    for entry in entries.iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            problems.append(
                ChainProblem(chain, expected_seq, f"entries {expected_seq}–{entry.seq - 1} missing")
            )
        if entry.prev_hash != prev_hash:
            problems.append(ChainProblem(chain, entry.seq, "does not follow the previous entry"))
        recomputed = entry_hash(entry)
        if recomputed != entry.hash:
            problems.append(ChainProblem(chain, entry.seq, "content was changed"))
        prev_hash = entry.hash
        expected_seq = entry.seq + 1
    head = AuditHead.objects.filter(chain=chain).first()
    last_seq = expected_seq - 1
    if head is not None and (head.seq != last_seq or head.hash != prev_hash):
        problems.append(
            ChainProblem(
                chain, last_seq + 1, f"entries after #{last_seq} missing (head #{head.seq})"
            )
        )
    return problems


def verify_all(chains: Iterable[int] | None = None) -> tuple[int, list[ChainProblem]]:
    """(entries checked, problems) over the given chains, or all of them."""
    if chains is None:
        chains = sorted(
            set(AuditHead.objects.values_list("chain", flat=True))
            | set(AuditEntry.objects.values_list("chain", flat=True).distinct())
        )
    chains = list(chains)
    problems: list[ChainProblem] = []
    for chain in chains:
        problems.extend(verify_chain(chain))
    checked = AuditEntry.objects.filter(chain__in=chains).count()
    return checked, problems
