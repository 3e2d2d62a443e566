"""The audit trail is append-only and any tampering is detected."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from govhall.core.audit import audit_record, verify_all
from govhall.core.models import AuditEntry, AuditHead
from govhall.org import services


@pytest.fixture
def trail(hall):
    """Five more changes in center A's chain, made through services."""
    for name in ["税务局", "环保局", "民政局"]:
        services.unit_create(by=hall.user("office_a"), center=hall.a, name=name)
    services.post_set(by=None, primary=hall.x_clerk, backup=hall.x_chief)
    return AuditEntry.objects.filter(chain=hall.a.pk).order_by("seq")


def raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_untouched_trail_verifies(trail):
    checked, problems = verify_all()
    assert problems == []
    assert checked == AuditEntry.objects.count() >= 4


def test_entries_are_chained_one_after_another(trail):
    entries = list(trail)
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:], strict=False))


def test_an_edited_entry_is_detected(trail):
    # given: someone with database access rewrites who did it
    victim = trail[1]
    raw("UPDATE core_auditentry SET actor_name = %s WHERE id = %s", ["nobody", victim.pk])
    # when
    _checked, problems = verify_all()
    # then
    assert any(p.seq == victim.seq and "changed" in p.problem for p in problems)


def test_an_edited_change_record_is_detected(trail):
    victim = trail[2]
    raw("UPDATE core_auditentry SET after = %s WHERE id = %s", ['{"name": "假单位"}', victim.pk])
    assert verify_all()[1]


def test_a_deleted_entry_in_the_middle_is_detected(trail):
    victim = trail[1]
    raw("DELETE FROM core_auditentry WHERE id = %s", [victim.pk])
    problems = verify_all()[1]
    assert any("missing" in p.problem for p in problems)


def test_deleting_the_latest_entries_is_detected_from_the_chain_head(trail):
    last = trail.last()
    raw("DELETE FROM core_auditentry WHERE id = %s", [last.pk])
    problems = verify_all()[1]
    assert any("missing" in p.problem for p in problems)


def test_the_application_refuses_to_change_or_delete_entries(trail):
    entry = trail.first()
    entry.actor_name = "x"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(actor_name="x")


def test_verify_audit_command_passes_then_fails_after_tampering(trail):
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert str(AuditEntry.objects.count()) in out.getvalue()
    raw("UPDATE core_auditentry SET object_repr = %s WHERE id = %s", ["改过", trail.first().pk])
    with pytest.raises(CommandError):
        call_command("verify_audit", stdout=StringIO(), stderr=StringIO())


def test_each_center_has_its_own_chain(hall):
    services.unit_create(by=None, center=hall.b, name="税务局")
    heads = dict(AuditHead.objects.values_list("chain", "seq"))
    assert heads[hall.b.pk] == AuditEntry.objects.filter(chain=hall.b.pk).count()
    assert heads[hall.a.pk] == AuditEntry.objects.filter(chain=hall.a.pk).count()


@pytest.mark.django_db
def test_the_system_chain_records_the_system_as_actor():
    entry = audit_record(by=None, action="job.run", object_type="x", object_id="1")
    assert entry.chain == 0
    assert entry.actor_name == "系统"


def test_office_browses_its_centers_trail_and_verifies_it(login, trail, hall):
    client = login("office_a")
    page = client.get("/audit/?q=税务局").content.decode()
    assert "unit.create" in page
    assert "税务局" in page
    response = client.post("/audit/verify/", follow=True)
    assert "intact" in response.content.decode() or "完整" in response.content.decode()


def test_office_of_another_center_sees_none_of_its_entries(login, trail, hall):
    entry = trail.first()
    client = login("office_b")
    assert "税务局" not in client.get("/audit/").content.decode()
    assert client.get(f"/audit/{entry.pk}/").status_code == 404


def test_the_entry_page_shows_the_change_before_and_after(login, hall):
    unit = services.unit_create(by=None, center=hall.a, name="旧名")
    services.unit_update(by=hall.user("office_a"), unit=unit, name="新名")
    entry = AuditEntry.objects.get(action="unit.update")
    page = login("office_a").get(f"/audit/{entry.pk}/").content.decode()
    assert "旧名" in page
    assert "新名" in page
