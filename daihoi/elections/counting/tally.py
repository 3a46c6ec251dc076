"""Those entitled to vote, the threshold (more than half of them), and counting a round:
seats filled in order of votes, a run-off among those tied at the last seat."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from daihoi.elections.counting.ballots import INVALID_REASONS, Ballot, Validity, ballot_validity


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
    _check_round(slate=slate, seats=seats, entitled=entitled)
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
    return _result(
        slate=slate, seats=seats, entitled=entitled, valid=valid, invalid=invalid, votes=tally
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
    _check_round(slate=slate, seats=seats, entitled=entitled)
    if set(votes) != set(slate):
        raise ValueError("totals must name exactly the candidates on the slate")
    return _result(
        slate=slate,
        seats=seats,
        entitled=entitled,
        valid=valid,
        invalid=invalid_by_reason,
        votes=votes,
    )


def _check_round(*, slate: Sequence[str], seats: int, entitled: int) -> None:
    _check_slate(slate)
    if seats < 1:
        raise ValueError(f"seats must be at least 1, got {seats}")
    if entitled < 1:
        raise ValueError(f"entitled must be at least 1, got {entitled}")


def _result(
    *,
    slate: Sequence[str],
    seats: int,
    entitled: int,
    valid: int,
    invalid: Mapping[Validity, int],
    votes: Mapping[str, int],
) -> RoundResult:
    """Votes in order (most first, then by name), the threshold, the elected and any run-off."""
    ordered = dict(sorted(votes.items(), key=_by_votes_then_name))
    threshold = election_threshold(entitled)
    elected, runoff = _fill_seats(ordered, seats=seats, threshold=threshold)
    return RoundResult(
        slate=tuple(slate),
        seats=seats,
        entitled=entitled,
        valid=valid,
        invalid_by_reason=MappingProxyType({r: invalid.get(r, 0) for r in INVALID_REASONS}),
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
