"""Catalog files (blank forms, samples, service forms, flowchart images): checked by content,
stored under random names, and served through views — published files to the public, drafts to
staff of their scope."""

from __future__ import annotations

import io
import re
from html import unescape
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from PIL import Image

from govhall.catalog import services
from govhall.catalog.models import FormFile, Material
from govhall.core.errors import DomainError
from govhall.demo.files import blank_form_pdf, flowchart_png, sample_pdf
from tests.catalog.builders import complete_basic, complete_rows

PDF_BYTES = blank_form_pdf("中国公民出入境证件申请表", "普通护照签发")
SAMPLE_BYTES = sample_pdf("中国公民出入境证件申请表", "普通护照签发")
PNG_BYTES = flowchart_png("普通护照签发", (("受理", "窗口"), ("审核", "出入境科")))


def pdf(name: str = "申请表.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name: str = "flow.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def docx_bytes() -> bytes:
    document = Document()
    document.add_paragraph("申请表")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def publish_with_files(hall: Any, *, code: str = "P001", unit: Any = None) -> Any:
    """A published item whose first material has a blank form and a sample, whose form has a
    file and whose flowchart is an image (uploaded the way a unit uploads them)."""
    unit = unit or hall.x
    rows = complete_rows()
    rows["materials"][0].update(blank_form=pdf(), sample=pdf("样本.pdf", SAMPLE_BYTES))
    rows["forms"][0]["file"] = pdf("出入境证件申请表.pdf")
    item, _created = services.item_import_published(
        by=None,
        center=unit.center,
        unit=unit,
        code=code,
        basic=complete_basic(flowchart_image=png()),
        rows=rows,
    )
    return item


def file_links(html: str) -> list[str]:
    """Every address of a catalog file in a page (links and images)."""
    return sorted({unescape(u) for u in re.findall(r'(?:href|src)="([^"]*/files/[^"]*)"', html)})


# --- checking uploads -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00\x03\x00\x00\x00program", b"<!doctype html><script>alert(1)</script>"],
    ids=["a program", "a web page"],
)
def test_a_program_or_web_page_renamed_to_pdf_is_refused_and_nothing_is_saved(hall, content):
    # given a draft with one blank form row
    item = publish_with_files(hall)
    draft = services.version_start(
        by=None, item=item, change_type="change", decision_document="随县政办发[2017]1号"
    )
    before = list(draft.materials.values_list("name", "blank_form"))
    rows = [{"name": "居民身份证", "blank_form": pdf("申请表.pdf", content)}]
    # when / then
    with pytest.raises(DomainError) as refused:
        services.version_set_rows(by=None, version=draft, part="materials", rows=rows)
    assert refused.value.field == "blank_form"
    assert "第1行" in str(refused.value) or "Row 1" in str(refused.value)
    assert list(draft.materials.values_list("name", "blank_form")) == before


def test_a_flowchart_must_be_an_image_even_when_named_png(hall):
    item = publish_with_files(hall)
    draft = services.version_start(
        by=None, item=item, change_type="change", decision_document="随县政办发[2017]1号"
    )
    with pytest.raises(DomainError) as refused:
        services.version_update_basic(
            by=None, version=draft, flowchart_image=SimpleUploadedFile("flow.png", PDF_BYTES)
        )
    assert refused.value.field == "flowchart_image"


def test_a_zip_archive_renamed_to_docx_is_refused(hall):
    item = publish_with_files(hall)
    draft = services.version_start(
        by=None, item=item, change_type="change", decision_document="随县政办发[2017]1号"
    )
    archive = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("payload.exe", b"MZ")
    rows = [{"name": "申请表", "file": SimpleUploadedFile("申请表.docx", archive.getvalue())}]
    with pytest.raises(DomainError):
        services.version_set_rows(by=None, version=draft, part="forms", rows=rows)


def test_stored_names_are_random_with_the_extension_of_the_real_type(hall):
    # given two uploads, one named in Chinese, one a Word file named .pdf
    item = publish_with_files(hall)
    draft = services.version_start(
        by=None, item=item, change_type="change", decision_document="随县政办发[2017]1号"
    )
    word = SimpleUploadedFile("申请表.pdf", docx_bytes())
    # when
    services.version_set_rows(
        by=None,
        version=draft,
        part="forms",
        rows=[{"name": "申请表", "file": pdf("../../申请表.pdf")}, {"name": "说明", "file": word}],
    )
    # then
    first, second = (f.file.name for f in draft.forms.all())
    assert re.fullmatch(r"catalog/forms/form-[0-9a-f]{32}\.pdf", first)
    assert re.fullmatch(r"catalog/forms/form-[0-9a-f]{32}\.docx", second)
    assert "申请表" not in first + second


def test_a_kept_file_must_be_one_of_the_catalogs_own(hall):
    item = publish_with_files(hall)
    draft = services.version_start(
        by=None, item=item, change_type="change", decision_document="随县政办发[2017]1号"
    )
    with pytest.raises(DomainError):
        services.version_set_rows(
            by=None,
            version=draft,
            part="forms",
            rows=[{"name": "申请表", "file": "journal/clippings/secret.pdf"}],
        )


