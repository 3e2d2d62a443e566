"""Backups: `manage.py backup` then `manage.py restore` into a fresh database gives back every
row, every uploaded file and an intact audit chain; restore refuses to overwrite data."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from govhall.cases import services as cases
from govhall.core.management.commands.backup import table_counts
from govhall.core.models import AuditHead
from govhall.staffing import services as staffing
from govhall.staffing.choices import LeaveKind
from govhall.staffing.models import Leave
from tests.catalog.builders import publish_item
from tests.security.world import PDF, at, pdf

ROOT = Path(__file__).resolve().parents[2]
# The backup reads the database from outside the test's connection: the data must be committed.
committed = pytest.mark.django_db(transaction=True)
IS_SQLITE = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
PG_TOOLS = all(shutil.which(tool) for tool in ("pg_dump", "pg_restore"))


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def records(hall: Any, media: Path) -> dict[str, Any]:
    """An item, two cases and a leave with its scanned note, all through the services."""
    clerk = hall.user("clerk_x")
    with time_machine.travel(at(2016, 12, 1, 9, 0), tick=False):
        item = publish_item(hall.a, hall.x, code="P001", name="普通护照签发")
        case = cases.case_receive(
            by=clerk, item=item, applicant_name="张三", applicant_phone="13900001234"
        )
        case = cases.case_accept(by=clerk, case=case)
        cases.case_receive(by=clerk, item=item, applicant_name="李四")
        leave = staffing.leave_request(
            by=clerk, staff=hall.x_clerk, kind=LeaveKind.PERSONAL,
            start_date=dt.date(2016, 12, 20), end_date=dt.date(2016, 12, 21), reason="家中有事",
        )  # fmt: skip
        staffing.leave_note_attach(by=clerk, leave=leave, file=pdf())
    return {"case": case, "leave": Leave.objects.get(pk=leave.pk)}


def manage(*args: str, database_url: str, var: Path) -> subprocess.CompletedProcess[str]:
    """Run manage.py as a separate process on another database, as an operator would."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "GOVHALL_VAR_DIR")
    }
    env |= {"DATABASE_URL": database_url, "GOVHALL_VAR_DIR": str(var), "LANGUAGE": "en"}
    # The keys of the backed-up site (docs/backup.md): the audit chain is verified with its key.
    env["GOVHALL_DATA_KEY"] = ",".join(settings.GOVHALL_DATA_KEYS)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip


def backup(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    out = tmp_path / "backup"
    call_command("backup", out=str(out), stdout=open(os.devnull, "w"))  # noqa: SIM115
    return out, json.loads((out / "manifest.json").read_text(encoding="utf-8"))


@committed
def test_the_manifest_counts_every_table_and_names_the_audit_heads(records, tmp_path):
    # when
    out, manifest = backup(tmp_path)
    # then
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["counts"] == table_counts()
    assert manifest["counts"]["cases_case"] == 2
    heads = {(h["chain"], h["seq"], h["hash"]) for h in manifest["audit_heads"]}
    assert heads == set(AuditHead.objects.values_list("chain", "seq", "hash"))
    assert manifest["media"]["files"] == 1
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["manifest.json", "media.tar.gz", manifest["database"]["file"]]
    )


@committed
def test_every_backup_checkpoints_the_audit_heads_in_its_manifest_and_the_checkpoints_file(
    records, tmp_path, settings
):
    # when
    _out, manifest = backup(tmp_path)
    # then the manifest and the append-only file both hold every head, with its center's name
    heads = set(AuditHead.objects.values_list("chain", "seq", "hash"))
    in_manifest = {(c["chain"], c["seq"], c["hash"]) for c in manifest["audit_checkpoints"]}
    lines = settings.GOVHALL_AUDIT_CHECKPOINTS.read_text(encoding="utf-8").splitlines()
    in_file = {(c["chain"], c["seq"], c["hash"]) for c in map(json.loads, lines)}
    assert in_manifest == in_file == heads
    assert {c["center"] for c in manifest["audit_checkpoints"]} >= {"甲政务服务中心"}
    assert {c["source"] for c in manifest["audit_checkpoints"]} == {"backup"}


