"""Ballot counting for elections inside a congress: validity, tally, thresholds, paper checks.

Pure Python, no Django import. Reference rules: Decision 190-QĐ/TW (10 Oct 2024) and
Guidance 04-HD/TW; the percentages come from the rulebook and are parameters here.

A candidate is identified by a string (a name or an id); the slate lists each candidate once.
One module per area: `ballots` (ballots and their validity), `tally` (those entitled, the
threshold, counting a round), `delegates` (delegates and alternates from one list), `paper`
(problems, ballot forms, reconciling paper figures), `slate` (surplus rules, floor
nominations).
"""

from daihoi.elections.counting.ballots import (
    INVALID_REASONS,
    AgreeDisagreeBallot,
    Ballot,
    ContentError,
    ContentProblem,
    StrikeOutBallot,
    Validity,
    ballot_checked,
    ballot_content,
    ballot_from_content,
    ballot_validity,
    strike_out_ballot,
)
from daihoi.elections.counting.delegates import DelegateAllocation, allocate_delegates
from daihoi.elections.counting.paper import BallotForm, Problem, ProblemCode, reconcile_paper
from daihoi.elections.counting.slate import (
    SlateStage,
    SurplusRange,
    check_slate_surplus,
    floor_nomination_admitted,
    slate_surplus_range,
)
from daihoi.elections.counting.tally import (
    Entitled,
    RoundResult,
    Runoff,
    count_round,
    count_totals,
    election_threshold,
    entitled_count,
)

__all__ = [
    "INVALID_REASONS",
    "AgreeDisagreeBallot",
    "Ballot",
    "BallotForm",
    "ContentError",
    "ContentProblem",
    "DelegateAllocation",
    "Entitled",
    "Problem",
    "ProblemCode",
    "RoundResult",
    "Runoff",
    "SlateStage",
    "StrikeOutBallot",
    "SurplusRange",
    "Validity",
    "allocate_delegates",
    "ballot_checked",
    "ballot_content",
    "ballot_from_content",
    "ballot_validity",
    "check_slate_surplus",
    "count_round",
    "count_totals",
    "election_threshold",
    "entitled_count",
    "floor_nomination_admitted",
    "reconcile_paper",
    "slate_surplus_range",
    "strike_out_ballot",
]
