"""The national import: millions of members from one CSV, all or nothing, in bounded memory.

The file is read row by row and checked in chunks with the same checks as every import
(`imports.check_members`), so every bad row is still reported with its row and column. On
PostgreSQL the checked rows are streamed with `COPY` into a temporary staging table; only
when the whole file is clean (codes repeated across chunks are found in the staging table)
are they moved into the members and memberships tables, in the same transaction: a file with
a bad row changes nothing. Elsewhere (SQLite, small files) the ordinary `members_import` runs.
"""

from __future__ import annotations

import functools
import logging
import time
from typing import IO, Any

from django.db import connection
from django.utils.translation import gettext as _

from daihoi.accounts.authority import action, require_area
from daihoi.accounts.models import Role
from daihoi.core import audit
from daihoi.core.text import fold, name_key
from daihoi.organizations.actions.importing import ImportSummary, members_import
from daihoi.organizations.imports import (
    ImportRejected,
    Problem,
    UnitIndex,
    check_members,
    common_path,
    read_table,
)
from daihoi.organizations.imports.table import iter_csv_tables
from daihoi.organizations.models import Unit

logger = logging.getLogger(__name__)

CHUNK = 20_000  # rows checked at a time: bounded memory whatever the file's size
MAX_PROBLEMS = 100_000  # problems kept for the report; beyond, checking goes on but stops listing
_COLUMNS = (
    "row", "member_code", "full_name", "name_folded", "name_key", "birth_date", "gender",
    "ethnicity", "education", "political_theory", "date_joined", "status", "unit_id",
    "existing_id", "unchanged",
)  # fmt: skip


_COPY = f"COPY organizations_person_staging ({', '.join(_COLUMNS)}) FROM STDIN"


@functools.lru_cache(maxsize=1 << 17)  # names repeat: a country has few distinct full names
def _name_columns(full_name: str) -> tuple[str, str]:
    """The stored search and sort forms of a full name: (name_folded, name_key)."""
    return fold(full_name), name_key(full_name)


@action(system=True)
def members_import_stream(
    *, actor: Any, stream: IO[bytes], filename: str, within: Unit | None = None
) -> ImportSummary:
    """Import the members of a CSV stream, all or nothing (see the module's note)."""
    require_area(actor, [Role.ORGANIZER])
    if connection.vendor != "postgresql" or not filename.lower().endswith(".csv"):
        table = read_table(stream.read(), filename)
        return members_import(actor=actor, table=table, within=within)
    index = UnitIndex(actor=actor, within=within)
    problems: list[Problem] = []
    counted = 0
    unit_paths: set[str] = set()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # dropped at commit; a caller's enclosing transaction may run this twice before one
        cursor.execute("DROP TABLE IF EXISTS organizations_person_staging")
        cursor.execute(
            "CREATE TEMPORARY TABLE organizations_person_staging (row integer, "
            "member_code varchar(32), "
            "full_name varchar(200), name_folded varchar(200), name_key varchar(1000), "
            "birth_date date, gender varchar(10), ethnicity varchar(60), education varchar(20), "
            "political_theory varchar(20), date_joined date, status varchar(20), "
            "unit_id bigint, existing_id bigint, unchanged boolean) ON COMMIT DROP"
        )
        for table in iter_csv_tables(stream, filename, chunk=CHUNK):
            # the checks read the database, which a running COPY would block: check, then copy
            rows, found = check_members(table, actor=actor, within=within, index=index)
            counted += len(found)
            problems.extend(found[: max(0, MAX_PROBLEMS - len(problems))])
            if counted:
                continue  # go on checking; nothing will be written
            with cursor.copy(_COPY) as copy:
                for r in rows:
                    unit_paths.add(r.unit_path)
                    copy.write_row(
                        (r.row, r.member_code, r.full_name, *_name_columns(r.full_name),
                         r.birth_date, r.gender, r.ethnicity,
                         r.education, r.political_theory, r.date_joined, r.status, r.unit_id,
                         r.existing_id, r.unchanged)
                    )  # fmt: skip
        logger.info("checked and staged the file in %.1f s", time.perf_counter() - started)
        if not counted:
            problems = _repeated_codes(cursor)
            counted = len(problems)
        if counted:
            raise ImportRejected(problems, total=counted)
        created, updated, unchanged = _swap_in(cursor)
        logger.info("swapped in after %.1f s", time.perf_counter() - started)
    audit.record(
        actor=actor,
        action="members_import",
        object_type="organizations.person",
        unit_path=common_path(unit_paths),
        changes={"file": filename, "members": created, "updated": updated,
                 "unchanged": unchanged, "units": len(unit_paths)},
    )  # fmt: skip
    return ImportSummary(
        filename=filename, created=created, units=len(unit_paths), updated=updated,
        unchanged=unchanged,
    )  # fmt: skip


