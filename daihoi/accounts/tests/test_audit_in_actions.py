"""Inside an action, audit events are appended when the action's body is done."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

from daihoi.accounts.authority import SYSTEM, action, require_system
from daihoi.core import audit
from daihoi.core.models import AuditCheckpoint, AuditEvent, AuditHead

pytestmark = pytest.mark.django_db


@action(system=True)
def _write(*, actor: Any, paths: list[str], seen: list[int], fail: bool = False) -> None:
    require_system(actor)
    for path in paths:
        audit.record(actor=actor, action="test_write", unit_path=path)
        seen.append(AuditEvent.objects.count())  # nothing appended yet
    if fail:
        raise ValueError("refused")


@action(system=True)
def _outer(*, actor: Any, seen: list[int]) -> str:
    require_system(actor)
    audit.record(actor=actor, action="test_outer", unit_path="00010002")
    with contextlib.suppress(ValueError):
        _write(actor=actor, paths=["00010003"], seen=seen, fail=True)
    _write(actor=actor, paths=["00010004"], seen=seen)
    return audit.checkpoint(reason="inside")


def test_events_are_appended_when_the_body_returns_in_order_and_chained() -> None:
    seen: list[int] = []
    _write(actor=SYSTEM, paths=["00010003", "0001000300AA", "00010002", "00010003"], seen=seen)
    assert seen == [0, 0, 0, 0]
    events = list(AuditEvent.objects.order_by("id"))
    # chains are locked (and so written) in name order; in a chain, in recorded order
    assert [(e.chain, e.seq) for e in events] == [
        ("00010002", 1), ("00010003", 1), ("00010003", 2), ("00010003", 3)
    ]  # fmt: skip
    assert [e.unit_path for e in events if e.chain == "00010003"] == [
        "00010003", "0001000300AA", "00010003"
    ]  # fmt: skip
    assert {h.chain: h.last_seq for h in AuditHead.objects.all()} == {"00010002": 1, "00010003": 3}
    assert audit.verify_chain() == []


def test_a_failed_inner_action_leaves_no_event_and_a_checkpoint_sees_the_rest() -> None:
    seen: list[int] = []
    _outer(actor=SYSTEM, seen=seen)
    assert list(AuditEvent.objects.order_by("id").values_list("action", "chain")) == [
        ("test_outer", "00010002"), ("test_write", "00010004")
    ]  # fmt: skip
    [checkpoint] = AuditCheckpoint.objects.all()
    assert checkpoint.heads == {
        "00010002": [1, AuditHead.objects.get(chain="00010002").last_hash],
        "00010004": [1, AuditHead.objects.get(chain="00010004").last_hash],
    }
    assert audit.verify_chain() == []


def test_outside_an_action_an_event_is_appended_at_once() -> None:
    event = audit.record(actor=SYSTEM, action="test_direct", unit_path="0001")
    assert event.pk is not None and event.seq == 1 and AuditEvent.objects.count() == 1
