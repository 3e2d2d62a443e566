"""The office reviews what a submitted version changes against the published one, part by part."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govhall.catalog import selectors, services
from govhall.catalog.diff import PartStatus, RowStatus
from tests.catalog.builders import complete_rows, publish_item
from tests.catalog.test_services import draft_complete_item

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def passport(hall):
    return publish_item(hall.a, hall.x, code="P001", name="普通护照签发")


def change(hall, item, **basic):
    chief = hall.user("chief_x")
    draft = services.version_start(
        by=chief, item=item, change_type="change", decision_document="随政发〔2016〕1号"
    )
    if basic:
        services.version_update_basic(by=chief, version=draft, **basic)
    return draft


def part_section(page: str, part: str) -> str:
    match = re.search(rf'<details[^>]*data-part="{part}"[^>]*>.*?</details>', page, re.S)
    assert match, part
    return match.group(0)


def test_a_copy_of_the_published_version_changes_nothing(hall, passport):
    # given a new draft copied from the published version
    draft = change(hall, passport)
    # when compared
    base, diff = selectors.version_changes(selectors.version_with_parts(draft.pk))
    # then it is compared with the published version and nothing differs
    assert base.pk == passport.current_id
    assert diff.is_empty
    assert not diff.is_new


def test_the_review_shows_changed_fields_and_rows_and_folds_the_rest(client, hall, passport):
    # given the chief changes the phone, one material's copies, drops one and adds one
    draft = change(hall, passport, phone="0722-1234567")
    rows = complete_rows()["materials"]
    rows = [{**rows[0], "copies": 3}, {"name": "户口簿"}]  # 近期免冠照片 removed
    services.version_set_rows(by=hall.user("chief_x"), version=draft, part="materials", rows=rows)
    services.version_submit(by=hall.user("chief_x"), version=draft)
    # when the office opens the review
    client.force_login(hall.user("office_a"))
    page = client.get(f"/catalog/versions/{draft.pk}/review/").content.decode()
    # then the basic information shows old and new phone, open
    basic = part_section(page, "basic")
    assert 'data-status="changed"' in basic
    assert " open" in basic.split(">")[0]
    assert re.search(r'data-field="phone".*?<del>—</del>.*?<ins>0722-1234567</ins>', basic, re.S)
    # and the materials show the added, the removed and the changed row
    materials = part_section(page, "materials")
    assert materials.count('data-row="added"') == 1
    assert materials.count('data-row="removed"') == 1
    assert re.search(
        r'data-row="changed".*?居民身份证.*?<del>1</del>.*?<ins>3</ins>', materials, re.S
    )
    assert "近期免冠照片" in materials
    assert "户口簿" in materials
    # and an unchanged part is folded
    faqs = part_section(page, "faqs")
    assert 'data-status="unchanged"' in faqs
    assert " open" not in faqs.split(">")[0]


def test_a_new_form_file_is_noted_as_a_file_change(client, hall, passport):
    # given the chief attaches the form file
    draft = change(hall, passport)
    upload = SimpleUploadedFile("申请表.pdf", PDF, content_type="application/pdf")
    services.version_set_rows(
        by=hall.user("chief_x"),
        version=draft,
        part="forms",
        rows=[{"name": "中国公民出入境证件申请表", "file": upload}],
    )
    # when compared
    _base, diff = selectors.version_changes(selectors.version_with_parts(draft.pk))
    # then the forms part changed by its file only, and says so
    (forms,) = [p for p in diff.parts if p.part == "forms"]
    assert forms.files_changed
    (row,) = forms.rows
    assert row.status == RowStatus.CHANGED
    assert [(c.key, c.file_note) for c in row.changes] == [("file", "added")]
    assert [p.part for p in diff.changed_parts] == ["forms"]


def test_changed_steps_redraw_the_flowchart(hall, passport):
    draft = change(hall, passport)
    rows = complete_rows()["steps"][:2]
    services.version_set_rows(by=hall.user("chief_x"), version=draft, part="steps", rows=rows)
    _base, diff = selectors.version_changes(selectors.version_with_parts(draft.pk))
    assert {p.part for p in diff.changed_parts} == {"flowchart", "steps"}


def test_a_new_item_is_shown_as_new_with_every_part_added(client, hall):
    # given a brand-new item submitted for the first time
    chief = hall.user("chief_x")
    _item, version = draft_complete_item(hall, chief)
    services.version_submit(by=chief, version=version)
    # when the office opens the review
    _base, diff = selectors.version_changes(selectors.version_with_parts(version.pk))
    client.force_login(hall.user("office_a"))
    page = client.get(f"/catalog/versions/{version.pk}/review/").content.decode()
    # then it is a new item, every part added
    assert diff.is_new
    assert {p.status for p in diff.parts} == {PartStatus.ADDED}
    assert "data-new-item" in page
    assert "新事项" in page
    assert page.count('data-status="added"') == 8


def test_the_comparison_is_only_for_the_office_of_the_center(client, hall, passport):
    draft = change(hall, passport, phone="0722-1234567")
    services.version_submit(by=hall.user("chief_x"), version=draft)
    client.force_login(hall.user("chief_x"))
    assert client.get(f"/catalog/versions/{draft.pk}/review/").status_code == 403
    client.force_login(hall.user("office_b"))
    assert client.get(f"/catalog/versions/{draft.pk}/review/").status_code == 404
