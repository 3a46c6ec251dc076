"""The keyed chains: which chain an event belongs to, the keyed hash of an event, and the rule
that links events after a chain's tip (used by `record` and by the lean cast path alike)."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.conf import settings

GENESIS = "0" * 64


# A chain is named by the path of an event's unit cut to the tree's second level: the first
# two steps of a treebeard path (`organizations.Unit.steplen`; a test keeps the two equal).
CHAIN_STEPLEN = 4


CHAIN_STEPS = 2


def _key() -> bytes:
    key = str(getattr(settings, "DAIHOI_AUDIT_KEY", ""))
    if not key:
        raise RuntimeError("DAIHOI_AUDIT_KEY is not set")
    return key.encode()


def _mac(payload: dict[str, Any], key: bytes | None = None) -> str:
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.digest(key or _key(), blob.encode(), hashlib.sha256).hex()


def _canonical(value: Any) -> Any:
    """JSON-native copy of `value`, so what is hashed equals what the database gives back."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def chain_of(unit_path: str) -> str:
    """The chain an event about `unit_path` belongs to: the path of its unit's ancestor at
    the tree's second level (a province under the national root), the root's own path for
    the root's events, or "" outside the tree. Pure: the path alone decides, so the chain
    of an event never needs a query, and the stored chain, not this rule, is what the
    verifier walks (events recorded under an earlier rule stay valid)."""
    return unit_path[: CHAIN_STEPLEN * CHAIN_STEPS]


def event_digest(event: Any, *, key: bytes | None = None) -> str:
    """The keyed hash of an event (a model instance, current or historical)."""
    payload = {
        "chain": event.chain,
        "seq": event.seq,
        "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "unit_path": event.unit_path,
        "changes": event.changes,
        "prev": event.prev_hash,
    }
    return _mac(payload, key)


class _Draft:
    """An event's fields before its hash (`append`)."""

    def __init__(self, **fields: Any) -> None:
        self.__dict__.update(fields)


@dataclass(frozen=True, slots=True)
class Appended:
    """One event as `append` computed it: its place in the chain and its keyed hash."""

    chain: str
    seq: int
    at: Any
    actor_id: int | None
    actor_label: str
    action: str
    object_type: str
    object_id: str
    unit_path: str
    changes: dict[str, Any]
    prev_hash: str
    hash: str


def append(
    *, chain: str, last_seq: int, last_hash: str, events: Iterable[dict[str, Any]]
) -> list[Appended]:
    """The events that follow a chain's tip (`last_seq`, `last_hash`, read under the head
    row's lock), each linked to the one before and keyed. `record`'s events are appended this
    way; the lean cast path (`elections.casting`) appends a batch of ballots' events with
    it inside its own transaction, so both write the same chain by the same rule."""
    appended: list[Appended] = []
    seq, prev = last_seq, last_hash
    key = _key()
    for fields in events:
        seq += 1
        draft = _Draft(
            chain=chain,
            seq=seq,
            at=fields["at"],
            actor_id=fields["actor_id"],
            actor_label=fields["actor_label"],
            action=fields["action"],
            object_type=fields.get("object_type", ""),
            object_id=str(fields.get("object_id", "")),
            unit_path=fields.get("unit_path", ""),
            changes=_canonical(fields.get("changes") or {}),
            prev_hash=prev,
        )
        digest = event_digest(draft, key=key)
        appended.append(Appended(**vars(draft), hash=digest))
        prev = digest
    return appended


def checkpoint_due(first_seq: int, last_seq: int) -> bool:
    """Whether the events `first_seq`..`last_seq` cross a multiple of the checkpoint step."""
    every = int(getattr(settings, "DAIHOI_AUDIT_CHECKPOINT_EVERY", 0) or 0)
    return bool(every) and last_seq // every > (first_seq - 1) // every
