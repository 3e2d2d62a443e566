"""Demo step: the demo's logins share a published password, so they are flagged; outside the
demo server (GOVHALL_DEMO unset) each must choose its own password before anything else."""

from __future__ import annotations

from typing import Any

from govhall.accounts.services import demo_accounts_mark
from govhall.org.demo import ACCOUNTS, DEMO_PASSWORD
from govhall.staffing.demo import DIRECTOR


def demo_usernames() -> list[str]:
    return [username for username, *_rest in ACCOUNTS] + ["admin", DIRECTOR[0]]


def load_accounts_demo(stdout: Any) -> None:
    marked = demo_accounts_mark(demo_usernames(), DEMO_PASSWORD)
    stdout.write(
        f"{marked} demo logins must choose a new password when the server runs without "
        "GOVHALL_DEMO=1."
    )
