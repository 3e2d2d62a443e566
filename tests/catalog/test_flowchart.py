"""The 权力运行流程图 is markup built from item text: every name comes back as text, whatever
characters it holds, and none of it becomes an attribute or an element."""

from __future__ import annotations

from decimal import Decimal

from govhall.catalog import services
from govhall.catalog.flowchart import StepBox, flowchart_svg
from tests.catalog.builders import complete_basic, complete_rows
from tests.markup import (
    HOSTILE,
    PLAIN,
    event_handlers,
    html_elements,
    parse_svg,
    svg_shape,
    svg_texts,
)


def chart(text: str) -> str:
    return flowchart_svg(
        [StepBox(text, text, Decimal("2")), StepBox(text, "", Decimal("0"))], title=text
    )


def test_an_item_name_with_quotes_stays_inside_the_flowcharts_label():
    # when an item's name tries to close the aria-label attribute and add an onload
    name = '普通护照签发" onload="alert(1)'
    root = parse_svg(chart(name))
    # then the label is the whole name and no attribute was added
    assert root.get("aria-label") == name
    assert "onload" not in root.attrib


def test_every_step_name_and_role_comes_back_as_text_and_adds_no_element():
    # given the same steps once in plain text, once with quotes, brackets and ampersands
    plain, hostile = parse_svg(chart(PLAIN)), parse_svg(chart(HOSTILE))
    # then both drawings have the same elements and attributes
    assert svg_shape(hostile) == svg_shape(plain)
    # and each text reads as typed
    assert svg_texts(hostile) == [
        "申请人提出申请",
        HOSTILE,
        f"{HOSTILE}\u30002个工作日",
        HOSTILE,
        "即时",
        "办结",
    ]


def test_the_staff_item_page_shows_a_hostile_item_name_as_text(client, hall):
    # given an item whose name and steps hold quotes, brackets and ampersands
    rows = complete_rows()
    rows["steps"] = [{"name": HOSTILE, "role": HOSTILE, "limit_days": 1}]
    rows["risks"] = []
    item, _created = services.item_import_published(
        by=None,
        center=hall.a,
        unit=hall.x,
        code="Q001",
        basic=complete_basic(HOSTILE),
        rows=rows,
    )
    client.force_login(hall.user("clerk_x"))
    # when
    page = client.get(f"/catalog/items/{item.pk}/").content.decode()
    # then the flowchart is labelled with the name, and nothing on the page gained a handler
    labels = [a.get("aria-label") for tag, a in html_elements(page) if tag == "svg"]
    assert HOSTILE in labels
    assert event_handlers(page) == []
