"""权力运行流程图 drawn from an item's process steps, as a self-contained SVG (no outside fonts)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

WIDTH = 420
BOX_W = 300
BOX_H = 64
GAP = 36
TOP = 20
FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif"


@dataclass(frozen=True)
class StepBox:
    name: str
    role: str
    limit_days: Decimal


def _days_label(days: Decimal) -> str:
    if days == 0:
        return "即时"
    text = f"{days.normalize():f}"
    return f"{text}个工作日"


def flowchart_svg(steps: Sequence[StepBox], title: str = "") -> str:
    """One box per step, top to bottom, joined by arrows; the applicant's start and end as ovals."""
    rows = len(steps) + 2
    height = TOP * 2 + rows * BOX_H + (rows - 1) * GAP
    x = (WIDTH - BOX_W) // 2
    cx = WIDTH // 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{escape(title or "流程图")}" '
        f'font-family="{FONT}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#5b6169"/>'
        "</marker></defs>",
    ]
    labels = [
        ("申请人提出申请", "", None),
        *((s.name, s.role, s.limit_days) for s in steps),
        ("办结", "", None),
    ]
    for i, (name, role, days) in enumerate(labels):
        y = TOP + i * (BOX_H + GAP)
        terminal = days is None
        if terminal:
            parts.append(
                f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="32" fill="#fdeaea" stroke="#b3191e"/>'
            )
            parts.append(
                f'<text x="{cx}" y="{y + BOX_H // 2 + 6}" text-anchor="middle" font-size="17" fill="#8c1216">{escape(name)}</text>'
            )
        else:
            parts.append(
                f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="#e8f0fb" stroke="#1a4f8b"/>'
            )
            parts.append(
                f'<text x="{cx}" y="{y + 26}" text-anchor="middle" font-size="17" font-weight="bold" fill="#1f2328">{escape(name)}</text>'
            )
            detail = "　".join(p for p in (role, _days_label(days)) if p)
            parts.append(
                f'<text x="{cx}" y="{y + 48}" text-anchor="middle" font-size="13" fill="#5b6169">{escape(detail)}</text>'
            )
        if i < len(labels) - 1:
            y1, y2 = y + BOX_H, y + BOX_H + GAP - 2
            parts.append(
                f'<line x1="{cx}" y1="{y1}" x2="{cx}" y2="{y2}" stroke="#5b6169" stroke-width="2" marker-end="url(#arrow)"/>'
            )
    parts.append("</svg>")
    return "".join(parts)
