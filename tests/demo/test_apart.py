"""The demo hall and the scale generator live apart from the runtime: `load_demo` is offered
wherever the demo or the tests run but not on a production server, and `generate_scale` only
where the benchmark runs (bench/settings.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
STRIPPED = {"DEBUG", "SECURE_COOKIES", "GOVHALL_PRODUCTION", "GOVHALL_DEMO"}


def _manage(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in STRIPPED}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment.update({"GOVHALL_VAR_DIR": str(tmp_path), **env})
    return subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_default_settings_offer_load_demo_from_the_demo_app() -> None:
    # given the settings of `make demo` and `make test`
    # when the commands are listed
    commands = get_commands()
    # then the demo can be loaded, by the demo app rather than a runtime app
    assert commands["load_demo"] == "govhall.demo"


def test_a_production_server_is_not_offered_load_demo(tmp_path: Path) -> None:
    # given a production deployment's settings
    # when `load_demo` is asked for
    result = _manage("help", "load_demo", tmp_path=tmp_path, GOVHALL_PRODUCTION="1")
    # then the command does not exist there
    assert result.returncode != 0
    assert "Unknown command: 'load_demo'" in result.stderr


def test_generate_scale_is_offered_only_where_the_benchmark_runs(tmp_path: Path) -> None:
    # given the runtime's settings and the benchmark's (bench/run.py runs manage.py with them)
    # when `generate_scale` is asked for under each
    runtime = get_commands()
    bench = _manage(
        "help", "generate_scale", tmp_path=tmp_path, DJANGO_SETTINGS_MODULE="bench.settings"
    )
    # then only the benchmark has it, with its options
    assert "generate_scale" not in runtime
    assert bench.returncode == 0, bench.stderr
    assert "--cases" in bench.stdout
