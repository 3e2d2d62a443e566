"""The bulletin's two charts — cases accepted by unit (bars) and the 12-month trend (lines) —
drawn once through a small set of primitives, then written as SVG (pages, PDF) or painted as
PNG with Pillow (Word cannot embed SVG). No JavaScript, no chart library.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from govhall.bulletins.types import MonthFigures
from govhall.core.fonts import cjk_font_file

RED = "#c0392b"
BLUE = "#1f5fa8"
INK = "#222222"
MUTED = "#666666"
GRID = "#dddddd"
FONT_STACK = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'SimHei', sans-serif"
WIDTH = 640


def text_width(text: str, size: float) -> float:
    """An estimate good enough for layout: CJK characters are square, Latin about half."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.58 for ch in text)


# --- the drawing, as primitives -----------------------------------------------------------------


@dataclass
class Drawing:
    width: int
    height: int
    label: str
    shapes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def rect(self, x: float, y: float, w: float, h: float, fill: str) -> None:
        self.shapes.append(("rect", {"x": x, "y": y, "w": w, "h": h, "fill": fill}))

    def line(
        self, x1: float, y1: float, x2: float, y2: float, stroke: str, width: float = 1
    ) -> None:
        self.shapes.append(
            ("line", {"x1": x1, "y1": y1, "x2": x2, "y2": y2, "stroke": stroke, "width": width})
        )

    def polyline(self, points: Sequence[tuple[float, float]], stroke: str, width: float) -> None:
        self.shapes.append(("polyline", {"points": list(points), "stroke": stroke, "width": width}))

    def circle(self, cx: float, cy: float, r: float, fill: str) -> None:
        self.shapes.append(("circle", {"cx": cx, "cy": cy, "r": r, "fill": fill}))

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: float = 12,
        fill: str = INK,
        anchor: str = "start",
    ) -> None:
        """`y` is the baseline; `anchor` start, middle or end."""
        self.shapes.append(
            ("text", {"x": x, "y": y, "text": text, "size": size, "fill": fill, "anchor": anchor})
        )


def nice_ceiling(value: int) -> int:
    """The axis' top, in four even steps: 6560 → 8000, 3932 → 4000, 38 → 40, 0 → 1."""
    if value <= 0:
        return 1
    magnitude = 10 ** int(math.floor(math.log10(value)))
    for step in (1, 2, 2.5, 4, 5, 6, 8, 10):
        top = step * magnitude
        if top >= value:
            return int(math.ceil(top))
    return 10 * magnitude


def bar_chart(
    label: str,
    rows: Sequence[tuple[str, float]],
    *,
    empty: str,
    top_value: float | None = None,
    suffix: str = "",
    colour: str = RED,
) -> Drawing:
    """Horizontal bars, one per (name, value), in the order given; values printed at the ends."""
    size, row_height, bar = 13, 24, 14
    top, bottom = 12, 28
    if not rows:
        drawing = Drawing(WIDTH, 80, label)
        drawing.text(WIDTH / 2, 45, empty, size=14, fill=MUTED, anchor="middle")
        return drawing
    height = top + row_height * len(rows) + bottom
    drawing = Drawing(WIDTH, height, label)
    values = [f"{_tick(value)}{suffix}" for _name, value in rows]
    label_width = max(text_width(name, size) for name, _value in rows) + 12
    value_width = max(text_width(v, size) for v in values) + 12
    left, right = label_width, WIDTH - value_width
    scale = top_value or nice_ceiling(math.ceil(max(value for _name, value in rows)))
    span = right - left
    for tick in range(0, 5):
        x = left + span * tick / 4
        drawing.line(x, top - 4, x, height - bottom + 4, GRID)
        drawing.text(x, height - 8, _tick(scale * tick / 4), size=11, fill=MUTED, anchor="middle")
    for index, ((name, value), text) in enumerate(zip(rows, values, strict=True)):
        y = top + index * row_height
        baseline = y + row_height / 2 + size * 0.35
        drawing.text(left - 8, baseline, name, size=size, anchor="end")
        width = max(span * value / scale, 1.5)
        drawing.rect(left, y + (row_height - bar) / 2, width, bar, colour)
        drawing.text(left + width + 5, baseline, text, size=size)
    drawing.line(left, top - 4, left, height - bottom + 4, INK)
    return drawing


