"""Exporting a subtree's units and members; an export imports again unchanged."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from daihoi import testing
from daihoi.accounts.authority import SYSTEM
from daihoi.accounts.models import RoleGrant, User
from daihoi.organizations.actions import members_import, units_import
from daihoi.organizations.imports import MEMBER_COLUMNS, UNIT_COLUMNS, read_table
from daihoi.organizations.models import Membership, Person, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_p(organizer_province: Any) -> Client:
    client = Client()
    client.force_login(organizer_province)
    return client


@pytest.fixture
def people(province: dict[str, Any]) -> list[Person]:
    return [
        testing.make_person(unit=province["c1"], full_name="Nguyễn Thị Hương", gender="female",
                            education="university", political_theory="advanced"),
        testing.make_person(unit=province["c2"], full_name="Trần Văn Bình",
                            birth_date=datetime.date(1990, 12, 31)),
        testing.make_person(unit=province["g1"], full_name="Lê Quang Đức", status="suspended"),
    ]  # fmt: skip


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def xlsx_rows(response: Any) -> list[tuple[Any, ...]]:
    workbook = load_workbook(io.BytesIO(body(response)), read_only=True)
    return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def test_members_xlsx_has_the_import_columns_and_one_row_per_member(
    client_p: Client, people: list[Person]
) -> None:
    response = client_p.get("/u/P/members.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = xlsx_rows(response)
    assert rows[0] == MEMBER_COLUMNS
    assert len(rows) == 4
    hương = next(r for r in rows if r[1] == "Nguyễn Thị Hương")
    assert hương[2:4] == ("1975-05-01", "female") and hương[9] == "C1"


def test_members_csv_starts_with_a_bom_and_is_scoped_to_the_subtree(
    client_p: Client, people: list[Person]
) -> None:
    data = body(client_p.get("/u/D1/members.csv"))
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == MEMBER_COLUMNS
    assert sorted(r[1] for r in rows[1:]) == ["Lê Quang Đức", "Nguyễn Thị Hương"]


def test_deceased_members_are_not_exported(client_p: Client, province: dict[str, Any]) -> None:
    testing.make_person(unit=province["c1"], status="deceased")
    assert len(xlsx_rows(client_p.get("/u/P/members.xlsx"))) == 1


def test_units_export_names_each_parent(client_p: Client, province: dict[str, Any]) -> None:
    rows = xlsx_rows(client_p.get("/u/D1/units.xlsx"))
    assert rows[0] == UNIT_COLUMNS
    assert [(r[0], r[2], r[3]) for r in rows[1:]] == [
        ("D1", "above_grassroots", None),
        ("G1", "grassroots", "D1"),
        ("C1", "cell", "G1"),
    ]


def test_units_csv_export(client_p: Client, province: dict[str, Any]) -> None:
    data = body(client_p.get("/u/G1/units.csv")).decode("utf-8-sig")
    assert data.splitlines()[1:] == [
        "G1,Đảng bộ phường Trần Phú,grassroots,,2020-01-01,",
        "C1,Chi bộ khu dân cư số 1,cell,G1,2020-01-01,",
    ]


def _snapshot() -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    units = {
        (u.code, u.name, u.level, u.depth, u.numchild, u.active_from, u.active_until)
        for u in Unit.objects.all()
    }
    fields = ["member_code", "full_name", "birth_date", "gender", "ethnicity", "education",
              "political_theory", "date_joined", "status", "unit__code"]  # fmt: skip
    return units, set(Person.objects.values_list(*fields))


def test_xlsx_export_imports_into_an_empty_database_with_the_same_data(
    client_p: Client, people: list[Person]
) -> None:
    units_file = body(client_p.get("/u/P/units.xlsx"))
    members_file = body(client_p.get("/u/P/members.xlsx"))
    before = _snapshot()
    Membership.objects.all().delete()
    Person.objects.all().delete()
    RoleGrant.objects.all().delete()
    User.objects.all().delete()
    Unit.objects.all().delete()
    units_import(actor=SYSTEM, table=read_table(units_file, "units.xlsx"))
    members_import(actor=SYSTEM, table=read_table(members_file, "members.xlsx"))
    assert _snapshot() == before
    parent_of_c1 = Unit.objects.get(code="C1").path[:-4]
    assert Unit.objects.get(path=parent_of_c1).code == "G1"


def test_csv_export_imports_again(client_p: Client, people: list[Person]) -> None:
    members_file = body(client_p.get("/u/P/members.csv"))
    before = _snapshot()[1]
    Membership.objects.all().delete()
    Person.objects.all().delete()
    members_import(actor=SYSTEM, table=read_table(members_file, "members.csv"))
    assert _snapshot()[1] == before


def test_export_of_another_district_answers_404(
    organizer_d1: Any, province: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(organizer_d1)
    for url in ["/u/D2/members.xlsx", "/u/D2/units.csv", "/u/P/members.csv"]:
        assert client.get(url).status_code == 404