def _repeated_codes(cursor: Any) -> list[Problem]:
    """Codes that appear twice in the file in different chunks (each chunk checked itself)."""
    cursor.execute(
        "SELECT member_code, array_agg(row ORDER BY row) FROM organizations_person_staging "
        "GROUP BY member_code HAVING count(*) > 1 ORDER BY min(row) LIMIT %s",
        [MAX_PROBLEMS],
    )
    problems = []
    for code, rows in cursor.fetchall():
        for row in rows[1:]:
            problems.append(
                Problem(
                    row,
                    "member_code",
                    _("Member code %(code)s also appears in row %(row)s.")
                    % {"code": code, "row": rows[0]},
                )
            )
    return problems


BULK_MIN = 100_000  # new members from which the tables' own indexes are rebuilt, not grown
_TABLES = ("organizations_person", "organizations_membership")


def _swap_in(cursor: Any) -> tuple[int, int, int]:
    """Move the staged rows into the members and memberships tables: (created, updated,
    unchanged).

    A bulk load (at least `BULK_MIN` new members, and at least as many as the table holds)
    drops the two tables' secondary indexes and foreign keys first and builds them again
    once the rows are in: one sort per index and one checking join per key, instead of
    millions of index insertions and queued key checks. It is all one transaction: the
    rebuilt constraints check every row, and any failure leaves the tables as they were.
    For the time of the swap, the members tables (and the units table, which the keys
    point at) wait for it; the checking before the swap blocks no one.
    """
    cursor.execute("SET LOCAL work_mem = '64MB'")
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    cursor.execute(
        "UPDATE organizations_person p SET full_name = s.full_name, name_folded = s.name_folded, "
        "name_key = s.name_key, birth_date = s.birth_date, gender = s.gender, "
        "ethnicity = s.ethnicity, education = s.education, "
        "political_theory = s.political_theory, date_joined = s.date_joined, status = s.status "
        "FROM organizations_person_staging s WHERE s.existing_id = p.id AND NOT s.unchanged"
    )
    updated = cursor.rowcount
    cursor.execute(
        "SELECT count(*) FILTER (WHERE unchanged), count(*) FILTER (WHERE existing_id IS NULL) "
        "FROM organizations_person_staging"
    )
    unchanged, new = cursor.fetchone()
    rebuild = _drop_for_bulk(cursor) if _is_bulk(cursor, new) else []
    # one statement: the new members and their memberships, without joining back on codes
    cursor.execute(
        "WITH created AS (INSERT INTO organizations_person (member_code, full_name, "
        "name_folded, name_key, birth_date, gender, ethnicity, education, political_theory, "
        "date_joined, status, unit_id) SELECT member_code, full_name, name_folded, name_key, "
        "birth_date, gender, ethnicity, education, political_theory, date_joined, status, "
        "unit_id FROM organizations_person_staging WHERE existing_id IS NULL ORDER BY row "
        "RETURNING id, unit_id, date_joined) "
        "INSERT INTO organizations_membership (person_id, unit_id, started) "
        "SELECT id, unit_id, date_joined FROM created"
    )
    created = cursor.rowcount
    logger.info("inserted %d members and their memberships", created)
    for statement in rebuild:
        began = time.perf_counter()
        cursor.execute(statement)
        logger.info("%.1f s: %s", time.perf_counter() - began, statement[:90])
    if rebuild:
        cursor.execute(f"ANALYZE {', '.join(_TABLES)}")  # the planner sees the new size
    return created, updated, unchanged


def _is_bulk(cursor: Any, new: int) -> bool:
    if new < BULK_MIN:
        return False
    # as many members as are coming, at most: the count stops there
    cursor.execute("SELECT count(*) FROM (SELECT 1 FROM organizations_person LIMIT %s) p", [new])
    return bool(cursor.fetchone()[0] < new)


def _drop_for_bulk(cursor: Any) -> list[str]:
    """Drop the secondary indexes and foreign keys of the members tables; return the
    statements that make them again (indexes first, then the keys, which use them)."""
    indexes: list[str] = []
    keys: list[str] = []
    for table in _TABLES:
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
            "FROM pg_index i WHERE i.indrelid = %s::regclass AND NOT EXISTS (SELECT 1 FROM "
            "pg_constraint c WHERE c.conrelid = i.indrelid AND c.conindid = i.indexrelid)",
            [table],
        )  # the primary key and unique constraints stay
        for name, definition in cursor.fetchall():
            cursor.execute(f"DROP INDEX {name}")
            indexes.append(definition)
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            keys.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    return indexes + keys
