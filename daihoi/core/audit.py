"""The one audit call: `audit.record(...)`, checkpoints of the chains, and the verifier.

Each event's hash is an HMAC (key `DAIHOI_AUDIT_KEY`, kept in the environment, never in the
database) over its own fields and the previous event's hash. Whoever can write the database
but does not hold the key can therefore not edit an event and recompute the later hashes, nor
forge one. There is one chain per unit of the tree's second level (the provinces under a
national root; under a root that is itself a province, its districts), one for the root's own
events, and the chain "" for events outside the tree, so audited writes in different
provinces do not wait for one head row.

What the key cannot show is a cut: a truncated tail, or a wholly emptied table, leave a chain
that is valid up to where it stops. `checkpoint()` therefore records the tips of every chain,
keyed, in the `AuditCheckpoint` table and as one line of the append-only anchor file the
operator points `DAIHOI_AUDIT_ANCHOR_FILE` at (outside the database, ideally on another
machine); `verify_chain()` compares the chains with every checkpoint it finds in either place.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import logging
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from daihoi.core.models import AuditCheckpoint, AuditEvent, AuditHead

GENESIS = "0" * 64
# A chain is named by the path of an event's unit cut to the tree's second level: the first
# two steps of a treebeard path (`organizations.Unit.steplen`; a test keeps the two equal).
CHAIN_STEPLEN = 4
CHAIN_STEPS = 2

log = logging.getLogger(__name__)


def _key() -> bytes:
    key = str(getattr(settings, "DAIHOI_AUDIT_KEY", ""))
    if not key:
        raise RuntimeError("DAIHOI_AUDIT_KEY is not set")
    return key.encode()


def _mac(payload: dict[str, Any], key: bytes | None = None) -> str:
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key or _key(), blob.encode(), hashlib.sha256).hexdigest()


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


@dataclass(frozen=True)
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
    for fields in events:
        seq += 1
        draft = Appended(
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
            hash="",
        )
        digest = event_digest(draft)
        appended.append(dataclasses.replace(draft, hash=digest))
        prev = digest
    return appended


def checkpoint_due(first_seq: int, last_seq: int) -> bool:
    """Whether the events `first_seq`..`last_seq` cross a multiple of the checkpoint step."""
    every = int(getattr(settings, "DAIHOI_AUDIT_CHECKPOINT_EVERY", 0) or 0)
    return bool(every) and last_seq // every > (first_seq - 1) // every


# Inside an action (`accounts.authority.action` wraps its body in `deferred()`), events are
# gathered and appended when the action's body is done, just before its transaction ends: a
# chain's head row is then locked from the append to the commit only, not for the rest of
# the action, and the chains an action writes are locked in one order (by name), so two
# actions writing the same two chains cannot deadlock. Outside an action, `record` appends
# at once.
_pending: ContextVar[list[AuditEvent] | None] = ContextVar("daihoi_audit_pending", default=None)


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
    """Append one event to its chain. Call it inside the action's transaction.

    Inside an action the event is appended when the action's body returns (see `deferred`);
    the event returned is then not yet saved (no sequence number or hash)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    authenticated = getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        chain=chain_of(unit_path),
        actor_id=actor.pk if authenticated else None,
        actor_label=actor.get_username() if authenticated else "system",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        unit_path=unit_path,
        changes=_canonical(changes or {}),
    )
    pending = _pending.get()
    if pending is not None:
        pending.append(event)
    else:
        _append([event])
    return event


@contextmanager
def deferred() -> Iterator[None]:
    """Gather the events recorded inside, and append them when the outermost such block ends
    without an error (inside the caller's transaction). A block inside another (an action
    called by an action) adds to the outer one's events; on an error its own are dropped,
    as its writes are."""
    outer = _pending.get()
    if outer is not None:
        start = len(outer)
        try:
            yield
        except BaseException:
            del outer[start:]
            raise
        return
    mine: list[AuditEvent] = []
    token = _pending.set(mine)
    try:
        yield
    finally:
        _pending.reset(token)
    _append(mine)


def flush() -> None:
    """Append the events gathered so far in the current action: a checkpoint, or a read of
    the log inside the action, needs them written."""
    pending = _pending.get()
    if pending:
        events = list(pending)
        pending.clear()
        _append(events)


def _append(events: list[AuditEvent]) -> None:
    """Append `events` to their chains: each chain's head row locked (chains in name order),
    its events chained and inserted in the order they were recorded, the head moved once."""
    if not events:
        return
    by_chain: dict[str, list[AuditEvent]] = {}
    for event in events:
        by_chain.setdefault(event.chain, []).append(event)
    due = False
    with transaction.atomic(savepoint=False):  # part of the caller's transaction
        for chain in sorted(by_chain):
            head, _ = AuditHead.objects.select_for_update().get_or_create(
                chain=chain, defaults={"last_seq": 0, "last_hash": GENESIS}
            )
            gathered = by_chain[chain]
            appended = append(
                chain=chain,
                last_seq=head.last_seq,
                last_hash=head.last_hash,
                events=[
                    {
                        "at": timezone.now(),
                        "actor_id": e.actor_id,
                        "actor_label": e.actor_label,
                        "action": e.action,
                        "object_type": e.object_type,
                        "object_id": e.object_id,
                        "unit_path": e.unit_path,
                        "changes": e.changes,
                    }
                    for e in gathered
                ],
            )
            for event, done in zip(gathered, appended, strict=True):
                event.seq, event.at = done.seq, done.at
                event.prev_hash, event.hash = done.prev_hash, done.hash
                event.save(force_insert=True)
            last = appended[-1]
            AuditHead.objects.filter(pk=head.pk).update(last_seq=last.seq, last_hash=last.hash)
            due = due or checkpoint_due(appended[0].seq, last.seq)
    if due:
        transaction.on_commit(checkpoint_every, robust=True)


