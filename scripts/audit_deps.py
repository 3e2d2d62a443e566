"""Checks the locked dependencies (uv.lock) for known vulnerabilities with pip-audit.

    uv export --frozen --format requirements-txt --no-hashes | pip-audit -r /dev/stdin …

is what runs, once per vulnerability service (PyPI's advisory data, then OSV) until one answers.
A hall's network often reaches a package mirror but no advisory service: a service that cannot
be reached, or a mirror that answers "not found" for Django itself, is not a clean result, so
this says plainly "vulnerability service not reachable" instead of "no known vulnerabilities".

Exit codes: 0 no known vulnerability (or no service reachable: a warning, exit 0 unless
--strict); 1 a locked package has a known vulnerability; 2 the check itself failed; 3 no
service reachable with --strict.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SERVICES = ("pypi", "osv")
# Always on PyPI: when the service says it does not know Django, it is not the real service.
SENTINEL = "django"
UNREACHABLE = "vulnerability service not reachable"


def locked_requirements() -> str:
    result = subprocess.run(  # noqa: S603 — our own venv's uv, fixed arguments
        [
            str(BIN / "uv"),
            "export",
            "--frozen",
            "--format",
            "requirements-txt",
            "--no-hashes",
            "--no-emit-project",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def audit(requirements: Path, service: str, timeout: int) -> dict | None:
    """pip-audit's JSON report from `service`, or None when the service cannot be reached."""
    result = subprocess.run(  # noqa: S603 — our own venv's pip-audit, fixed arguments
        [
            str(BIN / "pip-audit"),
            "--requirement",
            str(requirements),
            "--disable-pip",  # the lock pins every package: nothing to resolve or install
            "--no-deps",
            "--vulnerability-service",
            service,
            "--format",
            "json",
            "--progress-spinner",
            "off",
            "--timeout",
            str(timeout),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        # A connection error ends pip-audit with a traceback and no report.
        tail = (result.stderr.strip().splitlines() or ["(no output)"])[-1]
        print(f"  {service}: no answer ({tail[:200]})", file=sys.stderr)
        return None
    for dependency in report.get("dependencies", []):
        if dependency.get("name") == SENTINEL and dependency.get("skip_reason"):
            print(f"  {service}: {dependency['skip_reason']}", file=sys.stderr)
            return None
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--strict", action="store_true", help="exit 3 when no vulnerability service answers"
    )
    parser.add_argument("--timeout", type=int, default=15, help="seconds per request")
    args = parser.parse_args()
    try:
        requirements = locked_requirements()
    except subprocess.CalledProcessError as error:
        print(f"uv export failed: {error.stderr.strip()}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "requirements.txt"
        path.write_text(requirements, encoding="utf-8")
        for service in SERVICES:
            report = audit(path, service, args.timeout)
            if report is not None:
                break
        else:
            print(
                f"WARNING: {UNREACHABLE} (tried: {', '.join(SERVICES)}); "
                "the locked dependencies were NOT checked. Run `make audit-deps` where PyPI's "
                "JSON API or api.osv.dev is reachable.",
            )
            return 3 if args.strict else 0
    dependencies = report.get("dependencies", [])
    found = [(d, v) for d in dependencies for v in d.get("vulns", [])]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    for dependency in skipped:
        print(f"skipped: {dependency['name']}: {dependency['skip_reason']}")
    for dependency, vuln in found:
        fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
        print(
            f"VULNERABLE: {dependency['name']} {dependency.get('version', '')}: "
            f"{vuln.get('id', '?')} (fixed in {fixes})"
        )
    if found:
        print(f"{len(found)} known vulnerabilities in the locked dependencies ({service}).")
        return 1
    print(f"No known vulnerabilities in {len(dependencies)} locked packages ({service}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
