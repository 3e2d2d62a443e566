"""manage.py bulletin YYYY-MM [--format html,docx,pdf,json] [--out FILE] [--center NAME]."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from govhall.bulletins.management.commands.bulletin import targets
from govhall.bulletins.services import bulletin_create, bulletin_update_texts

pytestmark = pytest.mark.usefixtures("after_the_month")
CENTER = "甲政务服务中心"


def run(*args: str, **options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("bulletin", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_json_goes_to_standard_output(hall, december):
    out, _err = run("2016-12", center=CENTER)
    data = json.loads(out)
    assert data["cases"]["accepted"] == 6
    assert data["issue"] == "测试政务服务【2016】第1期"


def test_every_format_is_written_into_a_directory(hall, december, tmp_path):
    _out, err = run("2016-12", format="html,docx,pdf,json", out=f"{tmp_path}/", center=CENTER)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"bulletin-2016-12.{ext}" for ext in ("docx", "html", "json", "pdf")]
    assert (tmp_path / "bulletin-2016-12.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "bulletin-2016-12.docx").read_bytes().startswith(b"PK")
    html = (tmp_path / "bulletin-2016-12.html").read_text(encoding="utf-8")
    assert "共受理业务办件6件" in html
    assert json.loads((tmp_path / "bulletin-2016-12.json").read_text())["outings"] == 2
    assert "bulletin-2016-12.pdf" in err


def test_several_formats_with_a_filename_stem(hall, december, tmp_path):
    run("2016-12", format="docx,json", out=str(tmp_path / "dec.docx"), center=CENTER)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dec.docx", "dec.json"]


def test_one_file_where_asked(hall, december, tmp_path):
    run("2016-12", format="pdf", out=str(tmp_path / "通报.pdf"), center=CENTER)
    assert (tmp_path / "通报.pdf").read_bytes().startswith(b"%PDF")


def test_the_months_issue_gives_its_number_and_texts(hall, december, tmp_path):
    bulletin = bulletin_create(by=None, center=hall.a, month="2016-12", number=3)
    bulletin_update_texts(by=None, bulletin=bulletin, problems="1.办公室写的问题。")
    run("2016-12", format="html", out=str(tmp_path / "dec.html"), center=CENTER)
    html = (tmp_path / "dec.html").read_text(encoding="utf-8")
    assert "测试政务服务【2016】第3期" in html
    assert "办公室写的问题。" in html


def test_bad_input_is_refused(hall):
    with pytest.raises(CommandError, match="YYYY-MM"):
        run("2016-13", center=CENTER)
    with pytest.raises(CommandError, match="xlsx"):
        run("2016-12", format="xlsx", center=CENTER)
    with pytest.raises(CommandError, match="--center"):
        run("2016-12")  # two centers in the database
    with pytest.raises(CommandError, match="乙丙"):
        run("2016-12", center="乙丙")


def test_where_each_format_goes(tmp_path):
    assert targets(["json"], None, "2016-12") == {"json": None}
    assert targets(["pdf"], None, "2016-12") == {"pdf": Path("bulletin-2016-12.pdf")}
    assert targets(["pdf"], f"{tmp_path}", "2016-12") == {"pdf": tmp_path / "bulletin-2016-12.pdf"}
    assert targets(["html", "pdf"], "out/dec", "2016-12") == {
        "html": Path("out/dec.html"),
        "pdf": Path("out/dec.pdf"),
    }
