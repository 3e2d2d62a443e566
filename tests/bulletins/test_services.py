"""Numbering per center and year, the office's edits, publishing and versions, the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from govhall.bulletins import services
from govhall.bulletins.models import Bulletin, BulletinVersion
from govhall.bulletins.selectors import bulletin_document, version_document
from govhall.cases import services as cases
from govhall.core.errors import DomainError, NotAllowed
from govhall.core.models import AuditEntry
from tests.bulletins.conftest import AFTER, DECEMBER, accept, at

pytestmark = pytest.mark.usefixtures("after_the_month")


def test_issues_are_numbered_per_center_and_year(hall):
    office = hall.user("office_a")
    october = services.bulletin_create(by=office, center=hall.a, month="2016-10")
    november = services.bulletin_create(by=office, center=hall.a, month="2016-11")
    january = services.bulletin_create(by=office, center=hall.a, month="2017-01")
    other = services.bulletin_create(by=hall.user("office_b"), center=hall.b, month="2016-11")
    assert (october.year, october.number) == (2016, 1)
    assert (november.year, november.number) == (2016, 2)
    assert (january.year, january.number) == (2017, 1)
    assert other.number == 1


def test_the_office_may_choose_and_change_the_number(hall):
    office = hall.user("office_a")
    first = services.bulletin_create(by=office, center=hall.a, month="2016-10", number=3)
    assert first.number == 3
    assert services.bulletin_create(by=office, center=hall.a, month="2016-11").number == 4
    services.bulletin_update_texts(by=office, bulletin=first, number=1)
    first.refresh_from_db()
    assert first.number == 1
    assert bulletin_document(first).issue == "测试政务服务【2016】第1期"


def test_a_number_and_a_month_are_taken_once(hall):
    office = hall.user("office_a")
    services.bulletin_create(by=office, center=hall.a, month="2016-11", number=2)
    with pytest.raises(DomainError) as taken:
        services.bulletin_create(by=office, center=hall.a, month="2016-12", number=2)
    assert taken.value.field == "number"
    with pytest.raises(DomainError) as again:
        services.bulletin_create(by=office, center=hall.a, month="2016-11")
    assert again.value.field == "month"
    december = services.bulletin_create(by=office, center=hall.a, month="2016-12")
    with pytest.raises(DomainError):
        services.bulletin_update_texts(by=office, bulletin=december, number=2)


def test_a_new_issue_is_drafted_from_the_months_figures(hall, december):
    bulletin = services.bulletin_create(by=hall.user("office_a"), center=hall.a, month=DECEMBER)
    assert bulletin.title == "12月份窗口工作情况通报"
    assert bulletin.problems.startswith("1.AB角制度落实不到位。")
    assert "巡查签到执行率过低" in bulletin.problems
    assert bulletin.plans.startswith("1.")
    assert AuditEntry.objects.filter(action="bulletin.create", object_id=str(bulletin.pk)).exists()


def test_publishing_freezes_the_figures(hall, december):
    office = hall.user("office_a")
    bulletin = services.bulletin_create(by=office, center=hall.a, month=DECEMBER)
    version = services.bulletin_publish(by=office, bulletin=bulletin)
    assert (version.version, version.figures["cases"]["accepted"]) == (1, 6)
    assert version.issued_on == AFTER.date()
    # when a late record arrives
    accept(hall.user("clerk_x"), december.cases["dawn"].item, at(2016, 12, 20, 9, 0))
    # then the published version still reads 6; the live figures read 7
    bulletin.refresh_from_db()
    assert bulletin_document(bulletin).figures.cases.accepted == 6
    assert version_document(version).figures.cases.accepted == 6
    # publishing again freezes the current figures as a new version
    again = services.bulletin_publish(by=office, bulletin=bulletin)
    assert (again.version, again.figures["cases"]["accepted"]) == (2, 7)
    version.refresh_from_db()
    assert version.figures["cases"]["accepted"] == 6


def test_edits_after_publishing_make_a_new_version(hall, december):
    office = hall.user("office_a")
    bulletin = services.bulletin_create(by=office, center=hall.a, month=DECEMBER)
    first = services.bulletin_publish(by=office, bulletin=bulletin)
    with time_machine.travel(at(2016, 12, 21, 9, 0), tick=False):
        cases.case_receive(by=hall.user("clerk_x"), item=december.cases["dawn"].item,
                           applicant_name="迟到的记录")  # fmt: skip
    services.bulletin_update_texts(by=office, bulletin=bulletin, problems="1.新的问题。")
    services.bulletin_update_texts(by=office, bulletin=bulletin, number=5)
    versions = list(BulletinVersion.objects.filter(bulletin=bulletin).order_by("version"))
    assert [v.version for v in versions] == [1, 2, 3]
    assert versions[1].problems == "1.新的问题。"
    assert versions[0].problems == first.problems != "1.新的问题。"
    assert versions[2].figures["issue"] == "测试政务服务【2016】第5期"
    assert versions[2].figures["cases"] == first.figures["cases"]  # the figures as published
    assert "problems" in versions[1].note
    # an edit that changes nothing makes no version
    services.bulletin_update_texts(by=office, bulletin=bulletin, problems="1.新的问题。")
    assert bulletin.versions.count() == 3


def test_a_draft_is_edited_in_place(hall):
    office = hall.user("office_a")
    bulletin = services.bulletin_create(by=office, center=hall.a, month=DECEMBER)
    services.bulletin_update_texts(
        by=office, bulletin=bulletin, title="十二月通报", plans="1.下月计划。",
        copy_to="县委办、县政府办", issued_on=dt.date(2017, 1, 5),
    )  # fmt: skip
    bulletin.refresh_from_db()
    assert (bulletin.title, bulletin.plans, bulletin.copy_to) == (
        "十二月通报", "1.下月计划。", "县委办、县政府办"
    )  # fmt: skip
    assert not bulletin.versions.exists()
    doc = bulletin_document(bulletin)
    assert doc.copy_line == "抄送：县委办、县政府办。"
    assert doc.date_text == "2017年1月5日"
    entry = AuditEntry.objects.filter(action="bulletin.update").latest("seq")
    assert entry.after["title"] == "十二月通报"


def test_bad_texts_are_refused(hall):
    office = hall.user("office_a")
    bulletin = services.bulletin_create(by=office, center=hall.a, month=DECEMBER)
    with pytest.raises(DomainError) as empty:
        services.bulletin_update_texts(by=office, bulletin=bulletin, title="  ")
    assert empty.value.field == "title"
    with pytest.raises(DomainError) as early:
        services.bulletin_update_texts(
            by=office, bulletin=bulletin, issued_on=dt.date(2016, 11, 30)
        )
    assert early.value.field == "issued_on"
    with pytest.raises(DomainError):
        services.bulletin_create(by=office, center=hall.a, month="2016-13")


def test_only_the_office_writes(hall):
    with pytest.raises(NotAllowed):
        services.bulletin_create(by=hall.user("clerk_x"), center=hall.a, month=DECEMBER)
    with pytest.raises(NotAllowed):
        services.bulletin_create(by=hall.user("office_b"), center=hall.a, month=DECEMBER)
    bulletin = services.bulletin_create(by=hall.user("office_a"), center=hall.a, month=DECEMBER)
    for persona in ("supervisor_a", "leader_y", "chief_x"):
        with pytest.raises(NotAllowed):
            services.bulletin_publish(by=hall.user(persona), bulletin=bulletin)
        with pytest.raises(NotAllowed):
            services.bulletin_update_texts(by=hall.user(persona), bulletin=bulletin, title="x")
    assert Bulletin.objects.get().title == "12月份窗口工作情况通报"


def test_publishing_is_audited(hall, december):
    office = hall.user("office_a")
    bulletin = services.bulletin_create(by=office, center=hall.a, month=DECEMBER)
    services.bulletin_publish(by=office, bulletin=bulletin)
    entry = AuditEntry.objects.get(action="bulletin.publish")
    assert entry.actor_name == "office_a"
    assert entry.after["version"] == 1
    assert entry.after["cases"]["accepted"] == 6
