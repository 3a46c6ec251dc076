"""Election rules (thresholds, surplus, ballot order) and delegate allocation."""

from __future__ import annotations

from typing import Literal

from pydantic import (
    Field,
)

from daihoi.rulebooks.schema._base import Cited, Code, Frozen, Percent


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
