"""权力运行流程图 drawn from an item's process steps, as a self-contained SVG (no outside fonts)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

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


def flowchart_svg(steps: Sequence[StepBox], title: str = "") -> SafeString:
    """One box per step, top to bottom, joined by arrows; the applicant's start and end as ovals.

    Built with format_html, which escapes quotes as well as brackets: an item's name sits in an
    attribute (aria-label), where an unescaped quote would end it and start another.
    """
    rows = len(steps) + 2
    height = TOP * 2 + rows * BOX_H + (rows - 1) * GAP
    x = (WIDTH - BOX_W) // 2
    cx = WIDTH // 2
    labels = [
        ("申请人提出申请", "", None),
        *((s.name, s.role, s.limit_days) for s in steps),
        ("办结", "", None),
    ]
    boxes: list[SafeString] = []
    for i, (name, role, days) in enumerate(labels):
        y = TOP + i * (BOX_H + GAP)
        if days is None:
            boxes.append(
                format_html(
                    '<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="32" fill="#fdeaea" '
                    'stroke="#b3191e"/><text x="{cx}" y="{ty}" text-anchor="middle" '
                    'font-size="17" fill="#8c1216">{name}</text>',
                    x=x,
                    y=y,
                    w=BOX_W,
                    h=BOX_H,
                    cx=cx,
                    ty=y + BOX_H // 2 + 6,
                    name=name,
                )
            )
        else:
            detail = "　".join(p for p in (role, _days_label(days)) if p)
            boxes.append(
                format_html(
                    '<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="6" fill="#e8f0fb" '
                    'stroke="#1a4f8b"/><text x="{cx}" y="{ny}" text-anchor="middle" '
                    'font-size="17" font-weight="bold" fill="#1f2328">{name}</text>'
                    '<text x="{cx}" y="{dy}" text-anchor="middle" font-size="13" '
                    'fill="#5b6169">{detail}</text>',
                    x=x,
                    y=y,
                    w=BOX_W,
                    h=BOX_H,
                    cx=cx,
                    ny=y + 26,
                    dy=y + 48,
                    name=name,
                    detail=detail,
                )
            )
        if i < len(labels) - 1:
            boxes.append(
                format_html(
                    '<line x1="{cx}" y1="{y1}" x2="{cx}" y2="{y2}" stroke="#5b6169" '
                    'stroke-width="2" marker-end="url(#arrow)"/>',
                    cx=cx,
                    y1=y + BOX_H,
                    y2=y + BOX_H + GAP - 2,
                )
            )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'role="img" aria-label="{label}" font-family="{font}"><defs><marker id="arrow" '
        'viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#5b6169"/></marker>'
        "</defs>{boxes}</svg>",
        w=WIDTH,
        h=height,
        label=title or "流程图",
        font=FONT,
        boxes=format_html_join("", "{}", ((box,) for box in boxes)),
    )
