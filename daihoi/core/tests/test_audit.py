from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from daihoi.core import audit
from daihoi.core.actors import SYSTEM
from daihoi.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _chain(n: int = 4) -> list[AuditEvent]:
    return [
        audit.record(
            actor=SYSTEM,
            action="test_action",
            object_type="thing",
            object_id=i,
            changes={"value": i, "name": "Nguyễn"},
        )
        for i in range(n)
    ]


def test_intact_chain_verifies() -> None:
    _chain()
    assert audit.verify_chain() == []
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "intact: 4 events" in out.getvalue()


def test_edited_row_is_caught() -> None:
    events = _chain()
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE core_auditevent SET action = %s WHERE id = %s", ["forged", events[1].pk]
        )
    problems = audit.verify_chain()
    assert [p.seq for p in problems] == [2]
    assert "edited" in problems[0].problem
    with pytest.raises(CommandError):
        call_command("audit", "verify", stdout=StringIO(), stderr=StringIO())


def test_deleted_row_is_caught() -> None:
    events = _chain()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM core_auditevent WHERE id = %s", [events[2].pk])
    problems = audit.verify_chain()
    assert problems and problems[0].seq == 4


def test_deleted_last_row_is_caught_by_the_tip() -> None:
    events = _chain()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM core_auditevent WHERE id = %s", [events[-1].pk])
    assert audit.verify_chain() != []


def test_inserted_row_is_caught() -> None:
    events = _chain()
    e = events[1]
    with connection.cursor() as cur:
        cur.execute("UPDATE core_auditevent SET seq = seq + 100 WHERE seq > 2")
        cur.execute(
            "INSERT INTO core_auditevent (seq, at, actor_id, actor_label, action, object_type,"
            " object_id, unit_path, changes, prev_hash, hash) VALUES"
            " (3, %s, NULL, 'system', 'inserted', '', '', '', '{}', %s, %s)",
            [e.at, e.hash, "f" * 64],
        )
    assert audit.verify_chain() != []


def test_audit_events_cannot_be_changed_through_the_orm() -> None:
    event = _chain(1)[0]
    event.action = "changed"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
