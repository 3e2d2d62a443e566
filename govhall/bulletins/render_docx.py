"""The bulletin as a Word document laid out after GB/T 9704-2012 (党政机关公文格式), with a 简报
masthead: the periodical's name in large red type, 【year】第N期 under it, the issuing office
at the left and the date at the right above a red rule.

Body: A4, margins 37 mm top, 35 mm bottom, 28 mm inside, 26 mm outside (mirrored for
double-sided printing), 22 lines of 28 characters (三号 at an exact 28.95 pt); title 方正小标宋简体
二号, text 仿宋_GB2312 三号, 一、 in 黑体, （一） in 楷体_GB2312; folios "— 1 —" in 四号宋体, right on
odd pages and left on even ones; the charts as 附件 pages; the 版记 (抄送, 印发) between its rules
at the foot of the last page.

python-docx names fonts only for Latin text (w:ascii/w:hAnsi); Word picks Chinese glyphs from
w:eastAsia, so every style and run here sets it too.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document as new_docx
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from govhall.bulletins.charts import chart_png
from govhall.bulletins.text import Document

FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
KAITI = "楷体_GB2312"
HEITI = "黑体"
SONGTI = "宋体"

SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
LINE = Pt(28.95)  # 22 lines in the 225 mm text area
RED = RGBColor(0xFF, 0x00, 0x00)
TEXT_WIDTH = Mm(156)  # 210 − 28 − 26

PAGE = {"width": Mm(210), "height": Mm(297)}
MARGINS = {"top": Mm(37), "bottom": Mm(35), "inside": Mm(28), "outside": Mm(26)}
# 22 lines: a line grid of 28.95 pt (579 twips). 28 characters in 156 mm: 三号 (16 pt) narrowed
# by 0.25 pt (w:spacing −5 twentieths). A character grid (linesAndChars + charSpace) would do
# the same in Word, but LibreOffice and WPS size that grid differently and spread the text out.
GRID_LINE_PITCH = "579"
CHARACTER_SPACING = "-5"
RPR_SPACING_SUCCESSORS = (
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
    "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)  # fmt: skip

STYLE_BODY = "Normal"
STYLE_H1 = "Heading 1"
STYLE_H2 = "Heading 2"
STYLE_TITLE = "Title"


# --- fonts ------------------------------------------------------------------------------------


def _set_fonts(rpr: Any, name: str) -> None:
    """Name the font for every script; theme fonts, which would win over names, are dropped."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def font_run(
    run: Any, name: str, size: Any = None, *, bold: bool | None = None, color: Any = None
) -> Any:
    run.font.name = name
    _set_fonts(run._element.get_or_add_rPr(), name)
    if size is not None:
        run.font.size = size
    if bold is not None:
        run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    return run


def _style(document: Any, name: str, font: str, size: Any, *, bold: bool = False) -> Any:
    styles = document.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.font.name = font
    _set_fonts(style.element.get_or_add_rPr(), font)
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.keep_with_next = name in (STYLE_H1, STYLE_H2)
    return style


def _off_grid(paragraph: Any) -> Any:
    """Large type (the masthead, titles) is laid out freely, not snapped to the 三号 grid."""
    ppr = paragraph._p.get_or_add_pPr()
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.insert_element_before(
        snap, *("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
               "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
               "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange"),
    )  # fmt: skip
    return paragraph


def _first_line_chars(paragraph: Any, hundredths: int = 200) -> None:
    """首行缩进二字: in characters, so it follows the font (w:firstLineChars)."""
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(hundredths))
    ind.set(qn("w:firstLine"), str(int(SIZE_3.pt * 20 * hundredths / 100)))


def _styles(document: Any) -> None:
    # 三号 by default, for every part of the document that names no size.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            _set_fonts(rpr, FANGSONG)
            for tag in ("w:sz", "w:szCs"):
                for old in rpr.findall(qn(tag)):
                    rpr.remove(old)
                size = OxmlElement(tag)
                size.set(qn("w:val"), str(int(SIZE_3.pt * 2)))
                rpr.append(size)
    body = _style(document, STYLE_BODY, FANGSONG, SIZE_3)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), CHARACTER_SPACING)
    body.element.get_or_add_rPr().insert_element_before(spacing, *RPR_SPACING_SUCCESSORS)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    body.element.get_or_add_rPr().append(lang)
    _style(document, STYLE_H1, HEITI, SIZE_3)
    _style(document, STYLE_H2, KAITI, SIZE_3)
    title = _style(document, STYLE_TITLE, XIAOBIAOSONG, SIZE_2)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # The built-in Title style draws a rule under itself; an official title has none.
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    for name in (STYLE_H1, STYLE_H2):
        document.styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