def units_chart(figures: MonthFigures) -> Drawing:
    """Cases accepted by each unit in the month, most first."""
    return bar_chart(
        f"{figures.month.month}月份各窗口单位受理办件",
        [(u.unit, u.accepted) for u in figures.cases_by_unit if u.accepted > 0],
        empty="本月无受理办件",
    )


def timeliness_chart(figures: MonthFigures) -> Drawing:
    """Promised cases completed on time, in percent, by unit (electronic supervision)."""
    return bar_chart(
        f"{figures.month.month}月份各窗口单位承诺件按时办结率",
        [
            (u.unit, float(u.on_time_rate))
            for u in figures.timeliness.units
            if u.on_time_rate is not None
        ],
        empty="本月无办结的承诺件",
        top_value=100,
        suffix="%",
        colour=BLUE,
    )


def satisfaction_chart(figures: MonthFigures) -> Drawing:
    """满意度 by unit, in percent."""
    return bar_chart(
        f"{figures.month.month}月份各窗口单位满意度",
        [(u.unit, float(u.rate)) for u in figures.satisfaction.units if u.rate is not None],
        empty="本月无评价",
        top_value=100,
        suffix="%",
        colour=BLUE,
    )


def queue_hours_chart(figures: MonthFigures) -> Drawing:
    """排队叫号: the average wait by the hour the number was taken."""
    return bar_chart(
        f"{figures.month.month}月份各时段平均等候时间（分钟）",
        [(label, minutes) for label, minutes, _n in figures.queue.by_hour],
        empty="本月无排队取号",
        suffix="分",
        colour=BLUE,
    )


def queue_categories_chart(figures: MonthFigures) -> Drawing:
    """排队叫号: the average wait by category."""
    return bar_chart(
        f"{figures.month.month}月份各业务类别平均等候时间（分钟）",
        [(label, minutes) for label, minutes, _n in figures.queue.by_category],
        empty="本月无排队取号",
        suffix="分",
    )


