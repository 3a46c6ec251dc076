"""Checking a file of members."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from daihoi.core.text import nfc
from daihoi.organizations.imports.table import (
    LOOKUP_CHUNK,
    MEMBER_HEADERS_VI,
    MEMBER_REQUIRED,
    Problem,
    Table,
)
from daihoi.organizations.imports.values import (
    Choice,
    UnitIndex,
    missing_columns,
    not_a_date,
    parse_date,
    text_of,
    with_formula_problems,
)
from daihoi.organizations.models import Person, Unit


@dataclass(frozen=True, slots=True)
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
    existing_id: int | None = None  # the member already in the database, to update
    unchanged: bool = False  # the member is in the database exactly so


# What an imported row may change of a member already in the database.
UPDATABLE = ("full_name", "birth_date", "gender", "ethnicity", "education", "political_theory",
             "date_joined", "status")  # fmt: skip


def _existing_members(codes: list[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    fields = ("id", "member_code", "unit_id", "unit__code", "unit__path", *UPDATABLE)
    if connection.vendor == "postgresql":  # the codes as one array parameter: one query
        lookups: list[Any] = [RawSQL("SELECT unnest(%s::varchar[])", (codes,))] if codes else []
    else:
        lookups = [codes[i : i + LOOKUP_CHUNK] for i in range(0, len(codes), LOOKUP_CHUNK)]
    for lookup in lookups:
        for values in Person.objects.filter(member_code__in=lookup).values(*fields):
            found[values["member_code"]] = values
    return found


def check_members(
    table: Table, *, actor: Any, within: Unit | None = None, index: UnitIndex | None = None
) -> tuple[list[MemberRow], list[Problem]]:
    """Check a members file against the units the actor may import into.

    A member code already in the database is that member again when the member lies in the
    actor's area: the row updates them (or changes nothing), so a unit's export imports again.
    """
    table = table.with_aliases(MEMBER_HEADERS_VI)
    problems = missing_columns(table, MEMBER_REQUIRED)
    if problems:
        return [], problems
    index = index or UnitIndex(actor=actor, within=within)  # a stream checks chunk by chunk
    gender = Choice("gender", Person.Gender, "")
    education = Choice("education", Person.Education, Person.Education.SECONDARY)
    theory = Choice("political_theory", Person.PoliticalTheory, Person.PoliticalTheory.NONE)
    status = Choice("status", Person.Status, Person.Status.ACTIVE)
    codes = [text_of(r, "member_code") for _n, r in table.rows]
    taken = _existing_members([c for c in codes if c])
    seen: dict[str, int] = {}
    ethnicities: dict[str, str] = {}  # a column of few distinct values: each cleaned once
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
        elif code in taken and not index.allowed(taken[code]["unit__path"]):
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
            raw = text_of(row, column)
            parsed = parse_date(raw)
            if parsed is None:
                message = not_a_date(raw) if raw else _("A date is required.")
                problems.append(Problem(number, column, message))
            else:
                dates[column] = parsed
        if len(dates) == 2 and dates["date_joined"] <= dates["birth_date"]:
            problems.append(
                Problem(number, "date_joined", _("The date joined is not after the birth date."))
            )
        values: dict[str, str] = {}
        for choice in (gender, education, theory, status):
            raw = text_of(row, choice.column)
            cleaned = choice.clean(raw)
            if not cleaned:
                message = choice.problem(raw) if raw else _("A value is required.")
                problems.append(Problem(number, choice.column, message))
            else:
                values[choice.column] = cleaned
        raw_ethnicity = row.get("ethnicity", "")
        ethnicity = ethnicities.get(raw_ethnicity, "")
        if not ethnicity:
            ethnicity = ethnicities[raw_ethnicity] = nfc(raw_ethnicity) or "Kinh"
        if len(ethnicity) > 60:
            problems.append(
                Problem(number, "ethnicity", _("An ethnicity has at most 60 characters."))
            )
        unit_code = text_of(row, "unit_code")
        unit = index.get(unit_code) if unit_code else None
        if not unit_code:
            problems.append(Problem(number, "unit_code", _("A unit code is required.")))
        elif unit is None:
            problems.append(Problem(number, "unit_code", index.unknown(unit_code)))
        elif not unit.active:
            problems.append(
                Problem(number, "unit_code", _("Unit %(code)s is closed.") % {"code": unit_code})
            )
        existing = taken.get(code) if seen.get(code) == number else None
        if existing is not None and not index.allowed(existing["unit__path"]):
            existing = None  # refused above as a code in use
        if existing is not None and unit is not None and existing["unit_id"] != unit.pk:
            problems.append(
                Problem(
                    number,
                    "unit_code",
                    _("Member %(code)s belongs to unit %(unit)s; a move is a transfer, made on "
                      "the member's page.") % {"code": code, "unit": existing["unit__code"]},
                )
            )  # fmt: skip
        if len(problems) == before and unit is not None:
            fields = {
                "full_name": full_name,
                "birth_date": dates["birth_date"],
                "gender": values["gender"],
                "ethnicity": ethnicity,
                "education": values["education"],
                "political_theory": values["political_theory"],
                "date_joined": dates["date_joined"],
                "status": values["status"],
            }
            result.append(
                MemberRow(
                    existing_id=existing["id"] if existing else None,
                    unchanged=existing is not None
                    and all(existing[f] == fields[f] for f in UPDATABLE),
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
    return result, with_formula_problems(table, problems)
