"""docs/architecture.md stays true: its picture is the code's import graph, and it names every
import-linter contract that `make lint` enforces."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from scripts import app_graph

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"


def test_the_docs_picture_of_the_apps_is_the_import_graph_of_the_code() -> None:
    # given the doc as committed
    written = app_graph.doc_block(DOC.read_text(encoding="utf-8"))
    # when the graph is read from the code
    actual = app_graph.render()
    # then they agree (else: .venv/bin/python scripts/app_graph.py --write)
    assert written == actual, "docs/architecture.md is stale: run scripts/app_graph.py --write"


def test_the_doc_names_every_import_contract_of_pyproject() -> None:
    # given the contracts `lint-imports` checks
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    names = [c["name"] for c in config["tool"]["importlinter"]["contracts"]]
    # when the doc is read
    text = DOC.read_text(encoding="utf-8")
    # then each contract is named there as pyproject names it
    assert names
    assert [n for n in names if n not in text] == []


def test_the_picture_draws_every_app_and_leaves_out_arrows_implied_by_others() -> None:
    # given a small graph where a → c is implied by a → b → c, and d is alone
    edges = {"a": {"b", "c"}, "b": {"c"}, "c": set(), "d": set()}
    # when it is drawn
    block = app_graph.mermaid(app_graph.reduce(edges))
    # then only the needed arrows remain, and the lone app still shows
    assert block.splitlines() == [
        "```mermaid",
        "graph TD",
        "  a --> b",
        "  b --> c",
        "  d",
        "```",
    ]


def test_the_table_says_which_apps_an_app_may_not_import() -> None:
    # given a → b → c
    edges = {"a": {"b"}, "b": {"c"}, "c": set()}
    # when the table is written
    rows = app_graph.table(edges).splitlines()
    # then c lists both a and b as depending on it, a lists none
    assert "| `c` | — | `a`, `b` |" in rows
    assert "| `a` | `b` | — |" in rows


def test_every_package_under_govhall_is_in_the_picture() -> None:
    # given the apps on disk
    apps = {p.parent.name for p in (ROOT / "govhall").glob("*/__init__.py")}
    # when the generated block is read
    block = app_graph.render()
    picture, _table = block.split("```\n", 1)
    nodes = {word for line in picture.splitlines()[2:] for word in line.split() if word != "-->"}
    # then each app appears in the picture and in the table
    assert {"core", "org", "cases"} <= apps
    assert nodes == apps
    for app in apps:
        assert f"| `{app}` |" in block


MD_NAME = re.compile(r"(?<![\w/.-])((?:\.{1,2}/)*[\w/.-]*[\w-]\.md)\b")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _points_inside(doc: Path, target: str) -> bool:
    """A path named by `doc` exists in the repository, read from the doc's folder or the root."""
    target = target.split("#", 1)[0]
    if not target:
        return True
    for base in (doc.parent, ROOT):
        found = (base / target).resolve()
        if found.is_relative_to(ROOT) and found.exists():
            return True
    return False


def test_the_readme_and_docs_point_at_nothing_outside_the_repository() -> None:
    # given the README and the docs
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    # when every .md file they name and every local link they make is resolved
    outside = [
        f"{doc.relative_to(ROOT)}: {target}"
        for doc in docs
        for target in {
            *MD_NAME.findall(doc.read_text(encoding="utf-8")),
            *(
                link
                for link in LINK.findall(doc.read_text(encoding="utf-8"))
                if "://" not in link and not link.startswith(("mailto:", "/"))
            ),
        }
        if not _points_inside(doc, target)
    ]
    # then each is a file of the repository (no ../shared/DESIGN.md)
    assert outside == []
