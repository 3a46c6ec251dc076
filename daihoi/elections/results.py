"""Between the database and the counting core: build ballots, count, and explain problems.

The counting rules themselves live in `counting` (pure); this module only gathers what was
recorded, refuses figures that do not reconcile, and turns a `RoundResult` into the typed
`ElectionResult` stored on the election.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from daihoi.core.errors import refusal
from daihoi.elections import counting, queries
from daihoi.elections.models import Ballot, Election, PaperTally
from daihoi.elections.outcome import ElectionResult, Runoff
from daihoi.rulebooks.loader import load_rulebook


def candidate_names(election: Election) -> dict[str, str]:
    return {str(c.pk): c.person.full_name for c in election.candidates.select_related("person")}


def problem_field(problem: counting.Problem) -> str:
    code = counting.ProblemCode
    return {
        code.ISSUED_NOT_RETURNED_PLUS_NOT_RETURNED: "issued",
        code.RETURNED_NOT_VALID_PLUS_INVALID: "returned",
        code.NOT_ISSUED_ABOVE_INVALID: "found_not_issued",
        code.CANDIDATE_ABOVE_VALID: "totals",
        code.VOTES_ABOVE_MAXIMUM: "totals",
        code.VOTES_BELOW_MINIMUM: "totals",
        code.SLATE_TOO_SMALL: "candidates",
        code.SLATE_TOO_LARGE: "candidates",
    }.get(problem.code, "__all__")


def problem_message(problem: counting.Problem, *, names: dict[str, str] | None = None) -> str:
    """The problem in the user's language, with its figures (the core's text is English)."""
    code = counting.ProblemCode
    figures: dict[str, Any] = dict(problem.figures)
    if "candidate" in figures:
        figures["candidate"] = (names or {}).get(str(figures["candidate"]), figures["candidate"])
    message = {
        code.NEGATIVE_FIGURE: _("A figure is negative (%(figure)s: %(n)s)."),
        code.ISSUED_NOT_RETURNED_PLUS_NOT_RETURNED: _(
            "Ballots issued (%(issued)s) plus ballots found that were not issued (%(found)s) "
            "must equal ballots returned (%(returned)s) plus ballots not returned "
            "(%(not_returned)s)."
        ),
        code.NOT_ISSUED_ABOVE_INVALID: _(
            "%(found)s ballots were not issued by the counting board, so at least that many "
            "are invalid, not %(invalid)s."
        ),
        code.RETURNED_NOT_VALID_PLUS_INVALID: _(
            "Ballots returned (%(returned)s) must equal valid (%(valid)s) plus invalid "
            "(%(invalid)s) ballots."
        ),
        code.CANDIDATE_ABOVE_VALID: _(
            "%(candidate)s has %(n)s votes, more than the %(valid)s valid ballots."
        ),
        code.VOTES_ABOVE_MAXIMUM: _(
            "The votes add up to %(total)s, more than %(valid)s valid ballots × %(seats)s "
            "seats = %(maximum)s."
        ),
        code.VOTES_BELOW_MINIMUM: _(
            "The votes add up to %(total)s, fewer than the %(valid)s valid ballots, each of "
            "which leaves at least one name."
        ),
        code.SLATE_TOO_SMALL: _(
            "The slate has too few candidates for the surplus rule: %(seats)s seats need "
            "%(minimum)s to %(maximum)s candidates; it has %(candidates)s."
        ),
        code.SLATE_TOO_LARGE: _(
            "The slate has more candidates than the surplus rule allows: %(seats)s seats "
            "need %(minimum)s to %(maximum)s candidates; it has %(candidates)s."
        ),
    }[problem.code]
    try:
        return message % figures
    except (KeyError, TypeError):  # a problem built without figures
        return str(problem.message)


def _surplus_parameters(election: Election) -> dict[str, Any]:
    rules = load_rulebook(election.congress.cycle.rulebook_id).election
    surplus = rules.slate_surplus_percent.value
    small = rules.small_committee_surplus.value
    return {
        "prepared_min": Fraction(str(surplus.low)) / 100,
        "prepared_max": Fraction(str(surplus.high)) / 100,
        "final_max": Fraction(str(rules.max_surplus_percent.value)) / 100,
        "small_committee": (small.min_seats, small.max_seats),
        "small_committee_max_extra": small.max_extra,
    }


def slate_range(election: Election, *, stage: counting.SlateStage) -> counting.SurplusRange:
    return counting.slate_surplus_range(
        seats=election.total_seats, stage=stage, **_surplus_parameters(election)
    )


def slate_problems(election: Election, *, stage: counting.SlateStage) -> list[counting.Problem]:
    """The surplus check; the prepared stage counts only the prepared slate's candidates."""
    candidates = election.candidates.all()
    if stage is counting.SlateStage.PREPARED:
        candidates = candidates.filter(source="slate")
    return counting.check_slate_surplus(
        candidates=candidates.count(),
        seats=election.total_seats,
        stage=stage,
        **_surplus_parameters(election),
    )


