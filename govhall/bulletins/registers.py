"""Which of the hall's registers were kept in a month: what the bulletin may state as absent.

The rule (docs/bulletins.md): a register was kept in a month when it holds at least one entry
of that month, or the center office confirmed for that month that it was kept and had nothing
to record (`RegisterCheck`). Attendance is the exception: only punches of the month show it,
since an empty attendance register means nobody was seen to come. A sentence stating that
something did not happen (全勤到岗, 未收到投诉, 无请假 …) is written only from a kept register;
otherwise the bulletin says the register holds nothing for the month (未登记).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass

from govhall.bulletins.choices import CONFIRMABLE, Register
from govhall.bulletins.models import RegisterCheck
from govhall.cases.selectors import cases_recorded, consultations_recorded
from govhall.core.months import month_start
from govhall.feedback.selectors import feedback_recorded
from govhall.journal.selectors import journal_recorded
from govhall.org.models import Center
from govhall.oversight.selectors import inspections_recorded, patrols_recorded
from govhall.staffing.selectors import attendance_kept, leave_recorded, outings_recorded

# register → whether it holds an entry of the month (one query each)
HAS_ENTRIES: dict[str, Callable[..., bool]] = {
    Register.CASES: cases_recorded,
    Register.ATTENDANCE: attendance_kept,
    Register.LEAVE: leave_recorded,
    Register.OUTINGS: outings_recorded,
    Register.PATROLS: patrols_recorded,
    Register.INSPECTIONS: inspections_recorded,
    Register.FEEDBACK: feedback_recorded,
    Register.JOURNAL: journal_recorded,
}


@dataclass(frozen=True)
class RegisterState:
    """One register in one month, as the bulletin page shows it to the office."""

    register: str
    label: str
    has_entries: bool
    check: RegisterCheck | None

    @property
    def kept(self) -> bool:
        return self.has_entries or (self.check is not None and self.register in CONFIRMABLE)

    @property
    def confirmable(self) -> bool:
        return self.register in CONFIRMABLE and not self.has_entries


def register_states(
    *, center: Center, month: dt.date | str, known: Collection[str] = ()
) -> list[RegisterState]:
    """Every register of the month: its entries, the office's confirmation (one query each,
    but none for the registers `known` to hold an entry of the month)."""
    month = month_start(month)
    checks = {
        c.register: c
        for c in RegisterCheck.objects.filter(center=center, month=month).select_related(
            "confirmed_by"
        )
    }
    return [
        RegisterState(
            register=register,
            label=str(Register(register).label),
            has_entries=register in known or HAS_ENTRIES[register](center=center, month=month),
            check=checks.get(register),
        )
        for register in Register.values
    ]


def kept_registers(
    *, center: Center, month: dt.date | str, known: Collection[str] = ()
) -> tuple[str, ...]:
    """The registers kept in the month (the rule in the module's docstring)."""
    states = register_states(center=center, month=month, known=known)
    return tuple(s.register for s in states if s.kept)


def month_has_records(*, center: Center, month: dt.date | str) -> bool:
    """Whether any register (or the consultation register, whose silence the bulletin already
    words as 未登记) holds an entry of the month — a confirmation alone is no record:
    `bulletin` refuses a month without any unless told --allow-empty."""
    month = month_start(month)
    return any(
        has(center=center, month=month) for has in (*HAS_ENTRIES.values(), consultations_recorded)
    )