def _tick(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def trend_chart(figures: MonthFigures) -> Drawing:
    """Lines: cases accepted and completed in each of the last 12 months."""
    points = list(figures.trend)
    height = 300
    drawing = Drawing(WIDTH, height, "近12个月受理、办结办件")
    left, right, top, bottom = 56, WIDTH - 20, 36, height - 48
    highest = max([p.accepted for p in points] + [p.completed for p in points] + [0])
    scale = nice_ceiling(highest)
    for tick in range(0, 5):
        y = bottom - (bottom - top) * tick / 4
        drawing.line(left, y, right, y, GRID)
        drawing.text(left - 8, y + 4, _tick(scale * tick / 4), size=11, fill=MUTED, anchor="end")
    drawing.line(left, bottom, right, bottom, INK)
    if not points:
        return drawing
    step = (right - left) / max(len(points) - 1, 1)

    def xy(index: int, value: int) -> tuple[float, float]:
        return left + step * index, bottom - (bottom - top) * value / scale

    for index, point in enumerate(points):
        x = left + step * index
        drawing.text(x, bottom + 18, f"{point.month.month}月", size=11, anchor="middle")
        if index == 0 or point.month.month == 1:
            drawing.text(
                x, bottom + 34, f"{point.month.year}年", size=10, fill=MUTED, anchor="middle"
            )
    for key, colour in (("accepted", RED), ("completed", BLUE)):
        line = [xy(i, getattr(p, key)) for i, p in enumerate(points)]
        drawing.polyline(line, colour, 2)
        for x, y in line:
            drawing.circle(x, y, 3, colour)
    last = points[-1]
    x, y = xy(len(points) - 1, last.accepted)
    drawing.text(x - 6, y - 8, str(last.accepted), size=11, fill=RED, anchor="end")
    # legend
    for offset, (name, colour) in enumerate((("受理", RED), ("办结", BLUE))):
        lx = right - 150 + offset * 75
        drawing.line(lx, 16, lx + 22, 16, colour, 2)
        drawing.text(lx + 28, 20, name, size=12)
    return drawing


CHARTS = {
    "units": units_chart,
    "trend": trend_chart,
    "timeliness": timeliness_chart,
    "satisfaction": satisfaction_chart,
    "queue_hours": queue_hours_chart,
    "queue_categories": queue_categories_chart,
}


# --- SVG ---------------------------------------------------------------------------------------


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


# Every value goes through format_html, which escapes quotes as well as brackets: unit names
# are text the office typed, and the label sits in an attribute (aria-label).
SVG_SHAPES = {
    "rect": '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}"/>',
    "line": (
        '<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{stroke}" stroke-width="{width}"/>'
    ),
    "polyline": (
        '<polyline points="{points}" fill="none" stroke="{stroke}" stroke-width="{width}" '
        'stroke-linejoin="round"/>'
    ),
    "circle": '<circle cx="{cx}" cy="{cy}" r="{r}" fill="{fill}"/>',
    "text": (
        '<text x="{x}" y="{y}" font-size="{size}" fill="{fill}" text-anchor="{anchor}">'
        "{text}</text>"
    ),
}


def _svg_shape(kind: str, shape: dict[str, Any]) -> SafeString:
    values = {
        name: _n(value) if isinstance(value, int | float) else value
        for name, value in shape.items()
    }
    if kind == "polyline":
        values["points"] = " ".join(f"{_n(x)},{_n(y)}" for x, y in shape["points"])
    return format_html(SVG_SHAPES[kind], **values)


def to_svg(drawing: Drawing) -> SafeString:
    """The drawing as an inline SVG element (fonts from the page's CJK stack)."""
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'role="img" aria-label="{label}" class="chart" font-family="{font}">\n'
        "<title>{label}</title>\n{shapes}\n</svg>",
        w=drawing.width,
        h=drawing.height,
        label=drawing.label,
        font=FONT_STACK,
        shapes=format_html_join("\n", "{}", ((_svg_shape(k, s),) for k, s in drawing.shapes)),
    )


def chart_svg(figures: MonthFigures, key: str) -> SafeString:
    return to_svg(CHARTS[key](figures))


# --- PNG (Pillow) --------------------------------------------------------------------------------


@functools.cache
@functools.cache
def _font(size: int) -> Any:
    from PIL import ImageFont

    found = cjk_font_file()
    if found is not None:
        return ImageFont.truetype(found[0], size, index=found[1])
    return ImageFont.load_default(size)


def to_png(drawing: Drawing, *, scale: int = 3) -> bytes:
    """The drawing painted by Pillow at `scale` times its size (print resolution)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (drawing.width * scale, drawing.height * scale), "white")
    draw = ImageDraw.Draw(image)

    def p(value: float) -> float:
        return value * scale

    anchors = {"start": "ls", "middle": "ms", "end": "rs"}
    for kind, s in drawing.shapes:
        if kind == "rect":
            draw.rectangle(
                (p(s["x"]), p(s["y"]), p(s["x"] + s["w"]), p(s["y"] + s["h"])), fill=s["fill"]
            )
        elif kind == "line":
            draw.line(
                (p(s["x1"]), p(s["y1"]), p(s["x2"]), p(s["y2"])),
                fill=s["stroke"],
                width=max(1, round(p(s["width"]))),
            )
        elif kind == "polyline":
            draw.line(
                [(p(x), p(y)) for x, y in s["points"]],
                fill=s["stroke"],
                width=max(1, round(p(s["width"]))),
                joint="curve",
            )
        elif kind == "circle":
            r = p(s["r"])
            draw.ellipse(
                (p(s["cx"]) - r, p(s["cy"]) - r, p(s["cx"]) + r, p(s["cy"]) + r), fill=s["fill"]
            )
        elif kind == "text":
            draw.text(
                (p(s["x"]), p(s["y"])),
                s["text"],
                fill=s["fill"],
                font=_font(round(p(s["size"]))),
                anchor=anchors[s["anchor"]],
            )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def chart_png(figures: MonthFigures, key: str) -> bytes:
    return to_png(CHARTS[key](figures))
