"""Online supplements (网上补正): the applicant uploads missing materials through the notice's
link; the files stay private and only the case's own staff can open them."""

from __future__ import annotations

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from govhall.cases import public_services, services
from govhall.cases.models import CaseEvent, SupplementUpload
from govhall.core.audit import verify_all
from govhall.core.errors import DomainError
from tests.cases.conftest import at


@pytest.fixture(autouse=True)
def _english_messages():
    # Assertions below match the services' English source messages.
    with translation.override("en"):
        yield


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def notice(hall, passport):
    with time_machine.travel(at(2016, 12, 5, 9, 0)):
        case = services.case_receive(
            by=hall.user("clerk_x"),
            item=passport,
            applicant_name="张三丰",
            applicant_id_number="420321199001011234",
            applicant_phone="13900001234",
        )
        return services.case_request_supplement(
            by=hall.user("clerk_x"), case=case, materials=["户口簿", "近期照片"]
        )


def upload(client, notice, index, name, content, content_type="application/octet-stream"):
    return english(client).post(
        reverse("service:supplement", args=[notice.token]),
        {"material": str(index), "file": SimpleUploadedFile(name, content, content_type)},
    )


# --- the page ------------------------------------------------------------------------------


def test_the_notice_page_shows_the_case_the_masked_applicant_and_the_missing_materials(
    client, notice
):
    # when
    response = english(client).get(reverse("service:supplement", args=[notice.token]))
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert notice.case.number in page
    assert "普通护照签发" in page
    assert "张**" in page
    assert "张三丰" not in page
    assert "13900001234" not in page
    assert "户口簿" in page
    assert "近期照片" in page
    assert page.count('type="file"') == 2


def test_an_unknown_token_is_404(client, notice):
    assert client.get(reverse("service:supplement", args=["x" * 43])).status_code == 404
    assert client.get(reverse("service:supplement", args=["bad token!"])).status_code == 404


# --- uploads --------------------------------------------------------------------------------


def test_a_jpeg_photo_is_saved_for_the_window_with_a_timeline_line_and_an_audit_entry(
    client, notice
):
    # when
    response = upload(client, notice, 0, "hukou.jpg", JPEG, "image/jpeg")
    # then
    assert response.status_code == 302
    saved = SupplementUpload.objects.get(notice=notice)
    assert saved.material == "户口簿"
    assert saved.accepted is None
    assert saved.file.name.endswith(".jpg")
    assert "hukou" not in saved.file.name
    event = CaseEvent.objects.filter(case=notice.case).last()
    assert (event.action, event.note) == ("网上补正材料已上传", "户口簿")
    checked, problems = verify_all()
    assert checked
    assert not problems
    page = english(client).get(response["Location"]).content.decode()
    assert "uploaded" in page
    assert "Waiting for the window to check" in page


def test_a_pdf_is_accepted(client, notice):
    upload(client, notice, 1, "photo.pdf", PDF, "application/pdf")
    assert SupplementUpload.objects.get(notice=notice).file.name.endswith(".pdf")


def test_a_png_is_accepted_through_the_service(notice):
    saved = public_services.supplement_upload_add(
        notice=notice, material="近期照片", file=SimpleUploadedFile("a.png", PNG)
    )
    assert saved.file.name.endswith(".png")


def test_a_renamed_executable_is_refused_naming_the_material_and_the_file(client, notice):
    # when an .exe renamed to .jpg is sent
    response = upload(client, notice, 0, "hukou.jpg", EXE, "image/jpeg")
    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert "“hukou.jpg” for “户口簿” is not a photo (JPEG, PNG) or a PDF" in page
    assert not SupplementUpload.objects.exists()
    assert not CaseEvent.objects.filter(action="网上补正材料已上传").exists()


def test_a_real_photo_under_a_foreign_extension_is_refused(notice):
    with pytest.raises(DomainError) as refused:
        public_services.supplement_upload_add(
            notice=notice, material="户口簿", file=SimpleUploadedFile("hukou.exe", JPEG)
        )
    assert refused.value.field == "file"


