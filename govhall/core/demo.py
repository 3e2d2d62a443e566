"""The demo hall is built step by step: each app registers its step (in AppConfig.ready)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DemoStep:
    order: int
    name: str
    run: Callable[[Any], None]  # receives the command's stdout writer


DEMO_STEPS: list[DemoStep] = []


def register_demo_step(step: DemoStep) -> None:
    if all(existing.name != step.name for existing in DEMO_STEPS):
        DEMO_STEPS.append(step)
        DEMO_STEPS.sort(key=lambda s: s.order)
