# ruff: noqa: S608  (table names come from the models' meta; every value is a parameter)
"""How the cast transaction's statements are spelled for a driver: the dialect, the tables
and columns written, lists as array parameters or `VALUES` (`among`, `insert_rows`), and
writes carried by the statement after them (`fused`). `transaction.cast_transaction` says
what is read and written; this module only how it is sent."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from typing import Any, Protocol

from daihoi.elections.models import Election, Participation, Receipt, SealedBallot


class Dialect(Protocol):
    """How values and locks are spelled for one driver."""

    locks: bool  # SELECT … FOR SHARE / FOR UPDATE (PostgreSQL); SQLite's writer lock is whole
    # A list's placeholder where one array parameter carries it (PostgreSQL: "%b" sends it in
    # binary, several times cheaper to adapt than text), or "" (SQLite): `among`, `insert_rows`.
    arrays: str
    fuses: bool  # writes may be WITH clauses of another statement (PostgreSQL): `fused`

    def uuid(self, value: uuid.UUID) -> Any: ...
    def binary(self, value: bytes) -> Any: ...
    def json(self, value: Any) -> Any: ...
    def time(self, value: datetime.datetime) -> Any: ...


Statement = tuple[str, list[Any], bool]  # SQL, parameters, whether its rows are wanted

# The columns each insert writes, with their PostgreSQL types (for `_insert`'s arrays).
Columns = tuple[tuple[str, str], ...]
PARTICIPATION: Columns = (
    ("id", "uuid"),
    ("election_id", "bigint"),
    ("delegate_id", "bigint"),
    ("token_hash", "text"),
)
SEALED: Columns = (("id", "uuid"), ("election_id", "bigint"), ("sealed", "bytea"))
RECEIPT: Columns = (("id", "uuid"), ("election_id", "bigint"), ("code", "text"))
EVENT: Columns = (
    ("chain", "text"),
    ("seq", "bigint"),
    ("at", "timestamptz"),
    ("actor_id", "bigint"),
    ("actor_label", "text"),
    ("action", "text"),
    ("object_type", "text"),
    ("object_id", "text"),
    ("unit_path", "text"),
    ("changes", "jsonb"),
    ("prev_hash", "text"),
    ("hash", "text"),
)


def marks(n: int) -> str:
    return ", ".join(["%s"] * n)


def tables() -> dict[str, str]:
    from daihoi.accounts.models import ApiToken, User
    from daihoi.conduct.models import Delegate
    from daihoi.congresses.models import Congress
    from daihoi.core.models import AuditEvent, AuditHead

    models = {
        "election": Election,
        "congress": Congress,
        "token": ApiToken,
        "user": User,
        "delegate": Delegate,
        "participation": Participation,
        "sealed": SealedBallot,
        "receipt": Receipt,
        "event": AuditEvent,
        "head": AuditHead,
    }
    return {name: model._meta.db_table for name, model in models.items()}


def among(column: str, kind: str, values: Sequence[Any], dialect: Dialect) -> tuple[str, list]:
    """`column` is one of `values`. With arrays, one parameter of type `kind[]`: the
    statement's text is then the same whatever the batch's size, so the driver parses it once
    and the server prepares it once, instead of a new statement of hundreds of parameters
    for every batch."""
    if dialect.arrays:
        return f"{column} = ANY({dialect.arrays}::{kind}[])", [list(values)]
    return f"{column} IN ({marks(len(values))})", list(values)


def insert_rows(
    table: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[Any]],
    dialect: Dialect,
    tail: str = "",
) -> tuple[str, list[Any]]:
    """INSERT of `rows` into the (name, type) `columns`: with arrays, one array parameter per
    column unnested (see `among`); else one VALUES row per row."""
    names = ", ".join(name for name, _kind in columns)
    if dialect.arrays:
        arrays = ", ".join(f"{dialect.arrays}::{kind}[]" for _name, kind in columns)
        params = [list(column) for column in zip(*rows, strict=True)]
        return f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays}){tail}", params
    values = ", ".join(["(" + marks(len(columns)) + ")"] * len(rows))
    return f"INSERT INTO {table} ({names}) VALUES {values}{tail}", [v for r in rows for v in r]


def fused(group: list[Statement], dialect: Dialect) -> list[Statement]:
    """A group's writes whose rows are not wanted, sent as data-modifying WITH clauses of the
    statement after them (the last write carries those before it), where the dialect can
    (PostgreSQL): one statement instead of several, each costing the driver and the server
    their own round of work. The statements of a group do not depend on one another, so one
    snapshot for them all changes nothing; the rows each wanted statement returns are the
    same."""
    if not dialect.fuses:
        return group
    fused: list[Statement] = []
    ahead: list[Statement] = []

    def carried(sql: str, params: list[Any], wanted: bool) -> Statement:
        if not ahead:
            return (sql, params, wanted)
        clauses = ", ".join(f"w{i} AS ({s})" for i, (s, _p, _w) in enumerate(ahead))
        statement = (f"WITH {clauses} {sql}", [v for _s, p, _w in ahead for v in p] + params)
        ahead.clear()
        return (*statement, wanted)

    for sql, params, wanted in group:
        if wanted:
            fused.append(carried(sql, params, wanted))
        else:
            ahead.append((sql, params, wanted))
    if ahead:
        fused.append(carried(*ahead.pop()))
    return fused


def forms_of(
    t: dict[str, str], election_id: int, delegates: Sequence[int], dialect: Dialect
) -> Statement:
    """The form-token hashes the delegates' participations were stored with."""
    where, params = among("delegate_id", "bigint", delegates, dialect)
    return (
        f"SELECT delegate_id, token_hash FROM {t['participation']} "
        f"WHERE election_id = %s AND {where}",
        [election_id, *params],
        True,
    )
