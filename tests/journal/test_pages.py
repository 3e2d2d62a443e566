"""Journal pages: the list and its filters, entering per kind, the chief's submissions, the
deletion after a confirmation, and clippings only for those who may read the entry."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from govhall.journal import services
from govhall.journal.choices import EntryKind
from govhall.journal.models import JournalEntry
from tests.journal.conftest import PDF_BYTES, at

TODAY = at(2016, 12, 28, 10, 0)


@pytest.fixture
def report(hall):
    with time_machine.travel(TODAY):
        return services.journal_entry_create(
            by=None, center=hall.a, kind=EntryKind.MEDIA_REPORT, date=dt.date(2016, 12, 14),
            outlet="随州社会全方位", title="出入境窗口专题", unit=hall.x,
            clipping=SimpleUploadedFile("c.pdf", PDF_BYTES),
        )  # fmt: skip


def test_the_list_filters_by_kind_month_and_unit(hall, login, report):
    client = login("office_a")
    url = reverse("journal:entry_list")
    assert (
        "出入境窗口专题"
        in client.get(url, {"kind": "media_report", "month": "2016-12"}).content.decode()
    )
    assert "出入境窗口专题" not in client.get(url, {"month": "2016-11"}).content.decode()
    assert "出入境窗口专题" not in client.get(url, {"unit": hall.y.pk}).content.decode()
    assert client.get(url, {"kind": "gossip"}).status_code == 400
    assert client.get(url, {"month": "Dec"}).status_code == 400


def test_the_office_enters_a_good_deed_on_its_form(hall, login):
    client = login("office_a")
    with time_machine.travel(TODAY):
        form = client.get(reverse("journal:entry_create", args=["good_deed"]))
        assert "outlet" not in form.context["form"].fields
        response = client.post(
            reverse("journal:entry_create", args=["good_deed"]),
            {"date": "2016-12-20", "staff": hall.x_clerk.pk, "content": "拾得户口本寄还失主"},
        )
    assert response.status_code == 302
    assert JournalEntry.objects.get().unit == hall.x


def test_a_chief_may_open_only_the_submission_form_and_only_for_their_unit(hall, login):
    client = login("chief_x")
    assert client.get(reverse("journal:entry_create", args=["good_deed"])).status_code == 403
    form = client.get(reverse("journal:entry_create", args=["info_submission"]))
    assert list(form.context["form"].fields["unit"].queryset) == [hall.x]
    with time_machine.travel(TODAY):
        refused = client.post(
            reverse("journal:entry_create", args=["info_submission"]),
            {"date": "2016-12-20", "unit": hall.y.pk, "title": "替住建局报送"},
        )
        accepted = client.post(
            reverse("journal:entry_create", args=["info_submission"]),
            {"date": "2016-12-20", "unit": hall.x.pk, "title": "出入境简报"},
        )
    assert refused.status_code == 200  # the other unit is not among the choices
    assert accepted.status_code == 302
    assert list(JournalEntry.objects.values_list("unit__name", flat=True)) == ["公安局"]


def test_deleting_asks_first(hall, login, report):
    client = login("office_a")
    url = reverse("journal:entry_delete", args=[report.pk])
    assert (
        "Confirm" in client.get(url).content.decode() or "确认" in client.get(url).content.decode()
    )
    assert JournalEntry.objects.exists()
    assert client.post(url).status_code == 302
    assert not JournalEntry.objects.exists()


def test_a_chief_cannot_delete_the_offices_entry(hall, login, report):
    assert (
        login("chief_x").post(reverse("journal:entry_delete", args=[report.pk])).status_code == 403
    )
    assert JournalEntry.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("office_a", 200), ("clerk_x", 200), ("leader_y", 404), ("office_b", 404)],
)
def test_the_clipping_is_served_to_those_who_may_read_the_entry(
    hall, login, report, persona, status
):
    response = login(persona).get(reverse("journal:entry_clipping", args=[report.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"


def test_the_journal_needs_a_login(client, hall, report):
    assert client.get(reverse("journal:entry_list")).status_code == 302
    assert client.get(reverse("journal:entry_clipping", args=[report.pk])).status_code == 302


def test_the_list_costs_the_same_queries_for_few_or_many_entries(hall, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login("office_a")

    def add(n):
        with time_machine.travel(TODAY):
            for i in range(n):
                services.journal_entry_create(
                    by=None, center=hall.a, kind=EntryKind.GOOD_DEED, date=dt.date(2016, 12, 1 + i),
                    staff=hall.x_clerk if i % 2 else hall.y_clerk, content="好事",
                )  # fmt: skip

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("journal:entry_list")).status_code == 200
        return len(captured)

    add(2)
    count()  # warm the per-process caches
    few = count()
    add(10)
    assert count() == few
