"""Reading and checking XLSX and CSV files of units and members before anything is written.

`read_table` turns a file into rows; `check_units` and `check_members` collect every problem
as (row number, column, message) in the user's language, so one upload shows all that is
wrong. The actions `units_import` and `members_import` write only a file without problems.
Row numbers are the spreadsheet's: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from daihoi.accounts.models import Role
from daihoi.accounts.queries import scope_paths
from daihoi.core.text import fold, nfc
from daihoi.organizations.models import Person, Unit
from daihoi.rulebooks.loader import load_rulebook

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
    lower = filename.lower()
    if lower.endswith((".xlsx", ".xlsm")) or (data[:2] == b"PK" and not lower.endswith(".csv")):
        return read_xlsx(data, filename)
    return read_csv(data, filename)


# --- values ----------------------------------------------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y")
_DATE_SHAPE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$")


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


def _not_a_date(value: str) -> str:
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


class _Choice:
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
        self.paths = None if actor is None else scope_paths(actor, roles=[Role.ORGANIZER])
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


def _missing_columns(table: Table, required: Iterable[str]) -> list[Problem]:
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


def _existing_values(model: type[models.Model], field_name: str, values: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(values), LOOKUP_CHUNK):
        chunk = values[start : start + LOOKUP_CHUNK]
        found.update(
            model._default_manager.filter(**{f"{field_name}__in": chunk}).values_list(
                field_name, flat=True
            )
        )
    return found


def _text(row: dict[str, str], column: str) -> str:
    return row.get(column, "").strip()


# --- units -----------------------------------------------------------------------------


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
    problems = _missing_columns(table, UNIT_REQUIRED)
    if problems:
        return [], problems
    levels = {level.code: level for level in load_rulebook(settings.DAIHOI_DEFAULT_RULEBOOK).levels}
    index = UnitIndex(actor=actor, within=within)
    codes = [_text(r, "code") for _n, r in table.rows]
    taken = _existing_values(Unit, "code", [c for c in codes if c])
    later = {code: number for (number, _r), code in zip(table.rows, codes, strict=True)}
    in_file: dict[str, str] = {}  # code -> level, for rows already read
    result: list[UnitRow] = []
    for number, row in table.rows:
        errors: list[Problem] = []
        code = _text(row, "code")
        name = nfc(row.get("name", ""))
        level = _text(row, "level")
        parent_code = _text(row, "parent_code")
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
        active_from = parse_date(_text(row, "active_from"))
        if active_from is None:
            raw = _text(row, "active_from")
            errors.append(
                Problem(
                    number,
                    "active_from",
                    _not_a_date(raw) if raw else _("A start date is required."),
                )
            )
        until_raw = _text(row, "active_until")
        active_until = parse_date(until_raw) if until_raw else None
        if until_raw and active_until is None:
            errors.append(Problem(number, "active_until", _not_a_date(until_raw)))
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


# --- members ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    row: int
    member_code: str
    full_name: str
    birth_date: datetime.date
    gender: str
    ethnicity: str
    education: str
    political_theory: str
    date_joined: datetime.date
    status: str
    unit_id: int
    unit_path: str


def check_members(
    table: Table, *, actor: Any, within: Unit | None = None
) -> tuple[list[MemberRow], list[Problem]]:
    """Check a members file against the units the actor may import into."""
    problems = _missing_columns(table, MEMBER_REQUIRED)
    if problems:
        return [], problems
    index = UnitIndex(actor=actor, within=within)
    gender = _Choice("gender", Person.Gender, "")
    education = _Choice("education", Person.Education, Person.Education.SECONDARY)
    theory = _Choice("political_theory", Person.PoliticalTheory, Person.PoliticalTheory.NONE)
    status = _Choice("status", Person.Status, Person.Status.ACTIVE)
    codes = [_text(r, "member_code") for _n, r in table.rows]
    taken = _existing_values(Person, "member_code", [c for c in codes if c])
    seen: dict[str, int] = {}
    result: list[MemberRow] = []
    for (number, row), code in zip(table.rows, codes, strict=True):
        before = len(problems)
        full_name = nfc(row.get("full_name", ""))
        if not code:
            problems.append(Problem(number, "member_code", _("A member code is required.")))
        elif len(code) > 32:
            problems.append(
                Problem(number, "member_code", _("A member code has at most 32 characters."))
            )
        elif code in seen:
            problems.append(
                Problem(
                    number,
                    "member_code",
                    _("Member code %(code)s also appears in row %(row)s.")
                    % {"code": code, "row": seen[code]},
                )
            )
        elif code in taken:
            problems.append(
                Problem(
                    number,
                    "member_code",
                    _("Member code %(code)s is already in use.") % {"code": code},
                )
            )
        seen.setdefault(code, number)
        if not full_name:
            problems.append(Problem(number, "full_name", _("A full name is required.")))
        elif len(full_name) > 200:
            problems.append(Problem(number, "full_name", _("A name has at most 200 characters.")))
        dates: dict[str, datetime.date] = {}
        for column in ("birth_date", "date_joined"):
            raw = _text(row, column)
            parsed = parse_date(raw)
            if parsed is None:
                message = _not_a_date(raw) if raw else _("A date is required.")
                problems.append(Problem(number, column, message))
            else:
                dates[column] = parsed
        if len(dates) == 2 and dates["date_joined"] <= dates["birth_date"]:
            problems.append(
                Problem(number, "date_joined", _("The date joined is not after the birth date."))
            )
        values: dict[str, str] = {}
        for choice in (gender, education, theory, status):
            raw = _text(row, choice.column)
            cleaned = choice.clean(raw)
            if not cleaned:
                message = choice.problem(raw) if raw else _("A value is required.")
                problems.append(Problem(number, choice.column, message))
            else:
                values[choice.column] = cleaned
        ethnicity = nfc(row.get("ethnicity", "")) or "Kinh"
        if len(ethnicity) > 60:
            problems.append(
                Problem(number, "ethnicity", _("An ethnicity has at most 60 characters."))
            )
        unit_code = _text(row, "unit_code")
        unit = index.get(unit_code) if unit_code else None
        if not unit_code:
            problems.append(Problem(number, "unit_code", _("A unit code is required.")))
        elif unit is None:
            problems.append(Problem(number, "unit_code", index.unknown(unit_code)))
        elif not unit.active:
            problems.append(
                Problem(number, "unit_code", _("Unit %(code)s is closed.") % {"code": unit_code})
            )
        if len(problems) == before and unit is not None:
            result.append(
                MemberRow(
                    row=number,
                    member_code=code,
                    full_name=full_name,
                    birth_date=dates["birth_date"],
                    gender=values["gender"],
                    ethnicity=ethnicity,
                    education=values["education"],
                    political_theory=values["political_theory"],
                    date_joined=dates["date_joined"],
                    status=values["status"],
                    unit_id=unit.pk,
                    unit_path=unit.path,
                )
            )
    return result, problems


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
