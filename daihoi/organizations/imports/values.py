"""Values in rows: dates, choices, units the actor may see, what is already in the database."""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from daihoi.accounts.authority import scope_paths
from daihoi.accounts.models import Role
from daihoi.core.text import fold
from daihoi.organizations.imports.table import LOOKUP_CHUNK, Problem, Table
from daihoi.organizations.models import Unit

_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y")
_DATE_SHAPE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$")


@functools.lru_cache(maxsize=65536)  # a column of dates holds few distinct values
def parse_date(value: str) -> datetime.date | None:
    value = value.strip()
    if " " in value:  # "1980-02-03 00:00:00" from a spreadsheet cell formatted as text
        value = value.split(" ", 1)[0]
    if not _DATE_SHAPE.match(value):
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def not_a_date(value: str) -> str:
    return _("%(value)s is not a date (use YYYY-MM-DD or DD/MM/YYYY)") % {"value": value}


def choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    """Folded code or label (in Vietnamese, English or German) -> code."""
    lookup: dict[str, str] = {}
    for value, label in zip(choices.values, choices.labels, strict=True):
        lookup[fold(value)] = value
        for language in ("en", "vi", "de"):
            with translation.override(language):
                lookup.setdefault(fold(str(label)), value)
    return lookup


class Choice:
    def __init__(self, column: str, choices: type[models.TextChoices], default: str) -> None:
        self.column = column
        self.lookup = choice_lookup(choices)
        self.codes = ", ".join(choices.values)
        self.default = default
        self._seen: dict[str, str | None] = {}

    def clean(self, value: str) -> str | None:
        if not value:
            return self.default
        if value not in self._seen:  # a column holds few distinct values; fold each once
            self._seen[value] = self.lookup.get(fold(value))
        return self._seen[value]

    def problem(self, value: str) -> str:
        return _("%(value)s is not a known value; use one of: %(codes)s") % {
            "value": value,
            "codes": self.codes,
        }


# --- units of the database, as the actor may see them -----------------------------------


@dataclass(frozen=True)
class KnownUnit:
    pk: int
    path: str
    level: str
    active: bool


class UnitIndex:
    """Every unit's code, path and level, loaded once; answers for the actor's area only."""

    def __init__(self, *, actor: Any, within: Unit | None) -> None:
        self.units = {
            code: KnownUnit(pk, path, level, until is None)
            for code, pk, path, level, until in Unit.objects.values_list(
                "code", "pk", "path", "level", "active_until"
            )
        }
        self.paths = scope_paths(actor, roles=[Role.ORGANIZER])
        self.within = within.path if within is not None else ""

    def allowed(self, path: str) -> bool:
        if not path.startswith(self.within):
            return False
        return self.paths is None or any(path.startswith(p) for p in self.paths)

    def may_create_roots(self) -> bool:
        return self.paths is None and not self.within

    def get(self, code: str) -> KnownUnit | None:
        """The unit if it exists and lies in the actor's area; None says neither which."""
        unit = self.units.get(code)
        return unit if unit is not None and self.allowed(unit.path) else None

    def exists(self, code: str) -> bool:
        return code in self.units

    def unknown(self, code: str) -> str:
        if self.paths is None and not self.within:
            return _("There is no unit with code %(code)s.") % {"code": code}
        return _("Unit %(code)s is unknown or not in your area.") % {"code": code}


def missing_columns(table: Table, required: Iterable[str]) -> list[Problem]:
    missing = [c for c in required if c not in table.headers]
    if not missing:
        if not table.rows:
            return [Problem(1, "", _("The file has no rows below the header."))]
        return []
    return [
        Problem(
            1,
            "",
            _("Missing columns: %(missing)s. The header row must name: %(columns)s.")
            % {"missing": ", ".join(missing), "columns": ", ".join(required)},
        )
    ]


def existing_values(model: type[models.Model], field_name: str, values: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(values), LOOKUP_CHUNK):
        chunk = values[start : start + LOOKUP_CHUNK]
        found.update(
            model._default_manager.filter(**{f"{field_name}__in": chunk}).values_list(
                field_name, flat=True
            )
        )
    return found


def with_formula_problems(table: Table, problems: list[Problem]) -> list[Problem]:
    """A formula cell is reported as such, not by what its empty value seems to lack."""
    if not table.formulas:
        return problems
    kept = [p for p in problems if (p.row, p.column) not in table.formulas]
    formulas = [
        Problem(row, column, _("A formula is not allowed; type or paste the value itself."))
        for row, column in sorted(table.formulas)
        if column
    ]
    return sorted(kept + formulas, key=lambda p: p.row)


def text_of(row: dict[str, str], column: str) -> str:
    return row.get(column, "").strip()


def common_path(paths: Iterable[str]) -> str:
    """The path of the lowest unit above all of `paths` (whole steps only)."""
    prefix: str | None = None
    for path in paths:
        if prefix is None:
            prefix = path
            continue
        i = 0
        while i < min(len(prefix), len(path)) and prefix[i] == path[i]:
            i += 1
        prefix = prefix[: i - i % Unit.steplen]
    return prefix or ""
