"""Personnel: the planning pool, hard standards by body, dossiers, the introduction steps."""

from __future__ import annotations

from typing import Literal

from pydantic import (
    Field,
)

from daihoi.rulebooks.schema._base import Cited, Code, Frozen, Names, Percent

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
