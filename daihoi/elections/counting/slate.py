"""Slate rules: the surplus over the seats, and the support a floor nomination needs."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction

from daihoi.elections.counting.paper import Problem, ProblemCode


class SlateStage(Enum):
    PREPARED = "prepared"  # the slate the convening committee prepares
    FINAL = "final"  # the slate the congress votes on


@dataclass(frozen=True)
class SurplusRange:
    """How many candidates a slate for `seats` seats may have, both ends included."""

    seats: int
    minimum: int
    maximum: int


def slate_surplus_range(
    *,
    seats: int,
    stage: SlateStage,
    prepared_min: Fraction | float = Fraction(10, 100),  # Decision 190-QĐ/TW art. 14.1
    prepared_max: Fraction | float = Fraction(15, 100),  # Decision 190-QĐ/TW art. 14.1
    final_max: Fraction | float = Fraction(30, 100),  # Decision 190-QĐ/TW art. 14.1
    small_committee: tuple[int, int] = (3, 5),
    small_committee_max_extra: int = 1,
) -> SurplusRange:
    """The allowed number of candidates for `seats` seats at `stage`."""
    if seats < 1:
        raise ValueError(f"seats must be at least 1, got {seats}")
    # Round the minimum surplus up and the maximum down; when that leaves no whole number
    # (e.g. 6 seats: 0.6..0.9), the rounded-up minimum is also the maximum.
    if stage is SlateStage.PREPARED:
        min_extra = math.ceil(seats * _exact(prepared_min))
        max_extra = max(min_extra, math.floor(seats * _exact(prepared_max)))
    else:
        min_extra = 1  # art. 14.1: a committee slate has more candidates than seats
        max_extra = max(min_extra, math.floor(seats * _exact(final_max)))
    low, high = small_committee
    if low <= seats <= high:
        max_extra = min(max_extra, small_committee_max_extra)
        min_extra = min(min_extra, max_extra)
    return SurplusRange(seats=seats, minimum=seats + min_extra, maximum=seats + max_extra)


def check_slate_surplus(
    *,
    candidates: int,
    seats: int,
    stage: SlateStage,
    prepared_min: Fraction | float = Fraction(10, 100),
    prepared_max: Fraction | float = Fraction(15, 100),
    final_max: Fraction | float = Fraction(30, 100),
    small_committee: tuple[int, int] = (3, 5),
    small_committee_max_extra: int = 1,
) -> list[Problem]:
    """Check the number of candidates on a committee slate; an empty list means it fits."""
    allowed = slate_surplus_range(
        seats=seats,
        stage=stage,
        prepared_min=prepared_min,
        prepared_max=prepared_max,
        final_max=final_max,
        small_committee=small_committee,
        small_committee_max_extra=small_committee_max_extra,
    )
    expected = (
        f"The {stage.value} slate for {seats} seats needs "
        f"{allowed.minimum} to {allowed.maximum} candidates; it has {candidates}."
    )
    figures = {
        "seats": seats,
        "minimum": allowed.minimum,
        "maximum": allowed.maximum,
        "candidates": candidates,
    }
    if candidates < allowed.minimum:
        return [Problem(ProblemCode.SLATE_TOO_SMALL, expected, figures)]
    if candidates > allowed.maximum:
        return [Problem(ProblemCode.SLATE_TOO_LARGE, expected, figures)]
    return []


def floor_nomination_admitted(
    *, agreeing: int, delegates: int, threshold: Fraction | float = Fraction(30, 100)
) -> bool:
    """A floor or self nomination joins the slate with strictly more than `threshold` agreeing."""
    return agreeing > delegates * _exact(threshold)  # Decision 190-QĐ/TW art. 14.3


def _exact(share: Fraction | float) -> Fraction:
    """`0.1` as exactly 1/10, so that 60 seats × 10 % is 6 and not 6.000000000000001."""
    return Fraction(str(share)) if isinstance(share, float) else share
