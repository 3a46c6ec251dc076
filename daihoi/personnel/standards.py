"""Hard standards for a candidate: evaluated from facts and rulebook thresholds, never overridden.

Pure Python, no Django import. Each check answers meets, fails, or unknown (data missing) and
carries the figures behind the answer, so a page can say "born 03/1966, retires 06/2027,
26 months left at 06/2025; needs 48". There is no override: a structure target or anything
else never changes a threshold here.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from daihoi.rulebooks import ages

EDUCATION_ORDER = ("secondary", "vocational", "college", "university", "master", "doctorate")
THEORY_ORDER = ("none", "elementary", "intermediate", "advanced")
# Party discipline, lightest first (Regulation 69-QĐ/TW).
DISCIPLINE_ORDER = ("reprimand", "warning", "dismissal", "expulsion")


def leaves_pool(level: str, removal_level: str) -> bool:
    """A discipline at `level` takes a person out of the planning pool when it is at
    `removal_level` (the rulebook's, Regulation 50-QĐ/TW: reprimand) or heavier."""
    return DISCIPLINE_ORDER.index(level) >= DISCIPLINE_ORDER.index(removal_level)


class Result(enum.StrEnum):
    MEETS = "meets"
    FAILS = "fails"
    UNKNOWN = "unknown"


class Code(enum.StrEnum):
    WORKING_TIME = "working_time"
    MEMBER_STATUS = "member_status"
    DISCIPLINE = "discipline"
    EDUCATION = "education"
    POLITICAL_THEORY = "political_theory"


@dataclass(frozen=True)
class Facts:
    """What is known about a candidate; None where the record is missing."""

    gender: ages.Gender | None
    birth_date: date | None
    status: str | None
    education: str | None = None
    political_theory: str | None = None
    reelection: bool = False
    discipline_dates: tuple[date, ...] = ()


@dataclass(frozen=True)
class Requirements:
    """The thresholds that apply to one body at one level, from the rulebook."""

    reference_date: date | None
    min_months_left: int
    discipline_free_months: int = 12
    min_education: str | None = None
    min_political_theory: str | None = None
    roadmaps: dict[str, ages.RetirementRoadmap] = field(default_factory=dict)


@dataclass(frozen=True)
class Check:
    code: Code
    result: Result
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def fails(self) -> bool:
        return self.result is Result.FAILS


@dataclass(frozen=True)
class WorkingTimeOverride:
    level: str
    body: str
    reelection: bool
    min_months_left: int


def min_months_left(
    *,
    first_time: int,
    reelection: int,
    is_reelection: bool,
    level: str,
    body: str,
    overrides: Sequence[WorkingTimeOverride] = (),
) -> int:
    """The months of working time a candidate needs: a body-specific rule where one applies."""
    for rule in overrides:
        if rule.level == level and rule.body == body and rule.reelection == is_reelection:
            return rule.min_months_left
    return reelection if is_reelection else first_time


def working_time(facts: Facts, req: Requirements) -> Check:
    needs = req.min_months_left
    if facts.birth_date is None or facts.gender is None or req.reference_date is None:
        return Check(Code.WORKING_TIME, Result.UNKNOWN, {"needs": needs})
    roadmap = req.roadmaps.get(facts.gender)
    retires = ages.retirement_date(facts.gender, facts.birth_date, roadmap)
    left = ages.months_of_working_time_left(
        gender=facts.gender,
        birth_date=facts.birth_date,
        reference_date=req.reference_date,
        roadmap=roadmap,
    )
    figures = {
        "born": facts.birth_date,
        "retires": retires,
        "left": left,
        "reference": req.reference_date,
        "needs": needs,
        "reelection": facts.reelection,
    }
    return Check(Code.WORKING_TIME, Result.MEETS if left >= needs else Result.FAILS, figures)


def member_status(facts: Facts) -> Check:
    if facts.status is None:
        return Check(Code.MEMBER_STATUS, Result.UNKNOWN)
    ok = facts.status == "active"
    return Check(Code.MEMBER_STATUS, Result.MEETS if ok else Result.FAILS, {"status": facts.status})


def discipline(facts: Facts, req: Requirements) -> Check:
    if req.reference_date is None:
        return Check(Code.DISCIPLINE, Result.UNKNOWN, {"months": req.discipline_free_months})
    since = ages.add_months(req.reference_date, -req.discipline_free_months)
    recent = sorted(d for d in facts.discipline_dates if d > since)
    figures = {"months": req.discipline_free_months, "since": since}
    if recent:
        return Check(Code.DISCIPLINE, Result.FAILS, {**figures, "decided": recent[-1]})
    return Check(Code.DISCIPLINE, Result.MEETS, figures)


def _level(code: Code, have: str | None, need: str | None, order: Sequence[str]) -> Check | None:
    if need is None:
        return None
    if have is None or have not in order:
        return Check(code, Result.UNKNOWN, {"needs": need})
    ok = order.index(have) >= order.index(need)
    return Check(code, Result.MEETS if ok else Result.FAILS, {"has": have, "needs": need})


def evaluate(facts: Facts, req: Requirements) -> tuple[Check, ...]:
    """Every hard standard for one candidate, in a fixed order."""
    checks = [member_status(facts), working_time(facts, req), discipline(facts, req)]
    for check in (
        _level(Code.EDUCATION, facts.education, req.min_education, EDUCATION_ORDER),
        _level(
            Code.POLITICAL_THEORY,
            facts.political_theory,
            req.min_political_theory,
            THEORY_ORDER,
        ),
    ):
        if check is not None:
            checks.append(check)
    return tuple(checks)


def failing(checks: Sequence[Check]) -> list[Check]:
    return [c for c in checks if c.result is Result.FAILS]


def unknown(checks: Sequence[Check]) -> list[Check]:
    return [c for c in checks if c.result is Result.UNKNOWN]
