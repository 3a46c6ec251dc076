"""The national import streams a CSV, checks it in chunks and swaps it in, all or nothing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.utils import translation

from daihoi.accounts.authority import SYSTEM
from daihoi.organizations.actions import members_import_stream, national
from daihoi.organizations.imports import MEMBER_COLUMNS, ImportRejected
from daihoi.organizations.models import Membership, Person

pytestmark = pytest.mark.django_db


def csv_stream(rows: list[list[str]]) -> io.BytesIO:
    lines = [",".join(MEMBER_COLUMNS)] + [",".join(r) for r in rows]
    return io.BytesIO(("\ufeff" + "\n".join(lines) + "\n").encode())


def member(n: int, **changes: str) -> list[str]:
    row = {
        "member_code": f"N{n:05d}", "full_name": f"Nguyễn Văn Số {n}", "birth_date": "1980-01-01",
        "gender": "male", "ethnicity": "Kinh", "education": "", "political_theory": "",
        "date_joined": "2005-01-01", "status": "", "unit_code": "C1" if n % 2 else "C2",
    } | changes  # fmt: skip
    return [row[c] for c in MEMBER_COLUMNS]


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(national, "CHUNK", 3)  # several chunks from a few rows


def test_a_clean_file_is_imported_with_memberships(
    province: dict[str, Any], small_chunks: None
) -> None:
    summary = members_import_stream(
        actor=SYSTEM, stream=csv_stream([member(n) for n in range(10)]), filename="vn.csv"
    )
    assert summary.created == 10
    assert Person.objects.filter(member_code__startswith="N").count() == 10
    person = Person.objects.get(member_code="N00003")
    assert person.unit.code == "C1" and person.name_key
    assert Membership.objects.filter(person=person, ended__isnull=True).count() == 1


def test_a_bad_row_anywhere_changes_nothing_and_is_reported(
    province: dict[str, Any], small_chunks: None
) -> None:
    rows = [member(n) for n in range(10)]
    rows[7] = member(7, birth_date="31/02/1980")
    with translation.override("en"), pytest.raises(ImportRejected) as caught:
        members_import_stream(actor=SYSTEM, stream=csv_stream(rows), filename="vn.csv")
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (9, "birth_date")
    assert Person.objects.filter(member_code__startswith="N").count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path")
def test_a_code_repeated_in_another_chunk_is_reported(
    province: dict[str, Any], small_chunks: None
) -> None:
    rows = [member(n) for n in range(10)]
    rows[8] = member(1)
    with translation.override("en"), pytest.raises(ImportRejected) as caught:
        members_import_stream(actor=SYSTEM, stream=csv_stream(rows), filename="vn.csv")
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (10, "member_code") and "row 3" in problem.message
    assert Person.objects.filter(member_code__startswith="N").count() == 0


def test_a_stream_imports_again_unchanged(province: dict[str, Any], small_chunks: None) -> None:
    rows = [member(n) for n in range(5)]
    members_import_stream(actor=SYSTEM, stream=csv_stream(rows), filename="vn.csv")
    rows[2] = member(2, full_name="Trần Thị Đổi")
    summary = members_import_stream(actor=SYSTEM, stream=csv_stream(rows), filename="vn.csv")
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 4)
    assert Person.objects.get(member_code="N00002").full_name == "Trần Thị Đổi"


def _schema() -> set[str]:
    """The members tables' index and constraint definitions."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename IN "
            "('organizations_person', 'organizations_membership') UNION ALL "
            "SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid IN ('organizations_person'::regclass, "
            "'organizations_membership'::regclass)"
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def bulk(monkeypatch: pytest.MonkeyPatch) -> int:
    """A load that counts as bulk: more new members than the table holds, from one up."""
    monkeypatch.setattr(national, "BULK_MIN", 1)
    return Person.objects.count() + 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bulk swap")
def test_a_bulk_load_builds_again_every_index_and_key_it_dropped(
    province: dict[str, Any], small_chunks: None, bulk: int
) -> None:
    before = _schema()
    assert any("FOREIGN KEY" in d for d in before) and any("name_key" in d for d in before)
    summary = members_import_stream(
        actor=SYSTEM, stream=csv_stream([member(n) for n in range(bulk)]), filename="vn.csv"
    )
    assert summary.created == bulk
    assert _schema() == before
    assert Membership.objects.filter(person__member_code__startswith="N").count() == bulk
    assert Person.objects.filter(name_key__gt="", member_code="N00003").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bulk swap")
def test_a_bulk_swap_that_fails_leaves_the_tables_as_they_were(
    province: dict[str, Any], small_chunks: None, bulk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import DatabaseError

    before = _schema()
    drop = national._drop_for_bulk
    monkeypatch.setattr(national, "_drop_for_bulk", lambda cursor: [*drop(cursor), "SELECT 1/0"])
    with pytest.raises(DatabaseError):
        members_import_stream(
            actor=SYSTEM, stream=csv_stream([member(n) for n in range(bulk)]), filename="vn.csv"
        )
    assert _schema() == before
    assert Person.objects.filter(member_code__startswith="N").count() == 0
