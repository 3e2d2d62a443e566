"""The month's cases as JSON lines: stable order, masked, resumable after an interruption."""

from __future__ import annotations

import io
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command

from govhall.cases import services as cases
from govhall.province import export
from tests.province.conftest import accepted, at, completed, receive


@pytest.fixture
def month(hall, passport, forestry):
    """Seven December cases (three accepted at the same instant), plus cases that do not
    belong: November, January, refused at the door, and center B's."""
    with time_machine.travel(at(2016, 11, 30, 17, 0), tick=False):
        accepted(hall, passport)
    with time_machine.travel(at(2016, 12, 1, 0, 0, 0), tick=False):
        first = accepted(hall, passport)
    with time_machine.travel(at(2016, 12, 5, 9, 0), tick=False):
        tied = [accepted(hall, passport) for _ in range(3)]
    with time_machine.travel(at(2016, 12, 6, 9, 0), tick=False):
        cases.case_reject(
            by=hall.user("clerk_x"), case=receive(hall, passport), reason="不符合条件"
        )
        accepted(hall, forestry, persona="clerk_z")
        done = completed(hall, passport)
    with time_machine.travel(at(2016, 12, 31, 23, 59, 59), tick=False):
        last = [accepted(hall, passport) for _ in range(2)]
    with time_machine.travel(at(2017, 1, 1, 0, 0), tick=False):
        accepted(hall, passport)
    return [first, *tied, done, *last]


def run(tmp_path, name="out.jsonl", **options):
    out = tmp_path / name
    stdout = io.StringIO()
    call_command("export_cases", "2016-12", out=str(out), stdout=stdout, **options)
    return out, stdout.getvalue()


def test_the_month_is_written_in_acceptance_order_and_masked(hall, month, tmp_path):
    out, stdout = run(tmp_path, center=hall.a.name)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["case_number"] for line in lines] == [c.number for c in month]
    assert [line["id"] for line in lines[1:4]] == sorted(line["id"] for line in lines[1:4])
    assert lines[0]["accepted_at"] == "2016-12-01T00:00:00+08:00"
    assert lines[0]["applicant_name"] == "张*"
    assert lines[0]["applicant_id_number"] == "420321********1234"
    assert lines[0]["applicant_phone"] == "139****1234"
    assert lines[4]["status"] == "completed"
    assert "420321198001011234" not in out.read_text(encoding="utf-8")
    assert "wrote 7 lines" in stdout
    assert not (tmp_path / "out.jsonl.cursor").exists()  # finished: nothing to resume


@pytest.mark.parametrize("interrupt_after", [0, 1, 2, 3, 4, 6])
def test_an_interrupted_export_resumes_to_the_same_file(
    hall, month, tmp_path, monkeypatch, interrupt_after
):
    whole, _ = run(tmp_path, "whole.jsonl", center=hall.a.name, batch_size=3)
    real = export.encode_line
    written = {"n": 0}

    def crash_after_n(case):
        if written["n"] == interrupt_after:
            raise RuntimeError("power cut")
        written["n"] += 1
        return real(case)

    monkeypatch.setattr(export, "encode_line", crash_after_n)
    with pytest.raises(RuntimeError):
        run(tmp_path, "part.jsonl", center=hall.a.name, batch_size=3)
    monkeypatch.setattr(export, "encode_line", real)
    with (tmp_path / "part.jsonl").open("ab") as torn:
        torn.write(b'{"id":999,"case_num')  # the line being written when the power went
    mark = tmp_path / "part.jsonl.cursor"
    resume = {"cursor": mark.read_text().strip()} if mark.exists() else {}
    assert mark.exists() == (interrupt_after >= 3)  # a cursor exists once a batch is complete
    out, stdout = run(tmp_path, "part.jsonl", center=hall.a.name, batch_size=3, **resume)
    assert out.read_bytes() == whole.read_bytes()
    done_before = 3 * (interrupt_after // 3)
    assert f"wrote {7 - done_before} lines" in stdout


def test_each_batch_reports_its_cursor(hall, month, tmp_path):
    _out, stdout = run(tmp_path, center=hall.a.name, batch_size=3)
    cursors = [line.split()[1] for line in stdout.splitlines() if line.startswith("cursor ")]
    assert len(cursors) == 3
    assert "(7 lines)" in stdout


def test_a_bad_cursor_or_month_is_refused_with_the_option_named(hall, month, tmp_path):
    run(tmp_path, center=hall.a.name)
    with pytest.raises(CommandError, match="--cursor"):
        run(tmp_path, center=hall.a.name, cursor="not-a-cursor")
    with pytest.raises(CommandError, match="--month: Give the month as YYYY-MM"):
        call_command("export_cases", "2016-13", out=str(tmp_path / "x.jsonl"), center=hall.a.name)
    with pytest.raises(CommandError, match="several centers"):
        run(tmp_path)


def test_the_export_reads_one_query_per_batch(hall, month, tmp_path, django_assert_num_queries):
    # The center lookup, then three keyset pages of at most 3 rows: no query per line.
    with django_assert_num_queries(4):
        run(tmp_path, center=hall.a.name, batch_size=3)
