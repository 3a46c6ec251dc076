"""Importing units and members: all or nothing, every bad row named with its row and column."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import translation
from openpyxl import Workbook

from daihoi import testing
from daihoi.accounts.authority import SYSTEM
from daihoi.core.models import AuditEvent
from daihoi.organizations.actions import members_import, units_import
from daihoi.organizations.imports import (
    MEMBER_COLUMNS,
    UNIT_COLUMNS,
    ImportRejected,
    Problem,
    read_table,
)
from daihoi.organizations.models import Membership, Person, Unit
from daihoi.organizations.queries import unit_children

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Messages are compared in English; the Vietnamese test switches language itself."""
    with translation.override("en"):
        yield


GOOD = ["M001", "Nguyễn Văn An", "1980-02-03", "male", "Kinh", "university", "elementary",
        "2005-05-19", "active", "C1"]  # fmt: skip


def csv_bytes(rows: list[list[str]], *, headers: tuple[str, ...] = MEMBER_COLUMNS,
              sep: str = ",", bom: bool = False) -> bytes:  # fmt: skip
    lines = [sep.join(headers)] + [sep.join(r) for r in rows]
    return ("\ufeff" if bom else "").encode() + "\n".join(lines).encode()


def member(**changes: str) -> list[str]:
    row = dict(zip(MEMBER_COLUMNS, GOOD, strict=True))
    row.update(changes)
    return [row[c] for c in MEMBER_COLUMNS]


def rejected(
    data: bytes, *, actor: Any = SYSTEM, kind: str = "members", **kw: Any
) -> list[Problem]:
    action = members_import if kind == "members" else units_import
    with pytest.raises(ImportRejected) as caught:
        action(actor=actor, table=read_table(data, f"{kind}.csv"), **kw)
    return caught.value.problems


def test_members_import_creates_people_with_open_memberships(province: Any) -> None:
    summary = members_import(
        actor=SYSTEM,
        table=read_table(
            csv_bytes([member(), member(member_code="M002", unit_code="C2")]), "m.csv"
        ),
    )
    assert summary.created == 2 and summary.units == 2
    person = Person.objects.get(member_code="M001")
    assert person.unit == province["c1"] and person.name_folded == "nguyen van an"
    assert person.birth_date == datetime.date(1980, 2, 3)
    assert person.education == "university" and person.political_theory == "elementary"
    membership = Membership.objects.get(person=person)
    assert membership.unit == province["c1"] and membership.started == datetime.date(2005, 5, 19)
    assert membership.ended is None


