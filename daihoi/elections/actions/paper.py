"""Paper ballots: the counting board's entries, each confirmed by a second member."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from daihoi.accounts.authority import SYSTEM, action, require_counting_eye
from daihoi.congresses.gates import require_congress_open
from daihoi.core import audit, clock
from daihoi.core.errors import field_errors, refusal
from daihoi.elections import counting, queries, results
from daihoi.elections.actions._base import (
    COUNTING,
    locked,
    require_counting_board,
    require_state,
)
from daihoi.elections.models import (
    Election,
    PaperBallotEntry,
    PaperTally,
)


@action()
def paper_tally_enter(
    *,
    actor: Any,
    election: Election,
    method: str,
    issued: int,
    returned: int,
    not_returned: int,
    valid: int,
    invalid: int,
    found_not_issued: int = 0,
    invalid_by_reason: dict[str, int] | None = None,
    totals: dict[str, int] | None = None,
) -> PaperTally:
    """Enter (or correct) the paper figures; any earlier confirmation is withdrawn."""
    election = locked(election)
    require_counting_board(actor, election.congress)
    require_congress_open(election.congress)
    require_state(election, Election.State.CLOSED)
    if election.mode != Election.Mode.PAPER:
        raise refusal(
            _("This election uses electronic ballots."),
            code="election_uses_electronic_ballots",
            field="election",
        )
    if method not in PaperTally.Method.values:
        raise refusal(
            _("Choose ballot by ballot or totals per candidate."),
            code="choose_ballot_ballot_totals",
            field="method",
        )
    reasons = {r.value for r in counting.INVALID_REASONS}
    by_reason = {k: int(v) for k, v in (invalid_by_reason or {}).items() if v}
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(by_reason) - reasons)
    if unknown:
        errors.setdefault("invalid_by_reason", []).append(
            _("Unknown reasons: %(r)s.") % {"r": ", ".join(unknown)}
        )
    if by_reason and sum(by_reason.values()) != invalid:
        errors.setdefault("invalid_by_reason", []).append(
            _("Invalid ballots by reason add up to %(sum)s, not %(invalid)s.")
            % {"sum": sum(by_reason.values()), "invalid": invalid}
        )
    slate = queries.slate_ids(election)
    clean_totals: dict[str, int] | None = None
    if method == PaperTally.Method.TOTALS:
        if totals is None:
            errors.setdefault("totals", []).append(_("Enter the votes of every candidate."))
        else:
            clean_totals = {str(k): int(v) for k, v in totals.items()}
            missing = [c for c in slate if c not in clean_totals]
            extra = [c for c in clean_totals if c not in slate]
            if missing or extra:
                errors.setdefault("totals", []).append(
                    _("Votes must be given for exactly the candidates on the slate.")
                )
    problems = counting.reconcile_paper(
        issued=issued,
        returned=returned,
        not_returned=not_returned,
        valid=valid,
        invalid=invalid,
        found_not_issued=found_not_issued,
        per_candidate_totals=clean_totals,
        seats=election.total_seats,
        ballot_form=queries.ballot_form(election),
    )
    for problem in problems:
        errors.setdefault(results.problem_field(problem), []).append(
            results.problem_message(problem, names=results.candidate_names(election))
        )
    if errors:
        raise field_errors(errors)
    tally, _created = PaperTally.objects.update_or_create(
        election=election,
        defaults={
            "method": method,
            "issued": issued,
            "returned": returned,
            "not_returned": not_returned,
            "valid": valid,
            "invalid": invalid,
            "found_not_issued": found_not_issued,
            "invalid_by_reason": by_reason,
            "totals": clean_totals,
            "entered_by": actor,
            "confirmed_by": None,
            "confirmed_at": None,
        },
    )
    audit.record(
        actor=actor,
        action="paper_tally_enter",
        obj=tally,
        unit_path=election.congress.unit.path,
        changes={
            "election": election.pk,
            "method": method,
            "figures": [issued, returned, not_returned, valid, invalid],
            "found_not_issued": found_not_issued,
            "invalid_by_reason": by_reason,
            "totals": clean_totals,
        },
    )
    return tally


def _require_second_member(actor: Any, entered_by_id: int | None) -> None:
    if actor is not SYSTEM and actor.pk == entered_by_id:
        raise refusal(
            _("A second member of the counting board must confirm this entry."),
            code="second_member_counting_board",
            field="confirmed_by",
        )


@action()
def paper_tally_confirm(*, actor: Any, election: Election) -> PaperTally:
    election = locked(election)
    require_counting_eye(actor, election.congress, board=COUNTING)
    require_congress_open(election.congress)
    tally = PaperTally.objects.select_for_update().filter(election=election).first()
    if tally is None:
        raise refusal(
            _("No paper figures have been entered yet."),
            code="no_paper_figures_been",
            field="tally",
        )
    _require_second_member(actor, tally.entered_by_id)
    tally.confirmed_by = actor
    tally.confirmed_at = clock.now()
    tally.save(update_fields=["confirmed_by", "confirmed_at"])
    audit.record(
        actor=actor,
        action="paper_tally_confirm",
        obj=tally,
        unit_path=election.congress.unit.path,
        changes={"election": election.pk},
    )
    return tally


@action()
def paper_ballot_enter(
    *,
    actor: Any,
    election: Election,
    number: int,
    struck: Sequence[str] = (),
    disagreed: Sequence[str] = (),
    not_issued: bool = False,
    names_added: bool = False,
) -> PaperBallotEntry:
    """Enter one paper ballot as read: which names were struck (or disagreed with)."""
    election = locked(election)
    require_counting_board(actor, election.congress)
    require_congress_open(election.congress)
    require_state(election, Election.State.CLOSED)
    if election.mode != Election.Mode.PAPER:
        raise refusal(
            _("This election uses electronic ballots."),
            code="election_uses_electronic_ballots",
            field="election",
        )
    if number < 1:
        raise refusal(_("Ballot numbers start at 1."), code="ballot_numbers_start", field="number")
    if election.paper_entries.filter(number=number).exists():
        raise refusal(
            _("Ballot %(n)s is already entered.") % {"n": number},
            code="ballot_already_entered",
            field="number",
        )
    slate = set(queries.slate_ids(election))
    marks = {"struck": sorted({str(s) for s in struck}), "disagreed": sorted(map(str, disagreed))}
    for key, ids in marks.items():
        unknown = [i for i in ids if i not in slate]
        if unknown:
            raise field_errors(
                {key: _("Not on this election's slate: %(ids)s.") % {"ids": ", ".join(unknown)}}
            )
    entry = PaperBallotEntry.objects.create(
        election=election,
        number=number,
        struck=marks["struck"],
        disagreed=marks["disagreed"],
        not_issued=not_issued,
        names_added=names_added,
        entered_by=actor,
    )
    audit.record(
        actor=actor,
        action="paper_ballot_enter",
        obj=entry,
        unit_path=election.congress.unit.path,
        changes={"election": election.pk, "number": number, **marks},
    )
    return entry


@action()
def paper_ballot_confirm(*, actor: Any, entry: PaperBallotEntry) -> PaperBallotEntry:
    election = locked(entry.election)
    require_counting_eye(actor, election.congress, board=COUNTING)
    require_congress_open(election.congress)
    entry = PaperBallotEntry.objects.select_for_update().get(pk=entry.pk)
    _require_second_member(actor, entry.entered_by_id)
    entry.confirmed_by = actor
    entry.save(update_fields=["confirmed_by"])
    audit.record(
        actor=actor,
        action="paper_ballot_confirm",
        obj=entry,
        unit_path=election.congress.unit.path,
        changes={"election": election.pk, "number": entry.number},
    )
    return entry
