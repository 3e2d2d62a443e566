"""Protection across the site: security headers and CSP (no inline script in any template),
production settings pass `check --deploy`, ID numbers encrypted at rest and masked, upload
limits and scoped file views."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.db import connection
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from govhall.cases import services as case_services
from govhall.cases.models import Case
from govhall.core import crypto
from govhall.core.audit import audit_record, snapshot
from govhall.core.middleware import CONTENT_SECURITY_POLICY
from tests.catalog.builders import publish_item

ROOT = Path(settings.BASE_DIR)
ID_NUMBER = "42032119800101123X"
PHONE = "13900001234"

# --- headers and CSP ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/accounts/login/", "/kiosk/", "/"])
def test_every_page_carries_the_security_headers(client: Any, db: Any, path: str) -> None:
    response = client.get(path)
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_logged_in_pages_carry_the_policy(login: Any) -> None:
    response = login("office_a").get("/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


TEMPLATES = sorted(p for p in (ROOT / "govhall").rglob("*.html") if "templates" in p.parts)
INLINE = [
    ("inline <script> block", re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)),
    ("on*= event handler", re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)),
    ("javascript: URL", re.compile(r"javascript:", re.I)),
    ("style= attribute", re.compile(r"<[^>]+\sstyle\s*=", re.I)),
]
# A standalone document served as a file (its own sandboxed policy allows inline style).
STANDALONE = {"bulletins/templates/bulletins/document_file.html"}


def test_templates_were_found() -> None:
    assert len(TEMPLATES) > 100


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_inline_script_or_style(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    found = [name for name, pattern in INLINE if pattern.search(text)]
    if any(str(template).endswith(s) for s in STANDALONE):
        found = [f for f in found if f != "style= attribute"]
        assert "<script" not in text
    assert found == []


def test_a_document_served_as_a_file_is_sandboxed_without_scripts(rf: Any) -> None:
    from django.http import HttpResponse

    from govhall.core.middleware import SecurityHeadersMiddleware

    def view(request: Any) -> HttpResponse:
        response = HttpResponse("<style>p{}</style><p>x</p>", content_type="text/html")
        response["Content-Disposition"] = 'inline; filename="bulletin.html"'
        return response

    policy = SecurityHeadersMiddleware(view)(rf.get("/"))["Content-Security-Policy"]
    assert "sandbox" in policy
    assert "script-src" not in policy
    assert "default-src 'none'" in policy


# --- production settings ------------------------------------------------------------------


def _check_deploy(extra_env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECURE_COOKIES", "GOVHALL_DEMO", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        {
            "GOVHALL_VAR_DIR": str(tmp_path),
            "SECRET_KEY": Fernet.generate_key().decode() + Fernet.generate_key().decode(),
            "ALLOWED_HOSTS": "hall.example.gov.cn",
            **extra_env,
        }
    )
    return subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_in_production(tmp_path: Path) -> None:
    result = _check_deploy({"GOVHALL_PRODUCTION": "1"}, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_is_clean_behind_nginx_doing_the_redirect(tmp_path: Path) -> None:
    result = _check_deploy({"GOVHALL_PRODUCTION": "1", "SECURE_SSL_REDIRECT": "0"}, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_without_production_settings(tmp_path: Path) -> None:
    result = _check_deploy({}, tmp_path)
    assert result.returncode != 0
    assert "SESSION_COOKIE_SECURE" in result.stdout + result.stderr


def test_default_localhost_run_has_no_tls_redirect() -> None:
    # the suite runs with no production environment, like `make demo`
    assert not settings.PRODUCTION
    assert not getattr(settings, "SECURE_SSL_REDIRECT", False)
    assert not settings.SESSION_COOKIE_SECURE


# --- ID numbers: encrypted at rest, masked unless allowed -------------------------------------


@pytest.fixture
def case_with_id(hall: Any) -> Case:
    item = publish_item(hall.a, hall.x, code="P001", name="普通护照签发")
    return case_services.case_receive(
        by=hall.user("clerk_x"),
        item=item,
        applicant_name="张三",
        applicant_id_number=ID_NUMBER,
        applicant_phone=PHONE,
        agent_name="李四",
        agent_id_number="420321199001011234",
    )


def _raw(table: str, columns: str, pk: int) -> tuple[Any, ...]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()


def test_id_numbers_are_not_stored_in_clear(case_with_id: Case) -> None:
    applicant, agent = _raw("cases_case", "applicant_id_number, agent_id_number", case_with_id.pk)
    assert ID_NUMBER not in applicant
    assert "420321199001011234" not in agent
    assert crypto.is_token(applicant)
    assert crypto.is_token(agent)
    # and the application reads them back
    assert Case.objects.get(pk=case_with_id.pk).applicant_id_number == ID_NUMBER


def test_appointment_id_numbers_are_encrypted(hall: Any) -> None:
    from govhall.cases.models import Appointment

    field = Appointment._meta.get_field("id_number")
    assert isinstance(field, crypto.EncryptedTextField)


def test_window_staff_see_the_full_id_number(case_with_id: Case, login: Any) -> None:
    page = login("clerk_x").get(reverse("cases:case_detail", args=[case_with_id.pk]))
    assert page.status_code == 200
    assert ID_NUMBER in page.content.decode()


def test_supervisors_see_it_masked(case_with_id: Case, login: Any) -> None:
    page = login("supervisor_a").get(reverse("cases:case_detail", args=[case_with_id.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert ID_NUMBER not in text
    assert "420321********123X" in text
    assert PHONE not in text


def test_the_audit_trail_keeps_id_numbers_and_phones_masked(case_with_id: Case) -> None:
    entry = audit_record(
        by=None,
        action="case.record_step",
        obj=case_with_id,
        center_id=case_with_id.center_id,
        after=snapshot(case_with_id),
    )
    stored = str(entry.after)
    assert ID_NUMBER not in stored
    assert PHONE not in stored
    assert entry.after["applicant_id_number"] == "420321********123X"
    assert entry.after["applicant_phone"] == "139****1234"


def test_staff_phone_changes_are_audited_masked(hall: Any) -> None:
    from govhall.core.models import AuditEntry
    from govhall.org import services as org_services

    org_services.staff_update(by=hall.user("office_a"), staff=hall.x_clerk, phone="13900005678")
    entry = AuditEntry.objects.filter(object_type="org.staff").order_by("-seq").first()
    assert "13900005678" not in str(entry.after)


def test_encrypted_columns_refuse_searches_that_cannot_work(db: Any) -> None:
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError):
        list(Case.objects.filter(applicant_id_number__icontains="4203"))


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_encryption_round_trips(value: str) -> None:
    token = crypto.encrypt(value)
    assert crypto.decrypt(token) == value
    assert (token == "") == (value == "")


def test_rotation_keeps_old_data_readable(settings: Any) -> None:
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.GOVHALL_DATA_KEYS = [old_key]
    token = crypto.encrypt(ID_NUMBER)
    # the new key goes first; the old one still decrypts
    settings.GOVHALL_DATA_KEYS = [new_key, old_key]
    assert crypto.decrypt(token) == ID_NUMBER
    rotated = crypto.rotate(token)
    settings.GOVHALL_DATA_KEYS = [new_key]
    assert crypto.decrypt(rotated) == ID_NUMBER


def test_rotate_command_re_encrypts_rows(case_with_id: Case, settings: Any) -> None:
    from django.core.management import call_command

    new_key = Fernet.generate_key().decode()
    settings.GOVHALL_DATA_KEYS = [new_key, *settings.GOVHALL_DATA_KEYS]
    call_command("rotate_data_key", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.GOVHALL_DATA_KEYS = [new_key]
    assert Case.objects.get(pk=case_with_id.pk).applicant_id_number == ID_NUMBER


def test_clear_values_from_before_encryption_still_read(case_with_id: Case) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_case SET applicant_id_number = %s WHERE id = %s",
            [ID_NUMBER, case_with_id.pk],
        )
    assert Case.objects.get(pk=case_with_id.pk).applicant_id_number == ID_NUMBER


# --- uploads ----------------------------------------------------------------------------------


def test_oversized_requests_are_refused_before_reading(client: Any, db: Any) -> None:
    response = client.post(
        "/accounts/login/",
        data=b"x",
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(settings.GOVHALL_MAX_REQUEST_BYTES + 1),
    )
    assert response.status_code == 413


def test_every_file_view_is_behind_a_login_and_scoped() -> None:
    """Every view returning stored uploads checks the user's scope (read the code); the one
    public file view serves only published catalog items' files (`public_file`)."""
    views = {}
    for path in (ROOT / "govhall").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT).as_posix()
        if name != "govhall/core/uploads.py" and re.search(r"FileResponse\(|file_response\(", text):
            views[name] = text
    assert set(views) == {
        "govhall/cases/views/public.py",
        "govhall/catalog/views.py",
        "govhall/journal/views.py",
        "govhall/org/views.py",
        "govhall/oversight/views.py",
        "govhall/portal/views.py",
        "govhall/queueing/views/screens.py",
        "govhall/queueing/views/window_photo.py",
        "govhall/staffing/views.py",
        "govhall/supervision/views.py",
    }
    checked = []
    for text in views.values():
        for node in ast.parse(text).body:
            if not isinstance(node, ast.FunctionDef):
                continue
            body = ast.get_source_segment(text, node) or ""
            if not re.search(r"FileResponse\(|file_response\(", body):
                continue
            checked.append(node.name)
            if node.name == "item_file":  # the kiosk's: published items' files only
                assert "public_file(" in body
                continue
            if node.name == "announce_wav":  # generated speech of a public call, no upload
                assert "speech.wav_for(" in body
                assert "file_response(" not in body
                continue
            if node.name == "window_photo":  # the public window screen: who is on duty there
                assert "staff_on_duty(" in body
                continue
            decorators = " ".join(ast.unparse(d) for d in node.decorator_list)
            assert "login_required" in decorators or "perm_required" in decorators, node.name
            assert re.search(
                r"scoped\(|_entry\(|_inspection\(|_leave\(|_version\(|_warning\(|staff_list\(",
                body,
            ), node.name
    assert sorted(checked) == [
        "announce_wav",
        "appeal_evidence",
        "entry_clipping",
        "inspection_photo",
        "item_file",
        "leave_note_file",
        "staff_photo",
        "upload_file",
        "version_file",
        "window_photo",
    ]


def test_another_centers_upload_is_not_served(
    hall: Any, login: Any, settings: Any, tmp_path: Path
) -> None:
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from govhall.oversight import services as oversight_services
    from govhall.oversight.choices import ViolationKind

    settings.MEDIA_ROOT = tmp_path
    # given an inspection photo in center A
    inspection = oversight_services.inspection_create(
        by=hall.user("office_a"),
        center=hall.a,
        kind=ViolationKind.TV_OR_CHAT,
        occurred_at=dt.datetime(2016, 12, 15, 2, 5, tzinfo=dt.UTC),
        description="上班时间在窗口看电视",
        points="2",
        staff=hall.x_clerk,
        photo=SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64),
    )
    url = reverse("oversight:inspection_photo", args=[inspection.pk])
    # then its office gets it, the office of center B does not
    assert login("office_a").get(url).status_code == 200
    assert login("office_b").get(url).status_code == 404