# --- page ---------------------------------------------------------------------------------------


def _page(document: Any) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE["width"], PAGE["height"]
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["inside"], MARGINS["outside"]
    section.header_distance = Mm(15)
    section.footer_distance = Mm(21)  # the folio 7 mm under the text area (GB/T 9704 §7.5)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), GRID_LINE_PITCH)
    # Inside and outside margins: double-sided printing, bound on the left of odd pages.
    settings = document.settings.element
    if settings.find(qn("w:mirrorMargins")) is None:
        mirror = OxmlElement("w:mirrorMargins")
        zoom = settings.find(qn("w:zoom"))
        if zoom is not None:
            zoom.addnext(mirror)
        else:
            settings.insert(0, mirror)
    document.settings.odd_and_even_pages_header_footer = True
    _folio(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _folio(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)


def _field(paragraph: Any, instruction: str, placeholder: str) -> None:
    def fld_char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        font_run(paragraph.add_run(), SONGTI, SIZE_4)._r.append(element)

    fld_char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    font_run(paragraph.add_run(), SONGTI, SIZE_4)._r.append(instr)
    fld_char("separate")
    font_run(paragraph.add_run(placeholder), SONGTI, SIZE_4)
    fld_char("end")


def _folio(footer: Any, alignment: Any) -> None:
    """— 1 — in 四号宋体, one character in from the outer edge (GB/T 9704 §7.5)."""
    footer.is_linked_to_previous = False
    paragraph = _off_grid(footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph())
    paragraph.alignment = alignment
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.first_line_indent = Pt(0)
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = SIZE_4
    else:
        fmt.left_indent = SIZE_4
    font_run(paragraph.add_run("— "), SONGTI, SIZE_4)
    _field(paragraph, "PAGE", "1")
    font_run(paragraph.add_run(" —"), SONGTI, SIZE_4)


# What follows w:pBdr in a paragraph's properties (CT_PPr is a sequence; Word rejects disorder).
PBDR_SUCCESSORS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def _border(
    paragraph_or_cell_ppr: Any, side: str, *, size: int, color: str = "000000", space: int = 1
) -> None:
    borders = paragraph_or_cell_ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        paragraph_or_cell_ppr.insert_element_before(borders, *PBDR_SUCCESSORS)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size))
    edge.set(qn("w:space"), str(space))
    edge.set(qn("w:color"), color)
    borders.append(edge)


# --- parts of the document --------------------------------------------------------------------


def _paragraph(document: Any, style: str = STYLE_BODY, *, indent: bool = True) -> Any:
    paragraph = document.add_paragraph(style=style)
    if indent:
        _first_line_chars(paragraph)
    else:
        paragraph.paragraph_format.first_line_indent = Pt(0)
    return paragraph


def _masthead(document: Any, doc: Document) -> None:
    name = document.add_paragraph(style=STYLE_BODY)
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    name.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    name.paragraph_format.space_before = Pt(6)
    name.paragraph_format.space_after = Pt(6)
    size = Pt(min(48, int(TEXT_WIDTH.pt * 0.9 / max(len(doc.masthead), 1))))
    font_run(name.add_run(doc.masthead), XIAOBIAOSONG, size, color=RED)
    _off_grid(name)

    issue = document.add_paragraph(style=STYLE_BODY)
    issue.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font_run(issue.add_run(doc.issue_line), FANGSONG, SIZE_3)

    line = document.add_paragraph(style=STYLE_BODY)
    fmt = line.paragraph_format
    fmt.left_indent = SIZE_3
    fmt.right_indent = SIZE_3
    fmt.tab_stops.add_tab_stop(TEXT_WIDTH - SIZE_3, WD_TAB_ALIGNMENT.RIGHT)
    font_run(line.add_run(f"{doc.office}\t{doc.date_text}"), FANGSONG, SIZE_3)
    # The red rule under the office and the date, as wide as the text area.
    _border(line._p.get_or_add_pPr(), "bottom", size=18, color="FF0000", space=4)


def _block(document: Any, block: Any) -> None:
    if block.kind == "h1":
        font_run(_paragraph(document, STYLE_H1).add_run(block.text), HEITI, SIZE_3)
    elif block.kind == "h2":
        font_run(_paragraph(document, STYLE_H2).add_run(block.text), KAITI, SIZE_3)
    else:
        paragraph = _paragraph(document)
        if block.lead:
            font_run(
                paragraph.add_run(block.lead), KAITI if block.lead_is_kai else FANGSONG, SIZE_3
            )
        font_run(paragraph.add_run(block.text), FANGSONG, SIZE_3)


