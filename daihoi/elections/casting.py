# ruff: noqa: S608  (table names come from the models' meta; every value is a parameter)
"""Casting an electronic ballot: the one implementation, for the Django action and the lean path.

A cast has two halves. `prepare` checks the submission against the poll and the voter (what
a well-formed ballot is, `counting.ballot_content`), seals it to the election's key and
derives the receipt and the form token's hash: no database. `cast_transaction` is the
database half for a *batch* of prepared casts, written once as a sequence of SQL statements
(a generator that yields each statement and receives its rows), so the same statements run

- through Django's connection, inside the action's transaction (`run_sync`): the page form,
  the API under the development server or on SQLite, tests; a batch of one;
- through a psycopg 3 async connection of the lean ASGI path (`run_async`,
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
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import random
import re
import uuid
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection as django_connection
from django.utils.translation import gettext as _

from daihoi.congresses.gates import CLOSED as CONGRESS_CLOSED
from daihoi.core import audit
from daihoi.core.errors import field_errors, refusal
from daihoi.elections import counting, queries, sealing
from daihoi.elections.models import Election, Participation, Receipt, SealedBallot

FORM_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")
TOKEN_USE_RESOLUTION = datetime.timedelta(minutes=1)  # as `accounts.queries.user_by_token`
_shuffle = random.SystemRandom().shuffle


def receipt_code(*, election_id: int, form_token: str) -> str:
    """HMAC of the ballot form's token: the voter can recompute nothing, the server can on retry.

    Participation stores sha256(token), the receipt table HMAC(secret, token): neither can be
    derived from the other, so no stored row links a receipt to a voter.
    """
    mac = hmac.new(
        settings.SECRET_KEY.encode(), f"receipt:{election_id}:{form_token}".encode(), "sha256"
    ).digest()
    raw = base64.b32encode(mac[:10]).decode()  # 80 bits, 16 characters
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def token_hash(form_token: str) -> str:
    return hashlib.sha256(form_token.encode()).hexdigest()


# What a cast needs to know, cached by the lean path ------------------------------------------


@dataclass(frozen=True)
class Poll:
    """An open electronic poll as a cast sees it (`poll_of`)."""

    election_id: int
    congress_id: int
    unit_path: str
    strike_out: bool
    slate: tuple[str, ...]
    public_key: bytes
    padded_size: int


@dataclass(frozen=True)
class Voter:
    """A checked-in delegate of the poll's congress, and the account casting for them."""

    user_id: int
    username: str
    delegate_id: int
    api_key_hash: str = ""  # the API token the lean path authenticated; "" for Django's checks


@dataclass(frozen=True)
class Pending:
    """A prepared cast: checked, sealed, waiting for its transaction."""

    poll: Poll
    voter: Voter
    token_hash: str
    receipt: str
    sealed: bytes


class Kind(Enum):
    RECORDED = "recorded"
    RETRY = "retry"  # the same form again: the same receipt, nothing written
    ALREADY_VOTED = "already_voted"
    FORM_TAKEN = "form_taken"  # another voter's receipt came from this form token
    STALE = "stale"  # what was cached no longer holds; `why` says which


@dataclass(frozen=True)
class Outcome:
    kind: Kind
    receipt: str = ""
    why: str = ""  # for STALE: "poll", "congress", "token" or "voter"


def form_damaged() -> Exception:
    return refusal(
        _("The ballot form is damaged; reload the page."),
        code="ballot_form_damaged_reload",
        field="form_token",
    )


def poll_not_open() -> Exception:
    return refusal(_("The poll is not open."), code="poll_not_open", field="election")


def already_voted() -> Exception:
    return refusal(
        _("You have already voted in this election."),
        code="you_already_voted_election",
        field="election",
    )


def not_a_voter() -> Exception:
    return PermissionDenied(_("Only delegates summoned to this congress vote in it."))


def not_checked_in() -> Exception:
    return refusal(
        _("Check in at the congress before you vote."),
        code="check_congress_before_you",
        field="delegate",
    )