def test_backup_refuses_a_directory_holding_an_earlier_backup(records, tmp_path):
    out, _manifest = backup(tmp_path)
    with translation.override("en"), pytest.raises(CommandError, match="not empty"):
        call_command("backup", out=str(out))


def test_restore_refuses_a_database_that_holds_data_without_force(records, tmp_path):
    out, _manifest = backup(tmp_path)
    with translation.override("en"), pytest.raises(CommandError, match="holds data.*--force"):
        call_command("restore", str(out))


def test_restore_refuses_a_damaged_copy(records, tmp_path):
    out, manifest = backup(tmp_path)
    with (out / manifest["database"]["file"]).open("ab") as handle:
        handle.write(b"\0")
    with translation.override("en"), pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(out), "--force")


def _sqlite_rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    database = sqlite3.connect(path)
    try:
        return database.execute(sql).fetchall()
    finally:
        database.close()


@committed
@pytest.mark.skipif(not IS_SQLITE, reason="SQLite part: runs when DATABASE_URL is SQLite")
def test_an_sqlite_backup_restores_into_a_new_file(records, tmp_path):
    # given a backup of the running database
    out, manifest = backup(tmp_path)
    target, var = tmp_path / "restored.sqlite3", tmp_path / "var"
    url = f"sqlite:///{target}"
    # when it is restored into a new file
    result = manage("restore", str(out), database_url=url, var=var)
    # then every table holds the same rows, the records read the same, the chain is intact
    assert result.returncode == 0, result.stderr
    assert f"{manifest['counts']['core_auditentry']} " in result.stdout  # entries verified
    for table, count in manifest["counts"].items():
        assert _sqlite_rows(target, f'SELECT COUNT(*) FROM "{table}"') == [(count,)], table  # noqa: S608
    case = records["case"]
    found = _sqlite_rows(target, f"SELECT number, status FROM cases_case WHERE id = {case.pk}")  # noqa: S608
    assert found == [(case.number, case.status)]
    assert _sqlite_rows(target, "SELECT name FROM org_center ORDER BY id") == [
        ("甲政务服务中心",),
        ("乙政务服务中心",),
    ]
    # and the leave's scanned note is back under the new media directory
    restored = var / "media" / records["leave"].note_scan.name
    assert restored.read_bytes() == PDF
    # when restored again over the data it now holds
    again = manage("restore", str(out), database_url=url, var=var)
    # then it is refused with the way out named, and --force replaces it
    assert again.returncode != 0
    assert "--force" in again.stderr
    assert manage("restore", str(out), "--force", database_url=url, var=var).returncode == 0


@pytest.fixture
def pg_database() -> Any:
    """A new PostgreSQL database beside the test database, dropped afterwards."""
    name = f"govhall_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    params = connection.settings_dict
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    url = f"postgres://{auth}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{name}"
    try:
        yield name, url
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@committed
@pytest.mark.skipif(IS_SQLITE, reason="PostgreSQL part: set DATABASE_URL=postgres://… to run it")
@pytest.mark.skipif(not PG_TOOLS, reason="PostgreSQL part: pg_dump/pg_restore not installed")
def test_a_postgresql_backup_restores_into_a_new_database(records, tmp_path, pg_database):
    import psycopg

    name, url = pg_database
    # given a pg_dump of the running database
    out, manifest = backup(tmp_path)
    assert manifest["database"]["vendor"] == "postgresql"
    # when it is restored into a new, empty database
    result = manage("restore", str(out), database_url=url, var=tmp_path / "var")
    # then
    assert result.returncode == 0, result.stderr
    assert f"{manifest['counts']['core_auditentry']} " in result.stdout  # entries verified
    params = connection.settings_dict
    with psycopg.connect(
        dbname=name, user=params["USER"], password=params["PASSWORD"] or None,
        host=params["HOST"] or "127.0.0.1", port=params["PORT"] or 5432,
    ) as restored:  # fmt: skip
        for table, count in manifest["counts"].items():
            assert restored.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone() == (count,)  # noqa: S608
        case = records["case"]
        row = restored.execute(
            "SELECT number, status FROM cases_case WHERE id = %s", [case.pk]
        ).fetchone()
        assert row == (case.number, case.status)
    again = manage("restore", str(out), database_url=url, var=tmp_path / "var")
    assert again.returncode != 0
    assert "--force" in again.stderr