def test_one_bad_row_leaves_the_database_unchanged_and_names_row_and_column(province: Any) -> None:
    before = (Person.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    rows = [
        member(),
        member(member_code="M002"),
        member(member_code="M003", birth_date="31/02/1980"),
    ]
    problems = rejected(csv_bytes(rows))
    assert problems == [
        Problem(4, "birth_date", "31/02/1980 is not a date (use YYYY-MM-DD or DD/MM/YYYY)")
    ]
    assert str(problems[0]) == (
        "Row 4, column birth_date: 31/02/1980 is not a date (use YYYY-MM-DD or DD/MM/YYYY)"
    )
    after = (Person.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    assert after == before


def test_every_bad_row_is_reported_not_only_the_first(province: Any) -> None:
    rows = [
        member(gender="x"),
        member(member_code="M002"),
        member(member_code="M003", unit_code="ZZ"),
    ]
    problems = rejected(csv_bytes(rows))
    assert [(p.row, p.column) for p in problems] == [(2, "gender"), (4, "unit_code")]


def test_unknown_unit_code_is_reported(province: Any) -> None:
    (problem,) = rejected(csv_bytes([member(unit_code="NOPE")]))
    assert (problem.column, problem.message) == ("unit_code", "There is no unit with code NOPE.")


def test_duplicate_member_code_in_the_file_names_the_first_row(province: Any) -> None:
    (problem,) = rejected(csv_bytes([member(), member()]))
    assert (problem.row, problem.column) == (3, "member_code")
    assert "row 2" in problem.message


def test_member_code_of_someone_outside_the_area_is_refused(
    province: Any, organizer_d1: Any
) -> None:
    testing.make_person(unit=province["g2"], member_code="M001")
    (problem,) = rejected(csv_bytes([member()]), actor=organizer_d1)
    assert problem.column == "member_code" and "already in use" in problem.message


def test_a_member_in_the_database_is_not_moved_by_an_import(province: Any) -> None:
    testing.make_person(unit=province["c2"], member_code="M001")
    (problem,) = rejected(csv_bytes([member()]))
    assert problem.column == "unit_code" and "transfer" in problem.message


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("gender", "robot"),
        ("status", "asleep"),
        ("education", "kindergarten"),
        ("political_theory", "guru"),
    ],
)
def test_unknown_choice_values_are_refused_with_the_valid_codes(
    province: Any, column: str, value: str
) -> None:
    (problem,) = rejected(csv_bytes([member(**{column: value})]))
    assert problem.column == column and value in problem.message and "use one of" in problem.message


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [("gender", "Nữ", "female"), ("gender", "weiblich", "female"), ("gender", "MALE", "male"),
     ("status", "Đình chỉ sinh hoạt", "suspended"), ("status", "retired", "retired"),
     ("education", "Đại học", "university"), ("education", "Hochschule", "university"),
     ("political_theory", "Cao cấp", "advanced"),
     ("political_theory", "trung cap", "intermediate")],
)  # fmt: skip
def test_choice_values_accept_codes_and_labels_in_every_language(
    province: Any, column: str, value: str, code: str
) -> None:
    members_import(actor=SYSTEM, table=read_table(csv_bytes([member(**{column: value})]), "m.csv"))
    assert getattr(Person.objects.get(member_code="M001"), column) == code


def test_dates_accept_day_month_year(province: Any) -> None:
    members_import(
        actor=SYSTEM, table=read_table(csv_bytes([member(birth_date="03/02/1980")]), "m.csv")
    )
    assert Person.objects.get().birth_date == datetime.date(1980, 2, 3)


def test_joining_before_birth_is_refused(province: Any) -> None:
    (problem,) = rejected(csv_bytes([member(date_joined="1970-01-01")]))
    assert problem.column == "date_joined"


def test_missing_required_columns_are_listed_in_one_header_error(province: Any) -> None:
    headers = tuple(c for c in MEMBER_COLUMNS if c not in ("gender", "unit_code"))
    (problem,) = rejected(csv_bytes([GOOD[:8]], headers=headers))
    assert problem.row == 1 and "gender, unit_code" in problem.message


def test_empty_required_cells_are_reported(province: Any) -> None:
    problems = rejected(csv_bytes([member(full_name="  ", member_code="")]))
    assert {p.column for p in problems} == {"member_code", "full_name"}


def test_names_are_stored_in_nfc(province: Any) -> None:
    decomposed = "Nguye\u0302\u0303n  Va\u0306n An"
    members_import(actor=SYSTEM, table=read_table(csv_bytes([member(full_name=decomposed)]), "m"))
    assert Person.objects.get().full_name == "Nguyễn Văn An"


def test_csv_with_semicolons_and_a_bom_is_read(province: Any) -> None:
    data = csv_bytes([member()], sep=";", bom=True)
    members_import(actor=SYSTEM, table=read_table(data, "excel.csv"))
    assert Person.objects.get().full_name == "Nguyễn Văn An"


def test_a_file_that_is_not_utf8_is_refused_with_a_hint(province: Any) -> None:
    data = "member_code,full_name\nM1,Nguyễn\n".encode("utf-16")
    with pytest.raises(ImportRejected) as caught:
        read_table(data, "m.csv")
    assert "UTF-8" in caught.value.problems[0].message


def test_xlsx_with_date_cells_is_read(province: Any) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(MEMBER_COLUMNS))
    row: list[Any] = member()
    row[2] = datetime.datetime(1980, 2, 3)
    sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    members_import(actor=SYSTEM, table=read_table(buffer.getvalue(), "m.xlsx"))
    assert Person.objects.get().birth_date == datetime.date(1980, 2, 3)


def test_a_damaged_workbook_is_refused(province: Any) -> None:
    with pytest.raises(ImportRejected):
        read_table(b"PK\x03\x04 not really a zip", "m.xlsx")


