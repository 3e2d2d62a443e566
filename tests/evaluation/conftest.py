"""A month of records for the evaluation tests, built through the real services of each app."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine

from govhall.evaluation import services
from govhall.evaluation.choices import ScoreKind
from govhall.evaluation.models import MonthEvaluation, Scorecard, ScoreLine
from govhall.feedback import services as feedback
from govhall.feedback.choices import FeedbackKind, RatingChannel
from govhall.journal import services as journal
from govhall.journal.choices import EntryKind
from govhall.oversight import services as oversight
from govhall.oversight.choices import ViolationKind
from tests.supervision.conftest import accept, at, complete, publish_promised

DEC = dt.date(2016, 12, 1)
NOV = dt.date(2016, 11, 1)

__all__ = ["DEC", "NOV", "at", "card_of", "compute", "line_of"]


def compute(hall: Any, month: dt.date = DEC, persona: str = "office_a") -> MonthEvaluation:
    return services.evaluation_compute(by=hall.user(persona), center=hall.a, month=month)


def card_of(evaluation: MonthEvaluation, kind: str, obj: Any) -> Scorecard:
    if kind == ScoreKind.UNIT:
        return evaluation.scorecards.get(kind=kind, unit=obj)
    return evaluation.scorecards.get(kind=kind, staff=obj)


def line_of(card: Scorecard, code: str, ref: str = "") -> ScoreLine:
    return card.lines.get(code=code, ref=ref)


@dataclass
class Month:
    """December 2016 at unit X (公安局) and Y (住建局) of center A, as the tests build it."""

    cases: list[Any]
    violation: Any
    deed: Any
    submission: Any
    complaint: Any


@pytest.fixture
def item_x(hall: Any) -> Any:
    """A promised item of 3 working days at unit X."""
    return publish_promised(hall.a, hall.x, "E001", "测试许可", 3)


@pytest.fixture
def december(hall: Any, item_x: Any) -> Month:
    """At X, by 钱办事 (clerk_x): three cases, two done early (12-5 → 12-6, due 12-8) and one
    late (12-1 → 12-12, due 12-6); one rating satisfied and one dissatisfied; a violation of
    2 points; a good deed; an information submission by X; a complaint naming X."""
    clerk = hall.user("clerk_x")
    early = [accept(clerk, item_x, at(2016, 12, 5, 9, 0), name=f"申请人{i}") for i in range(2)]
    late = accept(clerk, item_x, at(2016, 12, 1, 9, 0), name="迟办人")
    cases = [complete(clerk, c, at(2016, 12, 6, 10, 0)) for c in early]
    cases.append(complete(clerk, late, at(2016, 12, 12, 10, 0)))
    for case, level in ((cases[0], 5), (cases[1], 2)):
        with time_machine.travel(at(2016, 12, 7, 9, 0), tick=False):
            feedback.rating_submit(case=case, level=level, channel=RatingChannel.QR)
    office = hall.user("office_a")
    with time_machine.travel(at(2016, 12, 20, 10, 0), tick=False):
        violation = oversight.inspection_create(
            by=office, center=hall.a, kind=ViolationKind.TV_OR_CHAT,
            occurred_at=at(2016, 12, 15, 10, 5), description="上班时间看电视", points="2",
            staff=hall.x_clerk,
        )  # fmt: skip
        deed = journal.journal_entry_create(
            by=office, center=hall.a, kind=EntryKind.GOOD_DEED, date=dt.date(2016, 12, 9),
            staff=hall.x_clerk, content="拾金不昧，将群众遗忘的户口本寄还失主。",
        )  # fmt: skip
        submission = journal.journal_entry_create(
            by=office, center=hall.a, kind=EntryKind.INFO_SUBMISSION, date=dt.date(2016, 12, 9),
            unit=hall.x, person="赵首席", title="出入境窗口信息简报",
        )  # fmt: skip
    with time_machine.travel(at(2016, 12, 14, 10, 0), tick=False):
        complaint = feedback.feedback_submit(
            center=hall.a, kind=FeedbackKind.COMPLAINT, unit=hall.x, subject="态度生硬",
            content="窗口工作人员态度生硬，材料没有一次说清。", name="王先生", phone="13812345678",
        )  # fmt: skip
    return Month(cases, violation, deed, submission, complaint)
