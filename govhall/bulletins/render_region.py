"""The regional bulletin (随州市政务服务【2016】第12期 全市政务服务中心运行情况通报) in the four
formats of the center's: HTML (a standalone file with its stylesheet and an inline SVG chart),
PDF (WeasyPrint prints the HTML), DOCX (python-docx, the masthead and fonts of the center's
bulletin, the chart as PNG) and JSON (the figures, DESIGN.md §5)."""

from __future__ import annotations

import io
import json
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from govhall.bulletins.charts import Drawing, bar_chart, to_png, to_svg
from govhall.bulletins.choices import Format
from govhall.bulletins.regional import RankedCenter, RegionFigures
from govhall.core.text import chinese_date

# The ranking table's columns: heading, and the cell of a ranked center.
COLUMNS: tuple[tuple[str, Any], ...] = (
    ("排名", lambda c: str(c.rank)),
    ("政务服务中心", lambda c: c.now.center),
    ("受理（件）", lambda c: str(c.now.accepted)),
    ("办结（件）", lambda c: str(c.now.completed)),
    ("按期办结率", lambda c: _percent(c.now.on_time_rate)),
    ("满意率", lambda c: _percent(c.now.satisfaction)),
    ("红牌", lambda c: str(c.now.red_cards)),
    ("黄牌", lambda c: str(c.now.yellow_cards)),
    ("巡查签到率", lambda c: _percent(c.now.patrol_rate)),
    ("空岗", lambda c: str(c.now.vacancies)),
    ("受理环比", lambda c: _signed(c.accepted_change)),
)
RANKING_RULE = (
    "排名依次按承诺件按期办结率、满意率（均由高到低）、受理件数（由多到少）确定；"
    "本月无办结承诺件或无评价的，该项排在有数值的中心之后。"
)
DEFINITIONS = (
    "按期办结率＝本月按期办结的承诺件÷本月办结的承诺件；满意率＝本月非常满意、满意、"
    "基本满意的有效评价÷本月有效评价；巡查签到率＝本月有分管领导巡查签到的窗口单位÷窗口单位数；"
    "红牌、黄牌为电子监察本月亮牌数，空岗为本月记录的A/B角空岗次数。"
)


def _percent(value: Any) -> str:
    return "—" if value is None else f"{value}%"


def _signed(value: Any) -> str:
    if value is None:
        return "—"
    return f"+{value}" if value > 0 else str(value)


def office_of(figures: RegionFigures) -> str:
    return f"{figures.region}政务服务管理办公室"


def chart(figures: RegionFigures) -> Drawing:
    """Cases accepted by each center in the month, in the ranking's order."""
    return bar_chart(
        f"{figures.month.month}月份各政务服务中心受理办件",
        [(c.now.center, c.now.accepted) for c in figures.centers],
        empty="本月无受理办件",
    )


def table_rows(figures: RegionFigures) -> list[list[str]]:
    return [[cell(c) for _heading, cell in COLUMNS] for c in figures.centers]


def context(figures: RegionFigures, *, today: Any = None) -> dict[str, Any]:
    return {
        "fig": figures,
        "office": office_of(figures),
        "date_text": chinese_date(today or timezone.localdate()),
        "headings": [heading for heading, _cell in COLUMNS],
        "rows": table_rows(figures),
        "chart_svg": to_svg(chart(figures)),
        "ranking_rule": RANKING_RULE,
        "definitions": DEFINITIONS,
    }


def render_fragment(figures: RegionFigures) -> SafeString:
    """The regional bulletin as an <article>, for the region's page."""
    return mark_safe(render_to_string("bulletins/_region_document.html", context(figures)))  # noqa: S308


def render_html(figures: RegionFigures) -> str:
    from govhall.bulletins.render_html import stylesheet

    data = context(figures)
    data["css"] = mark_safe(stylesheet())  # noqa: S308 (the app's own stylesheet)
    return render_to_string("bulletins/region_file.html", data)


