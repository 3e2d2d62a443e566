"""Demo step: the demo's logins share a published password, so they are flagged; outside the
demo server (GOVHALL_DEMO unset) each must choose its own password before anything else."""

from __future__ import annotations

from typing import Any

from govhall.accounts.services import demo_accounts_mark
from govhall.demo.logins import DEMO_PASSWORD, usernames


def load_accounts_demo(stdout: Any) -> None:
    marked = demo_accounts_mark(usernames(), DEMO_PASSWORD)
    stdout.write(
        f"{marked} demo logins must choose a new password when the server runs without "
        "GOVHALL_DEMO=1."
    )
