"""Role × URL matrix: every URL pattern the resolver knows, against every kind of visitor.

Each pattern is either public (a reviewed list of prefixes below), the system administrators'
site, or a staff page that must be listed in PAGES with the persona allowed to open it and how
to fill its parameters from the world of tests/security/world.py. A pattern in none of these
fails `test_every_url_pattern_is_covered`, so a page added later cannot escape the matrix.

For every staff page:
- the anonymous visitor is sent to the login page (or gets 401/403/405), never 200, and a POST
  writes nothing;
- people of center B get 403 or 404 for center A's records, on GET and on POST, writing nothing;
- unit roles of unit X (clerk_x, chief_x) get 403 or 404 for unit Y's records;
- the persona named in PAGES gets the page (200 or a redirect; a POST-only page answers a POST
  with 200, 302 or 400 — the form's refusal — never 403, 404 or 405).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from govhall.org import services as org
from govhall.org.choices import Role
from govhall.org.selectors import CENTER_SESSION_KEY
from tests.security.world import World, build_world

# Reviewed: pages the public opens without logging in, and the token API (its own tests).
PUBLIC_PREFIXES = (
    "healthz",
    "accounts/login/",
    "accounts/logout/",
    "i18n/",
    "static/",
    "api/v1/",
    "kiosk/",
    "service/",
    "feedback/",  # the public feedback pages; feedback/manage/ is staff (below)
    # A leader's phone after scanning the hall screen (the sign-in proves presence, not a login).
    "oversight/patrol/s/",
    "oversight/patrol/sign/",
    "oversight/patrol/sent/",
    "oversight/patrol/c/",
    # The queue's public side: taking a number (ticket machine, phone) and a ticket's pages.
    "queue/kiosk/",
    "queue/take/",
    "queue/t/",
    # The hall's queue screens: the calling display, its feed and spoken calls, the big screen,
    # the screen above each window (no personal data: tests/queueing/test_screens.py).
    "queue/screen/",
    "queue/announce/",
    "queue/window/<int:window_id>/screen/",
    # The photo of the staff member on duty there, shown on that screen (no one else's).
    "queue/window/<int:window_id>/photo",
)
# Under a public prefix but for staff only.
STAFF_UNDER_PUBLIC = ("feedback/manage/", "api/v1/manage/")
STAFF_NAMES_UNDER_PUBLIC = {"service:upload_file"}  # the applicant's uploads, for the window
ADMIN_NAMESPACE = "admin"  # /sysadmin/: superusers only (test_the_admin_site_…)

REFUSED = {403, 404}
# Rows that a request may write without changing data: the session a login opens.
NOT_DATA = {"sessions.session"}


@dataclass(frozen=True)
class Page:
    """How to open one staff page: who may, and with which parameters."""

    ok: str = "office_a"
    args: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    post_only: bool = False
    # The parameters name no record of a center (the working-day calendar, a journal kind):
    # another center's people may open the page for their own center.
    shared: bool = False


def pk(kind: str, name: str = "pk", /, **extra: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Parameters `{name: side[kind].pk, **extra}` for the X (or Y) side of the world."""
    return lambda side: {name: side[kind].pk, **extra}


