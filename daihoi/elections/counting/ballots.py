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


class ContentProblem(Enum):
    """Why a submitted electronic ballot is not a ballot of this election."""

    NO_NAMES_LISTED = "ballot_lists_no_names"
    NOT_ON_SLATE = "ballot_names_not_on_slate"
    MARKED_BOTH_WAYS = "candidate_cannot_marked_both"
    DAMAGED = "ballot_content_damaged"


class ContentError(ValueError):
    """A submitted ballot that is not well formed; `field` names the mark, `ids` the culprits."""

    def __init__(self, problem: ContentProblem, *, field: str, ids: Sequence[str] = ()) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.field = field
        self.ids = tuple(ids)


def ballot_content(
    *,
    strike_out: bool,
    slate: Iterable[str],
    kept: Iterable[str] | None = None,
    agreed: Iterable[str] | None = None,
    disagreed: Iterable[str] | None = None,
) -> dict[str, list[str]]:
    """The one definition of a well-formed electronic ballot, as stored and as counted.

    Strike-out: `{"kept": [...]}`; agree/disagree: `{"agreed": [...], "disagreed": [...]}`;
    candidate ids sorted and unique, every one on the slate, none marked both ways. Whether
    the ballot is *valid* (counts) is `ballot_validity`'s decision, at the count.
    """
    on_slate = frozenset(map(str, slate))
    if strike_out:
        if kept is None:
            raise ContentError(ContentProblem.NO_NAMES_LISTED, field="kept")
        marks: dict[str, Iterable[str]] = {"kept": kept}
    else:
        marks = {"agreed": agreed or [], "disagreed": disagreed or []}
    content: dict[str, list[str]] = {}
    for key, ids in marks.items():
        if isinstance(ids, str | bytes):
            raise ContentError(ContentProblem.DAMAGED, field=key)
        cleaned = sorted(set(map(str, ids)))
        if not on_slate.issuperset(cleaned):
            unknown = [i for i in cleaned if i not in on_slate]
            raise ContentError(ContentProblem.NOT_ON_SLATE, field=key, ids=unknown)
        content[key] = cleaned
    if not strike_out and set(content["agreed"]) & set(content["disagreed"]):
        raise ContentError(ContentProblem.MARKED_BOTH_WAYS, field="agreed")
    return content


def ballot_checked(
    content: object, *, strike_out: bool, slate: Iterable[str]
) -> dict[str, list[str]]:
    """A stored content read back (e.g. just unsealed) and held to `ballot_content` again."""
    if not isinstance(content, dict) or set(content) - {"kept", "agreed", "disagreed"}:
        raise ContentError(ContentProblem.DAMAGED, field="content")
    checked = ballot_content(
        strike_out=strike_out,
        slate=slate,
        kept=content.get("kept"),
        agreed=content.get("agreed"),
        disagreed=content.get("disagreed"),
    )
    if checked != content:
        raise ContentError(ContentProblem.DAMAGED, field="content")
    return checked


def ballot_from_content(content: dict[str, list[str]]) -> Ballot:
    """The counting form of a stored electronic ballot."""
    if "kept" in content:
        return StrikeOutBallot(kept=frozenset(content["kept"]))
    return AgreeDisagreeBallot(
        agreed=frozenset(content.get("agreed", [])),
        disagreed=frozenset(content.get("disagreed", [])),
    )
