"""Checkpoints of the audit chains' heads, kept where the database cannot rewrite them.

One JSON line per chain head — `{"chain", "center", "seq", "hash", "key_id", "at", "source"}` —
appended to `settings.GOVHALL_AUDIT_CHECKPOINTS` (var/audit/checkpoints.jsonl by default; opened
with O_APPEND, mode 600, never rewritten) and copied into every backup manifest. A chain that
is shorter than its newest checkpoint, differs from it, or is gone was cut off, rewritten or
deleted after the checkpoint was taken.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext


@dataclass(frozen=True)
class Checkpoint:
    """A chain's head as seen at some moment and recorded outside the database."""

    chain: int
    seq: int
    hash: str
    at: str = ""
    center: str = ""
    key_id: str | None = None
    source: str = ""

    def label(self) -> str:
        if not self.at:
            return "the head recorded in the backup manifest"
        return f"the checkpoint of {self.at} ({self.source})"

    def shown(self) -> str:
        """The label in the active language (the audit page)."""
        if not self.at:
            return gettext("the head recorded in the backup manifest")
        return gettext("the checkpoint of {at} ({source})").format(at=self.at, source=self.source)

    def as_line(self) -> dict[str, Any]:
        return asdict(self)


def checkpoints_path() -> Path:
    return Path(settings.GOVHALL_AUDIT_CHECKPOINTS)


def _checkpoint(record: Any) -> Checkpoint:
    if not isinstance(record, dict):
        raise TypeError("not an object")
    return Checkpoint(
        chain=int(record["chain"]),
        seq=int(record["seq"]),
        hash=str(record["hash"]),
        at=str(record.get("at") or ""),
        center=str(record.get("center") or ""),
        key_id=record.get("key_id"),
        source=str(record.get("source") or ""),
    )


def newest(checkpoints: Iterable[Checkpoint]) -> dict[int, Checkpoint]:
    """The newest checkpoint of each chain: the longest, the later one among equals (a rekey
    records the same sequence with its new hash)."""
    best: dict[int, Checkpoint] = {}
    for checkpoint in checkpoints:
        held = best.get(checkpoint.chain)
        if held is None or checkpoint.seq >= held.seq:
            best[checkpoint.chain] = checkpoint
    return best


def read_checkpoints(path: Path | None = None) -> dict[int, Checkpoint]:
    """The newest checkpoint per chain in a checkpoints file (JSON lines) or a backup manifest
    (its `audit_checkpoints`, or for older backups its `audit_heads`); {} when there is no file.

    Raises ValueError naming the file and line when a line is damaged.
    """
    path = path or checkpoints_path()
    if not path.is_file():
        return {}
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        try:
            manifest = json.loads(text)
            records = manifest.get("audit_checkpoints") or manifest.get("audit_heads") or []
            return newest(_checkpoint(record) for record in records)
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"checkpoints in {path} are damaged: {error}") from None
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            found.append(_checkpoint(json.loads(line)))
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path} line {number} is damaged: {error}") from None
    return newest(found)


def append_checkpoints(checkpoints: list[Checkpoint], path: Path | None = None) -> Path:
    """Append the lines in one write to the file opened with O_APPEND (created with mode 600):
    the application only ever adds to it, so no process of it can rewrite an earlier line."""
    path = path or checkpoints_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    data = "".join(
        json.dumps(c.as_line(), ensure_ascii=False, sort_keys=True) + "\n" for c in checkpoints
    ).encode("utf-8")
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        if data:
            os.write(descriptor, data)
            os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return path
