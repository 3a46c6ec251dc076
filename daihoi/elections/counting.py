"""Ballot counting for elections inside a congress: validity, tally, thresholds, paper checks.

Pure Python, no Django import. Reference rules: Decision 190-QĐ/TW (10 Oct 2024) and
Guidance 04-HD/TW; the percentages come from the rulebook and are parameters here.

A candidate is identified by a string (a name or an id); the slate lists each candidate once.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum, StrEnum
from fractions import Fraction
from types import MappingProxyType

# --- Ballots ----------------------------------------------------------------------------------


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


# --- Entitled voters --------------------------------------------------------------------------


@dataclass(frozen=True)
class Entitled:
    """How many are entitled to vote, with the steps that led to the number."""

    count: int
    derivation: tuple[tuple[str, int], ...]

    def describe(self) -> str:
        """`convened 235 − 2 suspended − 1 absent without alternate = 232` (English labels)."""
        (first_label, first), *rest = self.derivation
        parts = [f"{first_label} {first}"] + [f"− {-delta} {label}" for label, delta in rest]
        return f"{' '.join(parts)} = {self.count}"


def entitled_count(*, convened: int, exclusions: Mapping[str, int]) -> Entitled:
    """Those convened minus each excluded category; categories with a zero count are left out."""
    if convened < 0:
        raise ValueError(f"convened must not be negative, got {convened}")
    derivation: list[tuple[str, int]] = [("convened", convened)]
    count = convened
    for label, excluded in exclusions.items():
        if excluded < 0:
            raise ValueError(f"exclusion {label!r} must not be negative, got {excluded}")
        if excluded:
            derivation.append((label, -excluded))
            count -= excluded
    if count < 0:
        raise ValueError(f"exclusions ({convened - count}) exceed those convened ({convened})")
    return Entitled(count=count, derivation=tuple(derivation))


# --- Tally ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Runoff:
    """Candidates tied at the last seat(s): a run-off among exactly them for `seats` seats."""

    candidates: tuple[str, ...]
    seats: int


@dataclass(frozen=True)
class RoundResult:
    """The outcome of counting one round of ballots."""

    slate: tuple[str, ...]
    seats: int
    entitled: int
    valid: int
    invalid_by_reason: Mapping[Validity, int]
    votes: Mapping[str, int]  # every candidate, most votes first, then by name
    threshold: int  # the fewest votes that elect: more than half of those entitled
    elected: tuple[str, ...]  # most votes first; equal votes by name, for display only
    runoff: Runoff | None

    @property
    def invalid(self) -> int:
        return sum(self.invalid_by_reason.values())

    @property
    def ballots(self) -> int:
        return self.valid + self.invalid

    @property
    def tied(self) -> tuple[str, ...]:
        return self.runoff.candidates if self.runoff else ()

    @property
    def seats_remaining(self) -> int:
        """Seats not filled in this round, whether by a run-off or a further round."""
        return self.seats - len(self.elected)

    @property
    def unfilled_seats(self) -> int:
        """Seats for which too few candidates reached the threshold."""
        return self.seats_remaining - (self.runoff.seats if self.runoff else 0)

    @property
    def not_elected(self) -> tuple[str, ...]:
        """Candidates not elected, most votes first; the congress decides on a further round."""
        return tuple(c for c in self.votes if c not in self.elected)


def election_threshold(entitled: int) -> int:
    """The fewest votes that are more than half of `entitled` (11 → 6, 10 → 6)."""
    return entitled // 2 + 1


def count_round(
    *, slate: Sequence[str], seats: int, ballots: Iterable[Ballot], entitled: int
) -> RoundResult:
    """Count one round: validity, votes per candidate, who is elected, who goes to a run-off."""
    _check_slate(slate)
    if seats < 1:
        raise ValueError(f"seats must be at least 1, got {seats}")
    if entitled < 1:
        raise ValueError(f"entitled must be at least 1, got {entitled}")
    invalid: Counter[Validity] = Counter()
    tally: Counter[str] = Counter({candidate: 0 for candidate in slate})
    valid = 0
    for ballot in ballots:
        validity = ballot_validity(ballot, slate=slate, seats=seats)
        if validity is Validity.VALID:
            valid += 1
            tally.update(ballot.votes)
        else:
            invalid[validity] += 1
    votes = dict(sorted(tally.items(), key=_by_votes_then_name))
    threshold = election_threshold(entitled)
    elected, runoff = _fill_seats(votes, seats=seats, threshold=threshold)
    return RoundResult(
        slate=tuple(slate),
        seats=seats,
        entitled=entitled,
        valid=valid,
        invalid_by_reason=MappingProxyType({r: invalid[r] for r in INVALID_REASONS}),
        votes=MappingProxyType(votes),
        threshold=threshold,
        elected=elected,
        runoff=runoff,
    )


def count_totals(
    *,
    slate: Sequence[str],
    seats: int,
    votes: Mapping[str, int],
    valid: int,
    invalid_by_reason: Mapping[Validity, int],
    entitled: int,
) -> RoundResult:
    """Count a round from per-candidate totals (a paper tally entered as totals, not ballots)."""
    _check_slate(slate)
    if seats < 1:
        raise ValueError(f"seats must be at least 1, got {seats}")
    if entitled < 1:
        raise ValueError(f"entitled must be at least 1, got {entitled}")
    if set(votes) != set(slate):
        raise ValueError("totals must name exactly the candidates on the slate")
    ordered = dict(sorted(votes.items(), key=_by_votes_then_name))
    threshold = election_threshold(entitled)
    elected, runoff = _fill_seats(ordered, seats=seats, threshold=threshold)
    return RoundResult(
        slate=tuple(slate),
        seats=seats,
        entitled=entitled,
        valid=valid,
        invalid_by_reason=MappingProxyType(
            {r: invalid_by_reason.get(r, 0) for r in INVALID_REASONS}
        ),
        votes=MappingProxyType(ordered),
        threshold=threshold,
        elected=elected,
        runoff=runoff,
    )


def _check_slate(slate: Sequence[str]) -> None:
    if not slate:
        raise ValueError("the slate has no candidates")
    if len(set(slate)) != len(slate):
        raise ValueError("the slate lists a candidate more than once")


def _by_votes_then_name(item: tuple[str, int]) -> tuple[int, str]:
    candidate, votes = item
    return (-votes, candidate)


def _fill_seats(
    votes: Mapping[str, int], *, seats: int, threshold: int
) -> tuple[tuple[str, ...], Runoff | None]:
    """Elect in order of votes; a tie that would overflow the last seat goes to a run-off."""
    qualified = [c for c, v in votes.items() if v >= threshold]  # already most votes first
    if len(qualified) <= seats:
        return tuple(qualified), None
    last_seat_votes = votes[qualified[seats - 1]]
    elected = tuple(c for c in qualified if votes[c] > last_seat_votes)
    tied = tuple(c for c in qualified if votes[c] == last_seat_votes)
    if len(elected) + len(tied) <= seats:
        return elected + tied, None
    return elected, Runoff(candidates=tied, seats=seats - len(elected))


# --- Delegates and alternates from one list ---------------------------------------------------


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


# --- Problems reported to the counting board or the organizers -------------------------------


class ProblemCode(StrEnum):
    NEGATIVE_FIGURE = "negative_figure"
    ISSUED_NOT_RETURNED_PLUS_NOT_RETURNED = "issued_not_returned_plus_not_returned"
    RETURNED_NOT_VALID_PLUS_INVALID = "returned_not_valid_plus_invalid"
    CANDIDATE_ABOVE_VALID = "candidate_above_valid"
    VOTES_ABOVE_MAXIMUM = "votes_above_maximum"
    VOTES_BELOW_MINIMUM = "votes_below_minimum"
    SLATE_TOO_SMALL = "slate_too_small"
    SLATE_TOO_LARGE = "slate_too_large"


@dataclass(frozen=True)
class Problem:
    """One inconsistency: a stable machine code and an English message the app translates."""

    code: ProblemCode
    message: str


class BallotForm(Enum):
    STRIKE_OUT = "strike_out"
    AGREE_DISAGREE = "agree_disagree"


def reconcile_paper(
    *,
    issued: int,
    returned: int,
    not_returned: int,
    valid: int,
    invalid: int,
    per_candidate_totals: Mapping[str, int] | None = None,
    seats: int | None = None,
    ballot_form: BallotForm = BallotForm.STRIKE_OUT,
) -> list[Problem]:
    """Check a paper tally's figures against each other; an empty list means consistent."""
    totals = per_candidate_totals or {}
    figures = {
        "issued": issued,
        "returned": returned,
        "not returned": not_returned,
        "valid": valid,
        "invalid": invalid,
    } | {f"votes for {c}": n for c, n in totals.items()}
    problems = [
        Problem(ProblemCode.NEGATIVE_FIGURE, f"The {label} figure is negative ({n}).")
        for label, n in figures.items()
        if n < 0
    ]
    if issued != returned + not_returned:
        problems.append(
            Problem(
                ProblemCode.ISSUED_NOT_RETURNED_PLUS_NOT_RETURNED,
                f"Ballots issued ({issued}) must equal ballots returned ({returned}) plus "
                f"ballots not returned ({not_returned}).",
            )
        )
    if returned != valid + invalid:
        problems.append(
            Problem(
                ProblemCode.RETURNED_NOT_VALID_PLUS_INVALID,
                f"Ballots returned ({returned}) must equal valid ballots ({valid}) plus "
                f"invalid ballots ({invalid}).",
            )
        )
    if per_candidate_totals is None:
        return problems
    problems.extend(
        Problem(
            ProblemCode.CANDIDATE_ABOVE_VALID,
            f"{candidate} has {n} votes, more than the {valid} valid ballots.",
        )
        for candidate, n in totals.items()
        if n > valid
    )
    total = sum(totals.values())
    if seats is not None and total > valid * seats:
        problems.append(
            Problem(
                ProblemCode.VOTES_ABOVE_MAXIMUM,
                f"The votes add up to {total}, more than {valid} valid ballots × {seats} seats "
                f"= {valid * seats}.",
            )
        )
    # A valid strike-out ballot leaves at least one name; an agree/disagree one may leave none.
    if ballot_form is BallotForm.STRIKE_OUT and total < valid:
        problems.append(
            Problem(
                ProblemCode.VOTES_BELOW_MINIMUM,
                f"The votes add up to {total}, fewer than the {valid} valid ballots, each of "
                "which leaves at least one name.",
            )
        )
    return problems


# --- Slate rules ------------------------------------------------------------------------------


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
    if candidates < allowed.minimum:
        return [Problem(ProblemCode.SLATE_TOO_SMALL, expected)]
    if candidates > allowed.maximum:
        return [Problem(ProblemCode.SLATE_TOO_LARGE, expected)]
    return []


def floor_nomination_admitted(
    *, agreeing: int, delegates: int, threshold: Fraction | float = Fraction(30, 100)
) -> bool:
    """A floor or self nomination joins the slate with strictly more than `threshold` agreeing."""
    return agreeing > delegates * _exact(threshold)  # Decision 190-QĐ/TW art. 14.3


def _exact(share: Fraction | float) -> Fraction:
    """`0.1` as exactly 1/10, so that 60 seats × 10 % is 6 and not 6.000000000000001."""
    return Fraction(str(share)) if isinstance(share, float) else share
