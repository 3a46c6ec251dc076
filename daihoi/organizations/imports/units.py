"""Checking a file of units."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from daihoi.core.text import nfc
from daihoi.organizations.imports.table import UNIT_REQUIRED, Problem, Table
from daihoi.organizations.imports.values import (
    UnitIndex,
    existing_values,
    missing_columns,
    not_a_date,
    parse_date,
    text_of,
)
from daihoi.organizations.models import Unit
from daihoi.rulebooks.loader import load_rulebook


@dataclass(frozen=True)
class UnitRow:
    row: int
    code: str
    name: str
    level: str
    parent_code: str  # "" = under `within`, or a new root
    parent_in_file: bool
    active_from: datetime.date
    active_until: datetime.date | None


def check_units(
    table: Table, *, actor: Any, within: Unit | None = None
) -> tuple[list[UnitRow], list[Problem]]:
    """Check a units file. Parents may exist already or come earlier in the file."""
    problems = missing_columns(table, UNIT_REQUIRED)
    if problems:
        return [], problems
    levels = {level.code: level for level in load_rulebook(settings.DAIHOI_DEFAULT_RULEBOOK).levels}
    index = UnitIndex(actor=actor, within=within)
    codes = [text_of(r, "code") for _n, r in table.rows]
    taken = existing_values(Unit, "code", [c for c in codes if c])
    later = {code: number for (number, _r), code in zip(table.rows, codes, strict=True)}
    in_file: dict[str, str] = {}  # code -> level, for rows already read
    result: list[UnitRow] = []
    for number, row in table.rows:
        errors: list[Problem] = []
        code = text_of(row, "code")
        name = nfc(row.get("name", ""))
        level = text_of(row, "level")
        parent_code = text_of(row, "parent_code")
        if not code:
            errors.append(Problem(number, "code", _("A unit needs a code.")))
        elif len(code) > 40:
            errors.append(Problem(number, "code", _("A code has at most 40 characters.")))
        elif code in in_file:
            errors.append(
                Problem(
                    number, "code", _("Code %(code)s appears twice in the file.") % {"code": code}
                )
            )
        elif code in taken:
            errors.append(
                Problem(number, "code", _("A unit with code %(code)s exists.") % {"code": code})
            )
        if not name:
            errors.append(Problem(number, "name", _("A unit needs a name.")))
        elif len(name) > 255:
            errors.append(Problem(number, "name", _("A name has at most 255 characters.")))
        if level not in levels:
            errors.append(
                Problem(
                    number,
                    "level",
                    _("%(value)s is not a level of the rulebook; use one of: %(codes)s")
                    % {"value": level or "—", "codes": ", ".join(levels)},
                )
            )
        parent_level: str | None = None
        parent_in_file = False
        if parent_code:
            if parent_code in in_file:
                parent_level, parent_in_file = in_file[parent_code], True
            elif (known := index.get(parent_code)) is not None:
                if not known.active:
                    errors.append(
                        Problem(
                            number,
                            "parent_code",
                            _("Unit %(code)s is closed.") % {"code": parent_code},
                        )
                    )
                parent_level = known.level
            elif parent_code in later and later[parent_code] > number:
                errors.append(
                    Problem(
                        number,
                        "parent_code",
                        _("The parent %(code)s must come before this row (row %(row)s).")
                        % {"code": parent_code, "row": later[parent_code]},
                    )
                )
            else:
                errors.append(Problem(number, "parent_code", index.unknown(parent_code)))
        elif within is not None:
            parent_level = within.level
        elif not index.may_create_roots():
            errors.append(
                Problem(number, "parent_code", _("Only an administrator adds a top-level unit."))
            )
        if parent_level is not None and level in levels:
            allowed = levels[level].parents
            if parent_level not in allowed:
                errors.append(
                    Problem(
                        number,
                        "level",
                        _("A unit of level %(level)s cannot be under one of level %(parent)s.")
                        % {"level": level, "parent": parent_level},
                    )
                )
        active_from = parse_date(text_of(row, "active_from"))
        if active_from is None:
            raw = text_of(row, "active_from")
            errors.append(
                Problem(
                    number,
                    "active_from",
                    not_a_date(raw) if raw else _("A start date is required."),
                )
            )
        until_raw = text_of(row, "active_until")
        active_until = parse_date(until_raw) if until_raw else None
        if until_raw and active_until is None:
            errors.append(Problem(number, "active_until", not_a_date(until_raw)))
        elif active_until and active_from and active_until < active_from:
            errors.append(
                Problem(number, "active_until", _("The end date is before the start date."))
            )
        if code and code not in in_file:
            in_file[code] = level
        if errors:
            problems.extend(errors)
        elif active_from is not None:
            result.append(
                UnitRow(
                    number,
                    code,
                    name,
                    level,
                    parent_code,
                    parent_in_file,
                    active_from,
                    active_until,
                )
            )
    return result, problems
