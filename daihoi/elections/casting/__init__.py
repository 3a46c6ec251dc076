"""Casting an electronic ballot: the one implementation, for the Django action and the lean path.

A cast has two halves. `prepare` checks the submission against the poll and the voter (what
a well-formed ballot is, `counting.ballot_content`), seals it to the election's key and
derives the receipt and the form token's hash: no database. `cast_transaction` is the
database half for a *batch* of prepared casts, written once as a sequence of SQL statements
(a generator that yields each statement and receives its rows), so the same statements run

- through Django's connection, inside the action's transaction (`run_sync`): the page form,
  the API under the development server or on SQLite, tests; a batch of one;
- through a psycopg 3 async connection of the lean ASGI path (`cast_batches.run_async`,
  `elections.cast_asgi`), where concurrent casts are gathered for a few milliseconds and
  committed together (group commit); each voter is acknowledged only after that commit.

Inside the transaction, for each election of the batch: the poll's and the congress's state
are re-read under a share lock (a poll being closed waits for the batch, or the batch sees it
closed); API tokens are re-checked (a revoked token or a deactivated user is refused however
long the lean path has cached it); the voters' roster lines are re-checked; then the
participations are inserted (the unique constraint decides: a retry of the same form gets the
same receipt, a second ballot is refused), the sealed ballots and the receipts (each in a
shuffled order, so no row order inside a batch follows the voters'), and one audit event per
voter, "who voted, never how", appended to the keyed chain under its head row's lock
(`audit.append`). Whatever the transaction cannot vouch for any more (poll closed, token
revoked, voter no longer on the roster) comes back `STALE`: the caller drops what it cached
and answers through Django's own checks.

One module per half: `preparing` (no database), `transaction` (the statements) and `sync`
(the statements through Django's connection); the lean path's driver is `cast_batches.run_async`.
"""

from daihoi.elections.casting.preparing import (
    FORM_TOKEN,
    Kind,
    Outcome,
    Pending,
    Poll,
    Voter,
    already_voted,
    form_damaged,
    form_marks,
    not_a_voter,
    not_checked_in,
    poll_not_open,
    poll_of,
    prepare,
    receipt_code,
    token_hash,
)
from daihoi.elections.casting.statements import Dialect, Statement
from daihoi.elections.casting.sync import DjangoDialect, cast_one, run_sync
from daihoi.elections.casting.transaction import (
    TOKEN_USE_RESOLUTION,
    Steps,
    Written,
    cast_transaction,
)

__all__ = [
    "FORM_TOKEN",
    "TOKEN_USE_RESOLUTION",
    "Dialect",
    "DjangoDialect",
    "Kind",
    "Outcome",
    "Pending",
    "Poll",
    "Statement",
    "Steps",
    "Voter",
    "Written",
    "already_voted",
    "cast_one",
    "cast_transaction",
    "form_damaged",
    "form_marks",
    "not_a_voter",
    "not_checked_in",
    "poll_not_open",
    "poll_of",
    "prepare",
    "receipt_code",
    "run_sync",
    "token_hash",
]
