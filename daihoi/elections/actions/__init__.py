"""Writes for elections: slate, poll, ballots, paper tallies, count, release, upward flow.

Every function here is one use case: keyword-only, atomic, permission-checked, audited once.
The use cases live in one module per stage of an election:

- `setup`: the election, its slate, floor and self nominations, opening the poll;
- `ballots`: electronic ballots (receipts, no voter link) and closing the poll;
- `keys`: counting keys, the election key's shares, unsealing the ballots at the count;
- `paper`: the counting board's paper entries, each confirmed by a second member;
- `release`: the count and its four-eyes release;
- `rounds`: run-offs and further rounds;
- `flow`: the upward flow of a released result, and bodies appointed instead of elected.
"""

from daihoi.elections.actions.ballots import (
    CastResult,
    ballot_cast,
    election_close,
)
from daihoi.elections.actions.flow import committee_appoint
from daihoi.elections.actions.keys import CountingKeyIssued, counting_key_issue
from daihoi.elections.actions.keys import fingerprint as counting_key_fingerprint
from daihoi.elections.actions.paper import (
    paper_ballot_confirm,
    paper_ballot_enter,
    paper_tally_confirm,
    paper_tally_enter,
)
from daihoi.elections.actions.release import ReleaseResult, election_count, result_confirm
from daihoi.elections.actions.rounds import election_further_round_create, election_runoff_create
from daihoi.elections.actions.setup import (
    candidate_add,
    candidate_remove,
    election_create,
    election_open,
    election_slate_from_plan,
    nomination_vote_record,
)

__all__ = [
    "CastResult",
    "CountingKeyIssued",
    "ReleaseResult",
    "ballot_cast",
    "candidate_add",
    "candidate_remove",
    "committee_appoint",
    "counting_key_fingerprint",
    "counting_key_issue",
    "election_close",
    "election_count",
    "election_create",
    "election_further_round_create",
    "election_open",
    "election_runoff_create",
    "election_slate_from_plan",
    "nomination_vote_record",
    "paper_ballot_confirm",
    "paper_ballot_enter",
    "paper_tally_confirm",
    "paper_tally_enter",
    "result_confirm",
]
