"""The cast transaction's statements as a driver receives them (`casting.cast_transaction`),
without a database: the results are fed back by hand, as a driver would read them."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from daihoi.core import audit
from daihoi.elections import casting
from daihoi.elections.casting.statements import fused as _fused


class Dialect:
    def __init__(self, *, postgres: bool) -> None:
        self.locks = self.fuses = postgres
        self.arrays = "%b" if postgres else ""

    def uuid(self, value: Any) -> Any:
        return value

    def binary(self, value: bytes) -> Any:
        return value

    def json(self, value: Any) -> Any:
        return value

    def time(self, value: datetime.datetime) -> Any:
        return value


def _pending(delegate: int) -> casting.Pending:
    poll = casting.Poll(
        election_id=7,
        congress_id=3,
        unit_path="00010002",
        strike_out=True,
        slate=("1", "2"),
        public_key=b"k" * 32,
        padded_size=256,
    )
    voter = casting.Voter(user_id=100 + delegate, username=f"d{delegate}", delegate_id=delegate)
    return casting.Pending(
        poll=poll, voter=voter, token_hash=f"h{delegate}", receipt=f"R-{delegate}", sealed=b"box"
    )


def _run(dialect: Dialect, head: list[tuple[Any, ...]]) -> tuple[list[list[Any]], Any]:
    """Every group the transaction sends for two voters, answered as a database would with
    the audit chain's head row `head` ([] where the chain has none yet)."""
    batch = [_pending(1), _pending(2)]
    steps = casting.cast_transaction(batch, dialect, now=timezone.now())
    groups: list[list[Any]] = []
    group = next(steps)
    try:
        while True:
            groups.append(group)
            results: list[list[tuple[Any, ...]]] = []
            for sql, _params, wanted in group:
                if not wanted:
                    results.append([])
                elif sql.startswith("SELECT e.state"):
                    results.append([("open", "in_session")])
                elif sql.startswith("SELECT d.id"):  # both voters on the roster, no forms yet
                    results.append([(1, 101, None), (2, 102, None)])
                elif sql.startswith("INSERT INTO elections_participation"):
                    results.append([(1,), (2,)])
                elif "FROM core_audithead" in sql and "FOR UPDATE" not in sql and not head:
                    results.append([])  # the head row's insert
                elif "last_seq, last_hash FROM core_audithead" in sql:
                    made = any(s.startswith("INSERT INTO core_audithead") for s, _p, _w in group)
                    results.append(head or ([(0, audit.GENESIS)] if made else []))
                else:
                    results.append([])
            group = steps.send(results)
    except StopIteration as done:
        return groups, done.value


def test_writes_are_sent_as_with_clauses_of_the_next_statement_where_the_dialect_can() -> None:
    group = [
        ("UPDATE a SET x = %s", [1], False),
        ("INSERT INTO b (y) VALUES (%s)", [2], False),
        ("SELECT z FROM c WHERE k = %s FOR UPDATE", [3], True),
        ("INSERT INTO d (w) VALUES (%s)", [4], False),
    ]
    assert _fused(group, Dialect(postgres=True)) == [
        (
            "WITH w0 AS (UPDATE a SET x = %s), w1 AS (INSERT INTO b (y) VALUES (%s)) "
            "SELECT z FROM c WHERE k = %s FOR UPDATE",
            [1, 2, 3],
            True,
        ),
        ("INSERT INTO d (w) VALUES (%s)", [4], False),  # the last: nothing to carry
    ]
    writes = [group[0], group[1], group[3]]
    assert _fused(writes, Dialect(postgres=True)) == [
        (
            "WITH w0 AS (UPDATE a SET x = %s), w1 AS (INSERT INTO b (y) VALUES (%s)) "
            "INSERT INTO d (w) VALUES (%s)",
            [1, 2, 4],
            False,
        )
    ]
    assert _fused(group, Dialect(postgres=False)) == group


def test_a_batch_is_six_statements_on_postgresql_in_four_round_trips() -> None:
    groups, written = _run(Dialect(postgres=True), head=[(41, "f" * 64)])
    assert [o.kind for o in written.outcomes] == [casting.Kind.RECORDED] * 2
    assert [len(g) for g in groups] == [3, 1, 1, 1]  # reads; ballots taken; writes; events
    writes, events = groups[2][0], groups[3][0]
    assert writes[0].startswith("WITH w0 AS (INSERT INTO elections_sealedballot")
    assert writes[0].endswith("FOR UPDATE") and writes[2] is True
    assert events[0].startswith("WITH w0 AS (INSERT INTO core_auditevent")
    assert events[0].rsplit(")) ", 1)[1].startswith("UPDATE core_audithead SET last_seq")
    # one array per column: the text does not depend on the batch's size
    assert "unnest(%b::uuid[], %b::bigint[], %b::bytea[])" in writes[0]
    assert [row for row in events[1] if isinstance(row, list)][1] == [42, 43]  # the seqs


def test_sqlite_gets_the_same_statements_one_by_one() -> None:
    groups, written = _run(Dialect(postgres=False), head=[(41, "f" * 64)])
    assert [o.kind for o in written.outcomes] == [casting.Kind.RECORDED] * 2
    assert [len(g) for g in groups] == [3, 1, 3, 2]
    assert all("WITH" not in sql and "%b" not in sql for g in groups for sql, _p, _w in g)


def test_a_chains_first_event_makes_its_head_row_first_and_only_then() -> None:
    groups, written = _run(Dialect(postgres=True), head=[])
    assert [o.kind for o in written.outcomes] == [casting.Kind.RECORDED] * 2
    assert [len(g) for g in groups] == [3, 1, 1, 2, 1]
    made, locked = groups[3]
    assert made[0].startswith("INSERT INTO core_audithead") and not made[2]
    assert locked[0].endswith("FOR UPDATE") and locked[2]
    seqs = [row for row in groups[4][0][1] if isinstance(row, list)][1]
    assert seqs == [1, 2]  # the chain starts at its genesis
    _groups, again = _run(Dialect(postgres=True), head=[(2, "e" * 64)])
    assert not any(
        sql.startswith("INSERT INTO core_audithead") for g in _groups for sql, _p, _w in g
    )
    assert [o.kind for o in again.outcomes] == [casting.Kind.RECORDED] * 2
