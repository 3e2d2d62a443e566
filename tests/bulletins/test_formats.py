"""The four formats: DOCX (masthead, GB/T 9704 page and fonts), PDF (embedded CJK fonts, text a
reader can see), HTML (the sentences and the charts), JSON; and the charts themselves."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
import zipfile

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.shared import Pt
from PIL import Image

from govhall.bulletins import charts, outputs
from govhall.bulletins.figures import figures
from govhall.bulletins.render_html import render_fragment, render_html
from govhall.bulletins.text import Texts, build_document
from tests.bulletins.conftest import DECEMBER

POPPLER = all(shutil.which(tool) for tool in ("pdftoppm", "pdffonts", "pdfinfo", "pdftotext"))
needs_poppler = pytest.mark.skipif(
    not POPPLER,
    reason="poppler-utils (pdftoppm, pdffonts) is not installed: scripts/system-packages.sh",
)


@pytest.fixture
def doc(hall, december, after_the_month):
    found = figures(hall.a, DECEMBER)
    texts = Texts.drafts(found)
    texts = Texts(
        title=texts.title, intro=texts.intro, problems=texts.problems, plans=texts.plans,
        copy_to="县委办、县政府办",
    )  # fmt: skip
    return build_document(found, texts, issued_on=dt.date(2017, 1, 5))


def east_asia(element) -> str | None:
    fonts = element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


# --- DOCX ----------------------------------------------------------------------------------------


@pytest.fixture
def docx_file(doc):
    return open_docx(io.BytesIO(outputs.render(doc, "docx")))


def test_docx_masthead(docx_file):
    name, issue, office = docx_file.paragraphs[:3]
    assert name.text == "测试政务服务简报"
    run = name.runs[0]
    assert run.font.color.rgb == (0xFF, 0x00, 0x00)
    assert run.font.size >= Pt(36)
    assert east_asia(run._r) == "方正小标宋简体"
    assert issue.text == "【2016】第1期"
    assert office.text == "甲政务服务中心管理办公室\t2017年1月5日"
    rule = office._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}")
    assert rule.get(qn("w:color")) == "FF0000"


def test_docx_page_is_a4_with_gbt_9704_margins(docx_file):
    def mm(length) -> float:
        return round(length.mm, 1)

    for section in docx_file.sections:
        assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
        assert (mm(section.top_margin), mm(section.bottom_margin)) == (37, 35)
        assert (mm(section.left_margin), mm(section.right_margin)) == (28, 26)
        grid = section._sectPr.find(qn("w:docGrid"))
        assert grid.get(qn("w:linePitch")) == "579"  # 28.95 pt: 22 lines
    assert docx_file.settings.element.find(qn("w:mirrorMargins")) is not None


def test_docx_names_the_official_fonts_for_chinese(docx_file):
    styles = docx_file.styles
    assert east_asia(styles["Normal"].element) == "仿宋_GB2312"
    assert styles["Normal"].font.size == Pt(16)
    assert styles["Normal"].paragraph_format.line_spacing == Pt(28.95)
    assert east_asia(styles["Heading 1"].element) == "黑体"
    assert east_asia(styles["Heading 2"].element) == "楷体_GB2312"
    assert east_asia(styles["Title"].element) == "方正小标宋简体"
    paragraphs = {p.text: p for p in docx_file.paragraphs}
    title = paragraphs["12月份窗口工作情况通报"]
    assert (east_asia(title.runs[0]._r), title.runs[0].font.size) == ("方正小标宋简体", Pt(22))
    assert east_asia(paragraphs["一、运行情况"].runs[0]._r) == "黑体"
    assert east_asia(paragraphs["（一）窗口工作"].runs[0]._r) == "楷体_GB2312"
    body = next(p for p in docx_file.paragraphs if p.text.startswith("1.业务受理。"))
    assert [east_asia(r._r) for r in body.runs] == ["仿宋_GB2312", "仿宋_GB2312"]
    assert "共受理业务办件6件，办结5件" in body.text


def test_docx_folios_and_imprint(docx_file):
    last = docx_file.sections[-1]
    for footer in (docx_file.sections[0].footer, last.footer, last.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in xml
        assert "— " in xml
        assert " —" in xml
        assert 'w:eastAsia="宋体"' in xml
    imprint = [c.text for t in last.footer.tables for row in t.rows for c in row.cells]
    assert imprint == ["抄送：县委办、县政府办。", "甲政务服务中心管理办公室\t2017年1月5日印发"]


def test_docx_has_the_charts_as_appendices(doc):
    data = outputs.render(doc, "docx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        images = [n for n in archive.namelist() if n.startswith("word/media/")]
    assert len(images) == 2
    texts = [p.text for p in open_docx(io.BytesIO(data)).paragraphs]
    assert "附件1" in texts
    assert "附件2" in texts
    assert "12月份各窗口单位受理办件情况" in texts


# --- PDF -----------------------------------------------------------------------------------------


@needs_poppler
def test_pdf_embeds_a_cjk_font(doc, tmp_path):
    path = tmp_path / "bulletin.pdf"
    path.write_bytes(outputs.render(doc, "pdf"))
    listing = subprocess.run(  # noqa: S603
        [shutil.which("pdffonts"), str(path)], capture_output=True, text=True, check=True
    ).stdout
    rows = [line for line in listing.splitlines()[2:] if line.strip()]
    cjk = [r for r in rows if "CJK" in r or "Kaiti" in r or "Song" in r or "Hei" in r]
    assert cjk, listing
    assert all(" yes " in r for r in cjk)  # embedded


@needs_poppler
def test_pdf_page_one_shows_text(doc, tmp_path):
    path = tmp_path / "bulletin.pdf"
    path.write_bytes(outputs.render(doc, "pdf"))
    subprocess.run(  # noqa: S603
        [shutil.which("pdftoppm"), "-r", "40", "-png", "-f", "1", "-l", "1", str(path),
         str(tmp_path / "page")],
        check=True,
    )  # fmt: skip
    (png,) = tmp_path.glob("page*.png")
    page = Image.open(png).convert("L")
    width, height = page.size
    # the text area: inside the 28 mm / 26 mm margins, below the masthead
    body = page.crop((int(width * 0.14), int(height * 0.40), int(width * 0.86), int(height * 0.85)))
    dark = sum(body.histogram()[:128])
    assert dark > body.size[0] * body.size[1] * 0.01
    # and the red masthead at the top
    top = Image.open(png).convert("RGB").crop((0, 0, width, int(height * 0.25)))
    colours = top.getcolors(top.size[0] * top.size[1])
    assert any(r > 200 and g < 80 and b < 80 for _count, (r, g, b) in colours)


@needs_poppler
def test_pdf_is_a4_with_the_appendices(doc, tmp_path):
    path = tmp_path / "bulletin.pdf"
    path.write_bytes(outputs.render(doc, "pdf"))
    info = subprocess.run(  # noqa: S603
        [shutil.which("pdfinfo"), str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "(A4)" in info
    words = subprocess.run(  # noqa: S603
        [shutil.which("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "附件2" in words
    assert "印发" in words


# --- HTML and JSON ---------------------------------------------------------------------------------


def test_html_preview_has_the_sentences_and_the_charts_as_figures(doc):
    html = render_fragment(doc)
    assert "受理业务前二名窗口单位为：公安局(4件)、住建局(2件)。" in html
    assert html.count("<svg") == 2
    assert 'id="chart-units"' in html
    assert 'id="chart-trend"' in html
    assert "附件1" not in html  # figures in the text, not appendices


def test_html_file_stands_alone_and_prints_charts_as_appendices(doc):
    page = render_html(doc)
    assert page.startswith("<!doctype html>")
    assert "@page" in page
    assert "仿宋_GB2312" in page
    assert "&quot;" not in page.split("</style>")[0]  # the stylesheet is not escaped
    printed = render_html(doc, for_print=True)
    assert "附件1" in printed
    assert "附件2" in printed
    assert "抄送：县委办、县政府办。" in printed


def test_json_output_is_the_figures(doc):
    data = json.loads(outputs.render(doc, "json"))
    assert data["cases"]["accepted"] == 6
    assert data["issue"] == "测试政务服务【2016】第1期"


# --- charts --------------------------------------------------------------------------------------


def test_charts_draw_every_unit_and_month(doc):
    svg = charts.chart_svg(doc.figures, "units")
    assert "公安局" in svg
    assert "住建局" in svg
    assert ">4<" in svg
    trend = charts.chart_svg(doc.figures, "trend")
    assert trend.count("<circle") == 24  # 12 months × (accepted, completed)
    assert "12月" in trend


def test_chart_png_is_an_image_with_chinese_glyphs(doc):
    png = charts.chart_png(doc.figures, "units")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.width == charts.WIDTH * 3
    assert charts.cjk_font_file() is not None, "install fonts-noto-cjk"


def test_an_empty_month_still_draws(hall, after_the_month):
    empty = figures(hall.a, "2015-03")
    assert "本月无受理办件" in charts.chart_svg(empty, "units")
    assert charts.chart_png(empty, "trend").startswith(b"\x89PNG")


def test_axis_tops():
    assert [charts.nice_ceiling(v) for v in (0, 3, 38, 3932, 6560)] == [1, 4, 40, 4000, 8000]


def test_rate_charts_for_the_dashboard(doc):
    timeliness = charts.chart_svg(doc.figures, "timeliness")
    # 公安局 completed 2 promised cases on time (12-09 and 11-30's), 住建局 its one
    assert "100%" in timeliness
    assert "公安局" in timeliness
    assert "本月无评价" in charts.chart_svg(doc.figures, "satisfaction")
