"""Elections inside a congress: slate, ballots (paper or electronic), count, release.

Ballot secrecy is a property of the schema: during the poll a ballot exists only as a
`SealedBallot` (a sealed box to the election's public key, whose private key is split among
the counting board and stored nowhere); at the count it is unsealed into `Ballot`, written
in random order in one transaction with no voter, no time and no sequential key.
`Participation` says who voted and nothing about how. See docs/apps/elections.md.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from daihoi.conduct.models import Delegate
from daihoi.congresses.models import Congress
from daihoi.elections.outcome import ElectionResult
from daihoi.organizations.models import CommitteeSeat, Person, Unit


def _shuffle_key() -> int:
    return secrets.randbits(62)


class Election(models.Model):
    """One round of voting for one body at one congress."""

    class Body(models.TextChoices):
        EXECUTIVE = "executive", _("executive committee")
        STANDING = "standing", _("standing committee")
        INSPECTION = "inspection", _("inspection committee")
        SECRETARY = "secretary", _("secretary")
        DEPUTY_SECRETARY = "deputy_secretary", _("deputy secretary")
        DELEGATES = "delegates", _("delegates to the higher congress")

    class Mode(models.TextChoices):
        PAPER = "paper", _("paper ballots")
        ELECTRONIC = "electronic", _("electronic ballots")

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("poll open")
        CLOSED = "closed", _("poll closed")
        COUNTED = "counted", _("counted")
        RELEASED = "released", _("result released")

    class RoundKind(models.TextChoices):
        FIRST = "first", _("first round")
        RUNOFF = "runoff", _("run-off among the tied")
        FURTHER = "further", _("further round for unfilled seats")

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="elections")
    body = models.CharField(_("body"), max_length=20, choices=Body.choices)
    seats = models.PositiveSmallIntegerField(_("seats"))
    alternate_seats = models.PositiveSmallIntegerField(_("alternate seats"), default=0)
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    round_number = models.PositiveSmallIntegerField(_("round"), default=1)
    round_kind = models.CharField(
        _("round kind"), max_length=10, choices=RoundKind.choices, default=RoundKind.FIRST
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="later_rounds",
        verbose_name=_("earlier round"),
    )
    congress_decision = models.CharField(_("congress decision"), max_length=200, blank=True)
    # Snapshot taken when the poll closes, so later roster edits cannot move the threshold.
    entitled = models.PositiveIntegerField(_("entitled to vote"), null=True, blank=True)
    entitled_derivation = models.JSONField(_("derivation of the entitled"), default=list)
    result = models.JSONField(_("result"), null=True, blank=True)
    # Electronic polls: the public half of the key ballots are sealed to (set when it opens).
    public_key = models.BinaryField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["congress_id", "body", "round_number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seats__gte=1) | Q(alternate_seats__gte=1), name="election_has_a_seat"
            ),
            models.CheckConstraint(
                condition=Q(alternate_seats=0) | Q(body="delegates"),
                name="only_delegate_elections_have_alternates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_body_display()} #{self.round_number} @ {self.congress_id}"

    @property
    def total_seats(self) -> int:
        """Seats the round fills: delegates and alternates are elected from one list."""
        return self.seats + self.alternate_seats

    @property
    def unit(self) -> Unit:
        return self.congress.unit

    @property
    def outcome(self) -> ElectionResult | None:
        """The counted result, typed (`result` holds it as JSON); None before the count."""
        return ElectionResult.from_json(self.result) if self.result else None


# The bodies an election fills with committee seats for the term (the others send delegates).
COMMITTEE_BODIES = {
    Election.Body.EXECUTIVE: CommitteeSeat.Body.EXECUTIVE,
    Election.Body.STANDING: CommitteeSeat.Body.STANDING,
    Election.Body.INSPECTION: CommitteeSeat.Body.INSPECTION,
    Election.Body.SECRETARY: CommitteeSeat.Body.SECRETARY,
    Election.Body.DEPUTY_SECRETARY: CommitteeSeat.Body.DEPUTY_SECRETARY,
}


class NominationVote(models.Model):
    """The congress's recorded vote on admitting a floor or self nomination to the slate."""

    class Source(models.TextChoices):
        FLOOR = "floor", _("nominated from the floor")
        SELF = "self", _("self-nominated")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="nominations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    agreeing = models.PositiveIntegerField(_("delegates agreeing"))
    delegates = models.PositiveIntegerField(_("delegates (base)"))
    admitted = models.BooleanField(_("admitted"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nomination vote")
        verbose_name_plural = _("nomination votes")

    def __str__(self) -> str:
        return f"{self.person_id} {self.source} {self.agreeing}/{self.delegates}"


class Candidate(models.Model):
    class Source(models.TextChoices):
        SLATE = "slate", _("prepared slate")
        FLOOR = "floor", _("nominated from the floor")
        SELF = "self", _("self-nominated")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="candidacies")
    position = models.PositiveSmallIntegerField(_("position on the ballot"))
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    admitted_by_vote = models.OneToOneField(
        NominationVote, null=True, blank=True, on_delete=models.PROTECT, related_name="candidate"
    )

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["election_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["election", "person"], name="candidate_once"),
            models.CheckConstraint(
                condition=Q(source="slate") | Q(admitted_by_vote__isnull=False),
                name="nominations_admitted_by_vote",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.person}"


class CountingKey(models.Model):
    """A counting-board member's key for one congress: the public half only.

    The private half was shown to the member once; the election key's shares are sealed to
    this public key, so only the member can bring their share to the count."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="+")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    public_key = models.BinaryField(editable=False)
    issued_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("counting key")
        verbose_name_plural = _("counting keys")
        constraints = [
            models.UniqueConstraint(fields=["congress", "holder"], name="one_counting_key"),
        ]

    def __str__(self) -> str:
        return f"counting key of {self.holder_id} at {self.congress_id}"


class KeyShare(models.Model):
    """One member's share of an election's private key, sealed to their counting key."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="key_shares")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sealed = models.BinaryField(editable=False)

    class Meta:
        verbose_name = _("key share")
        verbose_name_plural = _("key shares")
        constraints = [
            models.UniqueConstraint(fields=["election", "holder"], name="one_share_per_holder"),
        ]

    def __str__(self) -> str:
        return f"share of {self.holder_id} for {self.election_id}"


class SealedBallot(models.Model):
    """An electronic ballot while the poll runs: a sealed box nobody can open alone.

    Written with the voter's participation (so it shares their transaction); deleted at the
    count, when its content moves to `Ballot` in random order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="sealed_ballots")
    sealed = models.BinaryField(editable=False)

    class Meta:
        verbose_name = _("sealed ballot")
        verbose_name_plural = _("sealed ballots")

    def __str__(self) -> str:
        return f"sealed ballot {self.pk}"


class Ballot(models.Model):
    """The content of one counted electronic ballot. No voter, no time, no sequence."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballots")
    # {"kept": [candidate ids, sorted]} or {"agreed": [...], "disagreed": [...]}
    content = models.JSONField(_("content"))
    shuffle_key = models.BigIntegerField(default=_shuffle_key, editable=False)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        indexes = [models.Index(fields=["election", "shuffle_key"])]

    def __str__(self) -> str:
        return f"ballot {self.pk}"


class Receipt(models.Model):
    """A code proving that one ballot was recorded; linked to neither voter nor ballot."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="receipts")
    code = models.CharField(_("receipt code"), max_length=32)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        constraints = [
            models.UniqueConstraint(fields=["election", "code"], name="receipt_code_unique")
        ]

    def __str__(self) -> str:
        return self.code


class Participation(models.Model):
    """That a delegate voted in an election (never how). One per delegate and election."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="participations")
    delegate = models.ForeignKey(Delegate, on_delete=models.PROTECT, related_name="+")
    # sha256 of the ballot form's token: recognizes a retry without revealing the receipt.
    token_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["election", "delegate"], name="one_ballot_per_voter")
        ]

    def __str__(self) -> str:
        return f"{self.delegate_id} voted in {self.election_id}"


