"""Import files built to stop a worker (issue 15.5): how long and how much memory each costs.

    .venv/bin/python bench/import_limits.py

Builds the issue's zip bombs (1.25 MB and 5 MB of deflated rows) and the costliest files the
limits still let through, then reads each with `read_table` in a fresh process and prints its
wall time, peak memory and outcome. No database is needed. The issue's bar: a refusal within
5 s; before the limits the 1.25 MB bomb held a worker 57 s and 1 GB, the 5 MB one 148 s and 3.2 GB.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CHILD = """
import json, os, resource, sys, time
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govhall.settings")
import django
django.setup()
from pathlib import Path
from govhall.core.imports import ImportFailed, read_table
started = time.perf_counter()
try:
    headers, rows = read_table(Path(sys.argv[1]))
    outcome = "read: {{}} rows".format(len(rows))
except ImportFailed as failed:
    outcome = "refused: " + str(failed)
print(json.dumps({{"seconds": time.perf_counter() - started, "outcome": outcome,
                   "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}}))
"""


def package(path: Path, parts: dict[str, bytes], big: tuple[str, list[bytes]] | None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        if big:
            name, chunks = big
            with archive.open(name, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
    return path


def plain_parts() -> dict[str, bytes]:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["单位", "窗口"])
    with tempfile.TemporaryDirectory() as folder:
        workbook.save(Path(folder) / "plain.xlsx")
        with zipfile.ZipFile(Path(folder) / "plain.xlsx") as archive:
            return {info.filename: archive.read(info) for info in archive.infolist()}


def bomb(path: Path, compressed_mb: float) -> Path:
    """Identical rows, deflated about 500-fold, until the file reaches `compressed_mb`."""
    row = (
        b'<row><c t="inlineStr"><is><t>' + "公安局出入境窗口".encode() * 8 + b"</t></is></c></row>"
    )
    block = row * 10_000
    ratio = len(block) / len(zlib.compress(block))
    blocks = int(compressed_mb * 1024 * 1024 * ratio / len(block))
    head = f'<worksheet xmlns="{NS}"><sheetData>'.encode()
    chunks = [head, *([block] * blocks), b"</sheetData></worksheet>"]
    parts = plain_parts()
    del parts["xl/worksheets/sheet1.xml"]
    return package(path, parts, ("xl/worksheets/sheet1.xml", chunks))


def shared_strings(path: Path, megabytes: int) -> Path:
    """Distinct strings up to just under the unpacked limit: what openpyxl loads whole."""
    parts = plain_parts()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    count = megabytes * 1024 * 1024 // 23
    chunks = [f'<sst xmlns="{NS}">'.encode()]
    chunks += [
        b"".join(b"<si><t>%07d</t></si>" % n for n in range(start, min(start + 10_000, count)))
        for start in range(0, count, 10_000)
    ]
    chunks.append(b"</sst>")
    return package(path, parts, ("xl/sharedStrings.xml", chunks))


def styles(path: Path, formats: int) -> Path:
    """As many distinct cell formats as the limit on styles and settings lets through."""
    parts = plain_parts()
    xfs = "".join(
        f'<xf numFmtId="0" fontId="0" fillId="0" borderId="{random.randrange(10**9)}" xfId="0"/>'
        for _ in range(formats)
    )
    text = parts["xl/styles.xml"].decode()
    start = text.index("<cellXfs")
    end = text.index("</cellXfs>")
    parts["xl/styles.xml"] = (
        text[:start] + f'<cellXfs count="{formats}">{xfs}' + text[end:]
    ).encode()
    return package(path, parts, None)


def measure(path: Path) -> dict[str, object]:
    started = time.perf_counter()
    child = subprocess.run(  # noqa: S603 (this interpreter, this file)
        [sys.executable, "-c", CHILD.format(root=str(ROOT)), str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "LANGUAGE": "en"},
    )
    result: dict[str, object] = json.loads(child.stdout.strip().splitlines()[-1])
    result["process_seconds"] = time.perf_counter() - started
    return result


def main() -> int:
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as folder:
        here = Path(folder)
        files = [
            ("the issue's bomb, 1.25 MB", bomb(here / "bomb-1.xlsx", 1.25)),
            ("the issue's bomb, 5 MB", bomb(here / "bomb-5.xlsx", 5)),
            ("48 MB of distinct shared strings", shared_strings(here / "strings.xlsx", 48)),
            ("95,000 distinct cell formats", styles(here / "styles.xlsx", 95_000)),
        ]
        print(f"{'file':36} {'size':>9} {'read in':>9} {'peak':>8}  outcome")
        for label, path in files:
            result = measure(path)
            size = path.stat().st_size / 1024 / 1024
            print(
                f"{label:36} {size:7.2f}MB {result['seconds']:8.2f}s {result['peak_mb']:6}MB  "
                f"{str(result['outcome'])[:90]}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
