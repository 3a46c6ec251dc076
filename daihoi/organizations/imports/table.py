"""Columns, problems, and reading a CSV or XLSX file into a table of rows."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from daihoi.core.archives import zip_problem
from daihoi.core.text import nfc

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

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
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


def _header_name(value: str) -> str:
    return nfc(value).lower().replace(" ", "_")


def _build_table(filename: str, lines: Iterator[Sequence[Any]]) -> Table:
    header = next(lines, None)
    if header is None:
        raise ImportRejected([Problem(1, "", _("The file is empty."))])
    headers = [_header_name(_cell_text(h)) for h in header]
    while headers and not headers[-1]:
        headers.pop()
    table = Table(filename=filename, headers=headers)
    width = len(headers)
    for number, line in enumerate(lines, start=2):
        cells = [_cell_text(v) for v in line[:width]]
        if not any(cells):
            continue  # blank lines between rows are harmless
        cells += [""] * (width - len(cells))
        table.rows.append((number, dict(zip(headers, cells, strict=True))))
    return table


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
        return _build_table(filename, iter(reader))
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
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise ImportRejected(
            [Problem(1, "", _("The file cannot be read as an Excel workbook (.xlsx)."))]
        ) from None
    try:
        sheet = workbook.worksheets[0]
        return _build_table(filename, sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


def read_table(data: bytes, filename: str) -> Table:
    """Parse an uploaded file: XLSX by its name or signature, CSV otherwise."""
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
    if lower.endswith((".xlsx", ".xlsm")) or (data[:2] == b"PK" and not lower.endswith(".csv")):
        return read_xlsx(data, filename)
    return read_csv(data, filename)
