"""Soft structure: shares of a plan, a slate or a pool against targets. Never blocking.

Pure Python, no Django import. A gauge below its target is a warning; nothing here can
change a hard standard (`personnel.standards` takes no input from this module).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from daihoi.rulebooks import ages

MAJORITY_ETHNICITY = "Kinh"
# Targets met by one member rather than a share, and the bodies they concern: at least one
# woman on the standing committee (Directive 45-CT/TW), where the rulebook lists the target.
AT_LEAST_ONE = {"standing_woman": ("standing",)}


@dataclass(frozen=True)
class Member:
    gender: str
    birth_date: date
    ethnicity: str = MAJORITY_ETHNICITY
    first_time: bool = True
    science_technology: bool = False


@dataclass(frozen=True)
class Target:
    code: str
    comparison: str  # at_least | about | appropriate
    percent: Decimal | None
    name: str = ""  # in the reader's language, from the rulebook


@dataclass(frozen=True)
class Gauge:
    code: str
    count: int
    total: int
    target: Decimal | None
    comparison: str
    name: str = ""

    @property
    def at_least_one(self) -> bool:
        """The target is one member, not a share ("at least one woman")."""
        return self.code in AT_LEAST_ONE

    @property
    def percent(self) -> Decimal:
        if self.total == 0:
            return Decimal(0)
        return (Decimal(self.count) * 100 / self.total).quantize(Decimal("0.1"))

    @property
    def below(self) -> bool:
        """A warning only: the share is under its target (never for "appropriate"), or no
        member counts towards an at-least-one target."""
        if self.at_least_one:
            return self.count == 0
        if self.target is None or self.comparison == "appropriate":
            return False
        return self.count * 100 < self.target * self.total


def counts(member: Member, code: str, *, reference_date: date, young_under_years: int) -> bool:
    if code in ("women", "standing_woman"):
        return member.gender == "female"
    if code == "young_cadres":
        on = max(reference_date, member.birth_date)
        return ages.age_at(member.birth_date, on).years < young_under_years
    if code == "ethnic_minority":
        return member.ethnicity.strip() not in ("", MAJORITY_ETHNICITY)
    if code == "renewal":
        return member.first_time
    if code == "science_technology":
        return member.science_technology
    return False


def applies(target: Target, body: str | None) -> bool:
    """Whether `target` concerns a list for `body` (None: a pool, where it always does
    unless the target is one for certain bodies)."""
    bodies = AT_LEAST_ONE.get(target.code)
    return bodies is None or body in bodies


def gauges(
    members: Sequence[Member],
    targets: Sequence[Target],
    *,
    reference_date: date,
    young_under_years: int,
    body: str | None = None,
) -> list[Gauge]:
    """One gauge per target that concerns `body` (a plan's or a slate's; None for a pool)."""
    total = len(members)
    return [
        Gauge(
            code=t.code,
            count=sum(
                counts(
                    m, t.code, reference_date=reference_date, young_under_years=young_under_years
                )
                for m in members
            ),
            total=total,
            target=t.percent,
            comparison=t.comparison,
            name=t.name or t.code,
        )
        for t in targets
        if applies(t, body)
    ]


def has_woman(members: Sequence[Member]) -> bool:
    return any(m.gender == "female" for m in members)