def test_error_messages_are_in_vietnamese_when_the_language_is_vi(province: Any) -> None:
    with translation.override("vi"):
        (problem,) = rejected(csv_bytes([member(birth_date="31/02/1980")]))
        text = str(problem)
    assert text.startswith("Dòng 2, cột birth_date:")
    assert "không phải là ngày" in text


def test_import_writes_one_audit_event_with_counts_and_file_name(province: Any) -> None:
    before = AuditEvent.objects.count()
    rows = [member(), member(member_code="M002")]
    members_import(actor=SYSTEM, table=read_table(csv_bytes(rows), "list.csv"))
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert event.action == "members_import"
    assert event.changes == {
        "file": "list.csv",
        "members": 2,
        "updated": 0,
        "unchanged": 0,
        "units": 1,
    }
    assert event.unit_path == province["c1"].path


# --- scoping -------------------------------------------------------------------------


def test_organizer_cannot_import_into_another_district_and_learns_nothing(
    province: Any, organizer_d1: Any
) -> None:
    rows = [
        member(),
        member(member_code="M002", unit_code="C2"),
        member(member_code="M3", unit_code="XX"),
    ]
    problems = rejected(csv_bytes(rows), actor=organizer_d1)
    assert [(p.row, p.column) for p in problems] == [(3, "unit_code"), (4, "unit_code")]
    # an existing unit elsewhere and a unit that does not exist read the same
    assert problems[0].message.replace("C2", "X") == problems[1].message.replace("XX", "X")
    assert "not in your area" in problems[0].message
    assert not Person.objects.exists()


def test_organizer_imports_into_their_subtree(province: Any, organizer_d1: Any) -> None:
    members_import(actor=organizer_d1, table=read_table(csv_bytes([member()]), "m.csv"))
    assert Person.objects.get().unit == province["c1"]


def test_import_within_a_unit_refuses_units_outside_it(province: Any) -> None:
    (problem,) = rejected(csv_bytes([member(unit_code="C2")]), within=province["g1"])
    assert "not in your area" in problem.message


# --- units -----------------------------------------------------------------------------


def unit_csv(rows: list[list[str]]) -> bytes:
    return csv_bytes(rows, headers=UNIT_COLUMNS)


def test_units_import_builds_a_tree_with_parents_earlier_in_the_file(province: Any) -> None:
    rows = [
        ["G3", "Đảng bộ phường Tân Bình", "grassroots", "D1", "2020-01-01", ""],
        ["C3", "Chi bộ khu dân cư số 3", "cell", "G3", "2020-01-01", ""],
        ["C4", "Chi bộ khu dân cư số 4", "cell", "G3", "01/01/2020", ""],
    ]
    assert units_import(actor=SYSTEM, table=read_table(unit_csv(rows), "u.csv")).created == 3
    g3 = Unit.objects.get(code="G3")
    d1 = Unit.objects.get(code="D1")
    assert g3.path.startswith(d1.path) and g3.depth == 3 and g3.numchild == 2
    assert d1.numchild == 2
    assert {u.code for u in unit_children(g3)} == {"C3", "C4"}
    assert [u.code for u in unit_children(d1)] == ["G1", "G3"]
    # the tree stays usable by treebeard afterwards
    testing.make_unit(parent=d1, code="G9", level="grassroots")
    assert Unit.objects.get(code="G9").path > g3.path


def test_units_import_checks_levels_against_the_rulebook(province: Any) -> None:
    rows = [
        ["X1", "Somewhere", "galaxy", "D1", "2020-01-01", ""],
        ["X2", "Cell under a district", "cell", "D1", "2020-01-01", ""],
    ]
    problems = rejected(unit_csv(rows), kind="units")
    assert [(p.row, p.column) for p in problems] == [(2, "level"), (3, "level")]
    assert "grassroots" in problems[0].message and "cannot be under" in problems[1].message


def test_units_import_reports_parent_appearing_later(province: Any) -> None:
    rows = [
        ["C3", "Chi bộ 3", "cell", "G3", "2020-01-01", ""],
        ["G3", "Đảng bộ G3", "grassroots", "D1", "2020-01-01", ""],
    ]
    (problem,) = rejected(unit_csv(rows), kind="units")
    assert (problem.row, problem.column) == (2, "parent_code") and "row 3" in problem.message