def poll_of(election: Election) -> Poll:
    """The poll of `election`, refusing a paper poll or one that is not open."""
    if election.mode != Election.Mode.ELECTRONIC:
        raise refusal(
            _("This election uses paper ballots."),
            code="election_uses_paper_ballots",
            field="election",
        )
    if election.state != Election.State.OPEN:
        raise poll_not_open()
    slate = queries.slate_ids(election)
    form = queries.ballot_form(election, slate_size=len(slate))
    return Poll(
        election_id=election.pk,
        congress_id=election.congress_id,
        unit_path=election.congress.unit.path,
        strike_out=form is counting.BallotForm.STRIKE_OUT,
        slate=tuple(slate),
        public_key=bytes(election.public_key or b""),
        padded_size=sealing.padded_size(slate),
    )


def _content_refusal(exc: counting.ContentError) -> Exception:
    problem = counting.ContentProblem
    if exc.problem is problem.NOT_ON_SLATE:
        return field_errors(
            {exc.field: _("Not on this election's slate: %(ids)s.") % {"ids": ", ".join(exc.ids)}}
        )
    message = {
        problem.NO_NAMES_LISTED: _("The ballot lists no names left standing."),
        problem.MARKED_BOTH_WAYS: _("A candidate cannot be marked both ways."),
        problem.DAMAGED: _("The ballot form is damaged; reload the page."),
    }[exc.problem]
    return refusal(message, code=exc.problem.value, field=exc.field)


def prepare(
    poll: Poll,
    voter: Voter,
    *,
    form_token: str,
    kept: Sequence[str] | None = None,
    agreed: Sequence[str] | None = None,
    disagreed: Sequence[str] | None = None,
) -> Pending:
    """Check a submission and seal it; raises the refusal a voter is shown."""
    if not FORM_TOKEN.match(form_token or ""):
        raise form_damaged()
    try:
        content = counting.ballot_content(
            strike_out=poll.strike_out,
            slate=poll.slate,
            kept=kept,
            agreed=agreed,
            disagreed=disagreed,
        )
    except counting.ContentError as exc:
        raise _content_refusal(exc) from None
    if not poll.public_key:  # opened before ballots were sealed: close and reopen it
        raise refusal(
            _("This poll has no key to seal ballots with."),
            code="poll_has_no_key",
            field="election",
        )
    packed = sealing.pack_ballot(content, size=poll.padded_size)
    return Pending(
        poll=poll,
        voter=voter,
        token_hash=token_hash(form_token),
        receipt=receipt_code(election_id=poll.election_id, form_token=form_token),
        sealed=sealing.seal(poll.public_key, packed),
    )


# The transaction, as statements ----------------------------------------------------------


class Dialect(Protocol):
    """How values and locks are spelled for one driver."""

    locks: bool  # SELECT … FOR SHARE / FOR UPDATE (PostgreSQL); SQLite's writer lock is whole

    def uuid(self, value: uuid.UUID) -> Any: ...
    def binary(self, value: bytes) -> Any: ...
    def json(self, value: Any) -> Any: ...
    def time(self, value: datetime.datetime) -> Any: ...


Statement = tuple[str, list[Any], bool]  # SQL, parameters, whether its rows are wanted


@dataclass(frozen=True)
class Written:
    outcomes: list[Outcome]  # one per cast of the batch, in its order
    checkpoint: bool = False  # the audit chain crossed a checkpoint step: take one after commit


# Each yield is a group of statements; what comes back is each one's rows ([] if not wanted).
Steps = Generator[list[Statement], list[list[tuple[Any, ...]]], Written]


def _marks(n: int) -> str:
    return ", ".join(["%s"] * n)


def _tables() -> dict[str, str]:
    from daihoi.accounts.models import ApiToken, User
    from daihoi.conduct.models import Delegate
    from daihoi.congresses.models import Congress
    from daihoi.core.models import AuditEvent, AuditHead

    models = {
        "election": Election,
        "congress": Congress,
        "token": ApiToken,
        "user": User,
        "delegate": Delegate,
        "participation": Participation,
        "sealed": SealedBallot,
        "receipt": Receipt,
        "event": AuditEvent,
        "head": AuditHead,
    }
    return {name: model._meta.db_table for name, model in models.items()}


