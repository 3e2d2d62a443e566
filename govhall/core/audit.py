"""The audit trail: append-only entries, hash-chained per center, keyed, anchored outside.

Each entry's hash is an HMAC-SHA256, under a key derived from GOVHALL_DATA_KEY (never stored in
the database), of its own content and of the previous entry's hash: editing or deleting any
entry breaks the chain from that point on, and whoever has only the database cannot recompute
it. Checkpoints of every chain's head (`checkpoints.py`), kept in an append-only file and in
every backup manifest, catch what a chain alone cannot: its newest entries cut off with the head
rolled back, or a whole chain deleted. `verify_audit` walks the chains and compares them with
the checkpoints; docs/security.md says what this proves and what it cannot.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import hmac
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from govhall.core.access import Actor
from govhall.core.audit_actions import ACTION_LABELS
from govhall.core.checkpoints import Checkpoint, read_checkpoints
from govhall.core.crypto import derived_keys
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


def chain_centers() -> dict[int, str]:
    """Center id → name, for the chains (a chain is numbered by its center's id). Core knows no
    domain app: the center model is found by its label when the names are needed."""
    return dict(apps.get_model("org", "Center").objects.values_list("pk", "name"))


def audit_keys() -> tuple[bytes, ...]:
    """The chain's HMAC keys: the first signs new entries, every one verifies (key rotation)."""
    return derived_keys("audit-chain")


def key_id(key: bytes) -> str:
    """A fingerprint naming a key in checkpoints and messages; it reveals nothing of the key."""
    return hmac.new(key, b"govhall audit key id", hashlib.sha256).hexdigest()[:16]


def _payload(entry: AuditEntry) -> bytes:
    return _canonical(
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
    ).encode("utf-8")


def entry_hash(entry: AuditEntry, key: bytes | None = None) -> str:
    """The keyed hash (HMAC-SHA256) of an entry's content and of the previous entry's hash."""
    return hmac.new(key or audit_keys()[0], _payload(entry), hashlib.sha256).hexdigest()


def audit_record(
    *,
    by: Actor,
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
    if getattr(settings, "GOVHALL_AUDIT_STRICT_ACTIONS", False) and action not in ACTION_LABELS:
        # The tests run strict: a code the audit page could only show raw is a bug.
        raise ImproperlyConfigured(
            f"audit action {action!r} has no label in govhall/core/audit_actions.py"
        )
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


# Every change in the product appends here, so the append is two plain statements on PostgreSQL
# (three on SQLite) rather than ORM calls (a fifth of a case intake's Python time went to building them). Both PostgreSQL and
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
        set_hash = f"UPDATE {head_table} SET hash = %s WHERE chain = %s"  # noqa: S608
        if connection.vendor == "postgresql":
            # One round trip for both: a round trip costs both processes CPU (docs/performance.md).
            cursor.execute(
                f"WITH head AS ({set_hash}) {insert}", [entry.hash, entry.chain, *values]
            )
            (entry.pk,) = cursor.fetchone()
        else:  # SQLite has no data-modifying WITH
            cursor.execute(insert, values)
            (entry.pk,) = cursor.fetchone()
            cursor.execute(set_hash, [entry.hash, entry.chain])
    entry._state.adding, entry._state.db = False, connection.alias  # stored: never saved again
    return entry


# What a problem means for `verify_audit --rekey`: only UNKEYED (entries written before the
# chain was keyed) may be re-hashed; anything else is tampering or a wrong key.
BROKEN, UNKEYED, WRONG_KEY = "broken", "unkeyed", "wrong_key"


@dataclass(frozen=True)
class ChainProblem:
    """One break found in a chain. `problem` is the operator's English line (verify_audit);
    `shown()` says the same in the reader's language for the audit page."""

    chain: int | None
    seq: int
    problem: str
    kind: str = BROKEN
    template: str = ""  # the message id `problem` was formatted from (N_ marks it)
    params: tuple[tuple[str, Any], ...] = ()

    def __str__(self) -> str:
        if self.chain is None:
            return self.problem
        if not self.seq:
            return f"chain {self.chain}: {self.problem}"
        return f"chain {self.chain} #{self.seq}: {self.problem}"

    def shown(self) -> str:
        """The problem in the active language, with the chain and entry it is about."""
        params = {k: v.shown() if isinstance(v, Checkpoint) else v for k, v in self.params}
        text = gettext(self.template).format(**params) if self.template else self.problem
        if self.chain is None:
            return text
        if not self.seq:
            return gettext("chain {chain}: {problem}").format(chain=self.chain, problem=text)
        return gettext("chain {chain} entry #{seq}: {problem}").format(
            chain=self.chain, seq=self.seq, problem=text
        )


def _problem(
    chain: int | None, seq: int, template: str, kind: str = BROKEN, **params: Any
) -> ChainProblem:
    english = {k: v.label() if isinstance(v, Checkpoint) else v for k, v in params.items()}
    return ChainProblem(
        chain, seq, template.format(**english), kind, template, tuple(sorted(params.items()))
    )


def _runs(seqs: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for seq in seqs:
        if runs and runs[-1][1] == seq - 1:
            runs[-1] = (runs[-1][0], seq)
        else:
            runs.append((seq, seq))
    return runs


def _span(first: int, last: int) -> str:
    return f"#{first}" if first == last else f"#{first}–#{last}"


def verify_chain(chain: int, checkpoint: Checkpoint | None = None) -> list[ChainProblem]:
    """Every break in one chain: an edited entry, a missing one, a cut-off tail, an entry
    re-hashed without the key, and any difference from the chain's newest checkpoint."""
    keys = audit_keys()
    problems: list[ChainProblem] = []
    prev_hash = GENESIS
    expected_seq = 1
    total = 0
    changed: list[int] = []
    unkeyed_before: list[int] = []  # unkeyed entries before the first keyed one: pre-upgrade
    unkeyed_after: list[int] = []  # unkeyed entries after a keyed one: forged
    keyed_seen = False
    hash_at_checkpoint: str | None = None
    entries = AuditEntry.objects.filter(chain=chain).order_by("seq")
    for entry in entries.iterator(chunk_size=2000):
        total += 1
        if entry.seq != expected_seq:
            problems.append(
                _problem(
                    chain,
                    expected_seq,
                    gettext_noop("entries {first}–{last} missing"),
                    first=expected_seq,
                    last=entry.seq - 1,
                )
            )
        if entry.prev_hash != prev_hash:
            problems.append(
                _problem(chain, entry.seq, gettext_noop("does not follow the previous entry"))
            )
        payload = _payload(entry)
        if any(
            hmac.compare_digest(hmac.new(key, payload, hashlib.sha256).hexdigest(), entry.hash)
            for key in keys
        ):
            keyed_seen = True
        elif hashlib.sha256(payload).hexdigest() == entry.hash:
            (unkeyed_after if keyed_seen else unkeyed_before).append(entry.seq)
        else:
            changed.append(entry.seq)
        if checkpoint is not None and entry.seq == checkpoint.seq:
            hash_at_checkpoint = entry.hash
        prev_hash = entry.hash
        expected_seq = entry.seq + 1
    if total and len(changed) == total:
        problems.append(
            _problem(
                chain,
                0,
                gettext_noop(
                    "none of its {total} entries verifies with the configured key: "
                    "GOVHALL_DATA_KEY is not the key this trail was written with"
                ),
                WRONG_KEY,
                total=total,
            )
        )
    else:
        problems += [_problem(chain, seq, gettext_noop("content was changed")) for seq in changed]
    for first, last in _runs(unkeyed_after):
        problems.append(
            _problem(
                chain,
                first,
                gettext_noop(
                    "entries {span} were re-hashed without the key after keyed entries: "
                    "changed by someone without the key"
                ),
                span=_span(first, last),
            )
        )
    for first, last in _runs(unkeyed_before):
        problems.append(
            _problem(
                chain,
                first,
                gettext_noop(
                    "entries {span} are hashed without the key (written before the chain was "
                    "keyed): after checking them, run `manage.py verify_audit --rekey` once"
                ),
                UNKEYED,
                span=_span(first, last),
            )
        )
    head = AuditHead.objects.filter(chain=chain).first()
    last_seq = expected_seq - 1
    if head is not None and (head.seq != last_seq or head.hash != prev_hash):
        problems.append(
            _problem(
                chain,
                last_seq + 1,
                gettext_noop("entries after #{last} missing (head #{head})"),
                last=last_seq,
                head=head.seq,
            )
        )
    if checkpoint is not None:
        problems += _against_checkpoint(
            chain, checkpoint, total, head, last_seq, hash_at_checkpoint
        )
    return problems


def _against_checkpoint(
    chain: int,
    checkpoint: Checkpoint,
    total: int,
    head: AuditHead | None,
    last_seq: int,
    hash_at_checkpoint: str | None,
) -> list[ChainProblem]:
    problems = []
    where = checkpoint
    name = f" ({checkpoint.center})" if checkpoint.center else ""
    if checkpoint.key_id and checkpoint.key_id not in {key_id(k) for k in audit_keys()}:
        problems.append(
            _problem(
                chain,
                0,
                gettext_noop(
                    "{where} was written with audit key {key}, which is not among the "
                    "configured keys ({keys}): GOVHALL_DATA_KEY is not this site's key"
                ),
                WRONG_KEY,
                where=where,
                key=checkpoint.key_id,
                keys=", ".join(key_id(k) for k in audit_keys()),
            )
        )
    if total == 0 and head is None:
        if checkpoint.seq:
            problems.append(
                _problem(
                    chain,
                    0,
                    gettext_noop(
                        "the whole chain{name} is missing: {where} recorded {count} entries"
                    ),
                    name=name,
                    where=where,
                    count=checkpoint.seq,
                )
            )
    elif last_seq < checkpoint.seq:
        problems.append(
            _problem(
                chain,
                last_seq + 1,
                gettext_noop(
                    "the chain{name} is shorter than {where}: it ends at #{last}, "
                    "the checkpoint recorded #{recorded}"
                ),
                name=name,
                where=where,
                last=last_seq,
                recorded=checkpoint.seq,
            )
        )
    elif checkpoint.seq and hash_at_checkpoint != checkpoint.hash:
        problems.append(
            _problem(
                chain,
                checkpoint.seq,
                gettext_noop("differs from {where}: the entries up to it were rewritten"),
                where=where,
            )
        )
    return problems


def verify_all(
    chains: Iterable[int] | None = None, *, checkpoints: dict[int, Checkpoint] | None = None
) -> tuple[int, list[ChainProblem]]:
    """(entries checked, problems) over the given chains, or all of them, compared with the
    newest checkpoint of each (by default those of the checkpoints file)."""
    if checkpoints is None:
        try:
            checkpoints = read_checkpoints()
        except ValueError as error:
            checkpoints = {}
            damaged = [ChainProblem(None, 0, str(error))]
        else:
            damaged = []
    else:
        damaged = []
    if chains is None:
        chains = sorted(
            set(AuditHead.objects.values_list("chain", flat=True))
            | set(AuditEntry.objects.values_list("chain", flat=True).distinct())
            | set(checkpoints)
        )
    chains = list(chains)
    problems: list[ChainProblem] = list(damaged)
    for chain in chains:
        problems.extend(verify_chain(chain, checkpoints.get(chain)))
    checked = AuditEntry.objects.filter(chain__in=chains).count()
    return checked, problems


class RekeyRefused(Exception):
    """The trail has problems that re-hashing would hide: it is not re-keyed."""

    def __init__(self, problems: list[ChainProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def _rehash(chain: int, key: bytes) -> int:
    """Re-hash one chain under `key` (the caller holds the heads' locks); entries changed."""
    update = (
        f"UPDATE {connection.ops.quote_name(AuditEntry._meta.db_table)}"  # noqa: S608
        " SET prev_hash = %s, hash = %s WHERE id = %s"
    )
    prev_hash, last_seq, changed = GENESIS, 0, 0
    while True:
        # Pages by sequence, so the rows being updated are never under an open cursor.
        batch = list(
            AuditEntry.objects.filter(chain=chain, seq__gt=last_seq).order_by("seq")[:2000]
        )
        if not batch:
            break
        rows = []
        for entry in batch:
            stored = (entry.prev_hash, entry.hash)
            entry.prev_hash = prev_hash
            entry.hash = entry_hash(entry, key)
            if (entry.prev_hash, entry.hash) != stored:
                rows.append((entry.prev_hash, entry.hash, entry.pk))
            prev_hash, last_seq = entry.hash, entry.seq
        with connection.cursor() as cursor:
            cursor.executemany(update, rows)
        changed += len(rows)
    AuditHead.objects.filter(chain=chain).update(hash=prev_hash)
    return changed


def audit_rekey(*, checkpoints: dict[int, Checkpoint] | None = None) -> dict[int, int]:
    """Re-hash every chain under the current key, once, at the upgrade to the keyed chain (or
    after a data-key rotation): entries changed per chain.

    Refuses (RekeyRefused, nothing written) unless the only problems are entries hashed before
    the chain was keyed: re-hashing must never turn tampering into a valid chain. All chains in
    one transaction with their heads locked, so no append slips in between check and rewrite.
    """
    if checkpoints is None:
        checkpoints = read_checkpoints()
    key = audit_keys()[0]
    with transaction.atomic():
        heads = list(AuditHead.objects.select_for_update().order_by("chain"))
        chains = sorted(
            {head.chain for head in heads}
            | set(AuditEntry.objects.values_list("chain", flat=True).distinct())
            | set(checkpoints)
        )
        problems = [p for chain in chains for p in verify_chain(chain, checkpoints.get(chain))]
        blocking = [p for p in problems if p.kind != UNKEYED]
        if blocking:
            raise RekeyRefused(blocking)
        return {chain: _rehash(chain, key) for chain in chains}
