"""The schema of a rulebook file: the rules of one congress cycle as validated data.

Pure Python, no Django import. Every value taken from a legal source is a `Cited[T]`
carrying the value, its source and whether it was verified against the source text.
Cross-references (levels, congress types, dates) are checked when a `Rulebook` is built,
once every field is well-formed; each problem names the dotted path of the bad value.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import IntEnum
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from daihoi.core.text import nfc
from daihoi.rulebooks import ages

T = TypeVar("T")

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
RulebookId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=64)]
Text = Annotated[str, AfterValidator(nfc), StringConstraints(min_length=1)]
Percent = Annotated[Decimal, Field(ge=0, le=100)]
Gender = ages.Gender


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Cited(Frozen, Generic[T]):
    """A rule value with the legal source it comes from."""

    value: T
    source: Text
    unverified: bool = False

    def __str__(self) -> str:
        flag = ", unverified" if self.unverified else ""
        return f"{self.value} ({self.source}{flag})"


class Names(Frozen):
    vi: Text
    en: Text
    de: Text

    def get(self, language: str) -> str:
        """The name in `language` ("vi", "en", "de"), falling back to English."""
        return str(getattr(self, language[:2].lower(), self.en))


class Duration(Frozen):
    years: int = Field(ge=0)
    months: int = Field(default=0, ge=0, le=11)

    def to_years_months(self) -> ages.YearsMonths:
        return ages.YearsMonths.of(self.years, self.months)


class CongressContent(IntEnum):
    """The four contents of a congress."""

    REVIEW_AND_TARGETS = 1
    COMMENT_ON_DRAFTS = 2
    ELECT_COMMITTEE = 3
    ELECT_DELEGATES = 4


class Level(Frozen):
    """A level of the unit tree; `rank` grows from the top (0) downwards."""

    code: Code
    names: Names
    parents: tuple[Code, ...] = ()
    rank: int = Field(ge=0)


class CongressType(Frozen):
    code: Code
    names: Names
    contents: Cited[tuple[CongressContent, ...]]
    bodies: Cited[Literal["elected", "appointed"]]
    # Contents the higher level may approve in addition, e.g. electing the committee.
    may_add_contents: Cited[tuple[CongressContent, ...]] | None = None

    @field_validator("contents", "may_add_contents")
    @classmethod
    def _contents_are_distinct(
        cls, cited: Cited[tuple[CongressContent, ...]] | None
    ) -> Cited[tuple[CongressContent, ...]] | None:
        if cited is not None and len(set(cited.value)) != len(cited.value):
            raise ValueError("contents must not repeat")
        return cited

    def includes(self, content: CongressContent) -> bool:
        return content in self.contents.value


class TypeAssignment(Frozen):
    """Which congress type a unit holds."""

    default: Cited[Code]
    by_level: dict[Code, Cited[Code]] = {}
    merged: Cited[Code] | None = None  # merged, consolidated or newly formed units


class FormedUnitWindow(Frozen):
    """The window of a unit of the level formed mid-cycle, between `formed_from` and
    `formed_until` (open if None): a fixed last day, or so many months after its formation."""

    formed_from: date
    formed_until: date | None = None
    latest: date | None = None
    months_after_formation: int | None = Field(default=None, ge=1, le=24)

    @model_validator(mode="after")
    def _one_deadline(self) -> FormedUnitWindow:
        if (self.latest is None) == (self.months_after_formation is None):
            raise ValueError("give either latest or months_after_formation")
        if self.latest is not None and self.formed_until is None:
            raise ValueError("a fixed latest date needs formed_until")
        if self.formed_until is not None and self.formed_until < self.formed_from:
            raise ValueError("formed_until is before formed_from")
        if self.latest is not None and self.formed_until and self.latest < self.formed_until:
            raise ValueError("latest is before formed_until: a unit formed then has no window")
        return self

    def covers(self, day: date) -> bool:
        return self.formed_from <= day and (self.formed_until is None or day <= self.formed_until)


class LevelSchedule(Frozen):
    earliest: Cited[date]
    latest: Cited[date]
    max_duration_days: Cited[Decimal] | None = None
    pilots_first: Cited[bool]
    age_reference_date: Cited[date] | None = None
    # A different reference date for some kinds of unit at this level, e.g. new communes.
    age_reference_by_unit_kind: dict[Code, Cited[date]] = {}
    # Units formed mid-cycle (merged, split, newly founded): their own windows, by formation.
    formed_mid_cycle: tuple[Cited[FormedUnitWindow], ...] = ()

    @property
    def window(self) -> tuple[date, date]:
        return (self.earliest.value, self.latest.value)

    def contains(self, day: date) -> bool:
        return self.earliest.value <= day <= self.latest.value


class AgeRules(Frozen):
    """Minimum months of working time left before retirement, at the age reference date."""

    first_time_min_months_left: Cited[int]
    reelection_min_months_left: Cited[int]


class RoadmapSpec(Frozen):
    start_year: int
    start_age: Duration
    step_months: int = Field(ge=1, le=12)
    cap: Duration
    before_start: Duration

    def to_roadmap(self) -> ages.RetirementRoadmap:
        return ages.RetirementRoadmap(
            start_year=self.start_year,
            start_age=self.start_age.to_years_months(),
            step_months=self.step_months,
            cap=self.cap.to_years_months(),
            before_start=self.before_start.to_years_months(),
        )


class RetirementRules(Frozen):
    male: Cited[RoadmapSpec]
    female: Cited[RoadmapSpec]

    def roadmap_for(self, gender: Gender) -> ages.RetirementRoadmap:
        spec = self.male if gender == "male" else self.female
        return spec.value.to_roadmap()


class Standard(Frozen):
    code: Code
    description: Names


class StructureTarget(Frozen):
    """A soft target for the composition of a committee; never lowers a hard standard."""

    code: Code
    names: Names
    comparison: Literal["at_least", "about", "appropriate"]
    percent: Percent | None = None


class Threshold(Frozen):
    """A share of a base count: `count / base > numerator / denominator` when strict."""

    numerator: int = Field(ge=0)
    denominator: int = Field(gt=0)
    strict: bool
    base: Literal["entitled", "convened", "present", "votes_cast"]

    def is_met(self, count: int, base_count: int) -> bool:
        lhs, rhs = count * self.denominator, self.numerator * base_count
        return lhs > rhs if self.strict else lhs >= rhs


class PercentRange(Frozen):
    low: Percent
    high: Percent


class SmallCommitteeSurplus(Frozen):
    min_seats: int = Field(ge=1)
    max_seats: int = Field(ge=1)
    max_extra: int = Field(ge=0)


BallotOrderKey = Literal["given", "family", "middle", "full", "birth_date", "position"]


class ElectionRules(Frozen):
    secret_ballot_bodies: Cited[tuple[Code, ...]]
    show_of_hands_bodies: Cited[tuple[Code, ...]]
    slate_surplus_percent: Cited[PercentRange]
    max_surplus_percent: Cited[Percent]
    small_committee_surplus: Cited[SmallCommitteeSurplus]
    floor_nomination_support: Cited[Threshold]
    elected_threshold: Cited[Threshold]
    quorum: Cited[Threshold]
    invalid_ballot_grounds: Cited[tuple[Code, ...]]
    # How names are ordered on a printed or electronic ballot: name parts compared one after
    # the other (Vietnamese: given, family, middle), then the birth date; "position" keeps
    # the slate's own order.
    ballot_name_order: Cited[tuple[BallotOrderKey, ...]] = Cited(
        value=("position",), source="the slate as prepared"
    )


class DelegateRules(Frozen):
    ex_officio: Cited[tuple[Code, ...]]
    apportionment: Cited[Literal["by_members_and_units", "by_higher_committee_decision"]]
    alternates: Cited[bool]
    max_delegates_by_level: dict[Code, Cited[int]] = {}


# Personnel: the planning pool, hard standards by body, dossiers, the introduction steps ------

EducationLevel = Literal["secondary", "vocational", "college", "university", "master", "doctorate"]
TheoryLevel = Literal["none", "elementary", "intermediate", "advanced"]
PersonnelBody = Literal["executive", "standing", "secretary", "deputy_secretary", "inspection"]


class Share(Frozen):
    """`count / base > numerator / denominator` when strict, `>=` otherwise."""

    numerator: int = Field(ge=0)
    denominator: int = Field(gt=0)
    strict: bool


class PoolShare(Frozen):
    """A minimum share of the planning pool (e.g. young cadres, women)."""

    code: Literal["women", "young_cadres", "ethnic_minority"]
    names: Names
    percent: Percent


class PoolRules(Frozen):
    shares: tuple[Cited[PoolShare], ...] = ()
    # Disciplined at this level or above: removed from the pool automatically.
    removal_discipline_level: Cited[Literal["reprimand", "warning", "dismissal", "expulsion"]]


class WorkingTimeRule(Frozen):
    """A body-specific minimum of months left, replacing the general one where it applies."""

    level: Code
    body: PersonnelBody
    reelection: bool
    min_months_left: int = Field(ge=0)


class BodyRequirement(Frozen):
    """The education and political-theory levels required to stand for a body at a level."""

    level: Code
    body: PersonnelBody | None = None  # None: every body of the level
    min_education: EducationLevel | None = None
    min_political_theory: TheoryLevel | None = None


class StandardsRules(Frozen):
    working_time: tuple[Cited[WorkingTimeRule], ...] = ()
    requirements: tuple[Cited[BodyRequirement], ...] = ()
    # No discipline decided within this many months before the age reference date.
    discipline_free_months: Cited[int]
    young_under_years: Cited[int]


class DossierItemSpec(Frozen):
    code: Code
    names: Names


class DossierRules(Frozen):
    items: tuple[Cited[DossierItemSpec], ...]
    due_working_days_before_opening: Cited[int]
    # The information rule: only verified items from a competent authority can be cited.
    citation_rule: Cited[Names]


class IntroductionStep(Frozen):
    number: int = Field(ge=1)
    body: Code
    names: Names
    secret_ballot: bool
    # Of those summoned: the presence needed for the step, and the votes a nominee needs.
    presence: Share | None = None
    threshold: Share


class AppointmentStep(Frozen):
    number: int = Field(ge=1)
    names: Names


class IntroductionRules(Frozen):
    steps: tuple[Cited[IntroductionStep], ...] = Field(min_length=1)
    appointment_steps: tuple[Cited[AppointmentStep], ...] = ()


class PersonnelRules(Frozen):
    pool: PoolRules
    standards: StandardsRules
    dossier: DossierRules
    introduction: IntroductionRules

    def step(self, number: int) -> IntroductionStep:
        for cited in self.introduction.steps:
            if cited.value.number == number:
                return cited.value
        raise KeyError(f"no introduction step {number}")


ComplaintGround = Literal[
    "anonymous",
    "pseudonymous",
    "no_address",
    "repeat_without_new_evidence",
    "not_specific",
    "not_personally_signed",
    "co_signed",
    "no_legal_capacity",
]


CaseKind = Literal["complaint", "denunciation", "feedback"]


class CaseCutoff(Frozen):
    """Complaints (and denunciations) about nominees or delegates are resolved before the
    congress only when received at least this many working days before it opens, counted by
    the postmark or the date of receipt; later ones go to the new term's committee."""

    grassroots_working_days: Cited[int]
    higher_working_days: Cited[int]
    # Levels whose congresses count as grassroots for the cut-off.
    grassroots_levels: Cited[tuple[Code, ...]]
    kinds: Cited[tuple[CaseKind, ...]]


