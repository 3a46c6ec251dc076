"""Columns, problems, and reading a CSV or XLSX file into a table of rows."""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from daihoi.core.archives import zip_problem
from daihoi.core.text import fold

UNIT_COLUMNS = ("code", "name", "level", "parent_code", "active_from", "active_until")
UNIT_REQUIRED = ("code", "name", "level", "active_from")
MEMBER_COLUMNS = (
    "member_code",
    "full_name",
    "birth_date",
    "gender",
    "ethnicity",
    "education",
    "political_theory",
    "date_joined",
    "status",
    "unit_code",
)
MEMBER_REQUIRED = ("member_code", "full_name", "birth_date", "gender", "date_joined", "unit_code")

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97–2003 (.xls) files start so

# The headers offices write, in Vietnamese, for each column; the first is the one the
# template uses. Matched with diacritics, case and punctuation ignored ("HỌ VÀ TÊN (*)").
UNIT_HEADERS_VI: dict[str, tuple[str, ...]] = {
    "code": ("Mã đơn vị",),
    "name": ("Tên đơn vị", "Tên tổ chức đảng"),
    "level": ("Cấp", "Cấp tổ chức"),
    "parent_code": ("Mã đơn vị cấp trên", "Mã cấp trên"),
    "active_from": ("Ngày thành lập", "Hoạt động từ ngày"),
    "active_until": ("Ngày giải thể", "Hoạt động đến ngày"),
}
MEMBER_HEADERS_VI: dict[str, tuple[str, ...]] = {
    "member_code": ("Mã đảng viên", "Số thẻ đảng viên", "Mã số đảng viên"),
    "full_name": ("Họ và tên", "Họ tên"),
    "birth_date": ("Ngày sinh", "Ngày tháng năm sinh"),
    "gender": ("Giới tính",),
    "ethnicity": ("Dân tộc",),
    "education": ("Trình độ học vấn", "Học vấn", "Trình độ chuyên môn"),
    "political_theory": ("Lý luận chính trị", "Trình độ lý luận chính trị"),
    "date_joined": ("Ngày vào Đảng", "Ngày kết nạp", "Ngày kết nạp Đảng"),
    "status": ("Tình trạng", "Trạng thái"),
    "unit_code": ("Mã đơn vị", "Mã chi bộ"),
}
# A header row is the first of the file's top rows that names this many known columns.
HEADER_SEARCH_ROWS = 30
HEADER_MIN_KNOWN = 2

# SQLite allows 32,766 variables per statement; PostgreSQL more. Stay well below both.
LOOKUP_CHUNK = 900


@dataclass(frozen=True)
class Problem:
    """What is wrong where: `row` 1 is the header, `column` is "" for the whole row or file."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Row %(row)s, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


class ImportRejected(ValidationError):
    """The file has problems; nothing was written. `problems` lists every one of them."""

    def __init__(self, problems: Sequence[Problem], *, total: int | None = None) -> None:
        self.problems = list(problems)
        self.total = total if total is not None else len(self.problems)  # listed or not
        count = self.total
        super().__init__(
            {
                "file": translation.ngettext(
                    "The file has %(count)d problem; nothing was imported.",
                    "The file has %(count)d problems; nothing was imported.",
                    count,
                )
                % {"count": count}
            }
        )


@dataclass
class Table:
    """A file's rows as text, keyed by the (normalized) header names."""

    filename: str
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    formulas: set[tuple[int, str]] = field(default_factory=set)  # (row, column) of formulas
    header_row: int = 1

    def with_aliases(self, aliases: dict[str, tuple[str, ...]]) -> Table:
        """The table with Vietnamese headers renamed to the column codes they stand for."""
        rename = {header_key(label): code for code, labels in aliases.items() for label in labels}
        if not any(h in rename for h in self.headers):
            return self
        headers = [rename.get(h, h) for h in self.headers]
        return Table(
            filename=self.filename,
            headers=headers,
            rows=[(n, {rename.get(k, k): v for k, v in row.items()}) for n, row in self.rows],
            formulas={(n, rename.get(c, c)) for n, c in self.formulas},
            header_row=self.header_row,
        )


def header_key(value: str) -> str:
    """A header as a column key: "Họ và tên (*)" -> "ho_va_ten", "member_code" unchanged."""
    return re.sub(r"[^a-z0-9]+", "_", fold(value)).strip("_")


KNOWN_HEADERS = frozenset(
    [*UNIT_COLUMNS, *MEMBER_COLUMNS]
    + [header_key(label) for table in (UNIT_HEADERS_VI, MEMBER_HEADERS_VI)
       for labels in table.values() for label in labels]
)  # fmt: skip


# --- reading ---------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class Formula:
    """A cell that holds a formula: imports take values, never formulas."""

    def __init__(self, text: str) -> None:
        self.text = text


def _find_header(lines: Iterator[Sequence[Any]]) -> tuple[int, Sequence[Any]]:
    """The header row and its number: the first top row that names known columns, so a title
    block above the table is skipped; the first non-blank row when none does."""
    seen: list[tuple[int, Sequence[Any]]] = []
    for number, line in enumerate(lines, start=1):
        keys = {header_key(_cell_text(v)) for v in line if not isinstance(v, Formula)}
        if len(keys & KNOWN_HEADERS) >= HEADER_MIN_KNOWN:
            return number, line
        seen.append((number, line))
        if number >= HEADER_SEARCH_ROWS:
            break
    for number, line in seen:
        if any(_cell_text(v) for v in line if not isinstance(v, Formula)):
            return number, line
    raise ImportRejected([Problem(1, "", _("The file is empty."))])


def _build_table(filename: str, lines: Iterator[Sequence[Any]], *, text: bool = False) -> Table:
    return next(iter_tables(filename, lines, chunk=None, text=text))


