"""Printed ballots (phiếu bầu): one A4 sheet per election round, the same for every voter.

The ballot lists the slate in the order the rulebook sets (`ballot_name_order`; the
Vietnamese rulebooks sort by given name, then family and middle name, then birth date),
with a strike-out layout when there are more candidates than seats and agree/disagree
columns when there are not (Decision 190-QĐ/TW). A ballot counts only with the counting
board's stamp, so the sheet leaves room for it; nothing on it tells one ballot from another
— no serial number, no code, no date of printing — so a ballot cannot be traced to a voter.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from daihoi.core.documents import render_pdf
from daihoi.elections import counting, queries
from daihoi.elections.models import Election
from daihoi.organizations.queries import unit_parent


def ballot_context(election: Election) -> dict[str, Any]:
    slate = queries.candidates(election)
    form = queries.ballot_form(election, slate_size=len(slate))
    return {
        "election": election,
        "congress": election.congress,
        "higher_unit": unit_parent(election.congress.unit),
        "candidates": slate,
        "strike_out": form == counting.BallotForm.STRIKE_OUT,
        "seats": election.total_seats,
    }


def ballot_html(election: Election, *, language: str = "vi") -> str:
    with translation.override(language):
        return render_to_string(
            "elections/pdf/ballot.html", {**ballot_context(election), "language": language}
        )


def ballot_pdf(election: Election, *, language: str = "vi") -> bytes:
    return render_pdf(ballot_html(election, language=language))
