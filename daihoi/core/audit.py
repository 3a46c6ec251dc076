"""The one audit call: `audit.record(...)`, and the chain verifier.

Each event's hash covers its own fields and the previous event's hash, so an edited,
inserted or deleted row breaks the chain from that point on.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from daihoi.core.models import AuditEvent, AuditHead

GENESIS = "0" * 64


def _canonical(value: Any) -> Any:
    """JSON-native copy of `value`, so what is hashed equals what the database gives back."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def _digest(
    *,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    unit_path: str,
    changes: Any,
    prev_hash: str,
) -> str:
    payload = {
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "unit_path": unit_path,
        "changes": changes,
        "prev": prev_hash,
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    unit_path: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain. Call it inside the action's transaction."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    authenticated = getattr(actor, "is_authenticated", False)
    actor_id = actor.pk if authenticated else None
    actor_label = actor.get_username() if authenticated else "system"
    changes = _canonical(changes or {})
    with transaction.atomic(savepoint=False):  # part of the caller's transaction
        head, _ = AuditHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_seq": 0, "last_hash": GENESIS}
        )
        seq = head.last_seq + 1
        at = timezone.now()
        digest = _digest(
            seq=seq,
            at=at,
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            unit_path=unit_path,
            changes=changes,
            prev_hash=head.last_hash,
        )
        event = AuditEvent.objects.create(
            seq=seq,
            at=at,
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            unit_path=unit_path,
            changes=changes,
            prev_hash=head.last_hash,
            hash=digest,
        )
        AuditHead.objects.filter(pk=1).update(last_seq=seq, last_hash=digest)
    return event


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    problem: str


def verify_chain(*, batch_size: int = 5000) -> list[ChainProblem]:
    """Walk the whole chain; return every break found (empty when intact)."""
    problems: list[ChainProblem] = []
    expected_seq, prev_hash = 1, GENESIS
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            problems.append(
                ChainProblem(
                    event.seq, f"expected sequence {expected_seq}: an event was deleted or inserted"
                )
            )
        if event.prev_hash != prev_hash:
            problems.append(ChainProblem(event.seq, "previous-hash link broken"))
        digest = _digest(
            seq=event.seq,
            at=event.at,
            actor_id=event.actor_id,
            actor_label=event.actor_label,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            unit_path=event.unit_path,
            changes=event.changes,
            prev_hash=event.prev_hash,
        )
        if digest != event.hash:
            problems.append(ChainProblem(event.seq, "content does not match its hash: edited"))
        expected_seq, prev_hash = event.seq + 1, event.hash
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != expected_seq - 1 or head.last_hash != prev_hash):
        problems.append(
            ChainProblem(
                head.last_seq,
                "chain tip does not match the last event: events were removed from the end",
            )
        )
    return problems
