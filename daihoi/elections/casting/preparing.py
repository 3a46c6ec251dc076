"""The first half of a cast, without the database: what a cast needs to know (the poll, the
voter, a prepared cast, its outcome), the refusals, and `prepare` (the ballot checked with
`counting.ballot_content`, sealed, its receipt and form-token hash derived)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from daihoi.core.errors import field_errors, refusal
from daihoi.elections import counting, queries, sealing
from daihoi.elections.models import Election

if TYPE_CHECKING:
    from django.http import QueryDict

FORM_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")


def receipt_code(*, election_id: int, form_token: str) -> str:
    """HMAC of the ballot form's token: the voter can recompute nothing, the server can on retry.

    Participation stores sha256(token), the receipt table HMAC(secret, token): neither can be
    derived from the other, so no stored row links a receipt to a voter.
    """
    mac = hmac.digest(
        settings.SECRET_KEY.encode(), f"receipt:{election_id}:{form_token}".encode(), "sha256"
    )
    raw = base64.b32encode(mac[:10]).decode()  # 80 bits, 16 characters
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def token_hash(form_token: str) -> str:
    return hashlib.sha256(form_token.encode()).hexdigest()


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


def form_marks(form: QueryDict, *, strike_out: bool, slate: Sequence[str]) -> dict[str, Any]:
    """The ballot page's fields as `prepare` takes them: the names left standing (a box
    `struck` per name struck out), or each candidate's `mark_<id>` agree/disagree."""
    if strike_out:
        struck = set(form.getlist("struck"))
        return {"kept": [c for c in slate if c not in struck]}
    marks = {c: form.get(f"mark_{c}", "") for c in slate}
    return {
        "agreed": [c for c, m in marks.items() if m == "agree"],
        "disagreed": [c for c, m in marks.items() if m == "disagree"],
    }


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
