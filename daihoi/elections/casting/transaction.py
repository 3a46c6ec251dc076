# ruff: noqa: S608  (table names come from the models' meta; every value is a parameter)
"""The second half, the database's: `cast_transaction`, a batch of prepared casts as groups of
SQL statements (a generator that yields each group and receives its rows), whatever
connection runs them."""

from __future__ import annotations

import datetime
import hmac
import random
import uuid
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any

from daihoi.congresses.gates import CLOSED as CONGRESS_CLOSED
from daihoi.core import audit
from daihoi.elections.casting.preparing import Kind, Outcome, Pending, Voter
from daihoi.elections.casting.statements import (
    EVENT,
    PARTICIPATION,
    RECEIPT,
    SEALED,
    Dialect,
    Statement,
    among,
    forms_of,
    fused,
    insert_rows,
    tables,
)
from daihoi.elections.models import Election

TOKEN_USE_RESOLUTION = datetime.timedelta(minutes=1)  # as `accounts.queries.user_by_token`


_shuffle = random.SystemRandom().shuffle


@dataclass(frozen=True)
class Written:
    outcomes: list[Outcome]  # one per cast of the batch, in its order
    checkpoint: bool = False  # the audit chain crossed a checkpoint step: take one after commit


# Each yield is a group of statements; what comes back is each one's rows ([] if not wanted).
Steps = Generator[list[Statement], list[list[tuple[Any, ...]]], Written]


