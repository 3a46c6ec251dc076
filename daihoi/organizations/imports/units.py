"""Checking a file of units."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from daihoi.core.text import nfc
from daihoi.organizations.imports.table import (
    LOOKUP_CHUNK,
    UNIT_HEADERS_VI,
    UNIT_REQUIRED,
    Problem,
    Table,
)
from daihoi.organizations.imports.values import (
    UnitIndex,
    missing_columns,
    not_a_date,
    parse_date,
    text_of,
    with_formula_problems,
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


def _existing_units(codes: list[str]) -> dict[str, tuple[str, str, str, Any, Any]]:
    """code -> (name, level, parent code, active_from, active_until) of units in the database."""
    found: dict[str, tuple[str, str, str, Any, Any]] = {}
    parents: dict[str, str] = {}
    for start in range(0, len(codes), LOOKUP_CHUNK):
        for code, name, level, path, since, until in Unit.objects.filter(
            code__in=codes[start : start + LOOKUP_CHUNK]
        ).values_list("code", "name", "level", "path", "active_from", "active_until"):
            parents[code] = path[: -Unit.steplen]
            found[code] = (name, level, path, since, until)
    parent_codes = dict(
        Unit.objects.filter(path__in=set(parents.values())).values_list("path", "code")
    )
    return {
        code: (name, level, parent_codes.get(parents[code], ""), since, until)
        for code, (name, level, _path, since, until) in found.items()
    }


def check_units(
    table: Table, *, actor: Any, within: Unit | None = None
) -> tuple[list[UnitRow], list[Problem]]:
    """Check a units file. Parents may exist already or come earlier in the file.

    A row for a unit already in the database, in the actor's area and exactly as it is there,
    is left as it is (a unit's export imports again); a unit that differs is refused, since
    renaming or moving a unit is a reorganization.
    """
    table = table.with_aliases(UNIT_HEADERS_VI)
    problems = missing_columns(table, UNIT_REQUIRED)
    if problems:
        return [], problems
    levels = {level.code: level for level in load_rulebook(settings.DAIHOI_DEFAULT_RULEBOOK).levels}
    index = UnitIndex(actor=actor, within=within)
    codes = [text_of(r, "code") for _n, r in table.rows]
    taken = _existing_units([c for c in codes if c])
    kept: set[str] = set()  # rows for units already in the database, unchanged
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
        elif code in in_file or code in kept:
            errors.append(
                Problem(
                    number, "code", _("Code %(code)s appears twice in the file.") % {"code": code}
                )
            )
        elif code in taken and index.get(code) is None:
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
            if code != within.code:  # the unit's own row in its export stays where it is
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
        if code in taken and not errors:
            as_read = (name, level, _parent_as_read(code, parent_code, within), active_from,
                       active_until)  # fmt: skip
            if as_read == taken[code]:
                kept.add(code)
                continue
            errors.append(
                Problem(
                    number,
                    "code",
                    _("Unit %(code)s exists with other data; rename, move or close it on its "
                      "page.") % {"code": code},
                )
            )  # fmt: skip
        if code and code not in in_file and code not in taken:
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
    return result, with_formula_problems(table, problems)


def _parent_as_read(code: str, parent_code: str, within: Unit | None) -> str:
    """The parent a row names: its parent_code, or the unit imported into when blank (the
    unit's own row in its export has no parent_code)."""
    if parent_code:
        return parent_code
    if within is None:
        return ""  # a root
    if code == within.code:
        return _parent_code_of(within)  # the unit's own row
    return within.code


def _parent_code_of(unit: Unit) -> str:
    parent = Unit.objects.filter(path=unit.path[: -Unit.steplen]).values_list("code", flat=True)
    return parent.first() or ""
