"""Problems reported to the counting board or the organizers, the ballot form, and the
reconciliation of paper figures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum, StrEnum


class ProblemCode(StrEnum):
    NEGATIVE_FIGURE = "negative_figure"
    ISSUED_NOT_RETURNED_PLUS_NOT_RETURNED = "issued_not_returned_plus_not_returned"
    RETURNED_NOT_VALID_PLUS_INVALID = "returned_not_valid_plus_invalid"
    NOT_ISSUED_ABOVE_INVALID = "not_issued_above_invalid"
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
    figures: Mapping[str, int | str] = field(default_factory=dict)  # for translated messages


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
    found_not_issued: int = 0,
    per_candidate_totals: Mapping[str, int] | None = None,
    seats: int | None = None,
    ballot_form: BallotForm = BallotForm.STRIKE_OUT,
) -> list[Problem]:
    """Check a paper tally's figures against each other; an empty list means consistent.

    Ballots found in the box that the counting board did not issue are returned without having
    been issued, and each is invalid (Decision 190-QĐ/TW): returned + not returned = issued +
    found not issued, and at least that many ballots are invalid.
    """
    totals = per_candidate_totals or {}
    figures = {
        "issued": issued,
        "returned": returned,
        "not returned": not_returned,
        "valid": valid,
        "invalid": invalid,
        "found not issued": found_not_issued,
    } | {f"votes for {c}": n for c, n in totals.items()}
    problems = [
        Problem(
            ProblemCode.NEGATIVE_FIGURE,
            f"The {label} figure is negative ({n}).",
            {"figure": label, "n": n},
        )
        for label, n in figures.items()
        if n < 0
    ]
    if issued + found_not_issued != returned + not_returned:
        problems.append(
            Problem(
                ProblemCode.ISSUED_NOT_RETURNED_PLUS_NOT_RETURNED,
                f"Ballots issued ({issued}) plus ballots found that were not issued "
                f"({found_not_issued}) must equal ballots returned ({returned}) plus "
                f"ballots not returned ({not_returned}).",
                {
                    "issued": issued,
                    "found": found_not_issued,
                    "returned": returned,
                    "not_returned": not_returned,
                },
            )
        )
    if found_not_issued > invalid:
        problems.append(
            Problem(
                ProblemCode.NOT_ISSUED_ABOVE_INVALID,
                f"{found_not_issued} ballots were not issued by the counting board, so at least "
                f"that many are invalid, not {invalid}.",
                {"found": found_not_issued, "invalid": invalid},
            )
        )
    if returned != valid + invalid:
        problems.append(
            Problem(
                ProblemCode.RETURNED_NOT_VALID_PLUS_INVALID,
                f"Ballots returned ({returned}) must equal valid ballots ({valid}) plus "
                f"invalid ballots ({invalid}).",
                {"returned": returned, "valid": valid, "invalid": invalid},
            )
        )
    if per_candidate_totals is None:
        return problems
    problems.extend(
        Problem(
            ProblemCode.CANDIDATE_ABOVE_VALID,
            f"{candidate} has {n} votes, more than the {valid} valid ballots.",
            {"candidate": candidate, "n": n, "valid": valid},
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
                {"total": total, "valid": valid, "seats": seats, "maximum": valid * seats},
            )
        )
    # A valid strike-out ballot leaves at least one name; an agree/disagree one may leave none.
    if ballot_form is BallotForm.STRIKE_OUT and total < valid:
        problems.append(
            Problem(
                ProblemCode.VOTES_BELOW_MINIMUM,
                f"The votes add up to {total}, fewer than the {valid} valid ballots, each of "
                "which leaves at least one name.",
                {"total": total, "valid": valid},
            )
        )
    return problems
