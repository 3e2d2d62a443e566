"""Which tests pytest-xdist must hand to one worker together (`make test`: -n auto --dist loadgroup).

Tests are handed out one by one, except a group's, which go to one worker back to back:
- `demo`: every test reading the shared demo (tests/shared_demo.py), so it is built once;
- a module's tests when it has a module- or class-wide fixture of its own (built once per module);
- an `xdist_group` mark's tests, as pytest-xdist's own loadgroup does.

pytest-xdist's loadgroup carries a test's group in its node id, which pytest 9.2 no longer lets a
plugin change (pytest-dev/pytest-xdist#1386): the groups went unnoticed and the demo was built in
both workers, module fixtures once per test. Here each worker writes the groups it collected to a
file named in its `workerinput`, and the controller's scheduler reads them.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

GROUPS_DIR = "govhall_groups_dir"
REPEAT = "\x00"  # joins a repeated node id and its number
_groups_dir_key = pytest.StashKey[Path]()


def groups_of(items: list[pytest.Item], group_of: Callable[[pytest.Item], str | None]) -> dict:
    """{node id: group} for the items that have a group."""
    groups = {}
    for item in items:
        marked = [
            str(mark.args[0] if mark.args else "default")
            for mark in item.iter_markers("xdist_group")
        ]
        group = group_of(item) or ("_".join(sorted(set(marked))) if marked else None)
        if group:
            groups[item.nodeid] = group
    return groups


def write_groups(config: pytest.Config, groups: dict[str, str]) -> None:
    """In a worker: leave the groups for the controller's scheduler."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput and GROUPS_DIR in workerinput:
        path = Path(workerinput[GROUPS_DIR]) / f"{workerinput['workerid']}.json"
        path.write_text(json.dumps(groups))


def configure_node(node: Any) -> None:
    """In the controller: tell each worker where to write its groups."""
    config = node.config
    if _groups_dir_key not in config.stash:
        config.stash[_groups_dir_key] = Path(tempfile.mkdtemp(prefix="govhall-xdist-"))
    node.workerinput[GROUPS_DIR] = str(config.stash[_groups_dir_key])


def make_scheduler(config: pytest.Config, log: Any) -> Any:
    """In the controller: loadgroup with the groups the workers wrote, else xdist's choice."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        """Each group is one unit of work; every other test is a unit of its own."""

        _groups: dict[str, str] | None = None

        def add_node_collection(self, node: Any, collection: Any) -> None:
            # LoadScope keeps a unit's tests by node id, and schemathesis gives each API
            # operation's test the same id: number the repeats so that every one is run.
            seen: Counter[str] = Counter()
            keys = []
            for nodeid in collection:
                seen[nodeid] += 1
                keys.append(nodeid if seen[nodeid] == 1 else f"{nodeid}{REPEAT}{seen[nodeid]}")
            super().add_node_collection(node, keys)

        def _split_scope(self, nodeid: str) -> str:
            if self._groups is None:
                # Called once collection is complete: every worker has written its file.
                written = sorted(config.stash[_groups_dir_key].glob("*.json"))
                self._groups = json.loads(written[0].read_text()) if written else {}
            return self._groups.get(nodeid.split(REPEAT)[0], nodeid)

    return GroupScheduling(config, log)


def clean_up(config: pytest.Config) -> None:
    if _groups_dir_key in config.stash:
        shutil.rmtree(config.stash[_groups_dir_key], ignore_errors=True)
