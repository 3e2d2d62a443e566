"""Warnings fetched from the platform: stored once, linked to their cases."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core.management import CommandError, call_command

from govhall.province.models import ProvinceLink, ProvincialWarning
from govhall.province.services import province_pull
from tests.province.conftest import accepted, at, link


def warning(wid, number, issued="2016-12-09T08:00:00+08:00", level="yellow"):
    return {
        "id": wid,
        "case_number": number,
        "level": level,
        "message": "即将超期",
        "issued_at": issued,
    }


def test_warnings_are_stored_once_and_linked_to_their_cases(hall, passport, platform):
    link(hall, hall.a, platform)
    with time_machine.travel(at(2016, 12, 8, 9, 30), tick=False):
        case = accepted(hall, passport)
    platform.warnings = [
        warning("W1", case.number),
        warning("W2", "20161208999", issued="2016-12-09T09:00:00+08:00", level="red"),
    ]
    with time_machine.travel(at(2016, 12, 9, 10, 0), tick=False):
        out = io.StringIO()
        call_command("province_pull", stdout=out)
        assert "2 new warnings stored" in out.getvalue()
        assert province_pull().stored == 0  # the platform repeats W2: still stored once
    rows = {w.warning_id: w for w in ProvincialWarning.objects.all()}
    assert set(rows) == {"W1", "W2"}
    assert rows["W1"].case == case
    assert rows["W2"].case is None
    assert rows["W2"].level == "red"
    assert rows["W1"].received_at == at(2016, 12, 9, 10, 0)
    # The second fetch asked only for what was new since the newest warning received.
    since = [r.path for r in platform.received if r.method == "GET"][1]
    assert "since=2016-12-09T01%3A00%3A00%2B00%3A00" in since
    assert ProvinceLink.objects.get().warnings_since == at(2016, 12, 9, 9, 0)


def test_a_warning_arriving_before_its_case_is_linked_later(hall, passport, platform):
    link(hall, hall.a, platform)
    with time_machine.travel(at(2016, 12, 8, 9, 30), tick=False):
        case = accepted(hall, passport)
    platform.warnings = [warning("W9", case.number)]
    ProvincialWarning.objects.create(
        center=hall.a, warning_id="W9", case_number=case.number, level="yellow",
        received_at=at(2016, 12, 9, 8, 0),
    )  # fmt: skip
    result = province_pull()
    assert (result.stored, result.linked) == (0, 1)
    assert ProvincialWarning.objects.get().case == case


def test_warnings_belong_to_the_center_whose_link_fetched_them(hall, passport, platform):
    link(hall, hall.b, platform)
    with time_machine.travel(at(2016, 12, 8, 9, 30), tick=False):
        a_case = accepted(hall, passport)
    platform.warnings = [warning("W1", a_case.number)]
    province_pull()
    stored = ProvincialWarning.objects.get()
    assert stored.center == hall.b
    assert stored.case is None  # center A's case is not center B's


def test_an_unreadable_platform_is_reported_and_remembered(hall, platform):
    link(hall, hall.a, platform)
    platform.warnings = [{"case_number": "1"}]  # no id
    with pytest.raises(CommandError):
        call_command("province_pull", stdout=io.StringIO(), stderr=io.StringIO())
    assert ProvinceLink.objects.get().last_pull_error == 'malformed warning #1: no "id"'
    platform.fail(1, status=502)
    assert "HTTP 502" in province_pull().errors[0]
    assert not ProvincialWarning.objects.exists()
