"""Scoring and ranking the units of an emulation movement. Pure Python, no Django import.

A unit's score is the weighted mean of its criterion scores (0-100), a missing result counting
as 0; units are ranked by score, equal scores sharing a rank (1, 1, 3).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Ranked:
    unit: str
    score: Decimal
    rank: int


def weighted_score(weights: Mapping[str, Decimal], scores: Mapping[str, Decimal]) -> Decimal:
    total = sum(weights.values(), Decimal(0))
    if total <= 0:
        return Decimal(0)
    points = sum((w * scores.get(code, Decimal(0)) for code, w in weights.items()), Decimal(0))
    return (points / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def rank(
    weights: Mapping[str, Decimal], results: Mapping[str, Mapping[str, Decimal]]
) -> list[Ranked]:
    """Units ranked by weighted score; ties share the rank, then by unit for a stable order."""
    scored = sorted(
        ((weighted_score(weights, r), unit) for unit, r in results.items()),
        key=lambda item: (-item[0], item[1]),
    )
    ranked: list[Ranked] = []
    for position, (score, unit) in enumerate(scored, start=1):
        same = ranked and ranked[-1].score == score
        ranked.append(Ranked(unit=unit, score=score, rank=ranked[-1].rank if same else position))
    return ranked


def participation(registered: int, eligible: int) -> Decimal:
    if eligible <= 0:
        return Decimal(0)
    return (Decimal(registered) * 100 / eligible).quantize(Decimal("0.1"), ROUND_HALF_UP)


def top(ranked: Sequence[Ranked], n: int) -> list[Ranked]:
    return [r for r in ranked if r.rank <= n]
