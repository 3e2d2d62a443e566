"""The audit trail speaks the office's language: every action code has a label, and a broken
chain is described in Chinese on the audit page."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.urls import reverse

from govhall.cases.services import ACTION_NAMES
from govhall.catalog.choices import Part
from govhall.core.audit import audit_record
from govhall.core.audit_actions import ACTION_LABELS, action_label

SOURCE = Path(__file__).resolve().parents[2] / "govhall"
CODE = re.compile(r"^[a-z][a-z_]*\.[a-z][a-z_]*$")
# Codes built as f"<prefix>{…}"; each family is enumerated below.
FAMILIES = {"case.", "item.", "admin.", "feedback.", "rectification."}
# Helpers writing f"<prefix>{action}" whose callers pass the action as a plain word.
HELPERS = {"_feedback_audit": "feedback.", "_task_audit": "rectification."}


def _calls() -> list[ast.Call]:
    calls = []
    for path in SOURCE.rglob("*.py"):
        if "migrations" not in path.parts:
            calls += [n for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.Call)]
    return calls


def _literal_codes(calls: list[ast.Call]) -> set[str]:
    """Codes written as `action="x.y"` or passed to an audit helper as a literal."""
    codes = set()
    for call in calls:
        values = [kw.value for kw in call.keywords if kw.arg == "action"]
        if "audit" in ast.unparse(call.func).lower():
            values += call.args
        codes |= {
            v.value
            for v in values
            if isinstance(v, ast.Constant) and isinstance(v.value, str) and CODE.match(v.value)
        }
    return codes


def _helper_codes(calls: list[ast.Call]) -> set[str]:
    codes = set()
    for call in calls:
        prefix = HELPERS.get(ast.unparse(call.func))
        word = call.args[2] if prefix and len(call.args) > 2 else None  # (by, record, action, …)
        if isinstance(word, ast.Constant) and isinstance(word.value, str):
            codes.add(f"{prefix}{word.value}")
    return codes


def _fstring_prefixes(calls: list[ast.Call]) -> set[str]:
    prefixes = set()
    for call in calls:
        for kw in call.keywords:
            if kw.arg == "action" and isinstance(kw.value, ast.JoinedStr):
                head = kw.value.values[0]
                prefixes.add(head.value if isinstance(head, ast.Constant) else "")
    return prefixes


def test_every_action_code_written_in_the_source_has_a_label():
    # given every code the services write, literally or through a helper
    calls = _calls()
    codes = _literal_codes(calls) | _helper_codes(calls)
    assert len(codes) > 90
    # then each has a label
    assert sorted(codes - set(ACTION_LABELS)) == []


def test_every_family_of_built_codes_is_labelled():
    # given the codes built from a transition, a part or a helper's word
    assert _fstring_prefixes(_calls()) <= FAMILIES  # a new family must be listed here
    built = (
        {f"case.{action}" for action in ACTION_NAMES}
        | {f"item.{part}_set" for part in Part.values}
        | {"admin.add", "admin.change"}
    )
    # then each has a label
    assert sorted(built - set(ACTION_LABELS)) == []


def test_every_label_is_in_chinese():
    untranslated = [code for code in ACTION_LABELS if action_label(code) == code]
    assert untranslated == []
    assert action_label("case.accept") == "受理办件"


def test_an_unknown_code_is_refused_under_the_tests_and_shown_as_itself(db):
    with pytest.raises(ImproperlyConfigured, match="no label"):
        audit_record(by=None, action="thing.frobnicate", center_id=None)
    assert action_label("thing.frobnicate") == "thing.frobnicate"


def test_the_audit_trail_shows_actions_in_words(login, hall):
    # given a case accepted... or any entry: the creation of an account
    client = login("office_a")
    audit_record(by=None, action="case.accept", center_id=hall.a.pk, object_repr="XZ-1")
    # when the office opens the trail
    page = client.get(reverse("core:audit_list")).content.decode()
    # then the action reads in Chinese, in the table and in the filter
    row = re.search(r"<td>XZ-1</td>", page)
    assert row is not None
    assert '<td title="case.accept">受理办件</td>' in page
    assert '<option value="case.accept">受理办件</option>' in page


def test_a_changed_entry_is_reported_in_chinese_on_the_audit_page(login, hall):
    # given an entry of center A changed behind the application's back
    client = login("office_a")
    entry = audit_record(by=None, action="case.accept", center_id=hall.a.pk, object_repr="XZ-2")
    with connection.cursor() as cursor:  # the model refuses updates: raw SQL, as an intruder
        cursor.execute(
            "UPDATE core_auditentry SET object_repr = %s WHERE id = %s", ["XZ-3", entry.pk]
        )
    # when the office verifies the chain
    page = client.post(reverse("core:audit_verify"), follow=True).content.decode()
    # then the problem is told in Chinese, naming the entry
    assert f"第{entry.seq}条" in page
    assert "内容被改动" in page
    assert "content was changed" not in page