class PaperTally(models.Model):
    """The counting board's figures for a paper poll, confirmed by a second member."""

    class Method(models.TextChoices):
        PER_BALLOT = "per_ballot", _("ballot by ballot")
        TOTALS = "totals", _("totals per candidate")

    election = models.OneToOneField(Election, on_delete=models.CASCADE, related_name="paper_tally")
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    issued = models.PositiveIntegerField(_("ballots issued"))
    returned = models.PositiveIntegerField(_("ballots returned"))
    not_returned = models.PositiveIntegerField(_("ballots not returned"))
    # Found in the box though the counting board did not issue them; each is invalid.
    found_not_issued = models.PositiveIntegerField(
        _("ballots found that were not issued"), default=0
    )
    valid = models.PositiveIntegerField(_("valid ballots"))
    invalid = models.PositiveIntegerField(_("invalid ballots"))
    invalid_by_reason = models.JSONField(_("invalid ballots by reason"), default=dict)
    totals = models.JSONField(_("votes per candidate"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("paper tally")
        verbose_name_plural = _("paper tallies")
        constraints = [
            models.CheckConstraint(
                condition=~Q(confirmed_by=F("entered_by")), name="tally_four_eyes"
            )
        ]

    def __str__(self) -> str:
        return f"tally of {self.election_id}"


class PaperBallotEntry(models.Model):
    """One paper ballot as read by the counting board, confirmed by a second member."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="paper_entries")
    number = models.PositiveIntegerField(_("ballot number"))
    struck = models.JSONField(_("struck candidates"), default=list)
    disagreed = models.JSONField(_("disagreed candidates"), default=list)
    not_issued = models.BooleanField(_("not issued by the counting board"), default=False)
    names_added = models.BooleanField(_("names added"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("paper ballot entry")
        verbose_name_plural = _("paper ballot entries")
        ordering = ["election_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["election", "number"], name="paper_ballot_once"),
            models.CheckConstraint(
                condition=~Q(confirmed_by=F("entered_by")), name="paper_entry_four_eyes"
            ),
        ]

    def __str__(self) -> str:
        return f"paper ballot {self.number} of {self.election_id}"


class ResultRelease(models.Model):
    """Two counting-board members confirm a count before its result is public."""

    election = models.OneToOneField(Election, on_delete=models.CASCADE, related_name="release")
    first_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    first_at = models.DateTimeField()
    second_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    second_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("result release")
        verbose_name_plural = _("result releases")
        constraints = [
            models.CheckConstraint(condition=~Q(second_by=F("first_by")), name="release_four_eyes")
        ]

    def __str__(self) -> str:
        return f"release of {self.election_id}"


class AppointedCommittee(models.Model):
    """A body appointed by the higher level instead of elected (merged or new units)."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="appointments")
    body = models.CharField(_("body"), max_length=20, choices=Election.Body.choices)
    members = models.ManyToManyField(Person, related_name="+", verbose_name=_("members"))
    decision_ref = models.CharField(_("decision"), max_length=120)
    decided_on = models.DateField(_("decided on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("appointed committee")
        verbose_name_plural = _("appointed committees")
        constraints = [
            models.UniqueConstraint(fields=["congress", "body"], name="one_appointment_per_body")
        ]

    def __str__(self) -> str:
        return f"{self.body} of {self.congress_id} ({self.decision_ref})"


class LiveEvent(models.Model):
    """A poll opened or closed, or a result released: what projector screens follow."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("poll opened")
        CLOSED = "closed", _("poll closed")
        RELEASED = "released", _("result released")

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="+")
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.election_id}"
