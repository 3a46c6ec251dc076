"""Tables for the XLSX exports (through `core.exports`) and the pool import's reader."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from daihoi.personnel import queries
from daihoi.personnel.messages import check_label, describe
from daihoi.personnel.models import Plan, PoolEntry

POOL_COLUMNS = ("member_code", "body", "entered_on")
MAX_ROWS = 5000


def plan_table(plan: Plan) -> tuple[list[str], list[list[Any]]]:
    headers = [
        _("Member code"),
        _("Full name"),
        _("Birth date"),
        _("Gender"),
        _("Re-election"),
        _("Hard standards"),
        _("Steps passed"),
        _("State"),
    ]
    rows = []
    for c in queries.plan_candidates(plan, include_removed=True):
        checks = queries.candidate_checks(c)
        rows.append(
            [
                c.person.member_code,
                c.person.full_name,
                c.person.birth_date,
                c.person.get_gender_display(),
                _("yes") if c.reelection else _("no"),
                "; ".join(
                    f"{check_label(k.code)}: {k.result.value} ({describe(k)})" for k in checks
                ),
                ", ".join(str(n) for n in sorted(queries.steps_passed(c))),
                c.get_removal_cause_display() if c.removed_at else plan.get_state_display(),
            ]
        )
    return headers, rows


def pool_table(entries: Iterable[PoolEntry]) -> tuple[list[str], list[list[Any]]]:
    headers = [*POOL_COLUMNS, _("Full name"), _("Term"), _("Removed on"), _("Cause")]
    rows = [
        [
            e.person.member_code,
            e.body,
            e.entered_on,
            e.person.full_name,
            e.cycle.name,
            e.removed_on,
            e.get_removal_cause_display() if e.removed_on else "",
        ]
        for e in entries
    ]
    return headers, rows


def read_pool_rows(upload: UploadedFile) -> list[dict[str, str]]:
    """The rows of an uploaded XLSX (first sheet; columns member_code, body, entered_on)."""
    try:
        workbook = load_workbook(io.BytesIO(upload.read()), read_only=True, data_only=True)
    except Exception:
        raise ValidationError(
            {"file": _("The file is not a readable XLSX workbook.")}, code="file_unreadable"
        ) from None
    sheet = workbook.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header = [str(v or "").strip() for v in next(lines, ())]
    if any(col not in header for col in POOL_COLUMNS):
        raise ValidationError(
            {
                "file": _("The first row must name the columns %(cols)s.")
                % {"cols": ", ".join(POOL_COLUMNS)}
            },
            code="file_columns",
        )
    rows: list[dict[str, str]] = []
    for line in lines:
        if not any(v is not None and str(v).strip() for v in line):
            continue
        rows.append(
            {
                col: "" if line[header.index(col)] is None else str(line[header.index(col)])
                for col in POOL_COLUMNS
            }
        )
        if len(rows) > MAX_ROWS:
            raise ValidationError({"file": _("The file has too many rows.")}, code="file_too_long")
    return rows