class CaseDeadlines(Frozen):
    """Resolution deadlines beyond `resolution_days_by_level`: counted in calendar days from
    the acceptance of the case, and the extensions the rules allow."""

    counted_from: Cited[Literal["acceptance", "receipt"]]
    extension_days_by_level: dict[Code, Cited[int]]
    centrally_managed_days: Cited[int]
    centrally_managed_extension_days: Cited[int]


class ComplaintRules(Frozen):
    not_handled_grounds: Cited[tuple[ComplaintGround, ...]]
    resolution_days_by_level: dict[Code, Cited[int]]
    unresolved_at_opening: Cited[Literal["report_to_higher_level"]]
    not_summoned: Cited[tuple[Code, ...]]
    # Summoned, but left out of the total for election results when they do not attend.
    counted_if_attending: Cited[tuple[Code, ...]]
    cutoff: CaseCutoff | None = None
    deadlines: CaseDeadlines | None = None


class NotReelectedPolicy(Frozen):
    """Decree 177/2024: bands of months to retirement for those not re-elected."""

    short_band_below_months: Cited[int]
    long_band_up_to_months: Cited[int]
    salary_months_per_year_early: Cited[Decimal]


class EarlyRetirementPolicy(Frozen):
    """Decree 178/2024 as amended by Decree 67/2025: early retirement through restructuring."""

    near_band_min_years: Cited[int]
    near_band_max_years: Cited[int]
    near_band_salary_months_per_month_early: Cited[Decimal]
    near_band_months_per_year_early: Cited[Decimal]
    far_band_max_years: Cited[int]
    far_band_coefficient: Cited[Decimal]
    far_band_months: Cited[int]
    far_band_months_per_year_early: Cited[Decimal]
    months_early_cap: Cited[int]
    halved_from_month: Cited[int]
    halving_factor: Cited[Decimal]


