"""The work journal: the office enters every kind; a unit's chief only their own unit's
information submissions; every kind asks for what the bulletin will print."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from govhall.core.errors import DomainError, NotAllowed
from govhall.core.models import AuditEntry
from govhall.journal import selectors, services
from govhall.journal.choices import EntryKind
from govhall.journal.models import JournalEntry
from tests.journal.conftest import JPEG_BYTES, PDF_BYTES, at

TODAY = at(2016, 12, 28, 10, 0)
D = dt.date


def enter(hall, persona="office_a", **fields):
    with time_machine.travel(TODAY):
        return services.journal_entry_create(
            by=hall.user(persona) if persona else None, center=hall.a, **fields
        )


def test_the_office_enters_a_leaders_visit(hall):
    entry = enter(
        hall,
        kind=EntryKind.LEADER_VISIT,
        date=D(2016, 12, 2),
        person="县人大常委会副主任 某某一行",
        content="对大厅环境提出意见",
    )
    assert entry.unit is None
    assert AuditEntry.objects.filter(action="journal.create", chain=hall.a.pk).count() == 1


def test_a_media_report_keeps_its_outlet_title_link_and_clipping(hall):
    entry = enter(
        hall,
        kind=EntryKind.MEDIA_REPORT,
        date=D(2016, 12, 8),
        outlet="湖北日报",
        section="第三版",
        title="服务群众的“最后一公里”",
        link="https://example.org/report",
        clipping=SimpleUploadedFile("clip.pdf", PDF_BYTES),
    )
    assert entry.headline == "《湖北日报》第三版《服务群众的“最后一公里”》"
    assert entry.clipping.name.endswith(".pdf")


def test_a_good_deed_takes_the_staff_members_unit(hall):
    entry = enter(
        hall, kind=EntryKind.GOOD_DEED, date=D(2016, 12, 9), staff=hall.y_clerk, content="拾金不昧"
    )
    assert entry.unit == hall.y


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": EntryKind.LEADER_VISIT, "content": "意见"}, "person"),
        ({"kind": EntryKind.LEADER_VISIT, "person": "某某一行"}, "content"),
        ({"kind": EntryKind.MEDIA_REPORT, "title": "报道"}, "outlet"),
        ({"kind": EntryKind.MEDIA_REPORT, "outlet": "日报"}, "title"),
        ({"kind": EntryKind.INFO_SUBMISSION, "title": "简报"}, "unit"),
        ({"kind": EntryKind.OTHER_WORK, "title": "触摸屏"}, "content"),
        ({"kind": EntryKind.GOOD_DEED, "content": "好事"}, "staff"),
        (
            {"kind": EntryKind.MEDIA_REPORT, "outlet": "日报", "title": "x", "link": "ftp://x"},
            "link",
        ),
        ({"kind": EntryKind.OTHER_WORK, "content": "x" * 4001}, "content"),
        ({"kind": "gossip", "content": "x"}, "kind"),
    ],
)
def test_each_kind_asks_for_what_the_bulletin_prints(hall, fields, field):
    with pytest.raises(DomainError) as refused:
        enter(hall, date=D(2016, 12, 2), **fields)
    assert refused.value.field == field
    assert not JournalEntry.objects.exists()


def test_a_date_in_the_future_is_refused(hall):
    with pytest.raises(DomainError) as refused:
        enter(hall, kind=EntryKind.OTHER_WORK, date=D(2016, 12, 29), content="明天的事")
    assert refused.value.field == "date"


def test_a_staff_member_of_another_center_is_refused(hall):
    with pytest.raises(DomainError) as refused:
        enter(hall, kind=EntryKind.GOOD_DEED, date=D(2016, 12, 9), staff=hall.z_clerk, content="x")
    assert refused.value.field == "staff"


def test_a_clipping_of_another_type_is_refused(hall):
    with pytest.raises(DomainError) as refused:
        enter(
            hall, kind=EntryKind.MEDIA_REPORT, date=D(2016, 12, 8), outlet="日报", title="x",
            clipping=SimpleUploadedFile("clip.pdf", b"PK\x03\x04 a zip file"),
        )  # fmt: skip
    assert refused.value.field == "clipping"


def test_a_unit_chief_submits_information_for_their_own_unit(hall):
    entry = enter(
        hall, "chief_x", kind=EntryKind.INFO_SUBMISSION, date=D(2016, 12, 9), unit=hall.x,
        title="出入境窗口信息简报",
    )  # fmt: skip
    assert entry.created_by == hall.user("chief_x")


def test_a_unit_chief_entering_information_for_another_unit_is_refused(hall):
    with pytest.raises(NotAllowed):
        enter(
            hall, "chief_x", kind=EntryKind.INFO_SUBMISSION, date=D(2016, 12, 9), unit=hall.y,
            title="替别人报送",
        )  # fmt: skip
    assert not JournalEntry.objects.exists()


@pytest.mark.parametrize(
    "kind", [EntryKind.GOOD_DEED, EntryKind.MEDIA_REPORT, EntryKind.OTHER_WORK]
)
def test_a_unit_chief_enters_no_other_kind(hall, kind):
    with pytest.raises(NotAllowed):
        enter(
            hall, "chief_x", kind=kind, date=D(2016, 12, 9), unit=hall.x, staff=hall.x_clerk,
            outlet="日报", title="自夸", content="自夸",
        )  # fmt: skip


@pytest.mark.parametrize("persona", ["clerk_x", "leader_y", "supervisor_a", "office_b"])
def test_others_enter_nothing(hall, persona):
    with pytest.raises(NotAllowed):
        enter(
            hall,
            persona,
            kind=EntryKind.INFO_SUBMISSION,
            date=D(2016, 12, 9),
            unit=hall.x,
            title="x",
        )


def test_a_chief_corrects_their_submission_but_cannot_move_it_to_another_unit(hall):
    entry = enter(
        hall, "chief_x", kind=EntryKind.INFO_SUBMISSION, date=D(2016, 12, 9), unit=hall.x, title="简报",
    )  # fmt: skip
    chief = hall.user("chief_x")
    with time_machine.travel(TODAY):
        services.journal_entry_update(by=chief, entry=entry, title="简报（修订）")
        with pytest.raises(NotAllowed):
            services.journal_entry_update(by=chief, entry=entry, unit=hall.y)
        with pytest.raises(NotAllowed):
            services.journal_entry_update(
                by=chief, entry=entry, kind=EntryKind.OTHER_WORK, content="x"
            )
    entry.refresh_from_db()
    assert (entry.title, entry.unit, entry.kind) == (
        "简报（修订）",
        hall.x,
        EntryKind.INFO_SUBMISSION,
    )
    audit = AuditEntry.objects.get(action="journal.update")
    assert (audit.before["title"], audit.after["title"]) == ("简报", "简报（修订）")


def test_a_chief_cannot_touch_the_offices_entries(hall):
    entry = enter(hall, kind=EntryKind.OTHER_WORK, date=D(2016, 12, 15), content="触摸屏投入运行")
    with pytest.raises(NotAllowed):
        services.journal_entry_delete(by=hall.user("chief_x"), entry=entry)
    with pytest.raises(NotAllowed):
        services.journal_entry_update(by=hall.user("chief_x"), entry=entry, content="改")


def test_deleting_keeps_the_entry_in_the_audit_trail(hall):
    entry = enter(hall, kind=EntryKind.OTHER_WORK, date=D(2016, 12, 15), content="触摸屏投入运行")
    services.journal_entry_delete(by=hall.user("office_a"), entry=entry)
    assert not JournalEntry.objects.exists()
    assert AuditEntry.objects.get(action="journal.delete").before["content"] == "触摸屏投入运行"


# --- selectors ---------------------------------------------------------------------------------


def test_the_bulletins_selectors_read_one_month(hall):
    enter(hall, kind=EntryKind.INFO_SUBMISSION, date=D(2016, 12, 9), unit=hall.x, title="简报一")
    enter(hall, kind=EntryKind.INFO_SUBMISSION, date=D(2016, 12, 20), unit=hall.x, title="简报二")
    enter(hall, kind=EntryKind.INFO_SUBMISSION, date=D(2016, 11, 30), unit=hall.y, title="上月")
    enter(hall, kind=EntryKind.GOOD_DEED, date=D(2016, 12, 1), staff=hall.x_clerk, content="加班")
    enter(hall, kind=EntryKind.OTHER_WORK, date=D(2016, 12, 31 - 3), content="触摸屏")
    with time_machine.travel(TODAY):
        services.journal_entry_create(
            by=None, center=hall.b, kind=EntryKind.INFO_SUBMISSION, date=D(2016, 12, 9),
            unit=hall.z, title="乙中心",
        )  # fmt: skip
    assert selectors.info_submission_units(center=hall.a, month="2016-12") == [hall.x]
    assert selectors.info_submission_units(center=hall.a, month=D(2016, 11, 5)) == [hall.y]
    deeds = selectors.good_deeds(center=hall.a, month="2016-12")
    assert [(d.staff, d.unit, d.window, d.story) for d in deeds] == [
        ("钱办事", "公安局", "公安局出入境窗口", "加班")
    ]
    submissions = selectors.journal_entries(
        center=hall.a, month="2016-12", kind=EntryKind.INFO_SUBMISSION
    )
    assert [e.title for e in submissions] == ["简报一", "简报二"]
    assert len(selectors.journal_entries(center=hall.a, month="2016-12")) == 4


def test_a_unit_role_reads_the_general_entries_and_its_own_units_only(hall):
    enter(hall, kind=EntryKind.OTHER_WORK, date=D(2016, 12, 15), content="触摸屏")
    enter(hall, kind=EntryKind.INFO_SUBMISSION, date=D(2016, 12, 9), unit=hall.x, title="公安简报")
    enter(hall, kind=EntryKind.INFO_SUBMISSION, date=D(2016, 12, 9), unit=hall.y, title="住建简报")
    seen = {
        p: {e.headline for e in selectors.journal_list(user=hall.user(p), center=hall.a)}
        for p in ("office_a", "clerk_x", "leader_y", "office_b")
    }
    assert seen["office_a"] == {"触摸屏", "公安简报", "住建简报"}
    assert seen["clerk_x"] == {"触摸屏", "公安简报"}
    assert seen["leader_y"] == {"触摸屏", "住建简报"}
    assert seen["office_b"] == set()


def test_an_image_clipping_is_accepted(hall):
    entry = enter(
        hall, kind=EntryKind.MEDIA_REPORT, date=D(2016, 12, 8), outlet="日报", title="x",
        clipping=SimpleUploadedFile("clip.jpg", JPEG_BYTES),
    )  # fmt: skip
    assert entry.clipping.name.endswith(".jpg")