# Building ballots -----------------------------------------------------------------------


def electronic_ballots(election: Election) -> list[counting.Ballot]:
    contents = Ballot.objects.filter(election=election).values_list("content", flat=True)
    return [counting.ballot_from_content(c) for c in contents.iterator(chunk_size=2000)]


def _paper_ballots(election: Election, slate: list[str], tally: PaperTally) -> list[Any]:
    entries = list(election.paper_entries.all())
    unconfirmed = [e.number for e in entries if e.confirmed_by_id is None]
    if unconfirmed:
        raise refusal(
            _("Ballots not yet confirmed by a second member: %(n)s.")
            % {"n": ", ".join(map(str, unconfirmed[:20]))},
            code="ballots_not_confirmed_second",
            field="entries",
        )
    if len(entries) != tally.returned:
        raise refusal(
            _("%(entered)s ballots entered, but %(returned)s returned.")
            % {"entered": len(entries), "returned": tally.returned},
            code="ballots_entered_but_returned",
            field="entries",
        )
    form = queries.ballot_form(election)
    ballots: list[Any] = []
    for e in entries:
        added = ("(added)",) if e.names_added else ()
        if form is counting.BallotForm.STRIKE_OUT:
            ballots.append(
                counting.strike_out_ballot(
                    slate=slate,
                    struck=e.struck,
                    issued_by_board=not e.not_issued,
                    added_names=added,
                )
            )
        else:
            ballots.append(
                counting.AgreeDisagreeBallot(
                    agreed=frozenset(slate) - frozenset(e.disagreed) - frozenset(e.struck),
                    disagreed=frozenset(e.disagreed),
                    issued_by_board=not e.not_issued,
                    added_names=added,
                )
            )
    return ballots


# Counting -------------------------------------------------------------------------------


def count_election(election: Election) -> ElectionResult:
    """Count a closed election into its typed result, or refuse with a clear reason."""
    slate = queries.slate_ids(election)
    entitled = election.entitled or 0
    if entitled < 1:
        raise refusal(
            _("Nobody is entitled to vote; check the roster."),
            code="nobody_entitled_vote_check",
            field="entitled",
        )
    seats = election.total_seats
    figures: dict[str, int] = {}
    if election.mode == Election.Mode.ELECTRONIC:
        ballots = electronic_ballots(election)
        participations = election.participations.count()
        receipts = election.receipts.count()
        if not participations == receipts == len(ballots):
            raise refusal(
                _("Participations (%(p)s), receipts (%(r)s) and ballots (%(b)s) differ.")
                % {"p": participations, "r": receipts, "b": len(ballots)},
                code="participations_receipts_ballots_differ",
                field="ballots",
            )
        figures = {
            "issued": participations,
            "returned": len(ballots),
            "not_returned": 0,
            "found_not_issued": 0,
        }
        round_result = counting.count_round(
            slate=slate, seats=seats, ballots=ballots, entitled=entitled
        )
    else:
        tally = PaperTally.objects.filter(election=election).first()
        if tally is None or tally.confirmed_by_id is None:
            raise refusal(
                _("The paper figures must be entered and confirmed by two members."),
                code="paper_figures_entered_confirmed",
                field="tally",
            )
        figures = {
            "issued": tally.issued,
            "returned": tally.returned,
            "not_returned": tally.not_returned,
            "found_not_issued": tally.found_not_issued,
        }
        if tally.method == PaperTally.Method.TOTALS:
            by_reason = {
                counting.Validity(r): n for r, n in (tally.invalid_by_reason or {}).items()
            }
            round_result = counting.count_totals(
                slate=slate,
                seats=seats,
                votes=tally.totals or {},
                valid=tally.valid,
                invalid_by_reason=by_reason,
                entitled=entitled,
            )
            figures["invalid"] = tally.invalid  # reasons may be left unclassified
        else:
            ballots = _paper_ballots(election, slate, tally)
            round_result = counting.count_round(
                slate=slate, seats=seats, ballots=ballots, entitled=entitled
            )
            if (round_result.valid, round_result.invalid) != (tally.valid, tally.invalid):
                raise refusal(
                    _(
                        "The entered ballots give %(v)s valid and %(i)s invalid; the figures "
                        "say %(tv)s and %(ti)s."
                    )
                    % {
                        "v": round_result.valid,
                        "i": round_result.invalid,
                        "tv": tally.valid,
                        "ti": tally.invalid,
                    },
                    code="entered_ballots_give_valid",
                    field="tally",
                )
    return to_result(election, round_result, figures)