def _appendices(document: Any, doc: Document) -> None:
    """附件 pages, one chart each; the last one is a section of its own, whose footer carries
    the 版记 (so it sits at the foot of the last page in Word, WPS and LibreOffice alike)."""
    count = len(doc.appendices)
    for index, appendix in enumerate(doc.appendices, start=1):
        if index == count:
            section = document.add_section(WD_SECTION.NEW_PAGE)
            for footer in (section.footer, section.even_page_footer):
                footer.is_linked_to_previous = False
                _colophon(document, footer, doc)
            _folio(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
            _folio(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
            page = _paragraph(document, indent=False)
        else:
            page = _paragraph(document, indent=False)
            page.add_run().add_break(WD_BREAK.PAGE)
        font_run(page.add_run(f"附件{index}"), HEITI, SIZE_3)
        heading = _off_grid(_paragraph(document, STYLE_TITLE, indent=False))
        heading.paragraph_format.space_before = LINE
        heading.paragraph_format.space_after = LINE
        font_run(heading.add_run(appendix.title), XIAOBIAOSONG, SIZE_2)
        picture = _paragraph(document, indent=False)
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        picture.add_run().add_picture(
            io.BytesIO(chart_png(doc.figures, appendix.key)), width=Mm(150)
        )


def _cell_border(cell: Any, side: str, size: int) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = tc_pr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        tc_pr.append(borders)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size))
    edge.set(qn("w:space"), "0")
    edge.set(qn("w:color"), "000000")
    borders.append(edge)


def colophon_lines(doc: Document) -> list[tuple[str, str]]:
    lines = []
    if doc.copy_to:
        lines.append(("copy", doc.copy_line))
    lines.append(("imprint", f"{doc.office}\t{doc.date_text}印发"))
    return lines


def _colophon(document: Any, footer: Any, doc: Document) -> None:
    """版记: 抄送 and 印发 in 四号仿宋 between rules as wide as the text (thick 0.35 mm first and
    last, thin 0.25 mm between), with 7 mm to the folio under it."""
    lines = colophon_lines(doc)
    table = footer.add_table(rows=len(lines), cols=1, width=TEXT_WIDTH)
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), "0")
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    look = tbl_pr.find(qn("w:tblLook"))  # CT_TblPr is a sequence: tblCellMar before tblLook
    if look is not None:
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)
    for index, (kind, text) in enumerate(lines):
        cell = table.rows[index].cells[0]
        cell.width = TEXT_WIDTH
        paragraph = _off_grid(cell.paragraphs[0])
        paragraph.style = document.styles[STYLE_BODY]
        fmt = paragraph.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.left_indent = SIZE_4
        fmt.right_indent = SIZE_4
        fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE
        if kind == "imprint":
            fmt.tab_stops.add_tab_stop(TEXT_WIDTH - SIZE_4, WD_TAB_ALIGNMENT.RIGHT)
        font_run(paragraph.add_run(text), FANGSONG, SIZE_4)
        if index == 0:
            _cell_border(cell, "top", 8)
        _cell_border(cell, "bottom", 8 if index == len(lines) - 1 else 6)
    # The footer's own first paragraph (the folio) comes after the table.
    first = footer.paragraphs[0]
    first._p.addprevious(table._tbl)
    first.paragraph_format.space_before = Mm(7)


def render_docx(doc: Document) -> bytes:
    """The bulletin as DOCX bytes."""
    document = new_docx()
    _styles(document)
    _page(document)
    document.core_properties.title = f"{doc.issue} {doc.title}"
    document.core_properties.author = doc.office
    document.core_properties.language = "zh-CN"
    # python-docx's template opens with one empty paragraph; the masthead takes its place.
    body = document.element.body
    for empty in list(body.findall(qn("w:p"))):
        body.remove(empty)

    _masthead(document, doc)
    spacer = _paragraph(document, indent=False)
    spacer.paragraph_format.space_after = Pt(0)
    title = _off_grid(_paragraph(document, STYLE_TITLE, indent=False))
    title.paragraph_format.line_spacing = Pt(36)
    font_run(title.add_run(doc.title), XIAOBIAOSONG, SIZE_2)
    _paragraph(document, indent=False)  # 空一行
    if doc.intro:
        font_run(_paragraph(document).add_run(doc.intro), FANGSONG, SIZE_3)
    for block in doc.blocks:
        _block(document, block)
    _paragraph(document, indent=False)
    font_run(_paragraph(document).add_run(doc.appendix_note), FANGSONG, SIZE_3)
    _appendices(document, doc)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
