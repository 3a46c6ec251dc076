"""Ages and retirement, the standards a level names, structure targets."""

from __future__ import annotations

from typing import Literal

from pydantic import (
    Field,
)

from daihoi.rulebooks import ages
from daihoi.rulebooks.schema._base import Cited, Code, Duration, Frozen, Gender, Names, Percent


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
