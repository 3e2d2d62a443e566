"""The issue's Done-when: `bulletin 2016-12` on the demo gives the reference bulletin's figures
(随县政务服务【2016】第3期) in all four formats. The whole demo is built once for the module."""

from __future__ import annotations

import io
import json
import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from docx import Document as open_docx

from govhall.bulletins.models import Bulletin
from govhall.bulletins.selectors import month_document
from govhall.bulletins.text import plain_text
from govhall.demo.data.org import DEMO_CENTER

REFERENCE_CASES = (
    "12月份，县政务服务中心各窗口单位共受理业务办件6560件，办结6496件，其中，即办件5720件，"
    "承诺件776件。受理业务前五名窗口单位为：公安局(3932件)、住建局(1075件)、林业局(770件)、"
    "财政局(236件)、发改局(146件)。同时，咨询件较多的窗口单位为经信局(26人次)；"
    "未发生业务受理办件的窗口单位为经信局。"
)


@pytest.fixture
def demo(demo_center):
    """The shared demo hall (tests/shared_demo.py), built once for all the tests reading it."""
    return demo_center


def test_december_2016_equals_the_reference_bulletin(demo):
    data = month_document(center=demo, month="2016-12").figures.as_json()
    assert data["issue"] == "随县政务服务【2016】第3期"
    assert data["cases"]["accepted"] == 6560
    assert data["cases"]["completed"] == 6496
    assert data["cases"]["completed_immediate"] == 5720
    assert data["cases"]["completed_promised"] == 776
    assert data["top_units"] == [
        {"unit": "公安局", "accepted": 3932},
        {"unit": "住建局", "accepted": 1075},
        {"unit": "林业局", "accepted": 770},
        {"unit": "财政局", "accepted": 236},
        {"unit": "发改局", "accepted": 146},
    ]
    assert data["top_consultation_units"][0] == {"unit": "经信局", "person_times": 26}
    assert data["units_without_cases"] == ["经信局"]
    assert data["leave"] == {"person_times": 13, "days": 35}
    assert data["outings"] == 6
    assert sorted(data["patrol"]["signed_units"]) == sorted(["发改局", "住建局", "教育局"])
    assert (data["complaints"], data["messages"]) == (0, 0)
    assert data["unavailable"] == []


def test_the_reference_sentences(demo):
    words = plain_text(month_document(center=demo, month="2016-12"))
    assert f"1.业务受理。{REFERENCE_CASES}" in words
    assert "2.信息报送。本月除公安局出入境窗口报送信息简报外，其余单位均未报送。" in words
    assert (
        "1.考勤记录。12月份，县政务服务中心窗口工作人员请事假、病假、公休13人次，合计35天；"
        "外出办事登记6次；其余窗口人员基本全勤到岗、按时上下班。"
    ) in words
    assert "除发改局、住建局、教育局分管领导签到外，其余单位分管领导均未按照要求落实" in words
    assert "（三）投诉、留言情况\n本月未收到投诉及留言。" in words
    assert "随县政务服务中心管理办公室\u3000\u30002017年1月5日印发" in words


def test_the_demo_numbers_the_issues_of_2016(demo):
    issues = list(
        Bulletin.objects.filter(center=demo).order_by("month").values_list("number", "status")
    )
    assert issues == [(1, "published"), (2, "published"), (3, "draft")]


def test_the_command_writes_the_reference_figures_in_every_format(demo, tmp_path):
    call_command(
        "bulletin", "2016-12", format="html,docx,pdf,json", out=f"{tmp_path}/",
        center=DEMO_CENTER, stdout=StringIO(), stderr=StringIO(),
    )  # fmt: skip
    data = json.loads((tmp_path / "bulletin-2016-12.json").read_text(encoding="utf-8"))
    assert data["cases"]["accepted"] == 6560
    html = (tmp_path / "bulletin-2016-12.html").read_text(encoding="utf-8")
    assert REFERENCE_CASES in html
    document = open_docx(io.BytesIO((tmp_path / "bulletin-2016-12.docx").read_bytes()))
    assert any(REFERENCE_CASES in p.text for p in document.paragraphs)
    pdf = tmp_path / "bulletin-2016-12.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        import subprocess

        words = (
            subprocess.run(  # noqa: S603
                [shutil.which("pdftotext"), str(pdf), "-"],
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.replace("\n", "")
            .replace(" ", "")
        )
        assert "公安局(3932件)" in words
        assert "6560件" in words


def test_the_demo_signs_in_the_order_of_the_patrol_sheet(demo):
    data = month_document(center=demo, month="2016-12").figures.as_json()
    assert data["patrol"]["signed_units"] == ["发改局", "住建局", "教育局"]


def test_the_issues_published_before_december_print_their_awards(demo):
    for month in ("2016-10", "2016-11"):
        words = plain_text(month_document(center=demo, month=month))
        assert "（待评定）" not in words
        assert "评为" in words


def test_the_december_page_shows_the_drafted_problems_beside_the_text_sent(demo, client):
    # given the office of the demo hall
    from django.contrib.auth import get_user_model

    from govhall.bulletins import text
    from govhall.demo.loaders.bulletins import DECEMBER_PROBLEMS

    december = Bulletin.objects.get(center=demo, month="2016-12-01")
    client.force_login(get_user_model().objects.get(username="office"))
    # when
    page = client.get(f"/bulletins/{december.pk}/").content.decode()
    # then the draft from the records and the office's text are both there
    drafted = text.problems_draft(month_document(center=demo, month="2016-12").figures)
    assert drafted[0] in page
    assert DECEMBER_PROBLEMS.splitlines()[2][:40] in page