def const(**kwargs: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda side: kwargs


PAGES: dict[str, Page] = {
    # core
    "home": Page("clerk_x"),
    "center_switch": Page(post_only=True),
    "core:audit_list": Page(),
    "core:audit_verify": Page(post_only=True),
    "core:audit_detail": Page(args=pk("audit")),
    "calendar:overview": Page(),
    "calendar:year": Page(args=const(year=2016), shared=True),
    "calendar:year_complete": Page("admin", args=const(year=2030), post_only=True, shared=True),
    "calendar:day_remove": Page(args=pk("day")),
    "calendar:year_import": Page("admin", args=const(year=2030), post_only=True, shared=True),
    "calendar:banner_dismiss": Page("clerk_x", post_only=True),
    "password_change": Page("clerk_x"),
    # accounts: second factor, the office's account security list
    "accounts:totp": Page("clerk_x"),
    "accounts:security": Page(),
    "accounts:security_action": Page(args=pk("user", action="unlock"), post_only=True),
    # org
    "org:unit_list": Page(),
    "org:unit_create": Page(),
    "org:unit_detail": Page(args=pk("unit")),
    "org:unit_edit": Page(args=pk("unit")),
    "org:unit_toggle": Page(args=pk("unit")),  # GET: the confirmation page
    "org:window_create": Page(args=pk("unit", "unit_pk")),
    "org:window_edit": Page(args=pk("window")),
    "org:staff_list": Page(),
    "org:staff_create": Page(),
    "org:staff_edit": Page(args=pk("staff")),
    "org:staff_toggle": Page(args=pk("staff")),
    "org:staff_photo": Page("clerk_x", args=pk("staff")),
    "org:staff_account": Page(args=pk("staff")),
    "org:post_list": Page(),
    "org:post_edit": Page(args=pk("staff", "staff_pk")),
    "org:post_remove": Page(args=pk("post")),
    "org:account_list": Page(),
    "org:account_create": Page(),
    "org:account_toggle": Page(args=pk("user", "user_pk")),
    "org:import": Page(),
    # catalog
    "catalog:item_list": Page("clerk_x"),
    "catalog:item_create": Page("chief_x"),
    "catalog:item_detail": Page("clerk_x", args=pk("item")),
    "catalog:item_keywords": Page(args=pk("item"), post_only=True),
    "catalog:version_start": Page("chief_x", args=pk("item", "item_pk"), post_only=True),
    "catalog:version_detail": Page("chief_x", args=pk("version")),
    "catalog:version_edit": Page("chief_x", args=pk("version")),
    "catalog:part_edit": Page("chief_x", args=pk("version", part="materials")),
    "catalog:version_submit": Page("chief_x", args=pk("version"), post_only=True),
    "catalog:version_discard": Page("chief_x", args=pk("version")),
    "catalog:version_file": Page(
        "clerk_x",
        args=lambda side: {
            "pk": side["version"].pk,
            "kind": "flowchart",
            "row": side["version"].pk,
        },
    ),
    "catalog:version_review": Page(args=pk("review")),
    "catalog:review_queue": Page(),
    "catalog:campaign_list": Page(),
    "catalog:campaign_detail": Page(args=pk("campaign")),
    "catalog:workbook": Page(),
    "catalog:workbook_template": Page(),
    "catalog:workbook_export": Page(),
    # cases: the window, appointments, the applicant's uploads
    "cases:desk": Page("clerk_x"),
    "cases:intake": Page("clerk_x", post_only=True),
    "cases:case_list": Page("clerk_x"),
    "cases:case_detail": Page("clerk_x", args=pk("case")),
    "cases:case_act": Page("clerk_x", args=pk("case", action="record_step"), post_only=True),
    "cases:notice": Page("clerk_x", args=pk("case", kind="receipt")),
    "cases:upload_review": Page("clerk_x", args=pk("upload"), post_only=True),
    "cases:consultations": Page("clerk_x"),
    "cases:consultation_log": Page("clerk_x", post_only=True),
    "cases:appointments_today": Page("clerk_x"),
    "cases:appointment_mark": Page("clerk_x", args=pk("appointment"), post_only=True),
    "cases:appointment_slots": Page("clerk_x"),
    "cases:appointment_slot_close": Page("chief_x", args=pk("slot"), post_only=True),
    "service:upload_file": Page("clerk_x", args=pk("upload")),
    # supervision
    "supervision:dashboard": Page("supervisor_a"),
    "supervision:run_now": Page(post_only=True),
    "supervision:settings": Page(),
    "supervision:month_report": Page("supervisor_a"),
    "supervision:warning_list": Page("clerk_x"),
    "supervision:warning_detail": Page("clerk_x", args=pk("warning")),
    "supervision:warning_supervise": Page(args=pk("warning")),
    "supervision:warning_appeal": Page("chief_x", args=pk("warning")),
    "supervision:appeal_decide": Page(args=pk("warning")),
    "supervision:appeal_evidence": Page("clerk_x", args=pk("warning")),
    "supervision:alert_list": Page("clerk_x"),
    "supervision:alerts_read_all": Page("clerk_x", post_only=True),
    "supervision:alert_open": Page("clerk_x", args=pk("alert")),
    # staffing
    "staffing:me": Page("clerk_x"),
    "staffing:clock": Page("clerk_x", post_only=True),
    "staffing:sheet": Page(),
    "staffing:sheet_xlsx": Page(),
    "staffing:punch_add": Page(),
    "staffing:leave_list": Page("chief_x"),
    "staffing:leave_new": Page("clerk_x"),
    "staffing:rule_list": Page(),
    "staffing:rule_new": Page(),
    "staffing:rule_defaults": Page(post_only=True),
    "staffing:rule_edit": Page(args=pk("rule")),
    "staffing:rule_delete": Page(args=pk("rule")),
    "staffing:leave_detail": Page("clerk_x", args=pk("leave")),
    "staffing:leave_note": Page("clerk_x", args=pk("leave"), post_only=True),
    "staffing:leave_note_file": Page("clerk_x", args=pk("leave")),
    "staffing:leave_approve": Page("chief_x", args=pk("leave"), post_only=True),
    "staffing:leave_reject": Page("chief_x", args=pk("leave"), post_only=True),
    "staffing:leave_cancel": Page("clerk_x", args=pk("leave"), post_only=True),
    "staffing:leave_shorten": Page("clerk_x", args=pk("leave"), post_only=True),
    "staffing:outing_list": Page("chief_x"),
    "staffing:outing_new": Page("clerk_x"),
    "staffing:outing_return": Page("clerk_x", args=pk("outing"), post_only=True),
    "staffing:vacancy_list": Page(),
    "staffing:hours_list": Page(),
    "staffing:hours_new": Page(),
    "staffing:hours_edit": Page(args=pk("hours")),
    "staffing:hours_delete": Page(args=pk("hours")),
    "staffing:settings": Page(),
    # queue (staff side): the calling desk and the pad at a window; the office's settings
    "queueing:desk": Page("clerk_x"),
    "queueing:desk_act": Page(
        "clerk_x", args=pk("window", "window_id", action="call"), post_only=True
    ),
    "queueing:pad": Page("clerk_x", args=pk("window", "window_id")),
    "queueing:pad_state": Page("clerk_x", args=pk("window", "window_id")),
    "queueing:pad_rate": Page("clerk_x", args=pk("window", "window_id"), post_only=True),
    "queueing:category_list": Page(),
    "queueing:category_create": Page(),
    "queueing:category_edit": Page(args=pk("queue_category")),
    "queueing:category_delete": Page(args=pk("queue_category")),
    "queueing:settings": Page(),
    "queueing:ticket_list": Page("clerk_x"),
    # feedback (staff side)
    "feedback:pad_case": Page("clerk_x", args=pk("done")),
    "feedback:pad_consultation": Page("clerk_x", args=pk("consultation")),
    "feedback:rating_list": Page("clerk_x"),
    "feedback:rating_detail": Page("clerk_x", args=pk("rating")),
    "feedback:rating_act": Page(
        "chief_x", args=pk("rating", action="review_request"), post_only=True
    ),
    "feedback:task_list": Page("chief_x"),
    "feedback:task_detail": Page("chief_x", args=pk("task")),
    "feedback:task_act": Page("chief_x", args=pk("task", action="contact"), post_only=True),
    "feedback:inbox": Page("chief_x"),
    "feedback:feedback_detail": Page("chief_x", args=pk("feedback")),
    "feedback:feedback_act": Page("chief_x", args=pk("feedback", action="answer"), post_only=True),
    "feedback:figures": Page(),
    "feedback:overdue": Page(),
    "feedback:settings": Page(),
    # oversight
    "oversight:inspection_list": Page(),
    "oversight:inspection_create": Page(),
    "oversight:inspection_print": Page(),
    "oversight:inspection_detail": Page(args=pk("inspection")),
    "oversight:inspection_edit": Page(args=pk("inspection")),
    "oversight:inspection_withdraw": Page(args=pk("inspection")),
    "oversight:inspection_photo": Page(args=pk("inspection")),
    "oversight:patrol_list": Page(),
    "oversight:patrol_month": Page(),
    "oversight:patrol_quotas": Page(),
    "oversight:patrol_quota_edit": Page(),
    "oversight:leader_list": Page(),
    "oversight:leader_create": Page(),
    "oversight:leader_edit": Page(args=pk("leader")),
    "oversight:patrol_record": Page(),
    "oversight:patrol_screen": Page(),
    "oversight:patrol_screen_code": Page(),
    # the scheduled jobs: the office of its center (and the system administrator)
    "jobs:list": Page(),
    "jobs:run": Page(post_only=True),
    "jobs:history": Page(args=const(name="supervise"), shared=True),
    # API tokens (the office's pages beside the API)
    "api:clients": Page(),
    "api:client_create": Page(),
    "api:client_revoke": Page(args=pk("api_client")),  # GET: the confirmation page
    # provincial links
    "province:outbox_list": Page(),
    "province:outbox_detail": Page(args=pk("message")),
    "province:outbox_retry": Page(args=pk("message")),  # GET: the confirmation page
    "province:warning_list": Page(),
    # journal
    "journal:entry_list": Page(),
    "journal:entry_create": Page(args=const(kind="media_report"), shared=True),
    "journal:entry_detail": Page(args=pk("entry")),
    "journal:entry_edit": Page(args=pk("entry")),
    "journal:entry_delete": Page(args=pk("entry")),
    "journal:entry_clipping": Page(args=pk("entry")),
    # bulletins
    "bulletins:list": Page(),
    "bulletins:create": Page(post_only=True),
    "bulletins:dashboard": Page(),
    "bulletins:detail": Page(args=pk("bulletin")),
    "bulletins:edit": Page(args=pk("bulletin")),
    "bulletins:publish": Page(args=pk("bulletin"), post_only=True),
    "bulletins:registers": Page(args=pk("bulletin"), post_only=True),
    "bulletins:download": Page(args=pk("bulletin", fmt="json")),
    "bulletins:version": Page(args=pk("bulletin", version=1)),
    "bulletins:version_download": Page(args=pk("bulletin", version=1, fmt="json")),
    # regions (区域监管): the region's supervisor only
    "regions:list": Page("region_a"),
    "regions:overview": Page("region_a", args=pk("region")),
    "regions:center_month": Page(
        "region_a",
        args=lambda side: {
            "pk": side["region"].pk,
            "center_pk": side["center"].pk,
            "month": "2016-12",
        },
    ),
    "regions:download": Page("region_a", args=pk("region", month="2016-12", fmt="json")),
    # evaluation
    "evaluation:month": Page(),
    "evaluation:compute": Page(post_only=True),
    "evaluation:card_detail": Page("chief_x", args=pk("card")),
    "evaluation:line_object": Page("chief_x", args=pk("line")),
    "evaluation:objection_list": Page(),
    "evaluation:objection_decide": Page(args=pk("objection")),
    "evaluation:adjustment_create": Page(),
    "evaluation:votes": Page(),
    "evaluation:awards": Page(),
    "evaluation:reopen": Page(post_only=True),
    "evaluation:annual": Page(),
    "evaluation:rules_list": Page(),
    "evaluation:rules_edit": Page(),
}


# --- the resolver ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    name: str  # namespaced, as reverse() takes it
    route: str  # without the leading slash
    namespaces: tuple[str, ...]


def _walk(patterns: list[Any], prefix: str, namespaces: tuple[str, ...]) -> Iterator[Pattern]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            name = ":".join((*namespaces, entry.name)) if entry.name else f"<unnamed {route}>"
            yield Pattern(name, route, namespaces)


def all_patterns() -> list[Pattern]:
    return list(_walk(get_resolver().url_patterns, "", ()))


def is_admin(pattern: Pattern) -> bool:
    return pattern.namespaces[:1] == (ADMIN_NAMESPACE,)


def is_public(pattern: Pattern) -> bool:
    if pattern.name in STAFF_NAMES_UNDER_PUBLIC or pattern.route.startswith(STAFF_UNDER_PUBLIC):
        return False
    return pattern.route.startswith(PUBLIC_PREFIXES)


def staff_patterns() -> list[Pattern]:
    return [p for p in all_patterns() if not is_admin(p) and not is_public(p)]


# --- probes ----------------------------------------------------------------------------------


@functools.cache
def _counting() -> tuple[tuple[str, ...], str]:
    """Every data table's label, and one statement counting the rows of them all."""
    models = [
        m for m in apps.get_models() if m._meta.label_lower not in NOT_DATA and m._meta.managed
    ]
    counts = (
        f"(SELECT count(*) FROM {connection.ops.quote_name(m._meta.db_table)})"  # noqa: S608 — our table names
        for m in models
    )
    return tuple(m._meta.label_lower for m in models), "SELECT " + ", ".join(counts)


def row_counts() -> dict[str, int]:
    """Rows per table, in one statement: it runs before and after each of thousands of probes
    (one ORM count per table made the role matrix a minute and a half of the suite)."""
    labels, sql = _counting()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(labels, cursor.fetchone(), strict=True))


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {k: (before[k], after[k]) for k in before if before[k] != after[k]}


