"""Elections API: list and detail, cast a ballot (idempotent), bulletin board, results."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from daihoi.elections import actions, queries, results
from daihoi.elections.models import Election

router = Router(tags=["elections"])


class CandidateOut(Schema):
    id: int
    position: int
    full_name: str
    member_code: str
    source: str


class ElectionOut(Schema):
    id: int
    congress_id: int
    body: str
    seats: int
    alternate_seats: int
    mode: str
    state: str
    round_number: int
    round_kind: str
    parent_id: int | None


class ElectionDetailOut(ElectionOut):
    ballot_form: str
    candidates: list[CandidateOut]


class BallotIn(Schema):
    form_token: str
    kept: list[str] | None = None
    agreed: list[str] | None = None
    disagreed: list[str] | None = None


class ReceiptOut(Schema):
    receipt: str
    already_recorded: bool


class BulletinOut(Schema):
    participations: int
    receipts: list[str]
    contents: list[dict[str, list[str]]]  # empty while the poll is open


class ResultOut(Schema):
    election_id: int
    state: str
    result: dict[str, Any]
    names: dict[str, str]


def _out(e: Election) -> dict[str, Any]:
    return {
        "id": e.pk,
        "congress_id": e.congress_id,
        "body": e.body,
        "seats": e.seats,
        "alternate_seats": e.alternate_seats,
        "mode": e.mode,
        "state": e.state,
        "round_number": e.round_number,
        "round_kind": e.round_kind,
        "parent_id": e.parent_id,
    }


@router.get("/elections", response=list[ElectionOut])
def list_elections(request: HttpRequest, congress_id: int | None = None) -> list[dict[str, Any]]:
    """Elections the caller may see, optionally of one congress (at most 500)."""
    elections = queries.elections_visible(request.user).order_by("congress_id", "body", "id")
    if congress_id is not None:
        elections = elections.filter(congress_id=congress_id)
    return [_out(e) for e in elections[:500]]


@router.get("/elections/{election_id}", response=ElectionDetailOut)
def get_election(request: HttpRequest, election_id: int) -> dict[str, Any]:
    election = queries.access_election_by_id(request.user, election_id)
    return {
        **_out(election),
        "ballot_form": queries.ballot_form(election).value,
        "candidates": [
            {
                "id": c.pk,
                "position": c.position,
                "full_name": c.person.full_name,
                "member_code": c.person.member_code,
                "source": c.source,
            }
            for c in queries.candidates(election)
        ],
    }


@router.post("/elections/{election_id}/ballots", response={200: ReceiptOut, 201: ReceiptOut})
def cast_ballot(request: HttpRequest, election_id: int, payload: BallotIn) -> Any:
    """Cast the caller's ballot. Repeat with the same `form_token` to get the same receipt (200)."""
    election = queries.access_election_for_ballot(request.user, election_id)
    cast = actions.ballot_cast(
        actor=request.user,
        election=election,
        form_token=payload.form_token,
        kept=payload.kept,
        agreed=payload.agreed,
        disagreed=payload.disagreed,
    )
    status = 200 if cast.already_recorded else 201
    return Status(status, {"receipt": cast.receipt, "already_recorded": cast.already_recorded})


@router.get("/elections/{election_id}/bulletin", response=BulletinOut)
def get_bulletin(request: HttpRequest, election_id: int) -> dict[str, Any]:
    """Receipt codes, and (once the poll is closed) ballot contents in random order."""
    election = queries.access_election_by_id(request.user, election_id)
    bulletin = queries.bulletin(election)
    closed = election.state != Election.State.OPEN
    return {
        "participations": bulletin.participations,
        "receipts": bulletin.receipts,
        "contents": bulletin.contents if closed else [],
    }


@router.get("/elections/{election_id}/results", response=ResultOut)
def get_results(request: HttpRequest, election_id: int) -> dict[str, Any]:
    """The released result; counting-board members also see a counted one before release."""
    election = queries.access_election_by_id(request.user, election_id)
    visible = election.state == Election.State.RELEASED or (
        election.state == Election.State.COUNTED
        and queries.is_counting_board(request.user, election.congress)
    )
    if not visible:
        if election.state == Election.State.COUNTED:
            raise PermissionDenied("The result is not released yet")
        raise Http404("No result yet")
    return {
        "election_id": election.pk,
        "state": election.state,
        "result": election.outcome.to_json() if election.outcome else {},
        "names": results.candidate_names(election),
    }
