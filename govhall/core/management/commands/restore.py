"""manage.py restore DIR [--force]: put a backup made by `manage.py backup` back, then prove it.

Refuses a database that already holds data (centers, accounts or audit entries) unless --force.
SQLite: the backup file replaces the database through sqlite3's backup API; PostgreSQL:
`pg_restore --clean --if-exists --single-transaction` into the configured database. The media
tar is unpacked into MEDIA_ROOT. Afterwards every table's row count is compared with the
manifest, the audit chain heads must match and `verify_audit` must pass against the manifest's
checkpoints; the site's checkpoints file is compared too, and a chain behind it (entries written
after this backup, lost by restoring it) is reported as a warning.
"""

from __future__ import annotations

import json
import sqlite3
import tarfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, connections
from django.utils.translation import gettext as _

from govhall.core.audit import verify_all
from govhall.core.checkpoints import checkpoints_path, read_checkpoints
from govhall.core.management.commands.backup import (
    FORMAT,
    MANIFEST,
    audit_heads,
    pg_environment,
    require_tool,
    run_tool,
    sha256,
    table_counts,
    vendor,
)

# A database "holds data" once it has any of these: restoring over it would lose them.
DATA_TABLES = ("org_center", "auth_user", "core_auditentry")


def read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST
    if not path.is_file():
        raise CommandError(
            _("{dir} is not a backup: {file} is missing.").format(dir=directory, file=MANIFEST)
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise CommandError(_("{file} is damaged: {error}").format(file=path, error=error)) from None
    if manifest.get("format") != FORMAT:
        raise CommandError(
            _("{file} has format {found}; this version reads format {expected}.").format(
                file=path, found=manifest.get("format"), expected=FORMAT
            )
        )
    return manifest


def check_file(directory: Path, part: dict[str, Any]) -> Path:
    path = directory / part["file"]
    if not path.is_file():
        raise CommandError(_("The backup lacks {file}.").format(file=path))
    if sha256(path) != part["sha256"]:
        raise CommandError(
            _("{file} does not match its checksum in the manifest: the copy is damaged.").format(
                file=path
            )
        )
    return path


def rows_held() -> dict[str, int]:
    """Rows in the tables that make a database non-empty (missing tables count as empty)."""
    existing = set(connection.introspection.table_names())
    held = {}
    with connection.cursor() as cursor:
        for table in DATA_TABLES:
            if table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                held[table] = cursor.fetchone()[0]
    return {table: n for table, n in held.items() if n}


def _restore_sqlite(source: Path) -> None:
    target = str(connection.settings_dict["NAME"])
    connections.close_all()
    backup = sqlite3.connect(source)
    database = sqlite3.connect(target, uri=target.startswith("file:"))
    try:
        # Replaces every page of the target: tables absent from the backup disappear too.
        backup.backup(database)
    finally:
        database.close()
        backup.close()


def _restore_postgresql(source: Path) -> None:
    options, env = pg_environment()
    name = str(connection.settings_dict["NAME"])
    connections.close_all()
    command = [require_tool("pg_restore"), "--no-owner", "--no-privileges", "--clean"]
    command += ["--if-exists", "--single-transaction", "--exit-on-error", *options]
    run_tool([*command, "--dbname", name, str(source)], env)


def _restore_media(archive_path: Path) -> int:
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_path, "r:gz") as archive:
        members = archive.getmembers()
        # The "data" filter refuses absolute paths, links out of the tree and device files.
        archive.extractall(root, filter="data")  # noqa: S202
    return sum(1 for member in members if member.isfile())


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into the configured database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="the backup directory (holds manifest.json)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that already holds data (it is lost)",
        )

    def handle(self, *args: Any, directory: str, force: bool, **options: Any) -> None:
        source = Path(directory)
        manifest = read_manifest(source)
        kind = vendor()
        if manifest["database"]["vendor"] != kind:
            raise CommandError(
                _("This is a {backup} backup; the configured database is {current}.").format(
                    backup=manifest["database"]["vendor"], current=kind
                )
            )
        database_file = check_file(source, manifest["database"])
        media_file = check_file(source, manifest["media"])
        held = rows_held()
        if held and not force:
            summary = ", ".join(f"{table}: {n}" for table, n in sorted(held.items()))
            raise CommandError(
                _(
                    "The database {name} already holds data ({summary}). Restore into an empty "
                    "database, or add --force to replace it (its current data is lost)."
                ).format(name=connection.settings_dict["NAME"], summary=summary)
            )
        if kind == "sqlite":
            _restore_sqlite(database_file)
        else:
            _restore_postgresql(database_file)
        files = _restore_media(media_file)
        self._check(manifest)
        call_command(
            "verify_audit",
            checkpoints=str(source / MANIFEST),
            stdout=self.stdout,
            stderr=self.stderr,
        )
        self._compare_with_checkpoints_file()
        self.stdout.write(
            _("Restored {rows} rows in {tables} tables and {files} files from {dir}.").format(
                rows=sum(manifest["counts"].values()),
                tables=len(manifest["counts"]),
                files=files,
                dir=source,
            )
        )

    def _compare_with_checkpoints_file(self) -> None:
        """Checkpoints newer than the backup: restoring an older backup loses what came after,
        which the operator must know, but it is what a restore does, so only a warning."""
        path = checkpoints_path()
        try:
            anchors = read_checkpoints(path)
        except ValueError as error:
            self.stderr.write(str(error))
            return
        if not anchors:
            return
        _checked, problems = verify_all(checkpoints=anchors)
        if problems:
            self.stderr.write(
                _(
                    "Warning: the restored audit trail differs from the checkpoints in {file} "
                    "(entries written after this backup are not in it):"
                ).format(file=path)
            )
            for problem in problems:
                self.stderr.write(f"  {problem}")

    def _check(self, manifest: dict[str, Any]) -> None:
        counts = table_counts()
        wrong = [
            f"{table}: {expected} → {counts.get(table)}"
            for table, expected in sorted(manifest["counts"].items())
            if counts.get(table) != expected
        ]
        if wrong:
            raise CommandError(
                _("The restored row counts differ from the manifest: {tables}").format(
                    tables="; ".join(wrong)
                )
            )
        if audit_heads() != manifest["audit_heads"]:
            raise CommandError(_("The restored audit chain heads differ from the manifest."))
