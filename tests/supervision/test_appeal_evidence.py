"""The unit backs its appeal with evidence (a PDF, photo or Word document); the office sees it."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govhall.core.errors import DomainError
from govhall.supervision import services
from govhall.supervision.models import Appeal
from tests.supervision.conftest import accept, at

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def pdf(name: str = "申请人的暂缓申请.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def docx(name: str = "情况说明.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


@pytest.fixture
def red(hall, passport):
    """A red card against a unit X case due 2016-12-12, issued on 12-13."""
    accept(hall.user("clerk_x"), passport, at(2016, 12, 1, 9, 0))
    (warning,) = services.supervise_day(by=None, center=hall.a, on=dt.date(2016, 12, 13)).issued
    return warning


def appeal_through_the_form(client, warning, **files):
    return client.post(
        f"/supervision/warnings/{warning.pk}/appeal/", {"reason": "申请人书面要求暂缓", **files}
    )


# --- the service -----------------------------------------------------------------------------


def test_the_evidence_is_stored_under_a_random_name_of_its_real_type(hall, red):
    # when the chief appeals with the applicant's written request
    appeal = services.warning_appeal(
        by=hall.user("chief_x"), warning=red, reason="申请人书面要求暂缓", evidence=pdf()
    )
    # then it is kept, named by nothing the uploader chose
    name = appeal.evidence.name
    assert name.startswith("supervision/appeals/")
    assert name.endswith(".pdf")
    assert "申请" not in name
    assert name.rsplit("/", 1)[1].startswith("appeal-")


def test_a_word_document_is_accepted_as_evidence(hall, red):
    appeal = services.warning_appeal(
        by=hall.user("chief_x"), warning=red, reason="情况说明", evidence=docx()
    )
    assert appeal.evidence.name.endswith(".docx")


def test_the_evidence_is_optional(hall, red):
    appeal = services.warning_appeal(by=hall.user("chief_x"), warning=red, reason="申请人要求暂缓")
    assert not appeal.evidence


def test_a_file_of_another_type_is_refused_and_nothing_is_appealed(hall, red):
    program = SimpleUploadedFile(
        "证明.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    with pytest.raises(DomainError) as refused:
        services.warning_appeal(
            by=hall.user("chief_x"), warning=red, reason="申请人要求暂缓", evidence=program
        )
    assert refused.value.field == "evidence"
    assert not Appeal.objects.exists()


# --- the pages -------------------------------------------------------------------------------


def test_the_chief_attaches_evidence_and_the_office_opens_it_when_deciding(login, hall, red):
    # given the chief appeals through the form with a PDF
    response = appeal_through_the_form(login("chief_x"), red, evidence=pdf())
    assert response.status_code == 302
    # when the office opens the decision form (处理申诉)
    client = login("office_a")
    page = client.get(f"/supervision/warnings/{red.pk}/decide/").content.decode()
    # then the evidence is linked there, and opens as the PDF it is
    url = f"/supervision/warnings/{red.pk}/appeal/evidence/"
    assert "data-appeal-evidence" in page
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF


def test_the_appeal_form_refuses_a_bad_file_on_its_field(login, red):
    bad = SimpleUploadedFile("证明.jpg", b"not an image", content_type="image/jpeg")
    response = appeal_through_the_form(login("chief_x"), red, evidence=bad)
    assert response.status_code == 200
    assert "evidence" in response.context["form"].errors
    assert not Appeal.objects.exists()


def test_an_appeal_without_evidence_says_so_to_the_office(login, red):
    appeal_through_the_form(login("chief_x"), red)
    client = login("office_a")
    page = client.get(f"/supervision/warnings/{red.pk}/decide/").content.decode()
    assert "data-appeal-evidence" not in page
    assert client.get(f"/supervision/warnings/{red.pk}/appeal/evidence/").status_code == 404


@pytest.mark.parametrize("persona", ["chief_x", "clerk_x", "office_a", "supervisor_a"])
def test_the_units_people_the_office_and_the_supervisors_open_the_evidence(login, red, persona):
    appeal_through_the_form(login("chief_x"), red, evidence=pdf())
    assert login(persona).get(f"/supervision/warnings/{red.pk}/appeal/evidence/").status_code == 200


@pytest.mark.parametrize("persona", ["leader_y", "office_b", "clerk_z"])
def test_other_units_and_centers_are_refused_the_evidence(login, red, persona):
    appeal_through_the_form(login("chief_x"), red, evidence=pdf())
    response = login(persona).get(f"/supervision/warnings/{red.pk}/appeal/evidence/")
    assert response.status_code in {403, 404}


def test_anonymous_visitors_are_sent_to_the_login_page(client, login, red):
    appeal_through_the_form(login("chief_x"), red, evidence=pdf())
    client.logout()
    response = client.get(f"/supervision/warnings/{red.pk}/appeal/evidence/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
