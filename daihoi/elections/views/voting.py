"""Voting: the ballot page, the receipt, the public bulletin board, and the paper count."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from daihoi.core.access import scoped
from daihoi.core.errors import flash_errors
from daihoi.elections import (
    actions,
    casting,
    counting,
    queries,
    results,
)


@scoped
def vote(request: HttpRequest, election_id: int) -> HttpResponse:
    """The delegate's ballot: strike out names (or agree/disagree when there is no surplus)."""
    election = queries.access_election_by_id(request.user, election_id)
    if request.method == "POST":
        try:
            cast = actions.ballot_cast(
                actor=request.user,
                election=election,
                form_token=request.POST.get("form_token", ""),
                **casting.form_marks(
                    request.POST,
                    strike_out=queries.ballot_form(election) is counting.BallotForm.STRIKE_OUT,
                    slate=queries.slate_ids(election),
                ),
            )
        except ValidationError as exc:
            flash_errors(request, exc)
            return redirect("elections:detail", election_id=election.pk)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("elections:detail", election_id=election.pk)
        return redirect("elections:receipt", election_id=election.pk, code=cast.receipt)
    line = queries.voter_line(request.user, election.congress)
    context = {
        "election": election,
        "candidates": queries.candidates(election),
        "form_token": secrets.token_urlsafe(24),
        "strike_out": queries.ballot_form(election) is counting.BallotForm.STRIKE_OUT,
        "line": line,
        "has_voted": line is not None and queries.has_voted(election, line),
    }
    return render(request, "elections/vote.html", context)


@scoped
def receipt(request: HttpRequest, election_id: int, code: str) -> HttpResponse:
    election = queries.access_election_by_id(request.user, election_id)
    context = {
        "election": election,
        "code": code,
        "recorded": queries.receipt_exists(election, code),
    }
    return render(request, "elections/receipt.html", context)


@scoped
def board(request: HttpRequest, election_id: int) -> HttpResponse:
    """The bulletin board: receipt codes, and separately the ballot contents in random order."""
    election = queries.access_election_by_id(request.user, election_id)
    code = request.GET.get("code", "").strip()
    bulletin = queries.bulletin(election)
    names = results.candidate_names(election)
    contents = [
        {k: [names.get(c, c) for c in v] for k, v in content.items()}
        for content in bulletin.contents
    ]
    context = {
        "election": election,
        "bulletin": bulletin,
        "contents": contents,
        "code": code,
        "found": queries.receipt_exists(election, code) if code else None,
    }
    return render(request, "elections/board.html", context)


@scoped
def paper(request: HttpRequest, election_id: int) -> HttpResponse:
    election = queries.access_election_by_id(request.user, election_id)
    if not queries.is_counting_board(request.user, election.congress):
        raise Http404("No such page")
    context = {
        "election": election,
        "candidates": queries.candidates(election),
        "tally": getattr(election, "paper_tally", None),
        "entries": queries.paper_entries(election),
        "strike_out": queries.ballot_form(election) is counting.BallotForm.STRIKE_OUT,
        "names": results.candidate_names(election),
    }
    return render(request, "elections/paper.html", context)
