"""Reads for elections, scoped: who may see an election, the slate, the bulletin board."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from daihoi.accounts.authority import congress_visible_q, has_seat, in_scope, is_organizer_of
from daihoi.accounts.models import Role
from daihoi.conduct import queries as conduct_queries
from daihoi.conduct.models import BoardSeat, Delegate
from daihoi.congresses.models import Congress
from daihoi.core.text import collation_key, name_parts
from daihoi.elections import counting
from daihoi.elections.models import (
    AppointedCommittee,
    Ballot,
    Candidate,
    CountingKey,
    Election,
    LiveEvent,
    PaperBallotEntry,
    Receipt,
    SealedBallot,
)
from daihoi.organizations.models import CommitteeSeat, Person, Unit
from daihoi.organizations.queries import people_order
from daihoi.rulebooks.loader import load_rulebook

# Visibility ------------------------------------------------------------------------------


def elections_visible(user: Any) -> QuerySet[Election]:
    """Elections of the congresses the user may see (in scope or attended)."""
    return Election.objects.filter(congress_visible_q(user, prefix="congress__")).select_related(
        "congress__unit", "congress__cycle"
    )


def access_election_by_id(user: Any, election_id: int) -> Election:
    """The election if the user may see it; 404 otherwise, so nothing leaks."""
    election = elections_visible(user).filter(pk=election_id).first()
    if election is None:
        raise Http404("No such election")
    return election


def access_election_for_ballot(user: Any, election_id: int) -> Election:
    """The election for a cast: one join when the user is on its congress's roster (the
    voting path); otherwise the general visibility check, 404 outside it."""
    person_id = getattr(user, "person_id", None)
    if person_id is not None:
        election = (
            Election.objects.filter(pk=election_id, congress__delegates__person_id=person_id)
            .select_related("congress__unit")
            .first()
        )
        if election is not None:
            return election
    return access_election_by_id(user, election_id)


def congress_elections(congress: Congress) -> QuerySet[Election]:
    return Election.objects.filter(congress=congress).order_by("body", "round_number", "id")


def is_counting_board(user: Any, congress: Congress) -> bool:
    return has_seat(user, congress, [BoardSeat.Board.COUNTING])


def has_board_seat(user: Any, congress: Congress) -> bool:
    """A seat on any board of this congress: presidium, credentials or counting."""
    return has_seat(user, congress, BoardSeat.Board.values)


def is_organizer(user: Any, congress: Congress) -> bool:
    return in_scope(user, congress.unit, roles=[Role.ORGANIZER])


def counting_board_users(congress: Congress) -> list[int]:
    return list(
        BoardSeat.objects.filter(congress=congress, board=BoardSeat.Board.COUNTING).values_list(
            "user_id", flat=True
        )
    )


def is_counting_eye(user: Any, congress: Congress) -> bool:
    """A seated counting-board member who does not organize the congress: holds a key share."""
    return has_seat(user, congress, [BoardSeat.Board.COUNTING]) and not is_organizer_of(
        user, congress
    )


def counting_key_of(user: Any, congress: Congress) -> CountingKey | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return CountingKey.objects.filter(congress=congress, holder=user).first()


def voter_line(user: Any, congress: Congress) -> Delegate | None:
    """The user's summoned roster line at this congress, checked in or not."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return None
    return (
        Delegate.objects.filter(
            congress=congress, person_id=person_id, status=Delegate.Status.SUMMONED
        )
        .only("id", "checked_in_at", "congress_id")
        .first()
    )


def has_voted(election: Election, delegate: Delegate) -> bool:
    return election.participations.filter(delegate=delegate).exists()


# Slate -----------------------------------------------------------------------------------


def ballot_order_key(candidate: Candidate, order: tuple[str, ...]) -> tuple[str, ...]:
    """Sort key of a candidate for a rulebook's `ballot_name_order`."""
    family, middle, given = name_parts(candidate.person.full_name)
    parts = {"given": given, "family": family, "middle": middle}
    key = []
    for part in order:
        if part == "birth_date":
            key.append(candidate.person.birth_date.isoformat())
        elif part == "position":
            key.append(f"{candidate.position:06d}")
        elif part == "full":
            key.append(collation_key(candidate.person.full_name))
        else:
            key.append(collation_key(parts[part]))
    return (*key, f"{candidate.position:06d}")


def candidates(election: Election) -> list[Candidate]:
    """The slate in the order the rulebook sets for ballots (Vietnamese: by given name)."""
    order = load_rulebook(election.congress.cycle.rulebook_id).election.ballot_name_order.value
    slate = list(election.candidates.select_related("person", "person__unit"))
    return sorted(slate, key=lambda c: ballot_order_key(c, order))


def slate_ids(election: Election) -> list[str]:
    """Candidate ids as the counting core's candidate keys, in ballot order."""
    return [str(pk) for pk in election.candidates.order_by("position").values_list("pk", flat=True)]


def ballot_form(election: Election, *, slate_size: int | None = None) -> counting.BallotForm:
    """Strike-out when the slate has a surplus; agree/disagree columns when it has none."""
    size = election.candidates.count() if slate_size is None else slate_size
    if size > election.total_seats:
        return counting.BallotForm.STRIKE_OUT
    return counting.BallotForm.AGREE_DISAGREE


# Entitled --------------------------------------------------------------------------------