def to_result(
    election: Election, r: counting.RoundResult, figures: dict[str, int]
) -> ElectionResult:
    result = ElectionResult(
        slate=tuple(r.slate),
        seats=r.seats,
        entitled=r.entitled,
        entitled_derivation=tuple(
            (str(code), int(n)) for code, n in (election.entitled_derivation or ())
        ),
        issued=figures["issued"],
        returned=figures["returned"],
        not_returned=figures["not_returned"],
        found_not_issued=figures.get("found_not_issued", 0),
        valid=r.valid,
        invalid=figures.get("invalid", r.invalid),
        invalid_by_reason={k.value: v for k, v in r.invalid_by_reason.items()},
        votes=tuple(r.votes.items()),
        threshold=r.threshold,
        elected=tuple(r.elected),
        runoff=Runoff(tuple(r.runoff.candidates), r.runoff.seats) if r.runoff else None,
        unfilled_seats=r.unfilled_seats,
        ballot_form=queries.ballot_form(election).value,
    )
    if election.body == Election.Body.DELEGATES:
        result = _allocation(election, result, r)
    return result


def _allocation(
    election: Election, result: ElectionResult, r: counting.RoundResult
) -> ElectionResult:
    """Delegates first, then alternates in order, from one list."""
    if election.seats == 0:
        return replace(result, is_delegate_list=True, alternates=tuple(r.elected))
    a = counting.allocate_delegates(
        result=r, delegate_seats=election.seats, alternate_seats=election.alternate_seats
    )
    return replace(
        result,
        is_delegate_list=True,
        delegates=tuple(a.delegates),
        alternates=tuple(a.alternates),
        delegate_runoff=(
            Runoff(tuple(a.delegate_runoff.candidates), a.delegate_runoff.seats)
            if a.delegate_runoff
            else None
        ),
        alternate_ties=tuple(tuple(t) for t in a.alternate_ties),
    )


def runoff_of(election: Election) -> Runoff | None:
    outcome = election.outcome
    return outcome.any_runoff if outcome else None


def delegate_lists(election: Election) -> tuple[list[str], list[str]]:
    """Officials and ordered alternates over the released rounds that end in `election`.

    Candidate ids are those of `election`'s slate where the person is on it, else of the round
    that elected them (`persons_by_candidate` resolves ids across rounds through the person).
    """
    chain: list[Election] = []
    node: Election | None = election
    while node is not None:
        chain.append(node)
        node = node.parent
    officials: list[int] = []
    alternates: list[int] = []
    for round_ in reversed(chain):
        result = round_.outcome
        if round_.state != Election.State.RELEASED or result is None:
            continue
        person_of = {str(c.pk): c.person_id for c in round_.candidates.all()}
        won = [person_of[c] for c in result.delegates]
        next_alternates = [person_of[c] for c in result.alternates]
        parent = round_.parent.outcome if round_.parent else None
        if round_.round_kind == Election.RoundKind.RUNOFF and parent and parent.delegate_runoff:
            # Losers of a run-off for delegate seats are elected alternates, ranked first.
            losers = [person_of[c] for c, _v in result.votes if person_of[c] not in won]
            alternates = losers + alternates
        officials += won
        alternates += next_alternates
    return [f"person:{p}" for p in officials], [f"person:{p}" for p in alternates]
