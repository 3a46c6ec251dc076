"""The keyed audit chains, their checkpoints, and the four ways of tampering verify reports."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from daihoi.core import audit
from daihoi.core.actors import SYSTEM
from daihoi.core.models import AuditCheckpoint, AuditEvent, AuditHead

pytestmark = pytest.mark.django_db


@pytest.fixture
def anchor(tmp_path: Path) -> Any:
    path = tmp_path / "anchors" / "audit.jsonl"
    with override_settings(DAIHOI_AUDIT_ANCHOR_FILE=str(path)):
        yield path


def _chain(n: int = 4, unit_path: str = "") -> list[AuditEvent]:
    return [
        audit.record(
            actor=SYSTEM,
            action="test_action",
            object_type="thing",
            object_id=i,
            unit_path=unit_path,
            changes={"value": i, "name": "Nguyễn"},
        )
        for i in range(n)
    ]


def _checkpoint(django_capture_on_commit_callbacks: Any) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        return audit.checkpoint(reason="test")


def _sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cur:
        cur.execute(statement, params or [])


def _codes() -> set[str]:
    return {p.code for p in audit.verify_chain()}


def _forge_hash(event: AuditEvent, **changes: Any) -> str:
    """What an attacker without the key computes: the old unkeyed SHA-256 over the fields."""
    import hashlib

    return hashlib.sha256(json.dumps({**changes, "seq": event.seq}).encode()).hexdigest()


def test_intact_chain_verifies(anchor: Path, django_capture_on_commit_callbacks: Any) -> None:
    _chain()
    _checkpoint(django_capture_on_commit_callbacks)
    assert audit.verify_chain() == []
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "intact: 4 events in 1 chain(s), 1 checkpoint(s)" in out.getvalue()


def test_each_province_has_its_own_chain() -> None:
    """Provinces under one national root do not share a chain; the root's own events,
    another root's provinces and events outside the tree each have theirs."""
    _chain(2, unit_path="0001")  # the national root itself
    _chain(3, unit_path="000100030005")  # a district of the third province
    _chain(1, unit_path="00010003")  # that province itself
    _chain(2, unit_path="00010004")  # another province
    _chain(1, unit_path="00020003")  # a province under another root
    _chain(1)
    heads = {h.chain: h.last_seq for h in AuditHead.objects.all()}
    assert heads == {"0001": 2, "00010003": 4, "00010004": 2, "00020003": 1, "": 1}
    assert audit.verify_chain() == []


def test_events_of_an_earlier_chain_rule_still_verify(monkeypatch: pytest.MonkeyPatch) -> None:
    """The verifier walks the stored chains: events the root-wide chain holds stay valid
    after the same province's new events go to the province's chain."""
    monkeypatch.setattr(audit.chains, "CHAIN_STEPS", 1)  # the rule before: one chain per root
    _chain(2, unit_path="00010003")
    monkeypatch.setattr(audit.chains, "CHAIN_STEPS", 2)
    _chain(1, unit_path="00010003")
    heads = {h.chain: h.last_seq for h in AuditHead.objects.all()}
    assert heads == {"0001": 2, "00010003": 1}
    assert audit.verify_chain() == []


def test_the_key_matters() -> None:
    _chain(2)
    with override_settings(DAIHOI_AUDIT_KEY="another key of enough length for hmac use"):
        assert {p.code for p in audit.verify_chain()} == {"edited"}


def test_edited_event_with_later_hashes_recomputed_is_caught() -> None:
    """Case 1: the attacker edits an event and rebuilds every later hash and the head row;
    without the key the hashes cannot be right."""
    events = _chain()
    prev = events[0].hash
    for event in events[1:]:
        forged = _forge_hash(event, action="forged", prev=prev)
        _sql(
            "UPDATE core_auditevent SET action = %s, prev_hash = %s, hash = %s WHERE id = %s",
            ["forged", prev, forged, event.pk],
        )
        prev = forged
    _sql("UPDATE core_audithead SET last_hash = %s", [prev])
    problems = audit.verify_chain()
    assert {p.code for p in problems} == {"edited"}
    assert [p.seq for p in problems] == [2, 3, 4]
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("audit", "verify", stdout=StringIO(), stderr=err)
    assert "[edited] event 2: content does not match its keyed hash" in err.getvalue()


def test_forged_event_inserted_in_the_middle_is_caught() -> None:
    """Case 2: an event slipped in between 2 and 3, later events renumbered, links fixed."""
    events = _chain()
    _sql("UPDATE core_auditevent SET seq = seq + 100 WHERE seq > 2")
    _sql("UPDATE core_auditevent SET seq = seq - 99 WHERE seq > 100")
    forged = _forge_hash(events[1], action="inserted")
    _sql(
        "INSERT INTO core_auditevent (chain, seq, at, actor_id, actor_label, action, object_type,"
        " object_id, unit_path, changes, prev_hash, hash) VALUES"
        " ('', 3, %s, NULL, 'system', 'inserted', '', '', '', '{}', %s, %s)",
        [events[1].at, events[1].hash, forged],
    )
    _sql("UPDATE core_auditevent SET prev_hash = %s WHERE seq = 4", [forged])
    _sql("UPDATE core_audithead SET last_seq = 5")
    problems = audit.verify_chain()
    assert "edited" in {p.code for p in problems}
    assert 3 in [p.seq for p in problems if p.code == "edited"]


