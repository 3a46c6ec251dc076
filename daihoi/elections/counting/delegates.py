"""Delegates and then alternates elected from one list."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from daihoi.elections.counting.tally import RoundResult, Runoff


@dataclass(frozen=True)
class DelegateAllocation:
    """Official delegates and ordered alternates elected from one list.

    `delegate_runoff` holds candidates tied across the last delegate seat: the run-off gives
    `delegate_runoff.seats` of them delegate seats, and the others become alternates ranked
    ahead of `alternates`. `alternate_ties` lists groups of alternates with equal votes whose
    relative order the congress must settle before one of them replaces an absent delegate.
    """

    delegates: tuple[str, ...]
    alternates: tuple[str, ...]  # 1st alternate first
    delegate_runoff: Runoff | None
    alternate_ties: tuple[tuple[str, ...], ...]


def allocate_delegates(
    *, result: RoundResult, delegate_seats: int, alternate_seats: int
) -> DelegateAllocation:
    """Split a round counted for `delegate_seats + alternate_seats` seats into the two lists.

    A run-off or unfilled seats of the round itself stay in `result`; what is elected so far
    fills delegate seats first.
    """
    if delegate_seats < 1 or alternate_seats < 0:
        raise ValueError("need at least one delegate seat and no negative alternate seats")
    if result.seats != delegate_seats + alternate_seats:
        raise ValueError(
            f"the round was counted for {result.seats} seats, not "
            f"{delegate_seats} delegates + {alternate_seats} alternates"
        )
    elected = result.elected
    votes = result.votes
    if len(elected) <= delegate_seats:
        return DelegateAllocation(
            delegates=elected, alternates=(), delegate_runoff=None, alternate_ties=()
        )
    boundary_votes = votes[elected[delegate_seats - 1]]
    straddles = votes[elected[delegate_seats]] == boundary_votes
    if straddles:
        delegates = tuple(c for c in elected if votes[c] > boundary_votes)
        tied = tuple(c for c in elected if votes[c] == boundary_votes)
        runoff: Runoff | None = Runoff(candidates=tied, seats=delegate_seats - len(delegates))
        alternates = tuple(c for c in elected if votes[c] < boundary_votes)
    else:
        delegates, runoff, alternates = elected[:delegate_seats], None, elected[delegate_seats:]
    groups = Counter(votes[c] for c in alternates)
    alternate_ties = tuple(
        tuple(c for c in alternates if votes[c] == v)
        for v in sorted(groups, reverse=True)
        if groups[v] > 1
    )
    return DelegateAllocation(
        delegates=delegates,
        alternates=alternates,
        delegate_runoff=runoff,
        alternate_ties=alternate_ties,
    )
