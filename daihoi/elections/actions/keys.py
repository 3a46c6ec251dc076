"""Ballot secrecy at rest: counting keys, the election key's shares, unsealing at the count.

See `daihoi.elections.sealing` for the cryptography and docs/apps/elections.md for the
threat model: nothing stored in the database, alone or with a backup, opens a ballot.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from daihoi.accounts.authority import SYSTEM, action, require_counting_eye
from daihoi.congresses.gates import require_congress_open
from daihoi.congresses.models import Congress
from daihoi.core import audit
from daihoi.core.errors import refusal
from daihoi.elections import counting, queries, sealing
from daihoi.elections.actions._base import COUNTING
from daihoi.elections.models import Ballot, CountingKey, Election, KeyShare, SealedBallot


@dataclass(frozen=True)
class CountingKeyIssued:
    key: CountingKey
    secret: str  # shown to the member once; the server keeps only the public half


@action(system=True)  # the demo issues its counting logins' keys as the system
def counting_key_issue(*, actor: Any, congress: Congress, holder: Any = None) -> CountingKeyIssued:
    """Give a counting-board member a new counting key for this congress (shown once).

    A member issues their own; the system may issue one for a seated member (the demo).
    A new key replaces the old one: polls opened before keep shares sealed to the old key."""
    if actor is SYSTEM and holder is None:
        raise refusal(_("Name the member the key is for."), code="counting_key_holder_missing")
    holder = actor if holder is None else holder
    if actor is not SYSTEM and holder.pk != actor.pk:
        raise refusal(
            _("Each member issues their own counting key."),
            code="counting_key_not_yours",
            field="holder",
        )
    require_counting_eye(actor, congress, board=COUNTING)
    require_congress_open(congress)
    if not queries.is_counting_eye(holder, congress):
        raise refusal(
            _("Only a seated counting-board member who does not organize the congress holds one."),
            code="counting_key_holder_not_on_board",
            field="holder",
        )
    pair = sealing.new_key_pair()
    key, _created = CountingKey.objects.update_or_create(
        congress=congress, holder=holder, defaults={"public_key": pair.public}
    )
    audit.record(
        actor=actor,
        action="counting_key_issue",
        obj=congress,
        unit_path=congress.unit.path,
        changes={"holder": holder.pk, "fingerprint": fingerprint(pair.public)},
    )
    return CountingKeyIssued(key=key, secret=sealing.counting_key_text(pair.private))


def fingerprint(public: bytes) -> str:
    return bytes(public).hex()[:16]


def seal_election_key(election: Election) -> int:
    """At the poll's opening: a new key pair, its private half split among the board.

    Returns the number of holders. The private key leaves this function only as shares."""
    keys = [
        k
        for k in CountingKey.objects.filter(congress=election.congress).select_related("holder")
        if queries.is_counting_eye(k.holder, election.congress)
    ]
    if len(keys) < sealing.THRESHOLD:
        raise refusal(
            _(
                "At least two counting-board members must hold a counting key before an "
                "electronic poll opens (%(n)s do)."
            )
            % {"n": len(keys)},
            code="counting_keys_too_few",
            field="election",
        )
    pair = sealing.new_key_pair()
    shares = sealing.split_key(pair.private, holders=len(keys))
    KeyShare.objects.filter(election=election).delete()
    KeyShare.objects.bulk_create(
        KeyShare(election=election, holder=k.holder, sealed=sealing.seal(bytes(k.public_key), s))
        for k, s in zip(keys, shares, strict=True)
    )
    election.public_key = pair.public
    election.save(update_fields=["public_key"])
    return len(keys)


def seal_ballot(election: Election, content: dict[str, list[str]]) -> bytes:
    size = sealing.padded_size(queries.slate_ids(election))
    return sealing.seal(bytes(election.public_key or b""), sealing.pack_ballot(content, size=size))


def _holder_shares(election: Election, counting_keys: Sequence[str]) -> list[tuple[Any, bytes]]:
    """Each supplied counting key's holder and opened share, refusing anything short of two."""
    supplied = [k for k in counting_keys if (k or "").strip()]
    if len(supplied) < sealing.THRESHOLD:
        raise refusal(
            _(
                "Counting electronic ballots needs the counting keys of two different "
                "counting-board members."
            ),
            code="count_needs_two_shares",
            field="counting_keys",
        )
    opened: list[tuple[Any, bytes]] = []
    for text in supplied:
        try:
            private = sealing.counting_key_from_text(text)
        except sealing.SealingError:
            raise refusal(
                _("A counting key is mistyped: check it against the one you were given."),
                code="counting_key_malformed",
                field="counting_keys",
            ) from None
        public = sealing.public_of(private)
        key = (
            CountingKey.objects.filter(congress=election.congress, public_key=public)
            .select_related("holder")
            .first()
        )
        share = (
            KeyShare.objects.filter(election=election, holder=key.holder).first() if key else None
        )
        if key is None or share is None:
            raise refusal(
                _("A counting key does not hold a share of this election's key."),
                code="counting_key_without_share",
                field="counting_keys",
            )
        try:
            opened.append((key.holder, sealing.unseal(private, bytes(share.sealed))))
        except sealing.SealingError:
            raise refusal(
                _("A counting key does not hold a share of this election's key."),
                code="counting_key_without_share",
                field="counting_keys",
            ) from None
    if len({holder.pk for holder, _share in opened}) < len(opened):
        raise refusal(
            _("The two counting keys must belong to two different members."),
            code="count_same_member_twice",
            field="counting_keys",
        )
    for holder, _share in opened:
        # Four eyes: each key's holder is a counting eye of this congress, checked as such.
        require_counting_eye(holder, election.congress, board=COUNTING)
    return opened


def unseal_ballots(election: Election, *, counting_keys: Sequence[str]) -> list[int]:
    """Open every sealed ballot with two members' shares; write them shuffled; delete them.

    Returns the holders' ids. The key and the contents live only in this call's memory."""
    holders = _holder_shares(election, counting_keys)
    try:
        private = sealing.join_shares([share for _h, share in holders])
        sealing.check_key(private, public=bytes(election.public_key or b""))
    except sealing.SealingError:
        raise refusal(
            _("These counting keys do not rebuild this election's key."),
            code="counting_shares_do_not_match",
            field="counting_keys",
        ) from None
    slate = queries.slate_ids(election)
    strike_out = queries.ballot_form(election) is counting.BallotForm.STRIKE_OUT
    contents = []
    for sealed in SealedBallot.objects.filter(election=election).values_list("sealed", flat=True):
        try:
            content = sealing.unpack_ballot(sealing.unseal(private, bytes(sealed)))
            contents.append(counting.ballot_checked(content, strike_out=strike_out, slate=slate))
        except (sealing.SealingError, counting.ContentError):
            raise refusal(
                _("A sealed ballot is damaged; the count cannot go on. Report it."),
                code="sealed_ballot_damaged",
                field="ballots",
            ) from None
    del private
    secrets.SystemRandom().shuffle(contents)
    Ballot.objects.bulk_create(Ballot(election=election, content=c) for c in contents)
    SealedBallot.objects.filter(election=election).delete()
    KeyShare.objects.filter(election=election).delete()
    return [holder.pk for holder, _share in holders]
