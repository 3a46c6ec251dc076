"""Ballots and their validity by the rulebook's rules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class StrikeOutBallot:
    """A ballot listing the slate on which the voter struck names; the names left are votes."""

    kept: frozenset[str]
    issued_by_board: bool = True
    added_names: tuple[str, ...] = ()

    @property
    def votes(self) -> frozenset[str]:
        return self.kept


@dataclass(frozen=True)
class AgreeDisagreeBallot:
    """A ballot with agree/disagree columns, used when the slate has no surplus.

    A candidate marked in both columns or in neither gets no vote, and the ballot stays valid
    (Decision 244-QĐ/TW art. 32; not yet checked against the text of Decision 190).
    """

    agreed: frozenset[str]
    disagreed: frozenset[str] = frozenset()
    issued_by_board: bool = True
    added_names: tuple[str, ...] = ()

    @property
    def votes(self) -> frozenset[str]:
        return self.agreed - self.disagreed


Ballot = StrikeOutBallot | AgreeDisagreeBallot


def strike_out_ballot(
    *,
    slate: Sequence[str],
    struck: Iterable[str],
    issued_by_board: bool = True,
    added_names: tuple[str, ...] = (),
) -> StrikeOutBallot:
    """Build a strike-out ballot from the names the voter struck."""
    return StrikeOutBallot(
        kept=frozenset(slate) - frozenset(struck),
        issued_by_board=issued_by_board,
        added_names=added_names,
    )


class Validity(Enum):
    """Whether a ballot counts, or the one reason it does not (Decision 190-QĐ/TW)."""

    VALID = "valid"
    NOT_ISSUED_BY_BOARD = "not_issued_by_board"
    NAMES_ADDED = "names_added"
    ALL_NAMES_STRUCK = "all_names_struck"
    TOO_MANY_NAMES_LEFT = "too_many_names_left"


INVALID_REASONS: tuple[Validity, ...] = tuple(v for v in Validity if v is not Validity.VALID)


def ballot_validity(ballot: Ballot, *, slate: Sequence[str], seats: int) -> Validity:
    """Return `Validity.VALID` or the first reason, in the order of the enum, that voids it."""
    on_slate = frozenset(slate)
    if not ballot.issued_by_board:
        return Validity.NOT_ISSUED_BY_BOARD
    if isinstance(ballot, StrikeOutBallot):
        marked = ballot.kept
    else:
        marked = ballot.agreed | ballot.disagreed
    # A kept or marked name that is not on the slate was written in by the voter.
    if ballot.added_names or not marked <= on_slate:
        return Validity.NAMES_ADDED
    # Disagreeing with everyone on an agree/disagree ballot is a valid vote against them all.
    if isinstance(ballot, StrikeOutBallot) and not ballot.kept:
        return Validity.ALL_NAMES_STRUCK
    if len(ballot.votes) > seats:
        return Validity.TOO_MANY_NAMES_LEFT
    return Validity.VALID