def iter_tables(
    filename: str, lines: Iterator[Sequence[Any]], *, chunk: int | None, text: bool = False
) -> Iterator[Table]:
    """The file's rows as tables of at most `chunk` rows each (all in one when None), each
    with the same headers and the spreadsheet's row numbers: a large file is checked and
    loaded chunk by chunk in bounded memory. `text` says every cell is a string (a CSV),
    which skips the conversions a spreadsheet's cells need."""
    buffered: list[Sequence[Any]] = []

    def top() -> Iterator[Sequence[Any]]:
        for line in lines:
            buffered.append(line)
            yield line

    header_number, header = _find_header(top())
    headers = [header_key(_cell_text(h)) for h in header]
    while headers and not headers[-1]:
        headers.pop()
    table = Table(filename=filename, headers=headers, header_row=header_number)
    width = len(headers)
    rest = itertools.chain(buffered[header_number:], lines)
    buffered.clear()  # the top rows are in `rest` now
    for number, line in enumerate(rest, start=header_number + 1):
        if chunk is not None and len(table.rows) >= chunk:
            yield table
            table = Table(filename=filename, headers=headers, header_row=header_number)
        cells: list[str]
        if text:
            cells = [value.strip() for value in line[:width]]
            if not any(cells):
                continue  # blank lines between rows are harmless
            if len(cells) < width:
                cells += [""] * (width - len(cells))
            table.rows.append((number, dict(zip(headers, cells, strict=True))))
            continue
        cells = []
        for column, value in zip(headers, line[:width], strict=False):
            if isinstance(value, Formula):
                table.formulas.add((number, column))
                cells.append("")
            else:
                cells.append(_cell_text(value))
        if not any(cells) and not any((number, c) in table.formulas for c in headers):
            continue  # blank lines between rows are harmless
        cells += [""] * (width - len(cells))
        table.rows.append((number, dict(zip(headers, cells, strict=True))))
    yield table


def iter_csv_tables(stream: IO[bytes], filename: str, *, chunk: int) -> Iterator[Table]:
    """A UTF-8 CSV read from a binary stream, row by row, as tables of `chunk` rows."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        first = text.readline()
    except UnicodeDecodeError:
        raise ImportRejected(
            [Problem(1, "", _("The file is not UTF-8 text. Save it as “CSV UTF-8” and retry."))]
        ) from None
    lines = itertools.chain([first], text)
    reader = csv.reader(lines, delimiter=_sniff_delimiter(first))
    try:
        yield from iter_tables(filename, iter(reader), chunk=chunk, text=True)
    except UnicodeDecodeError:
        raise ImportRejected(
            [
                Problem(
                    reader.line_num,
                    "",
                    _("The file is not UTF-8 text. Save it as “CSV UTF-8” and retry."),
                )
            ]
        ) from None
    except csv.Error as error:
        raise ImportRejected(
            [Problem(reader.line_num, "", _("The CSV is malformed: %(e)s") % {"e": error})]
        ) from None


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(data: bytes, filename: str) -> Table:
    try:
        text = data.decode("utf-8-sig")  # strips the BOM spreadsheet programs write
    except UnicodeDecodeError:
        raise ImportRejected(
            [Problem(1, "", _("The file is not UTF-8 text. Save it as “CSV UTF-8” and retry."))]
        ) from None
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first))
    try:
        return _build_table(filename, iter(reader), text=True)
    except csv.Error as error:
        raise ImportRejected(
            [Problem(reader.line_num, "", _("The CSV is malformed: %(e)s") % {"e": error})]
        ) from None


def read_xlsx(data: bytes, filename: str) -> Table:
    from openpyxl import load_workbook

    if zip_problem(data) not in (None, "not_zip"):
        raise ImportRejected(
            [Problem(1, "", _("The workbook unpacks to far more than a table holds; refused."))]
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise ImportRejected(
            [Problem(1, "", _("The file cannot be read as an Excel workbook (.xlsx)."))]
        ) from None
    try:
        sheet = workbook.worksheets[0]
        return _build_table(filename, _xlsx_values(sheet))
    finally:
        workbook.close()


def _xlsx_values(sheet: Any) -> Iterator[list[Any]]:
    """Cell values, with formulas marked as such (the workbook is read without cached values,
    which a file saved by a program other than a spreadsheet does not have)."""
    for row in sheet.iter_rows():
        yield [
            Formula(str(cell.value)) if getattr(cell, "data_type", None) == "f" else cell.value
            for cell in row
        ]


def read_xls(data: bytes, filename: str) -> Table:
    """A legacy Excel 97–2003 workbook (.xls), read with calamine."""
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception:  # calamine raises its own kinds for a damaged or foreign file
        raise ImportRejected(
            [Problem(1, "", _("The file cannot be read as an Excel 97–2003 workbook (.xls)."))]
        ) from None
    return _build_table(filename, iter(rows))


def read_table(data: bytes, filename: str) -> Table:
    """Parse an uploaded file: XLSX or XLS by its name or signature, CSV otherwise."""
    limit = int(settings.DAIHOI_MAX_IMPORT_BYTES)
    if len(data) > limit:
        raise ImportRejected(
            [
                Problem(
                    0,
                    "",
                    _("The file is larger than %(mb)d MB, the limit for an import.")
                    % {"mb": limit // (1024 * 1024)},
                )
            ]
        )
    lower = filename.lower()
    if lower.endswith(".xls") or data[:8] == OLE_SIGNATURE:
        return read_xls(data, filename)
    if lower.endswith((".xlsx", ".xlsm")) or (data[:2] == b"PK" and not lower.endswith(".csv")):
        return read_xlsx(data, filename)
    return read_csv(data, filename)
