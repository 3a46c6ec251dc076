"""The introduction procedure's arithmetic and the dossier's due date.

Pure Python, no Django import. Each step of the five-step introduction has a threshold of
those summoned (a nominee needs more than half) and step 2 a presence rule (at least 2/3 of
those summoned); the rulebook holds the fractions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Fraction:
    numerator: int
    denominator: int
    strict: bool

    def met(self, count: int, base: int) -> bool:
        lhs, rhs = count * self.denominator, self.numerator * base
        return lhs > rhs if self.strict else lhs >= rhs

    def minimum(self, base: int) -> int:
        """The smallest count that meets the fraction of `base`."""
        floor = self.numerator * base // self.denominator
        for count in (floor, floor + 1):
            if self.met(count, base):
                return count
        return floor + 2  # unreachable for denominators > 0


@dataclass(frozen=True)
class StepRule:
    number: int
    threshold: Fraction
    presence: Fraction | None = None


@dataclass(frozen=True)
class StepOutcome:
    presence_met: bool
    votes_met: bool
    present_needed: int | None
    votes_needed: int

    @property
    def passed(self) -> bool:
        return self.presence_met and self.votes_met


class StepInputError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def evaluate_step(rule: StepRule, *, summoned: int, present: int, votes: int) -> StepOutcome:
    """The step's result; both fractions count against those summoned."""
    if summoned < 1:
        raise StepInputError("summoned_positive")
    if not 0 <= present <= summoned:
        raise StepInputError("present_range")
    if not 0 <= votes <= present:
        raise StepInputError("votes_range")
    presence_met = rule.presence is None or rule.presence.met(present, summoned)
    return StepOutcome(
        presence_met=presence_met,
        votes_met=rule.threshold.met(votes, summoned),
        present_needed=rule.presence.minimum(summoned) if rule.presence else None,
        votes_needed=rule.threshold.minimum(summoned),
    )


def working_days_before(day: date, working_days: int) -> date:
    """The date `working_days` working days (Monday to Friday) before `day`."""
    current = day
    left = working_days
    while left > 0:
        current -= timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current
