"""Pinned query counts of the main staff and public pages.

Each page is read with the world small (SMALL of every record) and again ten times larger
(LARGE): a page that runs a query per row (N+1) costs more the second time and fails here,
and no page may cost more than its pin. The pins count the page frame too (session, user,
scope, center, menu). docs/performance.md lists them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govhall.bulletins.models import Bulletin
from govhall.evaluation.models import Scorecard
from govhall.feedback.models import Feedback, Rating, Rectification
from govhall.journal.models import JournalEntry
from govhall.oversight.models import Inspection
from govhall.staffing.models import Leave
from govhall.supervision.models import Warning
from tests.perf.conftest import LARGE, NOW, SMALL, World


@dataclass(frozen=True)
class Page:
    name: str
    persona: str | None  # None: the public, not logged in
    url: Callable[[World], str]
    pin: int


def first(model: Any, **filters: Any) -> Any:
    return model.objects.filter(**filters).order_by("pk").first().pk


PAGES = [
    # home and the window
    Page("home (office)", "office_a", lambda w: "/", 14),
    Page("home (window clerk)", "clerk_x", lambda w: "/", 15),
    Page("case list (office)", "office_a", lambda w: "/cases/list/", 13),
    Page("case list (window clerk)", "clerk_x", lambda w: "/cases/list/", 12),
    Page("case detail", "clerk_x", lambda w: f"/cases/{w.cases[0].pk}/", 17),
    Page("window desk (clerk)", "clerk_x", lambda w: "/cases/desk/", 13),
    Page("window desk (office)", "office_a", lambda w: "/cases/desk/", 14),
    Page("consultations", "office_a", lambda w: "/cases/consultations/", 16),
    Page("appointments today", "clerk_x", lambda w: "/cases/appointments/today/", 9),
    Page("appointment slots", "office_a", lambda w: "/cases/appointments/slots/", 13),
    # supervision
    Page("supervision dashboard", "supervisor_a", lambda w: "/supervision/", 10),
    Page("supervision warning list", "supervisor_a", lambda w: "/supervision/warnings/", 9),
    Page(
        "supervision warning detail",
        "supervisor_a",
        lambda w: f"/supervision/warnings/{first(Warning)}/",
        11,
    ),
    Page("supervision month report", "supervisor_a", lambda w: "/supervision/month/", 17),
    Page("alerts", "clerk_x", lambda w: "/supervision/alerts/", 10),
    # catalog and the kiosk
    Page("catalog list", "office_a", lambda w: "/catalog/", 12),
    Page("catalog item detail", "office_a", lambda w: f"/catalog/items/{w.passport.pk}/", 18),
    Page("catalog review queue", "office_a", lambda w: "/catalog/review/", 10),
    Page("kiosk home", None, lambda w: "/kiosk/", 5),
    Page(
        "kiosk search", None, lambda w: "/kiosk/search/?q=%E4%BA%8B%E9%A1%B9", 4
    ),  # 事项; a stamp read checks the in-memory index
    Page("kiosk unit items", None, lambda w: f"/kiosk/units/{w.hall.x.pk}/", 5),
    Page("kiosk item", None, lambda w: f"/kiosk/items/{w.passport.pk}/", 10),
    Page("kiosk guide", None, lambda w: f"/kiosk/items/{w.passport.pk}/guide/", 10),
    Page("public service home", None, lambda w: "/service/", 1),
    Page("public feedback home", None, lambda w: "/feedback/", 1),
    # feedback
    Page("ratings", "office_a", lambda w: "/feedback/manage/ratings/", 11),
    Page(
        "rating detail",
        "office_a",
        lambda w: f"/feedback/manage/ratings/{first(Rating)}/",
        10,
    ),
    Page("rectification tasks", "office_a", lambda w: "/feedback/manage/tasks/", 11),
    Page(
        "rectification task detail",
        "office_a",
        lambda w: f"/feedback/manage/tasks/{first(Rectification)}/",
        10,
    ),
    Page("feedback inbox", "office_a", lambda w: "/feedback/manage/inbox/", 11),
    Page(
        "feedback detail",
        "office_a",
        lambda w: f"/feedback/manage/inbox/{first(Feedback)}/",
        12,
    ),
    Page("feedback figures", "office_a", lambda w: "/feedback/manage/figures/", 15),
    Page("feedback overdue", "office_a", lambda w: "/feedback/manage/overdue/", 10),
    # staffing
    Page("my attendance", "clerk_x", lambda w: "/staffing/me/", 20),
    Page("attendance sheet", "office_a", lambda w: "/staffing/attendance/", 17),
    Page("leave list", "office_a", lambda w: "/staffing/leave/", 12),
    Page("leave detail", "office_a", lambda w: f"/staffing/leave/{first(Leave)}/", 20),
    Page("outings", "office_a", lambda w: "/staffing/outings/", 11),
    Page("vacancies", "office_a", lambda w: "/staffing/vacancies/", 11),
    # oversight
    Page("inspections", "office_a", lambda w: "/oversight/inspections/", 11),
    Page(
        "inspection detail",
        "office_a",
        lambda w: f"/oversight/inspections/{first(Inspection)}/",
        9,
    ),
    Page("patrol sign-ins", "office_a", lambda w: "/oversight/patrol/", 12),
    Page("patrol month", "office_a", lambda w: "/oversight/patrol/month/", 10),
    Page("patrol quotas", "office_a", lambda w: "/oversight/patrol/quotas/", 11),
    Page("unit leaders", "office_a", lambda w: "/oversight/patrol/leaders/", 11),
    # journal, bulletin, evaluation
    Page("journal list", "office_a", lambda w: "/journal/", 11),
    Page("journal entry", "office_a", lambda w: f"/journal/{first(JournalEntry)}/", 9),
    Page("bulletin list", "office_a", lambda w: "/bulletins/", 9),
    Page(
        "bulletin page",
        "office_a",
        lambda w: f"/bulletins/{first(Bulletin, month__year=2016, month__month=12)}/",
        51,  # the registers panel and the data-derived 存在问题 beside the sent text
    ),
    Page("bulletin dashboard", "office_a", lambda w: "/bulletins/dashboard/?month=2016-12", 40),
    Page("evaluation month (units)", "office_a", lambda w: "/evaluation/?month=2016-12", 18),
    Page(
        "evaluation month (staff)",
        "office_a",
        lambda w: "/evaluation/?month=2016-12&kind=staff",
        18,
    ),
    Page(
        "evaluation scorecard",
        "office_a",
        lambda w: f"/evaluation/cards/{first(Scorecard, unit=w.hall.x)}/",
        13,
    ),
    Page("evaluation annual", "office_a", lambda w: "/evaluation/annual/?year=2016", 11),
    # the organization and the audit trail
    Page("units", "office_a", lambda w: "/org/units/", 10),
    Page("staff", "office_a", lambda w: "/org/staff/", 11),
    Page("A/B posts", "office_a", lambda w: "/org/posts/", 12),
    Page("audit trail", "office_a", lambda w: "/audit/", 11),
]


def _open(client: Any, world: World, page: Page) -> str:
    """Log in as the page's reader and read it once, warming the session and the caches."""
    client.logout()
    if page.persona is not None:
        client.force_login(world.hall.user(page.persona))
    url = page.url(world)
    assert client.get(url).status_code == 200, page.name
    return url


def _small_counts(client: Any, world: World) -> dict[str, int]:
    counts = {}
    for page in PAGES:
        url = _open(client, world, page)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        counts[page.name] = len(captured.captured_queries)
    return counts


def test_no_page_runs_a_query_per_row(world, client, django_assert_max_num_queries):
    # given each page's cost with SMALL records of every kind
    with time_machine.travel(NOW, tick=False):
        small = _small_counts(client, world)
    # when the world grows ten times larger
    world.grow(LARGE - SMALL)
    # then every page costs the same as before, within its pin
    table = []
    with time_machine.travel(NOW, tick=False):
        for page in PAGES:
            url = _open(client, world, page)
            with django_assert_max_num_queries(page.pin) as captured:
                response = client.get(url)
            assert response.status_code == 200, page.name
            assert len(captured) == small[page.name], (
                f"{page.name}: {small[page.name]} queries with {SMALL} rows, "
                f"{len(captured)} with {LARGE}"
            )
            table.append(f"| {page.name} | {len(captured)} |")
    print("\n| page | queries |\n|---|---|\n" + "\n".join(table))  # for docs/performance.md