def test_the_staff_page_names_the_row_and_field_of_a_refused_upload(login, hall):
    # given a chief editing a draft's forms
    item = publish_with_files(hall)
    draft = services.version_start(
        by=None, item=item, change_type="change", decision_document="随县政办发[2017]1号"
    )
    before = list(draft.forms.values_list("name", "file"))
    client = login("chief_x")
    data = {
        "forms-TOTAL_FORMS": "1",
        "forms-INITIAL_FORMS": "0",
        "forms-0-name": "申请表",
        "forms-0-file": SimpleUploadedFile("申请表.pdf", b"<html><script>x</script></html>"),
    }
    # when
    response = client.post(f"/catalog/versions/{draft.pk}/edit/forms/", data, follow=True)
    # then
    text = response.content.decode()
    assert response.status_code == 200
    assert "第1行" in text
    assert "文件" in text
    assert list(draft.forms.values_list("name", "file")) == before


# --- serving to the public ------------------------------------------------------------------


def test_the_public_gets_a_published_blank_form_inline_with_safe_headers(client, hall):
    # given
    item = publish_with_files(hall)
    material = item.current.materials.get(name="居民身份证")
    # when
    response = client.get(f"/kiosk/items/{item.pk}/files/blank-form/{material.pk}/")
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline;")
    assert "filename*=utf-8''" + quote("普通护照签发-居民身份证-") in disposition
    assert disposition.endswith(".pdf")
    # the browser's PDF viewer may embed it; no script may run
    assert "object-src 'self'" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_a_word_form_is_offered_as_a_download(client, hall):
    item = publish_with_files(hall)
    draft = services.version_start(
        by=None, item=item, change_type="change", decision_document="随县政办发[2017]1号"
    )
    services.version_set_rows(
        by=None,
        version=draft,
        part="forms",
        rows=[{"name": "申请表", "file": SimpleUploadedFile("a.docx", docx_bytes())}],
    )
    services.version_submit(by=None, version=draft)
    services.version_approve(by=None, version=draft)
    form = draft.forms.get()
    response = client.get(f"/kiosk/items/{item.pk}/files/form/{form.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_flowchart_image_is_served_as_png(client, hall):
    item = publish_with_files(hall)
    response = client.get(f"/kiosk/items/{item.pk}/files/flowchart/{item.current_id}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == "PNG"


def test_a_drafts_files_are_not_public(client, hall):
    # given a published item with a draft whose form has a new file
    item = publish_with_files(hall)
    draft = services.version_start(
        by=None, item=item, change_type="change", decision_document="随县政办发[2017]1号"
    )
    services.version_set_rows(
        by=None, version=draft, part="forms", rows=[{"name": "新表", "file": pdf("新表.pdf")}]
    )
    new_form = draft.forms.get()
    material = draft.materials.get(name="居民身份证")
    published = item.current.materials.get(name="居民身份证")
    # when / then: the published sample opens, the draft's files do not
    assert client.get(f"/kiosk/items/{item.pk}/files/sample/{published.pk}/").status_code == 200
    assert client.get(f"/kiosk/items/{item.pk}/files/form/{new_form.pk}/").status_code == 404
    assert client.get(f"/kiosk/items/{item.pk}/files/sample/{material.pk}/").status_code == 404
    assert client.get(f"/kiosk/items/{item.pk}/files/flowchart/{draft.pk}/").status_code == 404


def test_an_item_never_published_has_no_public_files(client, hall):
    item = services.item_create(
        by=None,
        unit=hall.x,
        code="N1",
        name="新事项",
        category="01",
        handling_type="promised",
        legal_days=5,
        promised_days=3,
    )
    draft = item.versions.get()
    services.version_set_rows(
        by=None, version=draft, part="forms", rows=[{"name": "表", "file": pdf()}]
    )
    form = draft.forms.get()
    published = publish_with_files(hall, code="P002")
    published_form = published.current.forms.get()
    assert (
        client.get(f"/kiosk/items/{published.pk}/files/form/{published_form.pk}/").status_code
        == 200
    )
    assert client.get(f"/kiosk/items/{item.pk}/files/form/{form.pk}/").status_code == 404


def test_a_suspended_items_files_are_no_longer_public(client, hall):
    item = publish_with_files(hall)
    form = item.current.forms.get()
    url = f"/kiosk/items/{item.pk}/files/form/{form.pk}/"
    assert client.get(url).status_code == 200
    version = services.version_start(
        by=None, item=item, change_type="suspend", decision_document="随县政办发[2017]1号"
    )
    services.version_submit(by=None, version=version)
    services.version_approve(by=None, version=version)
    assert client.get(url).status_code == 404


def test_another_items_row_is_not_reachable_through_this_item(client, hall):
    item = publish_with_files(hall)
    other = publish_with_files(hall, code="P002")
    form = other.current.forms.get()
    assert client.get(f"/kiosk/items/{other.pk}/files/form/{form.pk}/").status_code == 200
    assert client.get(f"/kiosk/items/{item.pk}/files/form/{form.pk}/").status_code == 404


def test_a_file_uploaded_before_under_its_own_name_still_opens(client, hall):
    # given a form stored the old way, under the uploaded name
    item = publish_with_files(hall)
    name = default_storage.save("catalog/forms/出入境申请表.pdf", ContentFile(PDF_BYTES))
    FormFile.objects.filter(version=item.current).update(file=name)
    form = item.current.forms.get()
    # when
    response = client.get(f"/kiosk/items/{item.pk}/files/form/{form.pk}/")
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_an_old_upload_that_is_really_a_web_page_is_never_served(client, hall):
    # given a form that opens
    item = publish_with_files(hall)
    form = item.current.forms.get()
    url = f"/kiosk/items/{item.pk}/files/form/{form.pk}/"
    assert client.get(url).status_code == 200
    # when its stored file is (as an old extension-only check allowed) a web page named .pdf
    name = default_storage.save("catalog/forms/form.pdf", ContentFile(b"<html><script>"))
    FormFile.objects.filter(version=item.current).update(file=name)
    # then it is not served
    assert client.get(url).status_code == 404


def test_every_file_link_on_the_kiosk_guide_opens(client, hall):
    # given an item with a blank form, a sample, a form file and a flowchart image
    item = publish_with_files(hall)
    # when the kiosk's guide and the printable guide are read
    for page in (f"/kiosk/items/{item.pk}/", f"/kiosk/items/{item.pk}/guide/"):
        html = client.get(page).content.decode()
        links = file_links(html)
        # then each of the four files is linked, and each link opens
        assert len(links) == 4, links
        assert "/media/" not in html
        for link in links:
            response = client.get(link)
            assert response.status_code == 200, link
            assert response["X-Content-Type-Options"] == "nosniff"


# --- serving to staff -----------------------------------------------------------------------


def test_staff_of_the_unit_open_a_drafts_files_from_its_page(login, hall):
    # given a draft with a new form file
    item = publish_with_files(hall)
    draft = services.version_start(
        by=None, item=item, change_type="change", decision_document="随县政办发[2017]1号"
    )
    services.version_set_rows(
        by=None, version=draft, part="forms", rows=[{"name": "新表", "file": pdf("新表.pdf")}]
    )
    client = login("chief_x")
    # when
    html = client.get(f"/catalog/versions/{draft.pk}/").content.decode()
    links = file_links(html)
    # then
    assert links
    assert "/media/" not in html
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert response["Cache-Control"] == "private, no-store"


def test_the_edit_pages_link_stored_files_through_the_file_view(login, hall):
    item = publish_with_files(hall)
    draft = services.version_start(
        by=None, item=item, change_type="change", decision_document="随县政办发[2017]1号"
    )
    client = login("chief_x")
    for page in (
        f"/catalog/versions/{draft.pk}/edit/",
        f"/catalog/versions/{draft.pk}/edit/materials/",
        f"/catalog/versions/{draft.pk}/edit/forms/",
    ):
        html = client.get(page).content.decode()
        assert "/media/" not in html, page
        for link in file_links(html):
            assert client.get(link).status_code == 200, link


@pytest.mark.parametrize("persona", ["office_b", "clerk_z", "leader_y"])
def test_staff_outside_the_scope_cannot_open_a_drafts_files(login, hall, persona):
    # given a draft of unit X of center A
    item = publish_with_files(hall)
    draft = services.version_start(
        by=None, item=item, change_type="change", decision_document="随县政办发[2017]1号"
    )
    form = draft.forms.get()
    url = f"/catalog/versions/{draft.pk}/files/form/{form.pk}/"
    assert login("chief_x").get(url).status_code == 200
    # when someone of center B, or of another unit, asks for its form
    response = login(persona).get(url)
    # then
    assert response.status_code in (403, 404)


def test_the_office_of_the_center_opens_a_submitted_versions_sample(login, hall):
    item = publish_with_files(hall)
    draft = services.version_start(
        by=None, item=item, change_type="change", decision_document="随县政办发[2017]1号"
    )
    services.version_submit(by=None, version=draft)
    material = Material.objects.get(version=draft, name="居民身份证")
    response = login("office_a").get(f"/catalog/versions/{draft.pk}/files/sample/{material.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SAMPLE_BYTES


# --- the API --------------------------------------------------------------------------------


def test_the_api_item_gives_file_addresses_that_open(client, hall):
    # given
    item = publish_with_files(hall)
    # when
    parts = client.get(f"/api/v1/centers/{hall.a.pk}/items/{item.pk}").json()["parts"]
    # then
    material = next(m for m in parts["materials"] if m["name"] == "居民身份证")
    urls = [
        parts["flowchart"]["image_url"],
        material["blank_form_url"],
        material["sample_url"],
        *(f["url"] for f in parts["forms"]["files"]),
    ]
    assert len(urls) == 4
    for url in urls:
        assert url.startswith("http://testserver/kiosk/items/"), url
        assert client.get(url).status_code == 200, url