def url_for(name: str, side: dict[str, Any]) -> str:
    page = PAGES[name]
    return reverse(name, kwargs=page.args(side) if page.args else None)


def is_login_redirect(response: Any) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse(settings.LOGIN_URL)
    )


def probe_post(client: Client, url: str) -> tuple[int, dict[str, tuple[int, int]]]:
    """POST garbage to `url`; the status and the tables whose row counts changed."""
    before = row_counts()
    response = client.post(url, {"reason": "x", "note": "x", "status": "done"})
    return response.status_code, changed(before, row_counts())


@pytest.fixture
def world(hall: Any, settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(hall)


def client_of(hall: Any, persona: str | None) -> Client:
    client = Client()
    if persona is not None:
        client.force_login(hall.user(persona))
    return client


def report(failures: list[str]) -> str:
    return "\n".join(["", *failures])


# --- the tests -------------------------------------------------------------------------------


def test_every_url_pattern_is_covered() -> None:
    # given every pattern of the resolver that is neither public nor the admin site
    names = {p.name for p in staff_patterns()}
    # then each has its filler and allowed persona in PAGES, and PAGES names no stale page
    missing = sorted(names - PAGES.keys())
    assert not missing, "staff pages without an entry in PAGES (add one): " + ", ".join(missing)
    stale = sorted(PAGES.keys() - names)
    assert not stale, "PAGES entries for pages that no longer exist: " + ", ".join(stale)


def test_the_public_list_holds_only_reviewed_prefixes() -> None:
    # a staff area never hides under a public prefix by accident
    public = {p.route for p in all_patterns() if not is_admin(p) and is_public(p)}
    assert not [r for r in public if r.startswith(("feedback/manage/", "api/v1/manage/", "org/"))]
    assert "service/uploads/<int:pk>/" not in public


def test_anonymous_visitors_are_sent_to_the_login_page_and_write_nothing(world: World) -> None:
    client = client_of(world.hall, None)
    failures = []
    for name in sorted(PAGES):
        url = url_for(name, world.x)
        response = client.get(url)
        if not (is_login_redirect(response) or response.status_code in {401, 403, 405}):
            failures.append(f"{name} GET {url}: {response.status_code}")
        status, writes = probe_post(client, url)
        if status not in {302, 401, 403, 405} or writes:
            failures.append(f"{name} POST {url}: {status} {writes}")
    assert not failures, report(failures)


@pytest.mark.parametrize("persona", ["office_b", "clerk_z"])
def test_people_of_another_center_are_refused_its_records(world: World, persona: str) -> None:
    client = client_of(world.hall, persona)
    failures = []
    for name, page in sorted(PAGES.items()):
        if page.args is None or page.shared:
            continue
        url = url_for(name, world.x)
        status = client.get(url).status_code
        if status not in REFUSED | {405}:
            failures.append(f"{name} GET {url}: {status}")
        status, writes = probe_post(client, url)
        if status not in REFUSED | {405} or writes:
            failures.append(f"{name} POST {url}: {status} {writes}")
    assert not failures, report(failures)


@pytest.mark.parametrize("persona", ["clerk_x", "chief_x"])
def test_unit_roles_are_refused_other_units_records(world: World, persona: str) -> None:
    client = client_of(world.hall, persona)
    failures, checked = [], 0
    for name, page in sorted(PAGES.items()):
        if page.args is None or page.shared:
            continue
        try:
            url = url_for(name, world.y)
        except KeyError:
            continue  # a record of the center, not of a unit
        checked += 1
        status = client.get(url).status_code
        if status not in REFUSED | {405}:
            failures.append(f"{name} GET {url}: {status}")
        status, writes = probe_post(client, url)
        if status not in REFUSED | {405} or writes:
            failures.append(f"{name} POST {url}: {status} {writes}")
    assert checked > 30
    assert not failures, report(failures)


def test_the_allowed_persona_gets_every_page(world: World) -> None:
    failures = []
    for name, page in sorted(PAGES.items()):
        client = client_of(world.hall, page.ok)
        url = url_for(name, world.x)
        if page.post_only:
            # The allowed persona's POST may act: undo it, so the next pages see the same world.
            with transaction.atomic():
                status = client.post(url, {}).status_code
                transaction.set_rollback(True)
            if status not in {200, 302, 400}:
                failures.append(f"{name} POST as {page.ok} {url}: {status}")
            if client.get(url).status_code != 405:
                failures.append(f"{name} is marked POST-only but answers GET")
            continue
        status = client.get(url).status_code
        if status not in {200, 302}:
            failures.append(f"{name} GET as {page.ok} {url}: {status}")
    assert not failures, report(failures)


# Pages about one's own login (its second factor, a dismissed notice): they write the account's
# own rows, never a center's.
OWN_ACCOUNT = {"accounts:totp", "calendar:banner_dismiss", "password_change"}


def test_the_regional_supervisor_reads_its_centers_and_writes_nothing(world: World) -> None:
    # given the supervisor of a city over center A
    client = client_of(world.hall, "region_a")
    failures, read = [], 0
    for name in sorted(PAGES):
        url = url_for(name, world.x)
        if name in OWN_ACCOUNT:
            continue
        # when it posts to every staff page
        status, writes = probe_post(client, url)
        # then no page writes a row for it
        if writes:
            failures.append(f"{name} POST {url}: {status} {writes}")
        read += client.get(url).status_code == 200
    # and it reads the center's pages a supervisor reads, not the office's forms
    for name in ("bulletins:list", "supervision:dashboard", "cases:case_detail", "org:unit_list"):
        assert client.get(url_for(name, world.x)).status_code == 200, name
    for name in ("org:unit_create", "supervision:warning_supervise", "staffing:rule_new"):
        assert client.get(url_for(name, world.x)).status_code in REFUSED, name
    assert read > 20
    assert not failures, report(failures)


def test_public_pages_never_fail_for_anonymous_visitors(world: World) -> None:
    client = client_of(world.hall, None)
    failures = []
    for pattern in all_patterns():
        if is_admin(pattern) or not is_public(pattern) or "<" in pattern.route:
            continue
        if pattern.route.startswith(("api/", "static/")):
            continue
        response = client.get(reverse(pattern.name))
        if response.status_code >= 500:
            failures.append(f"{pattern.name}: {response.status_code}")
    assert not failures, report(failures)


@pytest.mark.parametrize("persona", [None, "office_a", "supervisor_a", "clerk_x", "office_b"])
def test_the_admin_site_refuses_everyone_but_system_administrators(
    world: World, persona: str | None
) -> None:
    client = client_of(world.hall, persona)
    for url in (
        "/sysadmin/",
        "/sysadmin/auth/user/",
        f"/sysadmin/auth/user/{world.x['user'].pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code in {302, 403, 404}, url
        if response.status_code == 302:
            assert "/sysadmin/login/" in response["Location"]
    assert client_of(world.hall, "admin").get("/sysadmin/").status_code == 200


# --- one account, roles in two centers -------------------------------------------------------
#
# A role held in one center grants nothing in another. Each crossed account holds a unit role in
# one center and the office in the other; working in either center it must be treated exactly as
# its twin, an account holding only that center's role: the same answer on every staff page and
# every API write, and the same rows written.

CROSSED = {
    # name: (its unit role's center, unit, role), (the other center where it is office)
    "crossed_a": ("a", "x", Role.WINDOW_STAFF, "b"),  # clerk of X in A, office in B
    "crossed_b": ("b", "z", Role.WINDOW_STAFF, "a"),  # clerk of Z in B, office in A
    # a leader of X reads there and writes nothing: the office role of B must not let it write
    "crossed_leader": ("a", "x", Role.UNIT_LEADER, "b"),
}
CROSSED_ON_PAGES = ["crossed_a", "crossed_b"]


def _crossed_pair(hall: Any, name: str) -> tuple[Any, Any, Any]:
    """(crossed account, its twin, the center both work in here)."""
    center_key, unit_key, role, office_key = CROSSED[name]
    center, unit = getattr(hall, center_key), getattr(hall, unit_key)
    crossed = org.account_create(
        by=None, center=center, username=name, password="pw-for-tests", role=role, unit=unit
    )
    org.membership_grant(by=None, user=crossed, center=getattr(hall, office_key), role=Role.OFFICE)
    twin = org.account_create(
        by=None, center=center, username=f"{name}_twin", password="pw-for-tests", role=role,
        unit=unit,
    )  # fmt: skip
    return crossed, twin, center


def _working_in(user: Any, center: Any) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[CENTER_SESSION_KEY] = center.pk
    session.save()
    return client


def _answer(client: Client, method: str, url: str, **kwargs: Any) -> tuple[int, frozenset[str]]:
    """The status and the tables written, with the writes undone for the next probe."""
    with transaction.atomic():
        before = row_counts()
        response = getattr(client, method)(url, **kwargs)
        written = frozenset(changed(before, row_counts()))
        transaction.set_rollback(True)
    return response.status_code, written


@pytest.mark.parametrize("name", CROSSED_ON_PAGES)
def test_an_office_role_in_another_center_grants_nothing_on_staff_pages(
    world: World, name: str
) -> None:
    # given an account that is a window clerk here and the office in the other center
    crossed, twin, center = _crossed_pair(world.hall, name)
    as_crossed, as_twin = _working_in(crossed, center), _working_in(twin, center)
    side = world.x if center == world.hall.a else None
    failures, refused = [], 0
    for page_name, page in sorted(PAGES.items()):
        if side is None and page.args is not None and not page.shared:
            continue  # center B holds no records of the world; its pages without records count
        url = url_for(page_name, side or world.x)
        for method in ("get", "post"):
            # when both open the page, and post to it
            mine = _answer(as_crossed, method, url)
            theirs = _answer(as_twin, method, url)
            # then the other center's office role changes nothing: same answer, same writes
            if mine != theirs:
                failures.append(f"{page_name} {method.upper()} {url}: {mine} vs twin {theirs}")
            refused += theirs[0] in REFUSED
    assert refused > 50  # the twin (a clerk) is refused most office pages, so this compares
    assert not failures, report(failures)


@pytest.mark.parametrize("name", sorted(CROSSED))
def test_an_office_role_in_another_center_grants_nothing_in_the_api(
    world: World, name: str
) -> None:
    # given the crossed account and its twin working in the same center, with the other center's
    # records in the request bodies (an item and a unit of the office's center)
    crossed, twin, center = _crossed_pair(world.hall, name)
    other = world.hall.b if center == world.hall.a else world.hall.a
    other_unit = other.units.first()
    other_item = other_unit.items.first()
    case_no = world.x["case"].number
    writes = [
        ("/api/v1/cases", {"item_id": other_item.pk, "applicant_name": "甲申请人"}),
        ("/api/v1/cases", {"item_id": world.x["item"].pk, "applicant_name": "甲申请人"}),
        (f"/api/v1/cases/{case_no}/transitions", {"action": "record_step", "note": "x"}),
        ("/api/v1/consultations", {"unit_id": other_unit.pk, "person_times": 1}),
        ("/api/v1/consultations", {"unit_id": world.hall.y.pk, "person_times": 1}),
    ]
    failures, refused = [], 0
    for url, body in writes:
        # when both post the same write with their sessions
        mine = _answer(_working_in(crossed, center), "post", url, data=body,
                       content_type="application/json")  # fmt: skip
        theirs = _answer(_working_in(twin, center), "post", url, data=body,
                         content_type="application/json")  # fmt: skip
        # then both get the same answer and write the same rows
        if mine != theirs:
            failures.append(f"POST {url} {body}: {mine} vs twin {theirs}")
        refused += 400 <= theirs[0] < 500
    assert refused >= 2  # the other center's item and unit are refused to the twin too
    assert not failures, report(failures)


def test_the_crossed_accounts_do_hold_the_office_role_in_its_own_center(world: World) -> None:
    # the comparison above is not empty: working in B, crossed_a is the office of B
    crossed, _twin, _center = _crossed_pair(world.hall, "crossed_a")
    as_office_of_b = _working_in(crossed, world.hall.b)
    assert as_office_of_b.get(reverse("org:unit_create")).status_code == 200
    assert as_office_of_b.get(reverse("core:audit_list")).status_code == 200
    as_clerk_of_a = _working_in(crossed, world.hall.a)
    assert as_clerk_of_a.get(reverse("org:unit_create")).status_code == 403
    assert as_clerk_of_a.get(reverse("core:audit_list")).status_code == 403
