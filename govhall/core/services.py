"""Core writes that belong to no domain app: the audit trail's checkpoints."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone

from govhall.core.audit import audit_keys, key_id
from govhall.core.checkpoints import (
    Checkpoint,
    append_checkpoints,
    checkpoints_path,
    read_checkpoints,
)
from govhall.core.models import AuditHead
from govhall.org.models import Center


@dataclass(frozen=True)
class CheckpointsWritten:
    path: Path
    checkpoints: list[Checkpoint]  # every chain's head, written now or already on file
    written: int


def audit_checkpoint_write(
    *, heads: list[dict[str, Any]] | None = None, source: str = "scheduled"
) -> CheckpointsWritten:
    """Append a checkpoint of every audit chain's head to the checkpoints file (idempotent: a
    head already recorded as the chain's newest checkpoint is not written again).

    `heads` ({"chain", "seq", "hash"}) are the ones a backup read from its own snapshot; by
    default the database's current heads. Run at least daily (the scheduler) and by every backup.
    """
    if heads is None:
        heads = [
            {"chain": chain, "seq": seq, "hash": digest}
            for chain, seq, digest in AuditHead.objects.order_by("chain").values_list(
                "chain", "seq", "hash"
            )
        ]
    names = dict(Center.objects.values_list("pk", "name"))
    at = timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds")
    current_key = key_id(audit_keys()[0])
    checkpoints = [
        Checkpoint(
            chain=head["chain"],
            seq=head["seq"],
            hash=head["hash"],
            at=at,
            center=names.get(head["chain"], ""),
            key_id=current_key,
            source=source,
        )
        for head in heads
    ]
    try:
        on_file = read_checkpoints()
    except ValueError:
        on_file = {}  # a damaged line: write every head again; verify_audit reports the damage
    new = [
        c
        for c in checkpoints
        if (held := on_file.get(c.chain)) is None
        or (held.seq, held.hash, held.key_id) != (c.seq, c.hash, c.key_id)
    ]
    path = append_checkpoints(new) if new else checkpoints_path()
    return CheckpointsWritten(path=path, checkpoints=checkpoints, written=len(new))
