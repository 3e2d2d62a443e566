"""QR codes on pages and notices: the title reads as given, the address is never written out."""

from __future__ import annotations

from govhall.core.qr import qr_svg
from tests.markup import HOSTILE, PLAIN, parse_svg, svg_shape, svg_texts

ADDRESS = 'https://zwfw.example.gov.cn/service/supplement/abc/?a=1&b="2"<3>'


def test_a_qr_codes_title_comes_back_as_text_and_adds_no_element():
    # when
    hostile = parse_svg(qr_svg(ADDRESS, title=HOSTILE))
    # then
    assert svg_texts(hostile) == [HOSTILE]
    assert svg_shape(hostile) == svg_shape(parse_svg(qr_svg(ADDRESS, title=PLAIN)))
    assert hostile.get("class") == "qr-code"


def test_the_address_is_only_in_the_modules():
    assert "zwfw" not in qr_svg(ADDRESS, title=PLAIN)
