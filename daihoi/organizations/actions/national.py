"""The national import: millions of members from one CSV, all or nothing, in bounded memory.

The file is read row by row and checked in chunks with the same checks as every import
(`imports.check_members`), so every bad row is still reported with its row and column. On
PostgreSQL the checked rows are streamed with `COPY` into a temporary staging table; only
when the whole file is clean (codes repeated across chunks are found in the staging table)
are they moved into the members and memberships tables, in the same transaction: a file with
a bad row changes nothing. Elsewhere (SQLite, small files) the ordinary `members_import` runs.
"""

from __future__ import annotations

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

CHUNK = 20_000  # rows checked at a time: bounded memory whatever the file's size
MAX_PROBLEMS = 100_000  # problems kept for the report; beyond, checking goes on but stops listing
_COLUMNS = (
    "row", "member_code", "full_name", "name_folded", "name_key", "birth_date", "gender",
    "ethnicity", "education", "political_theory", "date_joined", "status", "unit_id",
    "existing_id", "unchanged",
)  # fmt: skip


_COPY = f"COPY organizations_person_staging ({', '.join(_COLUMNS)}) FROM STDIN"


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
                        (r.row, r.member_code, r.full_name, fold(r.full_name),
                         name_key(r.full_name), r.birth_date, r.gender, r.ethnicity,
                         r.education, r.political_theory, r.date_joined, r.status, r.unit_id,
                         r.existing_id, r.unchanged)
                    )  # fmt: skip
        if not counted:
            problems = _repeated_codes(cursor)
            counted = len(problems)
        if counted:
            raise ImportRejected(problems, total=counted)
        created, updated, unchanged = _swap_in(cursor)
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


def _swap_in(cursor: Any) -> tuple[int, int, int]:
    """Move the staged rows into the members and memberships tables: (created, updated,
    unchanged)."""
    cursor.execute(
        "UPDATE organizations_person p SET full_name = s.full_name, name_folded = s.name_folded, "
        "name_key = s.name_key, birth_date = s.birth_date, gender = s.gender, "
        "ethnicity = s.ethnicity, education = s.education, "
        "political_theory = s.political_theory, date_joined = s.date_joined, status = s.status "
        "FROM organizations_person_staging s WHERE s.existing_id = p.id AND NOT s.unchanged"
    )
    updated = cursor.rowcount
    cursor.execute("SELECT count(*) FROM organizations_person_staging WHERE unchanged")
    unchanged = cursor.fetchone()[0]
    cursor.execute(
        "INSERT INTO organizations_person (member_code, full_name, name_folded, name_key, "
        "birth_date, gender, ethnicity, education, political_theory, date_joined, status, "
        "unit_id) SELECT member_code, full_name, name_folded, name_key, birth_date, gender, "
        "ethnicity, education, political_theory, date_joined, status, unit_id "
        "FROM organizations_person_staging WHERE existing_id IS NULL ORDER BY row"
    )
    created = cursor.rowcount
    cursor.execute(
        "INSERT INTO organizations_membership (person_id, unit_id, started) "
        "SELECT p.id, s.unit_id, s.date_joined FROM organizations_person p "
        "JOIN organizations_person_staging s ON s.member_code = p.member_code "
        "WHERE s.existing_id IS NULL"
    )
    return created, updated, unchanged
