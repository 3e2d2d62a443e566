"""The database, the keys and the backups are readable by their owner only: var/ and a backup
directory 0700, their files 0600, whatever the umask."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
IS_SQLITE = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
PG_TOOLS = all(shutil.which(tool) for tool in ("pg_dump", "pg_restore"))

# Run in a new process on a new var/: settings make var/ and the keys, SQLite the database and
# its write-ahead log; the modes are read while the connection is open (the -wal file is
# removed when it closes).
CHILD = """
import json, os, pathlib, django
os.umask(0o022)
django.setup()
from django.conf import settings
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE probe (x integer)")
    cursor.execute("INSERT INTO probe VALUES (1)")
var = pathlib.Path(settings.VAR_DIR)
names = ["", "secret_key", "data_key", "govhall.sqlite3", "govhall.sqlite3-wal"]
print(json.dumps({n: oct((var / n).stat().st_mode & 0o777) for n in names if (var / n).exists()}))
"""


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The common umask 022, under which new files are world-readable unless made otherwise."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def test_a_new_var_directory_its_keys_and_its_sqlite_database_are_the_owners_only(tmp_path):
    # given no var/ yet and no DATABASE_URL: the embedded default
    var = tmp_path / "deploy" / "var"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "SECRET_KEY", "GOVHALL_DATA_KEY", "GOVHALL_VAR_DIR")
    }
    env |= {"GOVHALL_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "govhall.settings"}
    # when the app starts and writes to its database
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "-c", CHILD],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    # then var/ is 0700 and everything in it 0600, the write-ahead log included
    assert result.returncode == 0, result.stderr
    modes = json.loads(result.stdout.strip().splitlines()[-1])
    assert modes == {
        "": "0o700",
        "secret_key": "0o600",
        "data_key": "0o600",
        "govhall.sqlite3": "0o600",
        "govhall.sqlite3-wal": "0o600",
    }


@pytest.mark.skipif(not (IS_SQLITE or PG_TOOLS), reason="pg_dump is not installed")
@pytest.mark.django_db
def test_a_backup_directory_is_0700_and_every_file_in_it_0600(tmp_path, settings, usual_umask):
    # given
    settings.MEDIA_ROOT = tmp_path / "media"
    out = tmp_path / "backups" / "2016-12-08"
    # when
    call_command("backup", out=str(out), stdout=open(os.devnull, "w"))  # noqa: SIM115
    # then
    files = sorted(out.iterdir())
    assert len(files) == 3
    assert mode(out) == 0o700
    assert mode(out.parent) == 0o700  # made for it, so private too
    assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}


@pytest.mark.skipif(not (IS_SQLITE or PG_TOOLS), reason="pg_dump is not installed")
@pytest.mark.django_db
def test_an_empty_directory_given_for_a_backup_is_made_private(tmp_path, settings, usual_umask):
    settings.MEDIA_ROOT = tmp_path / "media"
    out = tmp_path / "given"
    out.mkdir(mode=0o755)
    call_command("backup", out=str(out), stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert mode(out) == 0o700
