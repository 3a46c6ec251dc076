"""Reading an uploaded XLSX sheet as rows of cell values (the first sheet)."""

from __future__ import annotations

import io
from typing import Any


class NotASpreadsheet(ValueError):
    """The bytes are not an XLSX workbook."""


def xlsx_rows(content: bytes) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise NotASpreadsheet(str(error)) from error
    return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
