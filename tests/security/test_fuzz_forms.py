"""Fuzzing the main forms with random POST data: the answer is never a server error (500), and a
refused submission (anything but a redirect) writes no row of any model.

The field names come from the form pages themselves (every `name="…"` of an input, select or
textarea), so a field added later is fuzzed too; values mix garbage with real ids and dates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govhall.cases import appointments
from govhall.cases.views import window
from govhall.feedback.tokens import rating_path
from govhall.journal.choices import EntryKind
from tests.security.test_fuzz_imports import GARBAGE
from tests.security.test_role_matrix import changed, row_counts
from tests.security.world import World, at, build_world

FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')
SKIPPED_FIELDS = {"csrfmiddlewaretoken"}


@dataclass(frozen=True)
class Form:
    """Who submits, where the form is shown and where it is posted (several when `posts`)."""

    persona: str | None
    page: Callable[[World], str]
    posts: Callable[[World], list[str]]
    method: str = "post"


def one(url: Callable[[World], str]) -> Callable[[World], list[str]]:
    return lambda w: [url(w)]


def booking_url(w: World) -> str:
    slot = reverse("service:appointment_book", args=[w.x["open_slot"].pk])
    return f"{slot}?item={w.x['item'].pk}"


FORMS: dict[str, Form] = {
    "window intake": Form(
        "clerk_x", lambda w: reverse("cases:desk"), one(lambda w: reverse("cases:intake"))
    ),
    "case transitions": Form(
        "clerk_x",
        lambda w: reverse("cases:case_detail", args=[w.x["case"].pk]),
        lambda w: [
            reverse("cases:case_act", args=[w.x["case"].pk, action]) for action in window.ACTIONS
        ],
    ),
    "leave request": Form(
        "clerk_x",
        lambda w: reverse("staffing:leave_new"),
        one(lambda w: reverse("staffing:leave_new")),
    ),
    "outing": Form(
        "clerk_x",
        lambda w: reverse("staffing:outing_new"),
        one(lambda w: reverse("staffing:outing_new")),
    ),
    "complaint or message": Form(
        None,
        lambda w: reverse("public_feedback:write"),
        one(lambda w: reverse("public_feedback:write")),
    ),
    "rating": Form(
        None, lambda w: rating_path(w.x["fresh"]), one(lambda w: rating_path(w.x["fresh"]))
    ),
    "rating pad": Form(
        "clerk_x",
        lambda w: reverse("feedback:pad_consultation", args=[w.x["consultation"].pk]),
        one(lambda w: reverse("feedback:pad_consultation", args=[w.x["consultation"].pk])),
    ),
    "appointment booking": Form(None, lambda w: booking_url(w), one(lambda w: booking_url(w))),
    "kiosk search": Form(
        None, lambda w: reverse("portal:search"), one(lambda w: reverse("portal:search")), "get"
    ),
    "journal entry": Form(
        "office_a",
        lambda w: reverse("journal:entry_create", args=[EntryKind.GOOD_DEED]),
        lambda w: [reverse("journal:entry_create", args=[kind]) for kind in EntryKind.values],
    ),
    "catalog item edit": Form(
        "chief_x",
        lambda w: reverse("catalog:version_edit", args=[w.x["version"].pk]),
        one(lambda w: reverse("catalog:version_edit", args=[w.x["version"].pk])),
    ),
}


@pytest.fixture
def world(hall: Any, settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    built = build_world(hall)
    # A finished case nobody has rated yet, for the receipt's rating page.
    from govhall.cases import services as cases

    with time_machine.travel(at(2016, 12, 5, 9, 0), tick=False):
        clerk = hall.user("clerk_x")
        case = cases.case_receive(by=clerk, item=built.x["item"], applicant_name="评价人")
        case = cases.case_accept(by=clerk, case=case)
        built.x["fresh"] = cases.case_complete(by=clerk, case=case, result="granted")
    # A slot next week (after hours: any day will do), so the public can still book it.
    built.x["open_slot"] = appointments.slot_open(
        by=None, unit=hall.x, date=timezone.localdate() + dt.timedelta(days=7),
        start=dt.time(18, 0), end=dt.time(19, 0), capacity=50, after_hours=True,
    )  # fmt: skip
    return built


def client_of(world: World, persona: str | None) -> Client:
    client = Client()
    if persona is not None:
        client.force_login(world.hall.user(persona))
    return client


def field_names(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    names = sorted(set(FIELD.findall(response.content.decode())) - SKIPPED_FIELDS)
    assert names, f"no form fields on {url}"
    return names


def values(world: World) -> st.SearchStrategy[str]:
    """Garbage, plus ids of real records and plausible dates, times and numbers."""
    real = [
        str(world.x[k].pk)
        for k in ("staff", "item", "unit", "window", "case", "slot")
        if k in world.x
    ] + [str(world.y["staff"].pk), str(world.hall.z_clerk.pk)]
    plausible = ["2016-12-20", "2016-12-20 09:30", "09:30", "1", "5", "13900001234", "事假", "am"]
    return st.one_of(
        st.sampled_from(GARBAGE), st.sampled_from(real + plausible), st.text(max_size=40)
    )


@pytest.mark.parametrize("name", sorted(FORMS))
def test_random_submissions_never_fail_and_refusals_write_nothing(world: World, name: str) -> None:
    form = FORMS[name]
    client = client_of(world, form.persona)
    fields = field_names(client, form.page(world))
    targets = form.posts(world)

    @settings(
        max_examples=25,
        derandomize=True,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        target=st.sampled_from(targets),
        data=st.dictionaries(
            st.one_of(st.sampled_from(fields), st.text(min_size=1, max_size=10)),
            values(world),
            max_size=len(fields) + 2,
        ),
    )
    def submit(target: str, data: dict[str, str]) -> None:
        with transaction.atomic():
            before = row_counts()
            if form.method == "get":
                response = client.get(target, data)
            else:
                response = client.post(target, data)
            assert response.status_code < 500, (target, data)
            if response.status_code != 302:
                assert changed(before, row_counts()) == {}, (target, data, response.status_code)
            transaction.set_rollback(True)

    submit()