def entitled_now(congress: Congress) -> counting.Entitled:
    """Those entitled to vote now, with the derivation, from the roster's entitled basis:
    convened, minus absent officials with no alternate, minus delegates no longer in good
    standing (DESIGN §3)."""
    basis = conduct_queries.entitled_basis(congress)
    return counting.entitled_count(
        convened=basis.convened,
        exclusions={e.code: e.count for e in basis.exclusions if e.from_convened},
    )


def present_count(congress: Congress) -> int:
    return Delegate.objects.filter(
        congress=congress, status=Delegate.Status.SUMMONED, checked_in_at__isnull=False
    ).count()


# Bulletin board --------------------------------------------------------------------------


@dataclass(frozen=True)
class Bulletin:
    receipts: list[str]
    contents: list[dict[str, Any]]  # in random order (by shuffle key), once counted
    participations: int
    sealed: int = 0  # ballots still sealed: the count has not opened them yet

    @property
    def ballots(self) -> int:
        return len(self.contents) + self.sealed


def bulletin(election: Election) -> Bulletin:
    """Receipt codes (sorted) and, separately, ballot contents in random order."""
    return Bulletin(
        receipts=list(
            Receipt.objects.filter(election=election)
            .order_by("code")
            .values_list("code", flat=True)
        ),
        contents=list(
            Ballot.objects.filter(election=election)
            .order_by("shuffle_key")
            .values_list("content", flat=True)
        ),
        participations=election.participations.count(),
        sealed=SealedBallot.objects.filter(election=election).count(),
    )


def receipt_exists(election: Election, code: str) -> bool:
    return Receipt.objects.filter(election=election, code=code.strip().upper()).exists()


def paper_entries(election: Election) -> QuerySet[PaperBallotEntry]:
    return election.paper_entries.select_related("entered_by", "confirmed_by").order_by("number")


# Results and upward flow ------------------------------------------------------------------


def released_elections(congress: Congress) -> QuerySet[Election]:
    return congress_elections(congress).filter(state=Election.State.RELEASED)


def higher_congress(congress: Congress) -> Congress | None:
    """The congress of the parent unit in the same cycle, where elected delegates go."""
    unit = congress.unit
    if unit.depth <= 1:
        return None
    parent = Unit.objects.filter(path=unit.path[: -Unit.steplen]).first()
    if parent is None:
        return None
    return Congress.objects.filter(cycle=congress.cycle, unit=parent).first()


def persons_by_candidate(election: Election, candidate_ids: list[str]) -> list[Person]:
    """Persons for candidate ids of `election`, or for `person:<id>` keys, in the given order."""
    by_id = {str(c.pk): c.person for c in election.candidates.select_related("person")}
    person_ids = [int(c.split(":", 1)[1]) for c in candidate_ids if c.startswith("person:")]
    by_id |= {f"person:{p.pk}": p for p in Person.objects.filter(pk__in=person_ids)}
    return [by_id[c] for c in candidate_ids if c in by_id]


@dataclass(frozen=True)
class Incumbent:
    person: Person
    body: str
    term_start: int
    term_end: int

    @property
    def body_label(self) -> str:
        return (
            str(CommitteeSeat.Body(self.body).label)
            if self.body in CommitteeSeat.Body.values
            else self.body
        )


def incumbents_not_reelected(congress: Congress) -> list[Incumbent]:
    """Members of the ending term's bodies with no seat in the same body for the new term."""
    term = congress.cycle.term_start
    seats = CommitteeSeat.objects.filter(unit=congress.unit)
    new = set(seats.filter(term_start=term).values_list("person_id", "body"))
    old = seats.filter(term_start__lt=term, term_end__gte=term - 1).select_related("person")
    return [
        Incumbent(person=s.person, body=s.body, term_start=s.term_start, term_end=s.term_end)
        for s in old.order_by("body", *people_order("person__"))
        if (s.person_id, s.body) not in new
    ]


def may_appoint(user: Any, congress: Congress) -> bool:
    """Whether `user` is an organizer of the level that appoints this congress's bodies."""
    parent = Unit.objects.filter(path=congress.unit.path[: -Unit.steplen]).first()
    return in_scope(user, parent or congress.unit, roles=[Role.ORGANIZER])


def members_by_codes(unit: Unit, codes: list[str]) -> tuple[list[Person], list[str]]:
    """Persons of `unit`'s subtree with these member codes, in the given order, and the codes
    that match nobody there."""
    found = {
        p.member_code: p
        for p in Person.objects.filter(member_code__in=codes, unit__path__startswith=unit.path)
    }
    return [found[c] for c in codes if c in found], [c for c in codes if c not in found]


def appointments(congress: Congress) -> QuerySet[AppointedCommittee]:
    return (
        AppointedCommittee.objects.filter(congress=congress)
        .prefetch_related("members")
        .order_by("body")
    )


# Live events -----------------------------------------------------------------------------


def latest_live_event(congress_id: int, after: int) -> LiveEvent | None:
    """The newest event of the congress after id `after`, if any."""
    return LiveEvent.objects.filter(congress_id=congress_id, pk__gt=after).order_by("-pk").first()


def live_events_since(after: int) -> list[tuple[int, int, str]]:
    """(id, congress id, kind) of events after `after`; with no `after`, just the newest."""
    rows = LiveEvent.objects.order_by("-pk").values_list("pk", "congress_id", "kind")
    if after < 0:
        return list(rows[:1])
    return list(reversed(rows.filter(pk__gt=after)[:1000]))


def last_live_event_id() -> int:
    last = LiveEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    return last or 0
