"""`make audit-deps` says plainly when no vulnerability service answered, instead of reporting a
clean result it never checked."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit_deps.py"
NOT_FOUND = "Dependency not found on PyPI and could not be audited: django (5.2.20)"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_deps", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(
    monkeypatch: pytest.MonkeyPatch, answers: dict[str, Any], *args: str
) -> tuple[int, list[str]]:
    """Run the script with pip-audit answering `answers[service]` (a report, or None for a
    connection failure); the exit code and the services asked."""
    module = _load()
    asked: list[str] = []

    def fake_run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        if command[0].endswith("uv"):
            return subprocess.CompletedProcess(command, 0, "django==5.2.20\n", "")
        service = command[command.index("--vulnerability-service") + 1]
        asked.append(service)
        report = answers[service]
        if report is None:
            return subprocess.CompletedProcess(
                command, 1, "", "requests.exceptions.ConnectionError: no route"
            )
        return subprocess.CompletedProcess(command, 0, json.dumps(report), "")

    monkeypatch.setattr(module.subprocess, "run", fake_run)
    monkeypatch.setattr(sys, "argv", ["audit_deps.py", *args])
    return module.main(), asked


def test_a_mirror_that_knows_no_advisories_is_reported_as_unreachable_not_clean(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # given PyPI's service answering "not found" for Django itself and OSV not answering at all
    pypi = {"dependencies": [{"name": "django", "skip_reason": NOT_FOUND}], "fixes": []}
    # when
    code, asked = _run(monkeypatch, {"pypi": pypi, "osv": None})
    # then
    out = capsys.readouterr().out
    assert code == 0
    assert asked == ["pypi", "osv"]
    assert "vulnerability service not reachable" in out
    assert "No known vulnerabilities" not in out


def test_strict_mode_fails_when_no_service_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    code, _asked = _run(monkeypatch, {"pypi": None, "osv": None}, "--strict")
    assert code == 3


def test_a_known_vulnerability_fails_the_check_and_names_the_package(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    vuln = {"id": "PYSEC-2099-1", "fix_versions": ["5.2.21"]}
    report = {"dependencies": [{"name": "django", "version": "5.2.20", "vulns": [vuln]}]}
    code, asked = _run(monkeypatch, {"pypi": report, "osv": None})
    out = capsys.readouterr().out
    assert code == 1
    assert asked == ["pypi"]
    assert "VULNERABLE: django 5.2.20: PYSEC-2099-1 (fixed in 5.2.21)" in out


def test_a_clean_answer_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    report = {"dependencies": [{"name": "django", "version": "5.2.20", "vulns": []}]}
    code, _asked = _run(monkeypatch, {"pypi": None, "osv": report})
    assert code == 0
    assert "No known vulnerabilities in 1 locked packages (osv)." in capsys.readouterr().out
