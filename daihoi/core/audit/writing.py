"""Writing the log: `record` (deferred to the end of an action), and the checkpoints of every
chain's tip, in the database and in the append-only anchor file."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from daihoi.core.audit.chains import (
    GENESIS,
    _canonical,
    _mac,
    append,
    chain_of,
    checkpoint_due,
)
from daihoi.core.models import AuditCheckpoint, AuditEvent, AuditHead

log = logging.getLogger(__name__)


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
