"""Imports take files as offices keep them: Vietnamese headers, title blocks, .xls, formulas,
the template, and a unit's own export imported again."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from openpyxl import Workbook, load_workbook

from daihoi import testing
from daihoi.accounts.authority import SYSTEM
from daihoi.accounts.models import Role
from daihoi.organizations.actions import members_import, units_import
from daihoi.organizations.imports import (
    MEMBER_COLUMNS,
    MEMBER_HEADERS_VI,
    UNIT_COLUMNS,
    UNIT_HEADERS_VI,
    ImportRejected,
    read_table,
)
from daihoi.organizations.models import Person, Unit

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


def workbook(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


VI_HEADERS = [
    "STT",
    "Mã đảng viên",
    "HỌ VÀ TÊN (*)",
    "Ngày sinh",
    "Giới tính",
    "Dân tộc",
    "Trình độ học vấn",
    "Lý luận chính trị",
    "Ngày vào Đảng",
    "Tình trạng",
    "Mã đơn vị",
]
ROW = [
    1,
    "VN001",
    "Trần Thị Ngọc Ánh",
    "03/02/1980",
    "Nữ",
    "Kinh",
    "đại học",
    "sơ cấp",
    "19/05/2005",
    "",
    "C1",
]


def test_vietnamese_headers_below_a_title_block_import(province: dict[str, Any]) -> None:
    data = workbook(
        [
            ["ĐẢNG BỘ PHƯỜNG TRẦN PHÚ"],
            ["DANH SÁCH ĐẢNG VIÊN"],
            [],
            VI_HEADERS,
            ROW,
            [
                2,
                "VN002",
                "Lê Văn Đức",
                datetime.date(1975, 1, 9),
                "Nam",
                "",
                "",
                "",
                datetime.date(2000, 3, 4),
                "",
                "C1",
            ],
        ]
    )
    table = read_table(data, "ds.xlsx")
    assert table.header_row == 4 and [n for n, _r in table.rows] == [5, 6]
    summary = members_import(actor=SYSTEM, table=table)
    assert summary.created == 2
    anh = Person.objects.get(member_code="VN001")
    assert (anh.full_name, anh.gender, anh.birth_date) == (
        "Trần Thị Ngọc Ánh",
        "female",
        datetime.date(1980, 2, 3),
    )
    assert (anh.education, anh.political_theory) == ("university", "elementary")


def test_a_problem_in_a_file_with_a_title_block_names_the_spreadsheet_row(
    province: dict[str, Any],
) -> None:
    data = workbook([["DANH SÁCH"], VI_HEADERS, [*ROW[:3], "not a date", *ROW[4:]]])
    with pytest.raises(ImportRejected) as caught:
        members_import(actor=SYSTEM, table=read_table(data, "ds.xlsx"))
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (3, "birth_date")


def test_unit_files_take_vietnamese_headers(province: dict[str, Any]) -> None:
    headers = [UNIT_HEADERS_VI[c][0] for c in UNIT_COLUMNS]
    data = workbook([headers, ["C9", "Chi bộ số 9", "cell", "G1", "01/01/2025", ""]])
    summary = units_import(actor=SYSTEM, table=read_table(data, "dv.xlsx"))
    assert summary.created == 1
    assert Unit.objects.get(code="C9").path.startswith(province["g1"].path)


def test_a_legacy_xls_file_imports(province: dict[str, Any]) -> None:
    data = (FIXTURES / "members-legacy.xls").read_bytes()
    table = read_table(data, "danh-sach.xls")
    assert table.header_row == 4
    summary = members_import(actor=SYSTEM, table=table)
    assert summary.created == 2
    person = Person.objects.get(member_code="XLS0002")
    assert (person.full_name, person.ethnicity, person.birth_date, person.gender) == (
        "Đỗ Văn Ánh",
        "Tày",
        datetime.date(1975, 11, 30),
        "male",
    )


def test_a_damaged_xls_file_is_refused_clearly() -> None:
    with pytest.raises(ImportRejected) as caught:
        read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "broken.xls")
    assert ".xls" in caught.value.problems[0].message


def test_a_formula_cell_is_reported_as_a_formula_not_as_missing(province: dict[str, Any]) -> None:
    headers = list(MEMBER_COLUMNS)
    data = workbook(
        [
            headers,
            [
                "F001",
                "Nguyễn Văn An",
                "=DATE(1980,2,3)",
                "male",
                "Kinh",
                "",
                "",
                "2005-05-19",
                "",
                "C1",
            ],
            [
                "F002",
                '=CONCATENATE("Lê ","Văn ","Bình")',
                "1981-01-01",
                "male",
                "",
                "",
                "",
                "2006-01-01",
                "",
                "C1",
            ],
        ]
    )
    with translation.override("en"), pytest.raises(ImportRejected) as caught:
        members_import(actor=SYSTEM, table=read_table(data, "f.xlsx"))
    problems = [(p.row, p.column, p.message) for p in caught.value.problems]
    assert [(r, c) for r, c, _m in problems] == [(2, "birth_date"), (3, "full_name")]
    assert all("formula" in m and "required" not in m for _r, _c, m in problems)
    assert Person.objects.filter(member_code__startswith="F").count() == 0


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_template_has_the_vietnamese_headers_and_imports_when_filled(
    province: dict[str, Any], organizer_province: Any
) -> None:
    client = _client(organizer_province)
    response = client.get("/u/G1/import/template-members.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    headers = [c.value for c in book.worksheets[0][1]]
    assert headers == [MEMBER_HEADERS_VI[c][0] for c in MEMBER_COLUMNS]
    assert headers[:3] == ["Mã đảng viên", "Họ và tên", "Ngày sinh"]
    assert len(book.worksheets[1]["A"]) == 1 + len(MEMBER_COLUMNS)  # the guide
    book.worksheets[0].append(
        ["T001", "Vũ Thị Hằng", "1990-04-03", "Nữ", "", "", "", "2015-02-03", "", "C1"]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    page = client.post(
        "/u/G1/import/",
        {"kind": "members", "file": SimpleUploadedFile("mau.xlsx", buffer.getvalue())},
    )
    assert page.status_code == 200 and page.context["summary"].created == 1
    units = client.get("/u/G1/import/template-units.xlsx")
    assert [c.value for c in load_workbook(io.BytesIO(units.content)).worksheets[0][1]] == [
        UNIT_HEADERS_VI[c][0] for c in UNIT_COLUMNS
    ]


def test_the_template_is_for_organizers_of_the_unit(
    province: dict[str, Any], organizer_d1: Any
) -> None:
    assert _client(organizer_d1).get("/u/G2/import/template-members.xlsx").status_code == 404
    member = testing.make_user(role=Role.MEMBER, unit=province["g1"])
    assert _client(member).get("/u/G1/import/template-members.xlsx").status_code == 404


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_units_own_export_imports_again_on_its_page(
    province: dict[str, Any], organizer_province: Any, fmt: str
) -> None:
    for name in ("Nguyễn Thị Hương", "Trần Văn Bình"):
        testing.make_person(unit=province["c1"], full_name=name)
    client = _client(organizer_province)
    people, units = Person.objects.count(), Unit.objects.count()
    for kind in ("units", "members"):
        exported = client.get(f"/u/G1/{kind}.{fmt}")
        data = b"".join(exported.streaming_content) if exported.streaming else exported.content
        page = client.post(
            "/u/G1/import/", {"kind": kind, "file": SimpleUploadedFile(f"{kind}.{fmt}", data)}
        )
        assert page.context["problems"] == [], page.context["problems"]
        summary = page.context["summary"]
        assert summary.created == 0 and summary.unchanged > 0
    assert (Person.objects.count(), Unit.objects.count()) == (people, units)


def test_an_edited_export_updates_the_members_it_changes(
    province: dict[str, Any], organizer_province: Any
) -> None:
    person = testing.make_person(unit=province["c1"], full_name="Nguyễn Thị Hương")
    client = _client(organizer_province)
    book = load_workbook(io.BytesIO(client.get("/u/G1/members.xlsx").content))
    sheet = book.worksheets[0]
    sheet.cell(row=2, column=MEMBER_COLUMNS.index("full_name") + 1, value="Nguyễn Thị Thu Hương")
    sheet.append(
        ["NEW1", "Hà Văn Mới", "1991-01-01", "male", "Kinh", "", "", "2012-01-01", "", "C1"]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    page = client.post(
        "/u/G1/import/",
        {"kind": "members", "file": SimpleUploadedFile("m.xlsx", buffer.getvalue())},
    )
    summary = page.context["summary"]
    assert (summary.created, summary.updated, summary.unchanged) == (1, 1, 0)
    person.refresh_from_db()
    assert (
        person.full_name == "Nguyễn Thị Thu Hương" and person.name_folded == "nguyen thi thu huong"
    )