def test_truncated_tail_is_caught_against_the_checkpoint(
    anchor: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """Case 3: the last events are deleted and the head row moved back to match."""
    events = _chain()
    _checkpoint(django_capture_on_commit_callbacks)
    _sql("DELETE FROM core_auditevent WHERE seq > 2")
    _sql("UPDATE core_audithead SET last_seq = 2, last_hash = %s", [events[1].hash])
    problems = audit.verify_chain()
    assert {p.code for p in problems} == {"truncated"}
    assert "the tail was truncated" in problems[0].problem
    assert {"database", "anchor file"} <= {
        src for p in problems for src in ("database", "anchor file") if src in p.problem
    }


def test_truncated_tail_with_the_checkpoint_rows_deleted_is_caught_by_the_anchor_file(
    anchor: Path, django_capture_on_commit_callbacks: Any
) -> None:
    events = _chain()
    _checkpoint(django_capture_on_commit_callbacks)
    _sql("DELETE FROM core_auditevent WHERE seq > 2")
    _sql("DELETE FROM core_auditcheckpoint")
    _sql("UPDATE core_audithead SET last_seq = 2, last_hash = %s", [events[1].hash])
    assert _codes() == {"truncated", "checkpoint_deleted"}


def test_wholly_emptied_log_is_caught(
    anchor: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """Case 4: events, heads and checkpoint rows all gone; the anchor file remembers."""
    _chain(3, unit_path="0001")
    _chain(2)
    _checkpoint(django_capture_on_commit_callbacks)
    for table in ("core_auditevent", "core_audithead", "core_auditcheckpoint"):
        _sql(f"DELETE FROM {table}")
    problems = audit.verify_chain()
    assert "emptied" in {p.code for p in problems}
    assert {(p.chain, p.seq) for p in problems if p.code == "emptied"} == {("0001", 3), ("", 2)}
    with pytest.raises(CommandError):
        call_command("audit", "verify", stdout=StringIO(), stderr=StringIO())


def test_rewritten_since_checkpoint_is_caught(
    anchor: Path, django_capture_on_commit_callbacks: Any
) -> None:
    events = _chain(2)
    _checkpoint(django_capture_on_commit_callbacks)
    _sql("UPDATE core_auditevent SET hash = %s WHERE id = %s", ["e" * 64, events[1].pk])
    assert "rewritten" in _codes()


def test_forged_checkpoint_is_caught(anchor: Path, django_capture_on_commit_callbacks: Any) -> None:
    _chain(3)
    _checkpoint(django_capture_on_commit_callbacks)
    _sql("UPDATE core_auditcheckpoint SET heads = %s", ['{"": [1, "x"]}'])
    assert "forged_checkpoint" in _codes()


def test_checkpoint_is_appended_to_the_anchor_file(
    anchor: Path, django_capture_on_commit_callbacks: Any
) -> None:
    _chain(2)
    first = _checkpoint(django_capture_on_commit_callbacks)
    _chain(1)
    second = _checkpoint(django_capture_on_commit_callbacks)
    lines = [json.loads(line) for line in anchor.read_text().splitlines()]
    assert [line["digest"] for line in lines] == [first, second]
    assert lines[1]["prev"] == first
    assert lines[1]["heads"] == {"": [3, AuditEvent.objects.get(seq=3).hash]}
    assert AuditCheckpoint.objects.count() == 2
    assert audit.verify_chain() == []


def test_a_checkpoint_missing_from_the_anchor_file_is_reported(
    anchor: Path, django_capture_on_commit_callbacks: Any
) -> None:
    _chain(1)
    _checkpoint(django_capture_on_commit_callbacks)
    anchor.write_text("")
    assert _codes() == {"anchor_missing"}


def test_checkpoint_command_prints_the_digest(
    anchor: Path, django_capture_on_commit_callbacks: Any
) -> None:
    _chain(1)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("audit", "checkpoint", "--reason", "nightly", stdout=out)
    digest = AuditCheckpoint.objects.get().digest
    assert out.getvalue().strip() == f"checkpoint {digest}"
    assert AuditCheckpoint.objects.get().reason == "nightly"


@override_settings(DAIHOI_AUDIT_CHECKPOINT_EVERY=3)
def test_periodic_checkpoint_every_n_events(django_capture_on_commit_callbacks: Any) -> None:
    for _ in range(7):  # seven actions, each its own transaction
        with django_capture_on_commit_callbacks(execute=True):
            _chain(1)
    assert [c.heads[""][0] for c in AuditCheckpoint.objects.all()] == [3, 6]


def test_deleted_row_in_the_middle_is_caught() -> None:
    events = _chain()
    _sql("DELETE FROM core_auditevent WHERE id = %s", [events[2].pk])
    problems = audit.verify_chain()
    assert problems and problems[0].seq == 4


def test_rechain_keys_an_old_unkeyed_chain() -> None:
    """The data migration: an old single chain (wrong hashes, global seq) becomes keyed."""
    _chain(2, unit_path="0001")
    _chain(2)
    _sql(
        "UPDATE core_auditevent"
        " SET chain = '', seq = id + 1000, hash = 'old' || id, prev_hash = 'x'"
    )
    _sql("DELETE FROM core_audithead")
    assert audit.verify_chain() != []
    assert audit.rechain(AuditEvent, AuditHead) == 4
    assert audit.verify_chain() == []
    assert {h.chain: h.last_seq for h in AuditHead.objects.all()} == {"0001": 2, "": 2}


def test_audit_events_and_checkpoints_cannot_be_changed_through_the_orm() -> None:
    event = _chain(1)[0]
    event.action = "changed"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    audit.checkpoint(reason="x")
    cp = AuditCheckpoint.objects.get()
    with pytest.raises(ValueError):
        cp.save()
    with pytest.raises(ValueError):
        cp.delete()