def test_an_oversized_file_is_refused_with_its_size_and_the_limit(client, notice, monkeypatch):
    # given a limit of 1 KB
    monkeypatch.setattr(public_services, "MAX_UPLOAD_BYTES", 1024)
    # when
    response = upload(client, notice, 1, "big.pdf", PDF + b"0" * 2048, "application/pdf")
    # then
    page = response.content.decode()
    assert "“big.pdf” for “近期照片”" in page
    assert "at most" in page
    assert not SupplementUpload.objects.exists()


def test_no_more_than_the_limit_of_files_per_notice(notice, monkeypatch):
    monkeypatch.setattr(public_services, "MAX_UPLOADS_PER_NOTICE", 2)
    for _i in range(2):
        public_services.supplement_upload_add(
            notice=notice, material="户口簿", file=SimpleUploadedFile("a.jpg", JPEG)
        )
    with pytest.raises(DomainError, match="At most 2 files"):
        public_services.supplement_upload_add(
            notice=notice, material="户口簿", file=SimpleUploadedFile("a.jpg", JPEG)
        )
    # a file the window refused frees its place
    SupplementUpload.objects.filter(notice=notice).update(accepted=False)
    public_services.supplement_upload_add(
        notice=notice, material="户口簿", file=SimpleUploadedFile("a.jpg", JPEG)
    )


def test_a_material_not_on_the_notice_is_refused(notice):
    with pytest.raises(DomainError) as refused:
        public_services.supplement_upload_add(
            notice=notice, material="营业执照", file=SimpleUploadedFile("a.jpg", JPEG)
        )
    assert refused.value.field == "material"


def test_a_resolved_notice_shows_complete_and_accepts_no_uploads(client, hall, notice):
    # given the window accepted the case: its notice is resolved
    services.case_supplement_complete(by=hall.user("clerk_x"), case=notice.case)
    # when
    page = english(client).get(reverse("service:supplement", args=[notice.token])).content.decode()
    response = upload(client, notice, 0, "hukou.jpg", JPEG, "image/jpeg")
    # then
    assert "Supplement complete" in page
    assert 'type="file"' not in page
    assert "nothing more needs to be uploaded" in response.content.decode()
    assert not SupplementUpload.objects.exists()


def test_a_closed_case_accepts_no_uploads(hall, notice):
    services.case_withdraw(by=hall.user("clerk_x"), case=notice.case, reason="申请人撤回")
    with pytest.raises(DomainError, match="closed"):
        public_services.supplement_upload_add(
            notice=notice, material="户口簿", file=SimpleUploadedFile("a.jpg", JPEG)
        )


# --- the protected download ------------------------------------------------------------------


@pytest.fixture
def saved(notice):
    return public_services.supplement_upload_add(
        notice=notice, material="户口簿", file=SimpleUploadedFile("a.pdf", PDF)
    )


def test_the_case_units_staff_can_open_an_uploaded_file(login, saved):
    response = login("clerk_x").get(reverse("service:upload_file", args=[saved.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert "no-store" in response["Cache-Control"]


def test_the_center_office_can_open_an_uploaded_file(login, saved):
    assert login("office_a").get(reverse("service:upload_file", args=[saved.pk])).status_code == 200


def test_an_anonymous_visitor_cannot_open_an_uploaded_file(client, saved):
    response = client.get(reverse("service:upload_file", args=[saved.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("persona", ["leader_y", "clerk_z", "office_b"])
def test_staff_of_another_unit_or_center_cannot_open_an_uploaded_file(login, saved, persona):
    assert login(persona).get(reverse("service:upload_file", args=[saved.pk])).status_code == 404


def test_uploads_are_not_reachable_under_the_media_url(client, saved, settings):
    assert client.get(settings.MEDIA_URL + saved.file.name).status_code == 404


def test_an_uploaded_pdf_opens_in_the_browser_under_its_case_number(login, saved):
    # when
    response = login("clerk_x").get(reverse("service:upload_file", args=[saved.pk]))
    # then: shown inline under a name the clerk recognises; the pages' policy (object-src
    # 'none') would blank Chrome's PDF viewer, so the file carries the files' own policy
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline")
    assert saved.notice.case.number in disposition
    assert ".pdf" in disposition
    assert "object-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
