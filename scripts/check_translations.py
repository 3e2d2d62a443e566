"""Fails when a UI string has no zh_Hans translation, an entry is fuzzy, or the .mo is stale.

Strings are extracted afresh from a temporary copy of the code (so a new string in code that
nobody extracted is caught too). `make messages` updates the real catalog; translate the new
entries in the .po and run it again to compile.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = sorted((ROOT / "govhall" / "locale").glob("*/LC_MESSAGES/*.po"))


def problems_of(po_path: Path) -> list[str]:
    po = polib.pofile(str(po_path))
    found = [f"untranslated: {e.msgid!r}" for e in po.untranslated_entries()]
    found += [f"fuzzy: {e.msgid!r}" for e in po.fuzzy_entries()]
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return [*found, f"{mo_path.name} missing: run `make messages`"]
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.mofile(str(mo_path))
    }
    for entry in po.translated_entries():
        key = (entry.msgctxt, entry.msgid)
        if compiled.get(key) != (entry.msgstr, tuple(sorted(entry.msgstr_plural.items()))):
            found.append(f"{mo_path.name} is stale for {entry.msgid!r}: run `make messages`")
            break
    return found


def missing_from_code() -> list[str]:
    """Strings in the code whose msgid the committed catalog does not translate."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "govhall"
        shutil.copytree(
            ROOT / "govhall", copy, ignore=shutil.ignore_patterns("__pycache__", "static")
        )
        env = {**os.environ, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "govhall.settings"}
        subprocess.run(  # noqa: S603 (fixed arguments)
            [
                sys.executable,
                "-m",
                "django",
                "makemessages",
                "--locale",
                "zh_Hans",
                "--no-location",
                "--no-obsolete",
            ],
            cwd=copy,
            env=env,
            check=True,
            capture_output=True,
        )
        fresh = polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
        # A new msgid (or a new context for a known one) comes out of the merge untranslated
        # or as a fuzzy guess: both mean the committed catalog lacks it.
        return [
            f"not in the catalog: {e.msgid!r}" + (f" (context {e.msgctxt!r})" if e.msgctxt else "")
            for e in [*fresh.untranslated_entries(), *fresh.fuzzy_entries()]
        ]


def main() -> int:
    if not CATALOGS:
        print("no translation catalogs found", file=sys.stderr)
        return 1
    failed = False
    for problem in missing_from_code():
        failed = True
        print(problem, file=sys.stderr)
    for path in CATALOGS:
        for problem in problems_of(path):
            failed = True
            print(f"{path.relative_to(ROOT)}: {problem}", file=sys.stderr)
    if not failed:
        print(f"translations complete: {', '.join(str(p.relative_to(ROOT)) for p in CATALOGS)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
