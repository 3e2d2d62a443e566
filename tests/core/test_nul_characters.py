"""A NUL character in a query or form is refused with a message naming the field.

PostgreSQL text cannot hold NUL, so without this a search or a filter would fail with a 500
there (and pass on SQLite): the fuzzing tests found it on the kiosk search."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from govhall.core.errors import DomainError
from govhall.org import services


def _refusal(name: str) -> str:
    with translation.override("zh-hans"):
        return _("The field “{name}” contains a character that is not allowed.").format(name=name)


@pytest.mark.django_db
def test_a_search_with_a_nul_character_is_refused_naming_the_field(client: Any) -> None:
    response = client.get("/kiosk/search/", {"q": "护\x00照"})
    assert response.status_code == 400
    assert response.content.decode() == _refusal("q")


def test_a_form_with_a_nul_character_is_refused_before_any_write(hall: Any, login: Any) -> None:
    client = login("office_a")
    response = client.post("/org/units/new/", {"name": "新单位\x00"})
    assert response.status_code == 400
    assert _refusal("name") in response.content.decode()


def test_an_ordinary_search_still_works(hall: Any, client: Any) -> None:
    assert client.get("/kiosk/search/", {"q": "护照"}).status_code == 200


def test_a_window_floor_longer_than_its_column_is_refused_naming_it(hall: Any) -> None:
    with pytest.raises(DomainError) as refused:
        services.window_create(
            by=hall.user("office_a"), unit=hall.x, name="新窗口", floor="一" * 21
        )
    assert refused.value.field == "floor"
