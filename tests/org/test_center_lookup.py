"""Which center a page or a command works in: the person's center, or the one named."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError
from django.http import Http404
from django.test import RequestFactory

from govhall.org.selectors import center_for_command, center_or_404
from tests.factories import CenterFactory, UserFactory


def _request(user: Any) -> Any:
    request = RequestFactory().get("/staffing/")
    request.user = user
    request.session = {}
    return request


def test_a_page_answers_404_to_an_account_of_no_center(db: Any) -> None:
    # given
    CenterFactory(name="甲中心")
    nobody = UserFactory()
    # when / then
    with pytest.raises(Http404, match="未归属任何政务服务中心"):
        center_or_404(_request(nobody))


def test_a_page_works_in_the_center_the_person_belongs_to(hall: Any) -> None:
    assert center_or_404(_request(hall.user("office_a"))) == hall.a


def test_a_command_works_in_the_center_it_names(db: Any) -> None:
    CenterFactory(name="甲中心")
    b = CenterFactory(name="乙中心")
    assert center_for_command("乙中心") == b


def test_a_command_without_a_name_works_in_the_only_center(db: Any) -> None:
    a = CenterFactory(name="甲中心")
    assert center_for_command(None) == a


def test_a_command_naming_an_unknown_center_says_so(db: Any) -> None:
    CenterFactory(name="甲中心")
    with pytest.raises(CommandError, match="不存在名为丙中心的政务服务中心"):
        center_for_command("丙中心")


def test_a_command_without_a_name_among_several_centers_asks_for_one(db: Any) -> None:
    CenterFactory(name="甲中心")
    CenterFactory(name="乙中心")
    with pytest.raises(CommandError, match="--center"):
        center_for_command(None)
