"""The whole demo hall, built once per test process for every test that asks for it.

`load_demo` takes about 12 s of CPU; built for each test that reads it, it was a third of the
suite. Here it is built inside a transaction that stays open while the tests asking for
`shared_demo` run one after another; each of them runs in a savepoint of it (pytest-django's
`db`), rolled back after the test, so a test that writes (loading the demo again, a login)
leaves the demo as it was for the next. Before the first test that does not ask for it, the
transaction is rolled back: every other test sees the database as the migrations left it.

tests/conftest.py wires it: it runs the demo's tests back to back and, under pytest-xdist,
in one worker (one `xdist_group`), so the demo is built once per run. Should another test run
between them all the same, the demo is rolled back and built again: slower, never wrong.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from io import StringIO
from typing import Any

from django.db import transaction
from django.test import override_settings

from govhall.demo.data.org import DEMO_CENTER
from govhall.demo.steps import STEPS as DEMO_STEPS
from govhall.demo.steps import DemoStep
from govhall.org.models import Center

FIXTURE = "shared_demo"


class SharedDemo:
    """The demo center in an open transaction: `open` builds it, `close` rolls it back."""

    def __init__(
        self, django_db_blocker: Any, steps: Sequence[DemoStep] = DEMO_STEPS, **settings: Any
    ) -> None:
        self._blocker = django_db_blocker
        self._steps = steps
        self._settings = settings  # the tests' settings the demo is built with
        self._atomic: Any = None
        self.center_pk: int | None = None
        self.builds = 0
        self.seconds = 0.0  # wall time of the last build (its steps, as `load_demo` runs them)

    @property
    def is_open(self) -> bool:
        return self._atomic is not None

    def open(self) -> None:
        if self.is_open:
            return
        with self._blocker.unblock(), override_settings(**self._settings):
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                started = time.monotonic()
                for step in self._steps:
                    step.run(StringIO())
                self.seconds = time.monotonic() - started
                self.center_pk = Center.objects.get(name=DEMO_CENTER).pk
            except BaseException:
                atomic.__exit__(*sys.exc_info())
                raise
        self._atomic = atomic
        self.builds += 1

    def close(self) -> None:
        if not self.is_open:
            return
        atomic, self._atomic = self._atomic, None
        with self._blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

    def center(self) -> Center:
        """The demo center, read afresh (a test may change its row inside its savepoint)."""
        return Center.objects.get(pk=self.center_pk)
