"""The rulebook as a whole, its cross-reference checks, and problems named by their path."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from daihoi.rulebooks.schema._base import Cited, Code, Frozen, Names, RulebookId, Text
from daihoi.rulebooks.schema.after import EmulationRules, Transitions
from daihoi.rulebooks.schema.cases import ComplaintRules
from daihoi.rulebooks.schema.cycle import CongressType, Level, LevelSchedule, TypeAssignment
from daihoi.rulebooks.schema.elections import DelegateRules, ElectionRules
from daihoi.rulebooks.schema.personnel import PersonnelRules
from daihoi.rulebooks.schema.standards import AgeRules, RetirementRules, Standard, StructureTarget


@dataclass(frozen=True)
class Problem:
    """One invalid value: where it is and what is wrong with it."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class Rulebook(Frozen):
    id: RulebookId
    version: Annotated[str, StringConstraints(min_length=1)]
    title: Names
    effective_date: date
    supersedes: RulebookId | None = None
    sources: dict[str, Text] = {}  # full titles of the documents cited by short name
    levels: tuple[Level, ...] = Field(min_length=1)
    congress_types: tuple[CongressType, ...] = Field(min_length=1)
    type_assignment: TypeAssignment
    schedule: dict[Code, LevelSchedule]
    age: AgeRules
    retirement: RetirementRules
    standards: tuple[Cited[Standard], ...]
    structure: tuple[Cited[StructureTarget], ...]
    election: ElectionRules
    delegates: DelegateRules
    complaints: ComplaintRules
    personnel: PersonnelRules | None = None
    transitions: Transitions
    emulation: EmulationRules | None = None

    @model_validator(mode="after")
    def _check_references(self) -> Rulebook:
        problems = list(_reference_problems(self))
        if problems:
            raise PydanticCustomError(
                "rulebook_reference",
                "{summary}",
                {"summary": "; ".join(map(str, problems)), "problems": problems},
            )
        return self

    # Accessors -------------------------------------------------------------------------

    def level(self, code: str) -> Level:
        for level in self.levels:
            if level.code == code:
                return level
        raise KeyError(f"rulebook {self.id} has no level {code!r}")

    def congress_type(self, code: str) -> CongressType:
        for congress_type in self.congress_types:
            if congress_type.code == code:
                return congress_type
        raise KeyError(f"rulebook {self.id} has no congress type {code!r}")

    def congress_type_for(self, level_code: str, *, merged: bool = False) -> CongressType:
        """The congress type of a unit at `level_code`; `merged` for merged or new units."""
        self.level(level_code)
        assignment = self.type_assignment
        if merged and assignment.merged is not None:
            return self.congress_type(assignment.merged.value)
        return self.congress_type(assignment.by_level.get(level_code, assignment.default).value)

    def schedule_for(self, level_code: str) -> LevelSchedule:
        self.level(level_code)
        try:
            return self.schedule[level_code]
        except KeyError:
            raise KeyError(f"rulebook {self.id} has no schedule for {level_code!r}") from None

    def age_reference_date(self, level_code: str, unit_kind: str | None = None) -> date | None:
        """The date at which ages are counted for a congress at this level."""
        entry = self.schedule_for(level_code)
        if unit_kind is not None and unit_kind in entry.age_reference_by_unit_kind:
            return entry.age_reference_by_unit_kind[unit_kind].value
        return entry.age_reference_date.value if entry.age_reference_date else None

    def complaint_resolution_days(self, level_code: str) -> int:
        return self.complaints.resolution_days_by_level[level_code].value

    def cited_values(self) -> Iterator[tuple[str, Cited[Any]]]:
        """Every cited value with its dotted path, in file order."""
        yield from _walk_cited(self, "")

    def unverified_paths(self) -> list[str]:
        return [path for path, cited in self.cited_values() if cited.unverified]


def _walk_cited(node: object, path: str) -> Iterator[tuple[str, Cited[Any]]]:
    if isinstance(node, Cited):
        yield path, node
        return
    children: Iterator[tuple[str, object]]
    if isinstance(node, BaseModel):
        children = (
            (f"{path}.{name}" if path else name, getattr(node, name))
            for name in type(node).model_fields
        )
    elif isinstance(node, dict):
        children = ((f"{path}.{key}", value) for key, value in node.items())
    elif isinstance(node, tuple):
        children = ((f"{path}[{index}]", value) for index, value in enumerate(node))
    else:
        return
    for child_path, child in children:
        yield from _walk_cited(child, child_path)


