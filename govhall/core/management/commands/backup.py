"""manage.py backup --out DIR: the database, the uploaded files and a manifest, while serving.

SQLite is copied with sqlite3's online backup API (a consistent snapshot even while the server
writes); PostgreSQL with `pg_dump --format=custom`, using the connection's own parameters. The
media directory goes into a tar file. manifest.json records when, which database, the row count
of every table and the head of every audit chain, so `restore` can prove it got it all back;
the heads are also checkpointed (center, sequence, hash, time) in the manifest and appended to
the audit checkpoints file, an anchor the database cannot rewrite (docs/security.md).

The secret key and the data encryption key are not in the backup: they must be kept apart
(docs/backup.md). The backup holds every applicant's personal data: its directory is 0700 and
each file 0600 from its creation (govhall.core.private).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils.translation import gettext as _

from govhall.core.clock import now
from govhall.core.models import AuditHead
from govhall.core.private import DIR_MODE, private_dir, private_file
from govhall.core.services import audit_checkpoint_write

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"
FORMAT = 1


def vendor() -> str:
    """'sqlite' or 'postgresql' (the only two the product runs on)."""
    if connection.vendor not in ("sqlite", "postgresql"):
        raise CommandError(
            _("Backups support SQLite and PostgreSQL, not {vendor}.").format(
                vendor=connection.vendor
            )
        )
    return connection.vendor


def model_tables() -> list[str]:
    """The table of every model (many-to-many tables included)."""
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )


def count_rows(cursor: Any, tables: list[str], quote: Any) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (model table names)
        counts[table] = cursor.fetchone()[0]
    return counts


def table_counts() -> dict[str, int]:
    """Rows per model table in the connected database."""
    existing = set(connection.introspection.table_names())
    tables = [t for t in model_tables() if t in existing]
    with connection.cursor() as cursor:
        return count_rows(cursor, tables, connection.ops.quote_name)


def sqlite_counts(path: Path) -> dict[str, int]:
    """Rows per model table in an SQLite file (the copy itself, so they match it exactly)."""
    database = sqlite3.connect(path)
    try:
        existing = {row[0] for row in database.execute("SELECT name FROM sqlite_master")}
        tables = [t for t in model_tables() if t in existing]
        return count_rows(database.cursor(), tables, lambda name: f'"{name}"')
    finally:
        database.close()


def audit_heads() -> list[dict[str, Any]]:
    return [
        {"chain": chain, "seq": seq, "hash": digest}
        for chain, seq, digest in AuditHead.objects.order_by("chain").values_list(
            "chain", "seq", "hash"
        )
    ]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pg_environment() -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore and the environment carrying the password."""
    params = connection.settings_dict
    options: list[str] = []
    if params.get("HOST"):
        options += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        options += ["--port", str(params["PORT"])]
    if params.get("USER"):
        options += ["--username", str(params["USER"])]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    return options, env


def require_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise CommandError(
            _(
                "{tool} is not installed: install the PostgreSQL client (apt install {package})."
            ).format(tool=name, package="postgresql-client")
        )
    return found


def run_tool(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise CommandError(
            _("{tool} failed: {error}").format(
                tool=Path(command[0]).name, error=result.stderr.strip()
            )
        )


def _backup_sqlite(target: Path) -> tuple[dict[str, int], list[dict[str, Any]]]:
    source_name = str(connection.settings_dict["NAME"])
    source = sqlite3.connect(source_name, uri=source_name.startswith("file:"))
    destination = sqlite3.connect(target)
    try:
        # The online backup copies a consistent snapshot even while other processes write.
        source.backup(destination)
        heads = [
            {"chain": chain, "seq": seq, "hash": digest}
            for chain, seq, digest in destination.execute(
                f"SELECT chain, seq, hash FROM {AuditHead._meta.db_table} ORDER BY chain"  # noqa: S608
            )
        ]
    finally:
        destination.close()
        source.close()
    return sqlite_counts(target), heads


def _backup_postgresql(target: Path) -> tuple[dict[str, int], list[dict[str, Any]]]:
    options, env = pg_environment()
    command = [require_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
    command += [*options, "--file", str(target), str(connection.settings_dict["NAME"])]
    if connection.in_atomic_block:
        # Inside a caller's transaction (tests): counts from this connection's view.
        run_tool(command, env)
        return table_counts(), audit_heads()
    with transaction.atomic():
        # pg_dump reads the very snapshot the counts are taken in, so they describe the dump.
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        counts, heads = table_counts(), audit_heads()
        run_tool([*command[:1], f"--snapshot={snapshot}", *command[1:]], env)
    return counts, heads


def _backup_media(target: Path) -> dict[str, int]:
    root = Path(settings.MEDIA_ROOT)
    files = size = 0
    with tarfile.open(target, "w:gz") as archive:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=str(path.relative_to(root)))
                    files += 1
                    size += path.stat().st_size
    return {"files": files, "bytes": size}


class Command(BaseCommand):
    help = "Back up the database, the uploaded files and a manifest into a new directory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help="directory to create (must be empty)")

    def handle(self, *args: Any, out: str, **options: Any) -> None:
        kind = vendor()
        directory = Path(out)
        if directory.exists() and any(directory.iterdir()):
            raise CommandError(
                _("--out {dir} is not empty: give a new directory for each backup.").format(
                    dir=directory
                )
            )
        private_dir(directory).chmod(DIR_MODE)  # an empty folder given by the operator too
        started = now()
        database_file = directory / (SQLITE_FILE if kind == "sqlite" else PG_FILE)
        # Each file exists, empty and 0600, before anything is written into it; sqlite3,
        # pg_dump, tarfile and write_text all keep an existing file's mode.
        for name in (database_file.name, MEDIA_FILE, MANIFEST):
            private_file(directory / name)
        if kind == "sqlite":
            counts, heads = _backup_sqlite(database_file)
        else:
            counts, heads = _backup_postgresql(database_file)
        media = _backup_media(directory / MEDIA_FILE)
        checkpoints = audit_checkpoint_write(heads=heads, source="backup").checkpoints
        manifest = {
            "format": FORMAT,
            "created_at": started.isoformat(),
            "database": {
                "vendor": kind,
                "file": database_file.name,
                "sha256": sha256(database_file),
            },
            "media": {"file": MEDIA_FILE, "sha256": sha256(directory / MEDIA_FILE), **media},
            "counts": counts,
            "audit_heads": heads,
            "audit_checkpoints": [checkpoint.as_line() for checkpoint in checkpoints],
            "not_included": ["SECRET_KEY (var/secret_key)", "GOVHALL_DATA_KEY (var/data_key)"],
        }
        (directory / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        self.stdout.write(
            _("Backup written to {dir}: {tables} tables, {rows} rows, {files} files.").format(
                dir=directory,
                tables=len(counts),
                rows=sum(counts.values()),
                files=media["files"],
            )
        )
