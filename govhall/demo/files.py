"""Real files for the demo catalog, drawn with Pillow at load time: a blank application form
and a filled-in sample (one-page PDFs, as a hall's scanned forms are) and a flowchart image.

Each picture is drawn once per title and the bytes reused; the whole set takes well under a
second. Without a Chinese font (fonts-noto-cjk) the pictures are still valid files.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from govhall.core.fonts import cjk_font_file

A4 = (827, 1169)  # pixels at 100 dpi
MARGIN = 70
INK = (34, 34, 34)
PEN = (20, 60, 150)  # the applicant's blue ink
STAMP = (200, 40, 40)

# The form's rows: (label, what the sample says).
FIELDS: tuple[tuple[str, str], ...] = (
    ("申请人姓名", "张三"),
    ("性别", "男"),
    ("出生日期", "1985年6月18日"),
    ("公民身份号码", "421321198506180000"),
    ("户籍所在地", "湖北省随州市随县厉山镇"),
    ("现住址", "随县厉山镇神农大道88号"),
    ("联系电话", "13800000000"),
    ("申请事项", ""),
    ("申请理由", "本人因工作需要申请办理，所填内容真实有效。"),
    ("所附材料", "见材料清单"),
)


@functools.cache
def _font(size: int) -> Any:
    found = cjk_font_file()
    if found is not None:
        return ImageFont.truetype(found[0], size, index=found[1])
    return ImageFont.load_default(size)


def _centered(draw: ImageDraw.ImageDraw, y: int, text: str, size: int, fill: Any) -> None:
    font = _font(size)
    width = draw.textlength(text, font=font)
    draw.text(((A4[0] - width) / 2, y), text, font=font, fill=fill)


def _form_page(title: str, item: str, *, filled: bool) -> Image.Image:
    page = Image.new("RGB", A4, "white")
    draw = ImageDraw.Draw(page)
    _centered(draw, MARGIN, title, 30, INK)
    _centered(draw, MARGIN + 48, "随县政务服务中心", 18, INK)
    top, row, label_width = MARGIN + 110, 62, 190
    right = A4[0] - MARGIN
    for index, (label, example) in enumerate(FIELDS):
        y = top + index * row
        draw.rectangle((MARGIN, y, right, y + row), outline=INK, width=2)
        draw.line((MARGIN + label_width, y, MARGIN + label_width, y + row), fill=INK, width=2)
        draw.text((MARGIN + 16, y + 18), label, font=_font(20), fill=INK)
        if filled:
            text = example or item
            draw.text((MARGIN + label_width + 16, y + 18), text, font=_font(20), fill=PEN)
    y = top + len(FIELDS) * row + 40
    draw.text(
        (MARGIN, y), "申请人承诺：以上填写内容及所附材料真实、有效。", font=_font(20), fill=INK
    )
    draw.text((MARGIN, y + 60), "申请人（签名）：", font=_font(20), fill=INK)
    if not filled:
        draw.text((right - 300, y + 60), "日期：　　年　　月　　日", font=_font(20), fill=INK)
    if filled:
        draw.text((right - 300, y + 60), "日期：", font=_font(20), fill=INK)
        draw.text((right - 240, y + 60), "2016年12月8日", font=_font(20), fill=PEN)
        draw.text((MARGIN + 170, y + 56), "张三", font=_font(26), fill=PEN)
        stamp = (right - 190, 8, right, 62)
        draw.rectangle(stamp, outline=STAMP, width=4)
        draw.text((stamp[0] + 23, stamp[1] + 7), "填写样本", font=_font(34), fill=STAMP)
    return page


def _pdf(page: Image.Image, title: str) -> bytes:
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=100.0, title=title, quality=85)
    return buffer.getvalue()


@functools.cache
def blank_form_pdf(title: str, item: str) -> bytes:
    """A one-page blank application form titled `title`."""
    return _pdf(_form_page(title, item, filled=False), title)


@functools.cache
def sample_pdf(title: str, item: str) -> bytes:
    """The same form filled in by a made-up applicant, stamped 填写样本."""
    return _pdf(_form_page(title, item, filled=True), f"{title}（填写样本）")


@functools.cache
def flowchart_png(title: str, steps: Sequence[tuple[str, str]]) -> bytes:
    """The 权力运行流程图: the steps top to bottom, each with who handles it."""
    width, box_w, box_h, gap = 640, 360, 70, 40
    height = 110 + len(steps) * (box_h + gap)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font_title = _font(22)
    text_w = draw.textlength(f"{title}流程图", font=font_title)
    draw.text(((width - text_w) / 2, 24), f"{title}流程图", font=font_title, fill=INK)
    left = (width - box_w) // 2
    for index, (name, role) in enumerate(steps):
        y = 80 + index * (box_h + gap)
        draw.rounded_rectangle((left, y, left + box_w, y + box_h), 10, outline=PEN, width=3)
        for text, size, dy in ((name, 22, 10), (role, 16, 42)):
            w = draw.textlength(text, font=_font(size))
            draw.text(((width - w) / 2, y + dy), text, font=_font(size), fill=INK)
        if index < len(steps) - 1:
            x, y1, y2 = width // 2, y + box_h, y + box_h + gap
            draw.line((x, y1, x, y2 - 4), fill=PEN, width=3)
            draw.polygon(((x - 8, y2 - 12), (x + 8, y2 - 12), (x, y2)), fill=PEN)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=False)
    return buffer.getvalue()
