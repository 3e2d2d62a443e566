"""The shared demo (tests/shared_demo.py): built once, seen only by its tests, left unchanged."""

from __future__ import annotations

from typing import Any

import pytest

from govhall.demo.data.org import DEMO_CENTER
from govhall.demo.steps import DemoStep
from govhall.org.models import Center
from tests.shared_demo import SharedDemo


def _one_center(out: Any) -> None:
    Center.objects.get_or_create(name=DEMO_CENTER)


def test_the_demo_is_rolled_back_when_closed_and_built_again_when_reopened(
    django_db_setup: Any, django_db_blocker: Any
) -> None:
    # given a shared demo of one step
    demo = SharedDemo(django_db_blocker, steps=[DemoStep("center", _one_center)])
    # when it is opened, and opened again while open
    demo.open()
    demo.open()
    # then it was built once and its center is there
    with django_db_blocker.unblock():
        assert demo.center().name == DEMO_CENTER
    assert demo.builds == 1

    # when it is closed, the database is as the migrations left it
    demo.close()
    with django_db_blocker.unblock():
        assert not Center.objects.exists()

    # when it is opened again, it is built again
    demo.open()
    try:
        with django_db_blocker.unblock():
            assert Center.objects.filter(name=DEMO_CENTER).count() == 1
        assert demo.builds == 2
    finally:
        demo.close()


def test_a_step_that_fails_leaves_nothing_behind(django_db_setup: Any, django_db_blocker: Any):
    def _half_built(out: Any) -> None:
        Center.objects.create(name=DEMO_CENTER)
        raise RuntimeError("step failed")

    demo = SharedDemo(django_db_blocker, steps=[DemoStep("half", _half_built)])
    with pytest.raises(RuntimeError, match="step failed"):
        demo.open()
    assert not demo.is_open
    with django_db_blocker.unblock():
        assert not Center.objects.exists()


def test_a_test_reading_the_demo_sees_it_and_its_writes_are_undone(demo_center):
    # The first of the demo's tests here changes the demo center's name in its savepoint ...
    Center.objects.filter(pk=demo_center.pk).update(name="改名")
    assert Center.objects.get(pk=demo_center.pk).name == "改名"


def test_the_next_test_reading_the_demo_sees_it_unchanged(demo_center):
    # ... and the next one sees it as built.
    assert demo_center.name == DEMO_CENTER