def render_pdf(figures: RegionFigures) -> bytes:
    from govhall.bulletins.render_pdf import FONTCONFIG_FILE, use_bulletin_fonts

    use_bulletin_fonts()
    from weasyprint import HTML

    pdf = HTML(string=render_html(figures), base_url=str(FONTCONFIG_FILE.parent)).write_pdf()
    if pdf is None:
        raise RuntimeError("WeasyPrint returned no PDF")
    return pdf


def render_docx(figures: RegionFigures) -> bytes:
    from docx import Document as new_docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    from govhall.bulletins import render_docx as base

    document = new_docx()
    base._styles(document)
    base._page(document)
    document.core_properties.title = f"{figures.issue} {figures.title}"
    document.core_properties.author = office_of(figures)
    document.core_properties.language = "zh-CN"
    body = document.element.body
    for empty in list(body.findall(qn("w:p"))):
        body.remove(empty)

    masthead = document.add_paragraph(style=base.STYLE_BODY)
    masthead.alignment = WD_ALIGN_PARAGRAPH.CENTER
    base.font_run(
        masthead.add_run(f"{figures.short_name}简报"), base.XIAOBIAOSONG, Pt(36), color=base.RED
    )
    base._off_grid(masthead)
    issue = document.add_paragraph(style=base.STYLE_BODY)
    issue.alignment = WD_ALIGN_PARAGRAPH.CENTER
    base.font_run(
        issue.add_run(f"【{figures.month.year}】第{figures.number}期"), base.FANGSONG, base.SIZE_3
    )
    line = base._paragraph(document, indent=False)
    base.font_run(
        line.add_run(f"{office_of(figures)}　　{chinese_date(timezone.localdate())}"),
        base.FANGSONG,
        base.SIZE_3,
    )
    base._border(line._p.get_or_add_pPr(), "bottom", size=18, color="FF0000", space=4)

    title = base._off_grid(base._paragraph(document, base.STYLE_TITLE, indent=False))
    title.paragraph_format.line_spacing = Pt(36)
    base.font_run(title.add_run(figures.title), base.XIAOBIAOSONG, base.SIZE_2)
    for text in (figures.summary(), RANKING_RULE):
        base.font_run(base._paragraph(document).add_run(text), base.FANGSONG, base.SIZE_3)

    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, (heading, _cell) in zip(table.rows[0].cells, COLUMNS, strict=True):
        _cell_text(cell, heading, base, bold=True)
    for values in table_rows(figures):
        for cell, value in zip(table.add_row().cells, values, strict=True):
            _cell_text(cell, value, base)

    note = base._paragraph(document)
    base.font_run(note.add_run(DEFINITIONS), base.FANGSONG, Pt(12))
    picture = base._paragraph(document, indent=False)
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.add_run().add_picture(io.BytesIO(to_png(chart(figures))), width=Mm(150))
    caption = base._paragraph(document, indent=False)
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    base.font_run(caption.add_run(chart(figures).label), base.HEITI, Pt(12))

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _cell_text(cell: Any, text: str, base: Any, *, bold: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    base.font_run(paragraph.add_run(text), base.HEITI if bold else base.FANGSONG, Pt(10.5))


def render(figures: RegionFigures, fmt: str) -> bytes:
    """The regional bulletin as the bytes of a file in `fmt` (html, docx, pdf or json)."""
    if fmt == Format.JSON:
        return (json.dumps(figures.as_json(), ensure_ascii=False, indent=2) + "\n").encode()
    if fmt == Format.HTML:
        return render_html(figures).encode("utf-8")
    if fmt == Format.DOCX:
        return render_docx(figures)
    if fmt == Format.PDF:
        return render_pdf(figures)
    raise ValueError(f"unknown format {fmt!r}")


def filename(figures: RegionFigures, fmt: str) -> str:
    """随州市政务服务【2016】第12期-全市政务服务中心运行情况通报.pdf"""
    return f"{figures.issue}-{figures.title}.{fmt}"


__all__ = ["RankedCenter", "render", "render_fragment", "filename"]