def test_units_import_refuses_duplicate_and_existing_codes(province: Any) -> None:
    rows = [
        ["G1", "Again", "grassroots", "D1", "2020-01-01", ""],
        ["G5", "Once", "grassroots", "D1", "2020-01-01", ""],
        ["G5", "Twice", "grassroots", "D1", "2020-01-01", ""],
    ]
    problems = rejected(unit_csv(rows), kind="units")
    assert [(p.row, p.column) for p in problems] == [(2, "code"), (4, "code")]
    assert Unit.objects.count() == 7


def test_organizer_cannot_add_units_outside_their_area(province: Any, organizer_d1: Any) -> None:
    rows = [
        ["G5", "Mine", "grassroots", "D1", "2020-01-01", ""],
        ["G6", "Not mine", "grassroots", "D2", "2020-01-01", ""],
        ["R1", "A new root", "province", "", "2020-01-01", ""],
    ]
    problems = rejected(unit_csv(rows), actor=organizer_d1, kind="units")
    assert [(p.row, p.column) for p in problems] == [(3, "parent_code"), (4, "parent_code")]


def test_units_without_parent_go_under_the_unit_imported_into(province: Any) -> None:
    rows = [["G5", "Đảng bộ G5", "grassroots", "", "2020-01-01", ""]]
    units_import(actor=SYSTEM, table=read_table(unit_csv(rows), "u.csv"), within=province["d1"])
    assert Unit.objects.get(code="G5").path.startswith(province["d1"].path)


# --- the upload page and the commands ------------------------------------------------


def upload(client: Client, code: str, kind: str, data: bytes, name: str = "m.csv") -> Any:
    file = io.BytesIO(data)
    file.name = name
    return client.post(f"/u/{code}/import/", {"kind": kind, "file": file})


def test_upload_page_shows_the_error_table(province: Any, organizer_d1: Any) -> None:
    client = Client()
    client.force_login(organizer_d1)
    assert client.get("/u/G1/import/").status_code == 200
    response = upload(client, "G1", "members", csv_bytes([member(gender="x")]))
    assert response.status_code == 200
    assert response.context["problems"][0].column == "gender"
    assert "<td>gender</td>" in response.content.decode()
    assert not Person.objects.exists()


def test_upload_page_imports_and_summarizes(province: Any, organizer_d1: Any) -> None:
    client = Client()
    client.force_login(organizer_d1)
    response = upload(client, "G1", "members", csv_bytes([member()]))
    assert response.status_code == 200 and response.context["summary"].created == 1
    assert Person.objects.get().unit == province["c1"]


def test_upload_page_of_another_district_answers_404(province: Any, organizer_d1: Any) -> None:
    client = Client()
    client.force_login(organizer_d1)
    assert client.get("/u/G2/import/").status_code == 404
    assert upload(client, "G2", "members", csv_bytes([member(unit_code="C2")])).status_code == 404


def test_a_plain_member_cannot_open_the_upload_page(province: Any) -> None:
    user = testing.make_user(role="member", unit=province["g1"])
    client = Client()
    client.force_login(user)
    assert client.get("/u/G1/import/").status_code == 404


def test_import_members_command_prints_problems(province: Any, tmp_path: Any) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([member(status="asleep")]))
    with pytest.raises(CommandError) as caught:
        call_command("import_members", str(bad))
    assert "Row 2, column status" in str(caught.value)
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes([member()]))
    out = io.StringIO()
    call_command("import_members", str(good), stdout=out)
    assert "1" in out.getvalue() and Person.objects.count() == 1


def test_import_units_command_creates_units(province: Any, tmp_path: Any) -> None:
    file = tmp_path / "units.csv"
    file.write_bytes(unit_csv([["G5", "Đảng bộ G5", "grassroots", "D2", "2020-01-01", ""]]))
    call_command("import_units", str(file), stdout=io.StringIO())
    assert Unit.objects.get(code="G5").path.startswith(province["d2"].path)