def cast_transaction(
    batch: Sequence[Pending], dialect: Dialect, *, now: datetime.datetime
) -> Steps:
    """The statements of one transaction writing `batch`; returns one outcome per cast.

    Statements are yielded in groups: those of a group do not depend on one another's
    results, so a driver may send a group at once (the async driver pipelines it) and the
    transaction costs four round trips, whatever the batch's size.
    """
    t = _tables()
    outcomes: list[Outcome | None] = [None] * len(batch)
    voters = [pending.voter for pending in batch]
    by_election: dict[int, list[int]] = {}
    for i, pending in enumerate(batch):
        by_election.setdefault(pending.poll.election_id, []).append(i)
    elections = sorted(by_election)
    share = " FOR SHARE OF e" if dialect.locks else ""

    def stale(indexes: Sequence[int], why: str) -> None:
        for i in indexes:
            if outcomes[i] is None:
                outcomes[i] = Outcome(Kind.STALE, why=why)

    # 1. Read, for every election of the batch at once: the poll's state (under a share lock:
    # a close waits for this transaction), the voters (an API token is resolved here, for
    # the whole batch in one query, which is also its check: revoked, account deactivated,
    # roster line gone or not checked in; a voter Django authenticated has their roster line
    # checked again), the forms they already voted with, and receipt codes already taken.
    reads: list[Statement] = []
    plan: list[tuple[str, int]] = []
    for election_id in elections:
        indexes = by_election[election_id]
        poll = batch[indexes[0]].poll
        reads.append(
            (
                f"SELECT e.state, c.state FROM {t['election']} e JOIN {t['congress']} c "
                f"ON c.id = e.congress_id WHERE e.id = %s{share}",
                [election_id],
                True,
            )
        )
        plan.append(("state", election_id))
        keyed = sorted({voters[i].api_key_hash for i in indexes if voters[i].api_key_hash})
        if keyed:
            reads.append(
                (
                    f"SELECT t.key_hash, u.id, u.username, d.id, p.token_hash FROM {t['token']} t "
                    f"JOIN {t['user']} u ON u.id = t.user_id "
                    f"JOIN {t['delegate']} d ON d.person_id = u.person_id "
                    f"LEFT JOIN {t['participation']} p ON p.delegate_id = d.id "
                    "AND p.election_id = %s "
                    f"WHERE t.key_hash IN ({_marks(len(keyed))}) AND t.revoked_at IS NULL "
                    "AND u.is_active = %s AND d.congress_id = %s AND d.status = %s "
                    "AND d.checked_in_at IS NOT NULL ORDER BY d.id",
                    [election_id, *keyed, True, poll.congress_id, "summoned"],
                    True,
                )
            )
            plan.append(("keyed", election_id))
        checked = sorted({voters[i].delegate_id for i in indexes if not voters[i].api_key_hash})
        if checked:
            reads.append(
                (
                    f"SELECT d.id, u.id, p.token_hash FROM {t['delegate']} d "
                    f"JOIN {t['user']} u ON u.person_id = d.person_id "
                    f"LEFT JOIN {t['participation']} p ON p.delegate_id = d.id "
                    "AND p.election_id = %s "
                    "WHERE d.congress_id = %s AND d.status = %s "
                    f"AND d.checked_in_at IS NOT NULL AND d.id IN ({_marks(len(checked))})",
                    [election_id, poll.congress_id, "summoned", *checked],
                    True,
                )
            )
            plan.append(("checked", election_id))
        codes = sorted({batch[i].receipt for i in indexes})
        reads.append(
            (
                f"SELECT code FROM {t['receipt']} WHERE election_id = %s "
                f"AND code IN ({_marks(len(codes))})",
                [election_id, *codes],
                True,
            )
        )
        plan.append(("codes", election_id))
    results = yield reads

    stored: dict[int, dict[int, str]] = {e: {} for e in elections}  # delegate -> form hash
    taken: dict[int, set[str]] = {e: set() for e in elections}
    all_keys: set[str] = set()
    for (what, election_id), rows in zip(plan, results, strict=True):
        indexes = by_election[election_id]
        if what == "state":
            if not rows or rows[0][0] != Election.State.OPEN:
                stale(indexes, "poll")
            elif rows[0][1] in CONGRESS_CLOSED:
                stale(indexes, "congress")
        elif what == "keyed":
            found: dict[str, Voter] = {}
            for key, user_id, username, delegate_id, form in rows:
                if key not in found:
                    found[key] = Voter(user_id, username, delegate_id, key)
                    if form is not None:
                        stored[election_id][delegate_id] = form
            for i in indexes:
                key = voters[i].api_key_hash
                if key and key in found:
                    voters[i] = found[key]
                    all_keys.add(key)
                elif key:
                    stale([i], "token")
        elif what == "checked":
            entitled = {(d, u) for d, u, _form in rows}
            for d, _u, form in rows:
                if form is not None:
                    stored[election_id][d] = form
            stale(
                [
                    i
                    for i in indexes
                    if not voters[i].api_key_hash
                    and (voters[i].delegate_id, voters[i].user_id) not in entitled
                ],
                "voter",
            )
        else:
            taken[election_id] = {code for (code,) in rows}

    # A receipt code taken but no form stored for its voter in this read: committed since,
    # by this voter's own retry perhaps. Read their forms again (rare).
    again: list[Statement] = []
    again_for: list[int] = []
    for election_id in elections:
        recheck = [
            voters[i].delegate_id
            for i in by_election[election_id]
            if outcomes[i] is None
            and batch[i].receipt in taken[election_id]
            and voters[i].delegate_id not in stored[election_id]
        ]
        if recheck:
            again.append(
                (
                    f"SELECT delegate_id, token_hash FROM {t['participation']} "
                    f"WHERE election_id = %s AND delegate_id IN ({_marks(len(recheck))})",
                    [election_id, *recheck],
                    True,
                )
            )
            again_for.append(election_id)
    if again:
        for election_id, rows in zip(again_for, (yield again), strict=True):
            stored[election_id].update({d: h for d, h in rows})

    # 2. Insert the participations of those with none yet (the unique constraint decides a
    # race with another batch), in delegate order so concurrent batches lock alike.
    leaders: dict[int, dict[int, int]] = {e: {} for e in elections}
    inserts: list[Statement] = []
    insert_for: list[int] = []
    for election_id in elections:
        fresh: list[int] = []
        for i in by_election[election_id]:
            if outcomes[i] is not None:
                continue
            delegate = voters[i].delegate_id
            if delegate in leaders[election_id]:
                continue
            leaders[election_id][delegate] = i
            if delegate in stored[election_id]:
                continue
            if batch[i].receipt in taken[election_id]:
                outcomes[i] = Outcome(Kind.FORM_TAKEN)
                continue
            taken[election_id].add(batch[i].receipt)
            fresh.append(i)
        if fresh:
            fresh.sort(key=lambda i: voters[i].delegate_id)
            inserts.append(
                (
                    f"INSERT INTO {t['participation']} (id, election_id, delegate_id, "
                    f"token_hash) VALUES {', '.join(['(%s, %s, %s, %s)'] * len(fresh))} "
                    "ON CONFLICT (election_id, delegate_id) DO NOTHING RETURNING delegate_id",
                    [
                        v
                        for i in fresh
                        for v in (
                            dialect.uuid(uuid.uuid4()),
                            election_id,
                            voters[i].delegate_id,
                            batch[i].token_hash,
                        )
                    ],
                    True,
                )
            )
            insert_for.append(election_id)
    inserted: dict[int, set[int]] = {e: set() for e in elections}
    if inserts:
        for election_id, rows in zip(insert_for, (yield inserts), strict=True):
            inserted[election_id] = {d for (d,) in rows}
            for d in inserted[election_id]:
                stored[election_id][d] = batch[leaders[election_id][d]].token_hash
        raced: list[Statement] = []
        raced_for: list[int] = []
        for election_id in elections:
            lost = [
                d
                for d, i in leaders[election_id].items()
                if outcomes[i] is None
                and d not in stored[election_id]
                and d not in inserted[election_id]
            ]
            if lost:  # another batch committed a ballot for them meanwhile
                raced.append(
                    (
                        f"SELECT delegate_id, token_hash FROM {t['participation']} "
                        f"WHERE election_id = %s AND delegate_id IN ({_marks(len(lost))})",
                        [election_id, *lost],
                        True,
                    )
                )
                raced_for.append(election_id)
        if raced:
            for election_id, rows in zip(raced_for, (yield raced), strict=True):
                stored[election_id].update({d: h for d, h in rows})

    recorded: list[int] = []
    for election_id in elections:
        for i in by_election[election_id]:
            if outcomes[i] is not None:
                continue
            delegate = voters[i].delegate_id
            if leaders[election_id][delegate] == i and delegate in inserted[election_id]:
                outcomes[i] = Outcome(Kind.RECORDED, receipt=batch[i].receipt)
                recorded.append(i)
            elif delegate not in stored[election_id]:
                outcomes[i] = Outcome(Kind.STALE, why="voter")  # nothing stored: ask again
            elif hmac.compare_digest(stored[election_id][delegate], batch[i].token_hash):
                outcomes[i] = Outcome(Kind.RETRY, receipt=batch[i].receipt)
            else:
                outcomes[i] = Outcome(Kind.ALREADY_VOTED)

    # 3. The sealed ballots and receipts, each shuffled (no row order follows the voters'),
    # and the audit chains' heads, locked (sent together).
    writes: list[Statement] = []
    if all_keys:  # "last used" to the minute, as the Django path records it
        keys = sorted(all_keys)
        writes.append(
            (
                f"UPDATE {t['token']} SET last_used_at = %s WHERE key_hash IN "
                f"({_marks(len(keys))}) AND (last_used_at IS NULL OR last_used_at < %s)",
                [dialect.time(now), *keys, dialect.time(now - TOKEN_USE_RESOLUTION)],
                False,
            )
        )
    audit_entries: dict[str, list[dict[str, Any]]] = {}
    for election_id in elections:
        mine = [i for i in recorded if batch[i].poll.election_id == election_id]
        if not mine:
            continue
        poll = batch[mine[0]].poll
        boxes = [batch[i].sealed for i in mine]
        receipts = [batch[i].receipt for i in mine]
        _shuffle(boxes)
        _shuffle(receipts)
        writes.append(
            (
                f"INSERT INTO {t['sealed']} (id, election_id, sealed) VALUES "
                + ", ".join(["(%s, %s, %s)"] * len(boxes)),
                [
                    v
                    for box in boxes
                    for v in (dialect.uuid(uuid.uuid4()), election_id, dialect.binary(box))
                ],
                False,
            )
        )
        writes.append(
            (
                f"INSERT INTO {t['receipt']} (id, election_id, code) VALUES "
                + ", ".join(["(%s, %s, %s)"] * len(receipts)),
                [v for code in receipts for v in (dialect.uuid(uuid.uuid4()), election_id, code)],
                False,
            )
        )
        chain = audit.chain_of(poll.unit_path)
        for i in sorted(mine, key=lambda i: voters[i].delegate_id):
            audit_entries.setdefault(chain, []).append(
                {
                    "at": now,
                    "actor_id": voters[i].user_id,
                    "actor_label": voters[i].username,
                    "action": "ballot_cast",
                    "object_type": Election._meta.label_lower,
                    "object_id": election_id,
                    "unit_path": poll.unit_path,
                    "changes": {"delegate": voters[i].delegate_id},  # who voted, never how
                }
            )
    chains = sorted(audit_entries)
    lock = " FOR UPDATE" if dialect.locks else ""
    for chain in chains:
        writes.append(
            (
                f"INSERT INTO {t['head']} (chain, last_seq, last_hash) SELECT %s, 0, %s "
                f"WHERE NOT EXISTS (SELECT 1 FROM {t['head']} WHERE chain = %s) "
                "ON CONFLICT (chain) DO NOTHING",
                [chain, audit.GENESIS, chain],
                False,
            )
        )
        writes.append(
            (f"SELECT last_seq, last_hash FROM {t['head']} WHERE chain = %s{lock}", [chain], True)
        )
    heads = (yield writes) if writes else []

    # 4. One keyed event per voter appended to its chain, and the heads moved on; the driver
    # commits with them.
    tail: list[Statement] = []
    checkpoint = False
    columns = (
        "chain, seq, at, actor_id, actor_label, action, object_type, object_id, "
        "unit_path, changes, prev_hash, hash"
    )
    head_rows = heads[-2 * len(chains) + 1 :: 2] if chains else []
    for chain, rows in zip(chains, head_rows, strict=True):
        last_seq, last_hash = rows[0]
        events = audit.append(
            chain=chain, last_seq=int(last_seq), last_hash=last_hash, events=audit_entries[chain]
        )
        tail.append(
            (
                f"INSERT INTO {t['event']} ({columns}) VALUES "
                + ", ".join(["(" + _marks(12) + ")"] * len(events)),
                [
                    v
                    for e in events
                    for v in (
                        e.chain,
                        e.seq,
                        dialect.time(e.at),
                        e.actor_id,
                        e.actor_label,
                        e.action,
                        e.object_type,
                        e.object_id,
                        e.unit_path,
                        dialect.json(e.changes),
                        e.prev_hash,
                        e.hash,
                    )
                ],
                False,
            )
        )
        tail.append(
            (
                f"UPDATE {t['head']} SET last_seq = %s, last_hash = %s WHERE chain = %s",
                [events[-1].seq, events[-1].hash, chain],
                False,
            )
        )
        checkpoint = checkpoint or audit.checkpoint_due(events[0].seq, events[-1].seq)
    if tail:
        yield tail

    return Written(
        outcomes=[o if o is not None else Outcome(Kind.STALE, why="voter") for o in outcomes],
        checkpoint=checkpoint,
    )


