"""Reading the log back: every chain walked and compared with every checkpoint found, and the
re-chaining of events stored under an earlier rule (a migration)."""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from daihoi.core.audit.chains import GENESIS, _key, _mac, chain_of, event_digest
from daihoi.core.audit.writing import _checkpoint_payload, anchor_path
from daihoi.core.models import AuditCheckpoint, AuditEvent, AuditHead


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
