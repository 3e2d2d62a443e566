"""The demo journal of December 2016 gives the bulletin's facts."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest

from govhall.demo.loaders.journal import load_journal_demo
from govhall.journal import selectors
from govhall.journal.choices import EntryKind
from govhall.journal.models import JournalEntry
from govhall.org.models import Staff
from tests.test_demo import BULLETIN_PEOPLE


@pytest.fixture
def demo(demo_center):
    """The shared demo hall (tests/shared_demo.py), built once for all the tests reading it."""
    return demo_center


def test_only_the_exit_entry_window_of_the_police_submitted_information(demo):
    units = selectors.info_submission_units(center=demo, month="2016-12")
    assert [u.name for u in units] == ["公安局"]


def test_ten_good_deeds_by_demo_staff(demo):
    deeds = selectors.good_deeds(center=demo, month="2016-12")
    assert len(deeds) == 10
    assert {d.staff for d in deeds} <= set(
        Staff.objects.filter(center=demo).values_list("name", flat=True)
    )
    assert not {d.staff for d in deeds} & BULLETIN_PEOPLE


def test_the_visits_reports_and_other_work_of_the_bulletin(demo):
    def days(kind):
        return [
            e.date.day for e in selectors.journal_entries(center=demo, month="2016-12", kind=kind)
        ]

    assert days(EntryKind.LEADER_VISIT) == [2, 6, 8]
    assert days(EntryKind.MEDIA_REPORT) == [8, 14]
    assert 11 <= days(EntryKind.OTHER_WORK)[0] <= 20
    visit = selectors.journal_entries(center=demo, month="2016-12", kind=EntryKind.LEADER_VISIT)[0]
    assert "县人大常委会副主任" in visit.person
    assert "黄道金" not in visit.person
    headlines = [
        e.headline
        for e in selectors.journal_entries(
            center=demo, month="2016-12", kind=EntryKind.MEDIA_REPORT
        )
    ]
    assert headlines[0] == "《湖北日报》第三版《服务群众的“最后一公里”》"
    assert "随州社会全方位" in headlines[1]


def test_loading_twice_adds_nothing(demo):
    count = JournalEntry.objects.count()
    load_journal_demo(StringIO())
    assert JournalEntry.objects.count() == count
    assert JournalEntry.objects.filter(date__lt=dt.date(2016, 12, 1)).count() == 0
