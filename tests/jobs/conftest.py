"""The jobs tests reuse the supervision cases; backups go to a temporary folder."""

from __future__ import annotations

from typing import Any

import pytest

from govhall.oversight import sms
from tests.supervision.conftest import passport  # noqa: F401  (a fixture)


@pytest.fixture(autouse=True)
def _backups_apart(settings: Any, tmp_path: Any) -> None:
    settings.GOVHALL_BACKUP_DIR = tmp_path / "backups"


@pytest.fixture(autouse=True)
def sms_outbox(settings: Any) -> Any:
    settings.GOVHALL_SMS_BACKEND = "govhall.oversight.sms.LocmemBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()