# Drivers -------------------------------------------------------------------------------


class DjangoDialect:
    """Values as Django's fields prepare them for the current connection (SQLite or PG)."""

    def __init__(self) -> None:
        self.locks = django_connection.vendor == "postgresql"
        self._uuid = Participation._meta.get_field("id")
        self._binary = SealedBallot._meta.get_field("sealed")
        from daihoi.core.models import AuditEvent

        self._json = AuditEvent._meta.get_field("changes")
        self._time = AuditEvent._meta.get_field("at")

    def uuid(self, value: uuid.UUID) -> Any:
        return self._uuid.get_db_prep_value(value, django_connection)

    def binary(self, value: bytes) -> Any:
        return self._binary.get_db_prep_value(value, django_connection)

    def json(self, value: Any) -> Any:
        return self._json.get_db_prep_value(value, django_connection)

    def time(self, value: datetime.datetime) -> Any:
        return self._time.get_db_prep_value(value, django_connection)


def run_sync(steps: Steps) -> Written:
    """Run the statements on Django's connection, inside the caller's transaction."""
    with django_connection.cursor() as cursor:
        try:
            group = next(steps)
            while True:
                results = []
                for sql, params, wanted in group:
                    cursor.execute(sql, params)
                    results.append(list(cursor.fetchall()) if wanted else [])
                group = steps.send(results)
        except StopIteration as done:
            written: Written = done.value
            return written


def cast_one(pending: Pending) -> Outcome:
    """One cast through Django's connection (a batch of one); call inside a transaction."""
    from django.db import transaction
    from django.utils import timezone

    written = run_sync(cast_transaction([pending], DjangoDialect(), now=timezone.now()))
    if written.checkpoint:
        transaction.on_commit(audit.checkpoint_every, robust=True)
    return written.outcomes[0]