def checkpoint_every() -> str:
    """The checkpoint taken every `DAIHOI_AUDIT_CHECKPOINT_EVERY` events of a chain."""
    every = int(getattr(settings, "DAIHOI_AUDIT_CHECKPOINT_EVERY", 0) or 0)
    return checkpoint(reason=f"every {every} events")


# --- checkpoints -------------------------------------------------------------------------


def _checkpoint_payload(
    *, at: str, reason: str, heads: dict[str, Any], prev: str
) -> dict[str, Any]:
    return {"at": at, "reason": reason, "heads": heads, "prev": prev}


def anchor_path() -> Path | None:
    configured = str(getattr(settings, "DAIHOI_AUDIT_ANCHOR_FILE", "") or "")
    return Path(configured) if configured else None


def _append_anchor(line: dict[str, Any]) -> None:
    path = anchor_path()
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND: every write lands at the end, whatever else has the file open.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (json.dumps(line, sort_keys=True, ensure_ascii=False) + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def checkpoint(*, reason: str) -> str:
    """Record the tips of every chain now; return the checkpoint's digest (64 hex digits).

    The digest is what election minutes print. The checkpoint is stored in the database and,
    once the surrounding transaction commits, appended to the anchor file.
    """
    flush()  # the events of the current action belong before its checkpoint
    with transaction.atomic():
        heads = {h.chain: [h.last_seq, h.last_hash] for h in AuditHead.objects.order_by("chain")}
        last = AuditCheckpoint.objects.order_by("-at", "-id").first()
        at = timezone.now()
        payload = _checkpoint_payload(
            at=at.astimezone(UTC).isoformat(timespec="microseconds"),
            reason=reason[:200],
            heads=heads,
            prev=last.digest if last else GENESIS,
        )
        digest = _mac(payload)
        AuditCheckpoint.objects.create(
            at=at, reason=reason[:200], heads=heads, prev=payload["prev"], digest=digest
        )
        transaction.on_commit(lambda: _append_anchor({**payload, "digest": digest}), robust=True)
    return digest


# --- verification ------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    problem: str
    code: str = "broken"
    chain: str = ""

    def __str__(self) -> str:
        where = f"chain {self.chain or '-'} " if self.chain else ""
        return f"{where}event {self.seq}: {self.problem}"


@dataclass(frozen=True)
class _Checkpoint:
    source: str  # "database" or "anchor file"
    at: str
    reason: str
    heads: dict[str, Any]
    prev: str
    digest: str

    def valid(self) -> bool:
        payload = _checkpoint_payload(
            at=self.at, reason=self.reason, heads=self.heads, prev=self.prev
        )
        return hmac.compare_digest(_mac(payload), self.digest)


def _database_checkpoints() -> list[_Checkpoint]:
    return [
        _Checkpoint(
            source="database",
            at=c.at.astimezone(UTC).isoformat(timespec="microseconds"),
            reason=c.reason,
            heads=c.heads,
            prev=c.prev,
            digest=c.digest,
        )
        for c in AuditCheckpoint.objects.order_by("at", "id")
    ]


def _anchor_checkpoints(problems: list[ChainProblem]) -> list[_Checkpoint] | None:
    path = anchor_path()
    if path is None:
        return None
    if not path.exists():
        return []
    found = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            try:
                data = json.loads(line)
                found.append(
                    _Checkpoint(
                        source="anchor file",
                        at=str(data["at"]),
                        reason=str(data["reason"]),
                        heads=dict(data["heads"]),
                        prev=str(data["prev"]),
                        digest=str(data["digest"]),
                    )
                )
            except (ValueError, KeyError, TypeError):
                problems.append(
                    ChainProblem(0, f"anchor file line {number} is unreadable", "anchor_damaged")
                )
    return found


def _check_checkpoints(
    checkpoints: Iterable[_Checkpoint],
    tips: dict[str, tuple[int, str]],
    hashes_at: dict[tuple[str, int], str],
    total: int,
) -> list[ChainProblem]:
    problems: list[ChainProblem] = []
    for cp in checkpoints:
        label = f"checkpoint {cp.digest[:12]} of {cp.at} ({cp.source})"
        if not cp.valid():
            problems.append(
                ChainProblem(
                    0, f"{label} does not match its keyed digest: forged", "forged_checkpoint"
                )
            )
            continue
        for chain, (seq, digest) in sorted(cp.heads.items()):
            if seq == 0:
                continue
            if total == 0:
                problems.append(
                    ChainProblem(
                        seq,
                        f"the audit log is empty, but {label} recorded {seq} events: emptied",
                        "emptied",
                        chain,
                    )
                )
                continue
            tip_seq = tips.get(chain, (0, GENESIS))[0]
            if tip_seq < seq:
                problems.append(
                    ChainProblem(
                        seq,
                        f"the chain ends at event {tip_seq}, but {label} recorded event {seq}:"
                        " the tail was truncated",
                        "truncated",
                        chain,
                    )
                )
            elif hashes_at.get((chain, seq)) != digest:
                problems.append(
                    ChainProblem(
                        seq,
                        f"the event differs from the one {label} recorded: rewritten",
                        "rewritten",
                        chain,
                    )
                )
    return problems


def verify_chain(*, batch_size: int = 5000) -> list[ChainProblem]:
    """Walk every chain and compare it with every checkpoint; return each break found."""
    problems: list[ChainProblem] = []
    table_checkpoints = _database_checkpoints()
    file_checkpoints = _anchor_checkpoints(problems)
    checkpoints = table_checkpoints + (file_checkpoints or [])
    wanted = {(chain, head[0]) for cp in checkpoints for chain, head in cp.heads.items()}

    tips: dict[str, tuple[int, str]] = {}
    hashes_at: dict[tuple[str, int], str] = {}
    key = _key()
    total = 0
    chain, expected_seq, prev_hash = None, 1, GENESIS
    for event in AuditEvent.objects.order_by("chain", "seq").iterator(chunk_size=batch_size):
        total += 1
        if event.chain != chain:
            chain, expected_seq, prev_hash = event.chain, 1, GENESIS
        if event.seq != expected_seq:
            problems.append(
                ChainProblem(
                    event.seq,
                    f"expected sequence {expected_seq}: an event was deleted or inserted",
                    "sequence",
                    event.chain,
                )
            )
        if event.prev_hash != prev_hash:
            problems.append(
                ChainProblem(event.seq, "previous-hash link broken", "link", event.chain)
            )
        if not hmac.compare_digest(event_digest(event, key=key), event.hash):
            problems.append(
                ChainProblem(
                    event.seq,
                    "content does not match its keyed hash: edited or forged",
                    "edited",
                    event.chain,
                )
            )
        if (event.chain, event.seq) in wanted:
            hashes_at[(event.chain, event.seq)] = event.hash
        tips[event.chain] = (event.seq, event.hash)
        expected_seq, prev_hash = event.seq + 1, event.hash

    for head in AuditHead.objects.all():
        if (head.last_seq, head.last_hash) != tips.get(head.chain, (0, GENESIS)):
            problems.append(
                ChainProblem(
                    head.last_seq,
                    "chain tip does not match the last event: events were removed from the end",
                    "tip",
                    head.chain,
                )
            )

    problems += _check_checkpoints(checkpoints, tips, hashes_at, total)
    known = {GENESIS} | {cp.digest for cp in checkpoints}
    for cp in table_checkpoints:
        if cp.prev not in known:
            problems.append(
                ChainProblem(
                    0,
                    f"checkpoint {cp.digest[:12]} of {cp.at} follows a checkpoint that is gone:"
                    " checkpoints were deleted",
                    "checkpoint_deleted",
                )
            )

    if file_checkpoints is not None:
        in_file = {cp.digest for cp in file_checkpoints}
        in_table = {cp.digest for cp in table_checkpoints}
        for cp in file_checkpoints:
            if cp.digest not in in_table:
                problems.append(
                    ChainProblem(
                        0,
                        f"checkpoint {cp.digest[:12]} of {cp.at} is in the anchor file but no"
                        " longer in the database",
                        "checkpoint_deleted",
                    )
                )
        missing = [cp for cp in table_checkpoints if cp.digest not in in_file]
        if missing:
            problems.append(
                ChainProblem(
                    0,
                    f"{len(missing)} checkpoint(s) of the database are not in the anchor file"
                    f" {anchor_path()} (the first of {missing[0].at})",
                    "anchor_missing",
                )
            )
    return problems


def rechain(event_model: Any, head_model: Any) -> int:
    """Recompute every chain under the current key (a data migration from the unkeyed,
    single chain). Events keep their order; each goes to its chain (`chain_of`)."""
    key = _key()
    tips: dict[str, tuple[int, str]] = {}
    count = 0
    for event in event_model.objects.order_by("seq", "id"):
        chain = chain_of(event.unit_path)
        seq, prev = tips.get(chain, (0, GENESIS))
        event.chain, event.seq, event.prev_hash = chain, seq + 1, prev
        event.hash = event_digest(event, key=key)
        event_model.objects.filter(pk=event.pk).update(
            chain=event.chain, seq=event.seq, prev_hash=event.prev_hash, hash=event.hash
        )
        tips[chain] = (event.seq, event.hash)
        count += 1
    head_model.objects.all().delete()
    for chain, (seq, digest) in tips.items():
        head_model.objects.create(chain=chain, last_seq=seq, last_hash=digest)
    return count