def _reference_problems(book: Rulebook) -> Iterator[Problem]:
    ranks: dict[str, int] = {}
    for index, level in enumerate(book.levels):
        path = f"levels[{index}]"
        if level.code in ranks:
            yield Problem(f"{path}.code", f"duplicate level {level.code!r}")
        if ranks and level.rank <= max(ranks.values()):
            yield Problem(f"{path}.rank", "levels must be listed top to bottom with rising rank")
        ranks[level.code] = level.rank
    for index, level in enumerate(book.levels):
        path = f"levels[{index}]"
        if index > 0 and not level.parents:
            yield Problem(f"{path}.parents", f"level {level.code!r} needs an allowed parent")
        for p_index, parent in enumerate(level.parents):
            if parent not in ranks:
                yield Problem(f"{path}.parents[{p_index}]", f"unknown level {parent!r}")
            elif ranks[parent] >= level.rank:
                yield Problem(f"{path}.parents[{p_index}]", f"{parent!r} is not above it")

    type_codes: set[str] = set()
    for index, congress_type in enumerate(book.congress_types):
        if congress_type.code in type_codes:
            yield Problem(f"congress_types[{index}].code", f"duplicate {congress_type.code!r}")
        type_codes.add(congress_type.code)

    def type_ref(path: str, cited: Cited[str]) -> Iterator[Problem]:
        if cited.value not in type_codes:
            yield Problem(f"{path}.value", f"unknown congress type {cited.value!r}")

    assignment = book.type_assignment
    yield from type_ref("type_assignment.default", assignment.default)
    if assignment.merged is not None:
        yield from type_ref("type_assignment.merged", assignment.merged)
    for level_code, cited in assignment.by_level.items():
        yield from _level_ref(f"type_assignment.by_level.{level_code}", level_code, ranks)
        yield from type_ref(f"type_assignment.by_level.{level_code}", cited)

    for level_code, entry in book.schedule.items():
        path = f"schedule.{level_code}"
        yield from _level_ref(path, level_code, ranks)
        if entry.earliest.value > entry.latest.value:
            yield Problem(
                f"{path}.earliest",
                f"earliest {entry.earliest.value} is after latest {entry.latest.value}",
            )
        if entry.max_duration_days is not None and entry.max_duration_days.value <= 0:
            yield Problem(f"{path}.max_duration_days.value", "must be positive")
    for level_code in ranks:
        if level_code not in book.schedule:
            yield Problem("schedule", f"missing an entry for level {level_code!r}")

    for level_code in book.delegates.max_delegates_by_level:
        yield from _level_ref(f"delegates.max_delegates_by_level.{level_code}", level_code, ranks)
    for level_code in ranks:
        if level_code not in book.complaints.resolution_days_by_level:
            yield Problem("complaints.resolution_days_by_level", f"missing level {level_code!r}")
    for level_code in book.complaints.resolution_days_by_level:
        yield from _level_ref(
            f"complaints.resolution_days_by_level.{level_code}", level_code, ranks
        )

    surplus = book.election.slate_surplus_percent.value
    if surplus.low > surplus.high:
        yield Problem("election.slate_surplus_percent.value", "low is above high")
    if surplus.high > book.election.max_surplus_percent.value:
        yield Problem("election.slate_surplus_percent.value", "high exceeds max_surplus_percent")
    small = book.election.small_committee_surplus.value
    if small.min_seats > small.max_seats:
        yield Problem("election.small_committee_surplus.value", "min_seats above max_seats")

    standard_codes: set[str] = set()
    for index, standard in enumerate(book.standards):
        if standard.value.code in standard_codes:
            yield Problem(f"standards[{index}].value.code", f"duplicate {standard.value.code!r}")
        standard_codes.add(standard.value.code)
    if book.supersedes == book.id:
        yield Problem("supersedes", "a rulebook cannot supersede itself")


def _level_ref(path: str, level_code: str, ranks: dict[str, int]) -> Iterator[Problem]:
    if level_code not in ranks:
        yield Problem(path, f"unknown level {level_code!r}")


def format_location(loc: tuple[int | str, ...]) -> str:
    """("levels", 2, "parents", 0) -> "levels[2].parents[0]"."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def problems_from(error: ValidationError) -> list[Problem]:
    """The problems of a failed rulebook validation, each with the path of its bad value."""
    problems: list[Problem] = []
    for item in error.errors(include_url=False):
        ctx = item.get("ctx") or {}
        if item["type"] == "rulebook_reference" and "problems" in ctx:
            problems.extend(ctx["problems"])
            continue
        problems.append(Problem(format_location(tuple(item["loc"])), item["msg"]))
    return problems