def cast_transaction(
    batch: Sequence[Pending], dialect: Dialect, *, now: datetime.datetime
) -> Steps:
    """The statements of one transaction writing `batch`; returns one outcome per cast.

    Statements are yielded in groups: those of a group do not depend on one another's
    results, so a driver may send a group at once (the async driver pipelines it) and the
    transaction costs four round trips, whatever the batch's size.
    """
    t = tables()
    outcomes: list[Outcome | None] = [None] * len(batch)
    voters = [pending.voter for pending in batch]
    by_election: dict[int, list[int]] = {}
    for i, pending in enumerate(batch):
        by_election.setdefault(pending.poll.election_id, []).append(i)
    elections = sorted(by_election)
    share = " FOR SHARE OF e" if dialect.locks else ""

    def stale(indexes: Sequence[int], why: str) -> None:
        for i in indexes:
            if outcomes[i] is None:
                outcomes[i] = Outcome(Kind.STALE, why=why)

    # 1. Read, for every election of the batch at once: the poll's state (under a share lock:
    # a close waits for this transaction), the voters (an API token is resolved here, for
    # the whole batch in one query, which is also its check: revoked, account deactivated,
    # roster line gone or not checked in; a voter Django authenticated has their roster line
    # checked again), the forms they already voted with, and receipt codes already taken.
    reads: list[Statement] = []
    plan: list[tuple[str, int]] = []
    for election_id in elections:
        indexes = by_election[election_id]
        poll = batch[indexes[0]].poll
        reads.append(
            (
                f"SELECT e.state, c.state FROM {t['election']} e JOIN {t['congress']} c "
                f"ON c.id = e.congress_id WHERE e.id = %s{share}",
                [election_id],
                True,
            )
        )
        plan.append(("state", election_id))
        keyed = sorted({voters[i].api_key_hash for i in indexes if voters[i].api_key_hash})
        if keyed:
            where, params = among("t.key_hash", "text", keyed, dialect)
            reads.append(
                (
                    f"SELECT t.key_hash, u.id, u.username, d.id, p.token_hash FROM {t['token']} t "
                    f"JOIN {t['user']} u ON u.id = t.user_id "
                    f"JOIN {t['delegate']} d ON d.person_id = u.person_id "
                    f"LEFT JOIN {t['participation']} p ON p.delegate_id = d.id "
                    "AND p.election_id = %s "
                    f"WHERE {where} AND t.revoked_at IS NULL "
                    "AND u.is_active = %s AND d.congress_id = %s AND d.status = %s "
                    "AND d.checked_in_at IS NOT NULL ORDER BY d.id",
                    [election_id, *params, True, poll.congress_id, "summoned"],
                    True,
                )
            )
            plan.append(("keyed", election_id))
        checked = sorted({voters[i].delegate_id for i in indexes if not voters[i].api_key_hash})
        if checked:
            where, params = among("d.id", "bigint", checked, dialect)
            reads.append(
                (
                    f"SELECT d.id, u.id, p.token_hash FROM {t['delegate']} d "
                    f"JOIN {t['user']} u ON u.person_id = d.person_id "
                    f"LEFT JOIN {t['participation']} p ON p.delegate_id = d.id "
                    "AND p.election_id = %s "
                    "WHERE d.congress_id = %s AND d.status = %s "
                    f"AND d.checked_in_at IS NOT NULL AND {where}",
                    [election_id, poll.congress_id, "summoned", *params],
                    True,
                )
            )
            plan.append(("checked", election_id))
        codes = sorted({batch[i].receipt for i in indexes})
        where, params = among("code", "text", codes, dialect)
        reads.append(
            (
                f"SELECT code FROM {t['receipt']} WHERE election_id = %s AND {where}",
                [election_id, *params],
                True,
            )
        )
        plan.append(("codes", election_id))
    results = yield reads

    stored: dict[int, dict[int, str]] = {e: {} for e in elections}  # delegate -> form hash
    taken: dict[int, set[str]] = {e: set() for e in elections}
    all_keys: set[str] = set()
    for (what, election_id), rows in zip(plan, results, strict=True):
        indexes = by_election[election_id]
        if what == "state":
            if not rows or rows[0][0] != Election.State.OPEN:
                stale(indexes, "poll")
            elif rows[0][1] in CONGRESS_CLOSED:
                stale(indexes, "congress")
        elif what == "keyed":
            found: dict[str, Voter] = {}
            for key, user_id, username, delegate_id, form in rows:
                if key not in found:
                    found[key] = Voter(user_id, username, delegate_id, key)
                    if form is not None:
                        stored[election_id][delegate_id] = form
            for i in indexes:
                key = voters[i].api_key_hash
                if key and key in found:
                    voters[i] = found[key]
                    all_keys.add(key)
                elif key:
                    stale([i], "token")
        elif what == "checked":
            entitled = {(d, u) for d, u, _form in rows}
            for d, _u, form in rows:
                if form is not None:
                    stored[election_id][d] = form
            stale(
                [
                    i
                    for i in indexes
                    if not voters[i].api_key_hash
                    and (voters[i].delegate_id, voters[i].user_id) not in entitled
                ],
                "voter",
            )
        else:
            taken[election_id] = {code for (code,) in rows}

    # A receipt code taken but no form stored for its voter in this read: committed since,
    # by this voter's own retry perhaps. Read their forms again (rare).
    again: list[Statement] = []
    again_for: list[int] = []
    for election_id in elections:
        recheck = [
            voters[i].delegate_id
            for i in by_election[election_id]
            if outcomes[i] is None
            and batch[i].receipt in taken[election_id]
            and voters[i].delegate_id not in stored[election_id]
        ]
        if recheck:
            again.append(forms_of(t, election_id, recheck, dialect))
            again_for.append(election_id)
    if again:
        for election_id, rows in zip(again_for, (yield again), strict=True):
            stored[election_id].update({d: h for d, h in rows})

    # 2. Insert the participations of those with none yet (the unique constraint decides a
    # race with another batch), in delegate order so concurrent batches lock alike.
    leaders: dict[int, dict[int, int]] = {e: {} for e in elections}
    inserts: list[Statement] = []
    insert_for: list[int] = []
    for election_id in elections:
        fresh: list[int] = []
        for i in by_election[election_id]:
            if outcomes[i] is not None:
                continue
            delegate = voters[i].delegate_id
            if delegate in leaders[election_id]:
                continue
            leaders[election_id][delegate] = i
            if delegate in stored[election_id]:
                continue
            if batch[i].receipt in taken[election_id]:
                outcomes[i] = Outcome(Kind.FORM_TAKEN)
                continue
            taken[election_id].add(batch[i].receipt)
            fresh.append(i)
        if fresh:
            fresh.sort(key=lambda i: voters[i].delegate_id)
            sql, params = insert_rows(
                t["participation"],
                PARTICIPATION,
                [
                    (
                        dialect.uuid(uuid.uuid4()),
                        election_id,
                        voters[i].delegate_id,
                        batch[i].token_hash,
                    )
                    for i in fresh
                ],
                dialect,
                " ON CONFLICT (election_id, delegate_id) DO NOTHING RETURNING delegate_id",
            )
            inserts.append((sql, params, True))
            insert_for.append(election_id)
    inserted: dict[int, set[int]] = {e: set() for e in elections}
    if inserts:
        for election_id, rows in zip(insert_for, (yield inserts), strict=True):
            inserted[election_id] = {d for (d,) in rows}
            for d in inserted[election_id]:
                stored[election_id][d] = batch[leaders[election_id][d]].token_hash
        raced: list[Statement] = []
        raced_for: list[int] = []
        for election_id in elections:
            lost = [
                d
                for d, i in leaders[election_id].items()
                if outcomes[i] is None
                and d not in stored[election_id]
                and d not in inserted[election_id]
            ]
            if lost:  # another batch committed a ballot for them meanwhile
                raced.append(forms_of(t, election_id, lost, dialect))
                raced_for.append(election_id)
        if raced:
            for election_id, rows in zip(raced_for, (yield raced), strict=True):
                stored[election_id].update({d: h for d, h in rows})

    recorded: list[int] = []
    for election_id in elections:
        for i in by_election[election_id]:
            if outcomes[i] is not None:
                continue
            delegate = voters[i].delegate_id
            if leaders[election_id][delegate] == i and delegate in inserted[election_id]:
                outcomes[i] = Outcome(Kind.RECORDED, receipt=batch[i].receipt)
                recorded.append(i)
            elif delegate not in stored[election_id]:
                outcomes[i] = Outcome(Kind.STALE, why="voter")  # nothing stored: ask again
            elif hmac.compare_digest(stored[election_id][delegate], batch[i].token_hash):
                outcomes[i] = Outcome(Kind.RETRY, receipt=batch[i].receipt)
            else:
                outcomes[i] = Outcome(Kind.ALREADY_VOTED)

    # 3. The sealed ballots and receipts, each shuffled (no row order follows the voters'),
    # and the audit chains' heads, locked (sent together).
    writes: list[Statement] = []
    if all_keys:  # "last used" to the minute, as the Django path records it
        where, params = among("key_hash", "text", sorted(all_keys), dialect)
        writes.append(
            (
                f"UPDATE {t['token']} SET last_used_at = %s WHERE {where} "
                "AND (last_used_at IS NULL OR last_used_at < %s)",
                [dialect.time(now), *params, dialect.time(now - TOKEN_USE_RESOLUTION)],
                False,
            )
        )
    audit_entries: dict[str, list[dict[str, Any]]] = {}
    for election_id in elections:
        mine = [i for i in recorded if batch[i].poll.election_id == election_id]
        if not mine:
            continue
        poll = batch[mine[0]].poll
        boxes = [batch[i].sealed for i in mine]
        receipts = [batch[i].receipt for i in mine]
        _shuffle(boxes)
        _shuffle(receipts)
        sealed = [(dialect.uuid(uuid.uuid4()), election_id, dialect.binary(b)) for b in boxes]
        writes.append((*insert_rows(t["sealed"], SEALED, sealed, dialect), False))
        coded = [(dialect.uuid(uuid.uuid4()), election_id, code) for code in receipts]
        writes.append((*insert_rows(t["receipt"], RECEIPT, coded, dialect), False))
        chain = audit.chain_of(poll.unit_path)
        for i in sorted(mine, key=lambda i: voters[i].delegate_id):
            audit_entries.setdefault(chain, []).append(
                {
                    "at": now,
                    "actor_id": voters[i].user_id,
                    "actor_label": voters[i].username,
                    "action": "ballot_cast",
                    "object_type": Election._meta.label_lower,
                    "object_id": election_id,
                    "unit_path": poll.unit_path,
                    "changes": {"delegate": voters[i].delegate_id},  # who voted, never how
                }
            )
    chains = sorted(audit_entries)
    lock = " FOR UPDATE" if dialect.locks else ""

    def head_of(chain: str) -> Statement:
        return (
            f"SELECT last_seq, last_hash FROM {t['head']} WHERE chain = %s{lock}",
            [chain],
            True,
        )

    writes.extend(head_of(chain) for chain in chains)
    results = (yield fused(writes, dialect)) if writes else []
    heads = dict(zip(chains, results[len(results) - len(chains) :], strict=True))
    missing = [chain for chain in chains if not heads[chain]]
    if missing:  # a chain's first event ever: its head row is made, then locked
        create: list[Statement] = []
        for chain in missing:
            create.append(
                (
                    f"INSERT INTO {t['head']} (chain, last_seq, last_hash) SELECT %s, 0, %s "
                    f"WHERE NOT EXISTS (SELECT 1 FROM {t['head']} WHERE chain = %s) "
                    "ON CONFLICT (chain) DO NOTHING",
                    [chain, audit.GENESIS, chain],
                    False,
                )
            )
            create.append(head_of(chain))
        created = yield create
        heads.update(zip(missing, created[1::2], strict=True))

    # 4. One keyed event per voter appended to its chain, and the heads moved on; the driver
    # commits with them.
    tail: list[Statement] = []
    checkpoint = False
    for chain in chains:
        last_seq, last_hash = heads[chain][0]
        events = audit.append(
            chain=chain, last_seq=int(last_seq), last_hash=last_hash, events=audit_entries[chain]
        )
        rows = [
            (
                e.chain,
                e.seq,
                dialect.time(e.at),
                e.actor_id,
                e.actor_label,
                e.action,
                e.object_type,
                e.object_id,
                e.unit_path,
                dialect.json(e.changes),
                e.prev_hash,
                e.hash,
            )
            for e in events
        ]
        tail.append((*insert_rows(t["event"], EVENT, rows, dialect), False))
        tail.append(
            (
                f"UPDATE {t['head']} SET last_seq = %s, last_hash = %s WHERE chain = %s",
                [events[-1].seq, events[-1].hash, chain],
                False,
            )
        )
        checkpoint = checkpoint or audit.checkpoint_due(events[0].seq, events[-1].seq)
    if tail:
        yield fused(tail, dialect)

    return Written(
        outcomes=[o if o is not None else Outcome(Kind.STALE, why="voter") for o in outcomes],
        checkpoint=checkpoint,
    )
