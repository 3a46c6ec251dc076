"""Formula injection: a cell that could start a formula is written as text, in CSV and XLSX."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from daihoi.core.exports import csv_response, safe_cell, xlsx_bytes

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\r=1+1"]


@pytest.mark.parametrize("value", HOSTILE)
def test_safe_cell_quotes_formula_starts(value: str) -> None:
    assert safe_cell(value) == "'" + value


PLAIN = ["Nguyễn Văn An", "a=b", "", 5, -3, 1.5, datetime.date(2025, 1, 1)]


@pytest.mark.parametrize("value", PLAIN)
def test_safe_cell_leaves_plain_values(value: object) -> None:
    assert safe_cell(value) == value


def test_csv_export_writes_hostile_cells_as_text() -> None:
    response = csv_response(filename="x", headers=["=h", "b"], rows=[[v, 1] for v in HOSTILE])
    text = b"".join(response.streaming_content).decode().lstrip("\ufeff")  # type: ignore[arg-type]
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["'=h", "b"]
    assert [r[0] for r in rows[1:]] == ["'" + v for v in HOSTILE]
    assert all(r[1] == "1" for r in rows[1:])


def test_xlsx_export_writes_hostile_cells_as_strings() -> None:
    data = xlsx_bytes(sheets=[("s", ["=h", "n"], [[v, -4] for v in HOSTILE])])
    sheet = load_workbook(io.BytesIO(data)).active
    cells = list(sheet.iter_rows(values_only=False))
    assert cells[0][0].value == "'=h" and cells[0][0].data_type == "s"
    for row, value in zip(cells[1:], HOSTILE, strict=True):
        assert row[0].data_type == "s", value  # never "f": no formula is stored
        assert row[0].value == "'" + value  # no text begins a formula, even saved as CSV
        assert row[0].quotePrefix
        assert row[1].value == -4 and row[1].data_type == "n"


def test_xlsx_export_leaves_plain_cells_as_they_are() -> None:
    plain = ["Nguyễn Văn An", "a=b", "tỷ lệ -5%", 5, -3, 1.5]
    data = xlsx_bytes(sheets=[("s", ["h"], [[v] for v in plain])])
    values = [row[0] for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]
    assert values == ["h", *plain]


def test_every_sheet_of_a_workbook_is_neutralized() -> None:
    data = xlsx_bytes(sheets=[("a", ["x"], [["=1+1"]]), ("b", ["y"], [["@cmd"], ["-1-1"]])])
    workbook = load_workbook(io.BytesIO(data))
    texts = [
        c for sheet in workbook.worksheets for r in sheet.iter_rows(values_only=True) for c in r
    ]
    assert texts == ["x", "'=1+1", "y", "'@cmd", "'-1-1"]
