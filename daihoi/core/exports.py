"""The one export helper: a table to XLSX or CSV, streamed so large subtrees fit in memory.

Every cell goes through `safe_cell`: a text starting with `=`, `+`, `-`, `@`, a tab or a
carriage return would be run as a formula by a spreadsheet program (formula injection from,
say, an anonymous public comment), so it is written as text with a leading apostrophe, in CSV
and XLSX alike. In XLSX it is moreover an explicit string cell with the quote-prefix style, so
the text stays text when the sheet is edited, saved as CSV or pasted elsewhere.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """`value` as a spreadsheet must see it: a text that could start a formula is quoted.

    Numbers, dates and booleans are left alone (a negative number is a number, not a formula).
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _safe_row(row: Sequence[Any]) -> list[Any]:
    return ["" if v is None else safe_cell(v) for v in row]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(
    *, filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterable[str]:
        yield "\ufeff"  # spreadsheet programs read UTF-8 CSV correctly with a BOM
        yield writer.writerow(_safe_row(headers))
        for row in rows:
            yield writer.writerow(_safe_row(row))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _xlsx_row(sheet: Any, row: Sequence[Any]) -> list[Any]:
    """Cells of one row; a text that could start a formula is quoted (`safe_cell`) and
    written as an explicit string cell with the quote-prefix style."""
    cells: list[Any] = []
    for value in row:
        if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
            cell = WriteOnlyCell(sheet, value=safe_cell(value))
            cell.data_type = "s"  # never "f": no formula is stored
            cell.quotePrefix = True
            cells.append(cell)
        else:
            cells.append(value)
    return cells


def xlsx_bytes(*, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """Write sheets of (title, headers, rows) in openpyxl's write-only mode."""
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(_xlsx_row(sheet, headers))
        for row in rows:
            sheet.append(_xlsx_row(sheet, row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_response(
    content: bytes | str, *, filename: str, content_type: str, inline: bool = False
) -> HttpResponse:
    """A file for the browser: downloaded, or shown in it when `inline` (a PDF to print)."""
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def pdf_response(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    """A PDF shown in the browser (to print), or downloaded when not `inline`."""
    return file_response(content, filename=filename, content_type="application/pdf", inline=inline)


def xlsx_response(
    *, filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], sheet: str = "data"
) -> HttpResponse:
    body = xlsx_bytes(sheets=[(sheet, headers, rows)])
    return file_response(body, filename=f"{filename}.xlsx", content_type=XLSX_TYPE)


def table_response(
    *, fmt: str, filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse | StreamingHttpResponse:
    if fmt == "csv":
        return csv_response(filename=filename, headers=headers, rows=rows)
    return xlsx_response(filename=filename, headers=headers, rows=rows)
