"""The demo's loaders in the order they run: each reads what the ones before it made."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from govhall.demo.loaders.accounts import load_accounts_demo
from govhall.demo.loaders.bulletins import load_bulletins_demo
from govhall.demo.loaders.cases import load_cases_demo
from govhall.demo.loaders.catalog import load_catalog_demo
from govhall.demo.loaders.evaluation import load_evaluation_demo
from govhall.demo.loaders.feedback import load_feedback_demo
from govhall.demo.loaders.journal import load_journal_demo
from govhall.demo.loaders.org import load_org_demo
from govhall.demo.loaders.oversight import load_oversight_demo
from govhall.demo.loaders.present import load_present_demo
from govhall.demo.loaders.queue import load_queue_demo
from govhall.demo.loaders.regions import load_regions_demo
from govhall.demo.loaders.staffing import load_staffing_demo
from govhall.demo.loaders.supervision import load_supervision_demo


@dataclass(frozen=True)
class DemoStep:
    """One loader of the demo hall; `run` receives the command's stdout writer."""

    name: str
    run: Callable[[Any], Any]


STEPS: tuple[DemoStep, ...] = (
    DemoStep("org", load_org_demo),  # the center, units, windows, staff, posts, logins
    DemoStep("catalog", load_catalog_demo),  # the items, published, some mid-review
    DemoStep("cases", load_cases_demo),  # September–December 2016's cases and consultations
    DemoStep("staffing", load_staffing_demo),  # hall hours, punches, leave, outings
    DemoStep("oversight", load_oversight_demo),  # unit leaders, patrol sign-ins, inspections
    DemoStep("journal", load_journal_demo),  # visits, reports, submissions, good deeds
    DemoStep("feedback", load_feedback_demo),  # ratings of the cases above, complaints
    DemoStep("supervision", load_supervision_demo),  # December's warnings on the open cases
    DemoStep("evaluation", load_evaluation_demo),  # December scored from every source above
    DemoStep("bulletins", load_bulletins_demo),  # the three issues, reading every app's month
    DemoStep("present", load_present_demo),  # after December is complete: the weeks up to today
    DemoStep("queue", load_queue_demo),  # categories, windows, the last working days' numbers
    DemoStep("regions", load_regions_demo),  # 随州市 over the demo hall and two small halls
    DemoStep("accounts", load_accounts_demo),  # last: flags every demo login made above
)


def load(stdout: Any) -> None:
    """Run every step in order (each leaves an already loaded part as it is)."""
    for step in STEPS:
        step.run(stdout)
