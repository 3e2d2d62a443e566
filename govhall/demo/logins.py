"""The demo's logins, in one list: who they are, what they may do, and their shared password.

The password is the one published on the demo server's login page and in the README; the
runtime knows it (`govhall.accounts.services.DEMO_PASSWORD`) so that any account using it is
flagged and, outside the demo server, must choose its own first.
"""

from __future__ import annotations

from dataclasses import dataclass

from govhall.accounts.services import DEMO_PASSWORD
from govhall.org.choices import RegionRole, Role

__all__ = [
    "DEMO_PASSWORD",
    "LOGINS",
    "CENTER_LOGINS",
    "DIRECTOR",
    "LEADER",
    "ADMIN",
    "REGION",
    "usernames",
]


@dataclass(frozen=True)
class DemoLogin:
    """One demo login: a role in the demo center (None: the site's superuser)."""

    username: str
    role: str | None
    display: str
    unit: str | None = None  # the unit of a unit role
    staff: str | None = None  # the window staff member the account is linked to
    leader: str | None = None  # the unit leader (oversight) the account is linked to


OFFICE = DemoLogin("office", Role.OFFICE, "管理办 陈思远")
CHIEF = DemoLogin("chief", Role.CHIEF, "周晓岚", unit="公安局", staff="周晓岚")
CLERK = DemoLogin("clerk", Role.WINDOW_STAFF, "贺文博", unit="公安局", staff="贺文博")
LEADER = DemoLogin(
    "leader", Role.UNIT_LEADER, "发改局分管领导 高建明", unit="发改局", leader="高建明"
)
SUPERVISOR = DemoLogin("supervisor", Role.SUPERVISOR, "电子监察 林慧")
# The center's director: office rights, and the leader who approves the attendance sheet.
DIRECTOR = DemoLogin("director", Role.OFFICE, "中心主任 吴志刚")
ADMIN = DemoLogin("admin", None, "系统管理员")
# The city's supervisor (区域监管): reads every center under 随州市, writes nowhere.
REGION = DemoLogin("region", RegionRole.SUPERVISOR, "随州市区域监管 孟庆华")

# Made with the organization, in this order (the director comes with staffing's settings).
CENTER_LOGINS = (OFFICE, CHIEF, CLERK, LEADER, SUPERVISOR)
LOGINS = (*CENTER_LOGINS, ADMIN, DIRECTOR, REGION)


def usernames() -> list[str]:
    """Every demo login's username."""
    return [login.username for login in LOGINS]
