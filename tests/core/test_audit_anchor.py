"""Tamper-evidence against someone with the database: the chain is keyed, and checkpoints kept
outside the database catch a cut-off tail and a deleted chain (issue 15 point 7)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import stat
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from govhall.core.audit import GENESIS
from govhall.core.models import AuditEntry, AuditHead
from govhall.org import services


@pytest.fixture(autouse=True)
def _english() -> object:
    # Messages are asserted in their English source; the site's language is Chinese.
    with translation.override("en"):
        yield


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


def verify() -> tuple[str, str]:
    """Run verify_audit; (stdout, stderr). Raises CommandError when it finds a problem."""
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except CommandError as error:
        raise CommandError(f"{error}\n{err.getvalue()}") from None
    return out.getvalue(), err.getvalue()


def checkpoint() -> str:
    out = StringIO()
    call_command("audit_checkpoint", stdout=out)
    return out.getvalue()


def sha256_without_key(entry: AuditEntry) -> str:
    """What an attacker without the key can compute: the plain SHA-256 of the content."""
    payload = {
        "prev": entry.prev_hash,
        "chain": entry.chain,
        "seq": entry.seq,
        "at": entry.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": entry.actor_id,
        "actor": entry.actor_name,
        "action": entry.action,
        "type": entry.object_type,
        "id": entry.object_id,
        "repr": entry.object_repr,
        "before": entry.before,
        "after": entry.after,
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def rehash_without_key(chain: int, from_seq: int) -> None:
    """Recompute every hash from `from_seq` on, and the head, with plain SHA-256."""
    prev = GENESIS
    for entry in AuditEntry.objects.filter(chain=chain).order_by("seq"):
        if entry.seq >= from_seq:
            entry.prev_hash = prev
            entry.hash = sha256_without_key(entry)
            raw(
                "UPDATE core_auditentry SET prev_hash = %s, hash = %s WHERE id = %s",
                [entry.prev_hash, entry.hash, entry.pk],
            )
        prev = entry.hash
    raw("UPDATE core_audithead SET hash = %s WHERE chain = %s", [prev, chain])


def test_cutting_off_the_newest_entry_and_rolling_back_the_head_is_caught_by_the_checkpoint(
    trail, hall
):
    # given a checkpoint of today's heads
    checkpoint()
    # when someone with the database deletes the newest entry and rolls the head back to its
    # predecessor, so the chain alone looks whole
    last, before_last = list(trail)[-1], list(trail)[-2]
    raw("DELETE FROM core_auditentry WHERE id = %s", [last.pk])
    raw(
        "UPDATE core_audithead SET seq = %s, hash = %s WHERE chain = %s",
        [before_last.seq, before_last.hash, hall.a.pk],
    )
    # then verify_audit fails and says the chain is shorter than its checkpoint
    with pytest.raises(CommandError) as failure:
        verify()
    assert f"ends at #{before_last.seq}" in str(failure.value)
    assert f"recorded #{last.seq}" in str(failure.value)


def test_an_entry_edited_with_every_later_hash_recomputed_without_the_key_is_detected(trail, hall):
    # given an intact chain (no checkpoint needed)
    victim = list(trail)[2]
    # when an attacker rewrites who did it and recomputes that hash and every later one
    raw("UPDATE core_auditentry SET actor_name = %s WHERE id = %s", ["nobody", victim.pk])
    rehash_without_key(hall.a.pk, victim.seq)
    # then the entries re-hashed without the key are reported
    with pytest.raises(CommandError) as failure:
        verify()
    assert f"chain {hall.a.pk} #{victim.seq}: entries #{victim.seq}–" in str(failure.value)
    assert "without the key" in str(failure.value)


def test_a_center_whose_whole_chain_and_head_are_deleted_is_reported_missing(trail, hall):
    # given center B's chain, checkpointed
    services.unit_create(by=None, center=hall.b, name="税务局")
    checkpoint()
    # when its entries and its head are deleted
    raw("DELETE FROM core_auditentry WHERE chain = %s", [hall.b.pk])
    raw("DELETE FROM core_audithead WHERE chain = %s", [hall.b.pk])
    # then the chain is reported missing, with the center's name
    with pytest.raises(CommandError) as failure:
        verify()
    assert f"chain {hall.b.pk}: the whole chain (乙政务服务中心) is missing" in str(failure.value)


def test_an_intact_trail_with_checkpoints_verifies_and_names_the_file_it_read(
    trail, hall, settings
):
    # given two checkpoints with changes between and after them
    checkpoint()
    services.unit_create(by=None, center=hall.b, name="税务局")
    checkpoint()
    services.unit_create(by=None, center=hall.a, name="统计局")
    # when
    out, _err = verify()
    # then
    assert f"Checkpoints read from {settings.GOVHALL_AUDIT_CHECKPOINTS}: 2 chain(s)." in out
    assert "Audit trail intact" in out
    assert str(AuditEntry.objects.count()) in out


def test_a_wrong_key_is_reported_as_a_wrong_key_not_as_every_entry_changed(trail, settings):
    # given a checkpointed trail
    checkpoint()
    # when the server is started with another data key
    settings.GOVHALL_DATA_KEYS = [Fernet.generate_key().decode()]
    # then verify_audit names the key, once per chain
    with pytest.raises(CommandError) as failure:
        verify()
    message = str(failure.value)
    assert "GOVHALL_DATA_KEY is not the key this trail was written with" in message
    assert "content was changed" not in message


def test_the_checkpoint_file_gets_one_private_line_per_new_head_only(trail, hall, settings):
    # given
    services.unit_create(by=None, center=hall.b, name="税务局")
    # when the checkpoint runs twice without a change between, then once after a change
    first = checkpoint()
    checkpoint()
    services.unit_create(by=None, center=hall.a, name="统计局")
    checkpoint()
    # then the file holds each head once, and the second run wrote nothing
    path = settings.GOVHALL_AUDIT_CHECKPOINTS
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    heads = AuditHead.objects.count()
    assert len(lines) == heads + 1
    assert f"{heads} of {heads}" in first
    newest_a = [line for line in lines if line["chain"] == hall.a.pk][-1]
    head_a = AuditHead.objects.get(chain=hall.a.pk)
    assert (newest_a["seq"], newest_a["hash"]) == (head_a.seq, head_a.hash)
    assert newest_a["center"] == "甲政务服务中心"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_keyed_hash_cannot_be_recomputed_from_the_database_alone(trail):
    entry = trail.first()
    assert entry.hash != sha256_without_key(entry)


def test_rekey_upgrades_a_trail_hashed_before_the_key_and_then_it_verifies(trail, hall):
    # given a trail written by the version before the keyed chain (plain SHA-256 throughout)
    for chain in AuditHead.objects.values_list("chain", flat=True):
        rehash_without_key(chain, 1)
    with pytest.raises(CommandError) as failure:
        verify()
    assert "verify_audit --rekey" in str(failure.value)
    # when the operator re-keys it once
    out = StringIO()
    call_command("verify_audit", rekey=True, stdout=out, stderr=StringIO())
    # then it verifies
    assert "Re-keyed" in out.getvalue()
    verify()


def test_rekey_refuses_a_trail_re_hashed_without_the_key_after_keyed_entries(trail, hall):
    # given a forged tail
    victim = list(trail)[2]
    raw("UPDATE core_auditentry SET actor_name = %s WHERE id = %s", ["nobody", victim.pk])
    rehash_without_key(hall.a.pk, victim.seq)
    forged = dict(AuditEntry.objects.values_list("pk", "hash"))
    # when re-keying is asked for, then it is refused and nothing changes
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("verify_audit", rekey=True, stdout=StringIO(), stderr=StringIO())
    assert dict(AuditEntry.objects.values_list("pk", "hash")) == forged