class ResignationPolicy(Frozen):
    """Decree 178/2024 as amended by Decree 67/2025: resignation through restructuring."""

    salary_per_counted_month: Cited[Decimal]
    months_per_insured_year: Cited[Decimal]
    job_search_months: Cited[int]


class InsuredYearsAllowance(Frozen):
    """Months of salary for insured working time: a base for the first years, then per year."""

    base_years: Cited[int]
    base_months: Cited[Decimal]
    months_per_further_year: Cited[Decimal]


class LeaderAllowance(Frozen):
    """A leader who loses the post keeps the allowance to the end of the term, or a minimum."""

    minimum_months: Cited[int]


class DecisionWindow(Frozen):
    """When the decision on a not-re-elected cadre is made, around the congress."""

    months_before_congress: Cited[int]
    months_after_congress: Cited[int]


class Transitions(Frozen):
    not_reelected: NotReelectedPolicy
    early_retirement: EarlyRetirementPolicy
    resignation: ResignationPolicy
    insured_years: InsuredYearsAllowance
    leader_allowance: LeaderAllowance
    part_year_half_up_to_months: Cited[int]
    decision_window: DecisionWindow


class CommendationLevel(Frozen):
    code: Code
    name: Names


class EmulationRules(Frozen):
    """Law on Emulation and Commendation 06/2022/QH15: movements and their commendations."""

    stages: Cited[tuple[Code, ...]]
    commendation_levels: Cited[tuple[CommendationLevel, ...]]


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
