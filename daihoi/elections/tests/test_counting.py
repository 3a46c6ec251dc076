from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from daihoi.elections.counting import (
    INVALID_REASONS,
    AgreeDisagreeBallot,
    Ballot,
    BallotForm,
    Problem,
    ProblemCode,
    RoundResult,
    Runoff,
    SlateStage,
    StrikeOutBallot,
    Validity,
    allocate_delegates,
    ballot_validity,
    check_slate_surplus,
    count_round,
    entitled_count,
    floor_nomination_admitted,
    reconcile_paper,
    slate_surplus_range,
    strike_out_ballot,
)

SLATE = ("An", "Bình", "Chi", "Dũng", "Hà")

# Counting is fast; wall-clock limits would only measure how busy the machine is.
property_test = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def kept(*names: str) -> StrikeOutBallot:
    return StrikeOutBallot(kept=frozenset(names))


def ballots_with_votes(votes: dict[str, int], *, ballots: int, seats: int) -> list[Ballot]:
    """`ballots` ballots giving exactly `votes`, each keeping at most `seats` names.

    Each candidate's votes go to the ballots with the fewest names so far, so the ballots stay
    within one name of each other and none keeps more than `seats` names if the votes fit.
    """
    kept_names: list[set[str]] = [set() for _ in range(ballots)]
    for candidate, n in votes.items():
        for names in sorted(kept_names, key=len)[:n]:
            names.add(candidate)
    assert all(len(names) <= seats for names in kept_names)
    return [StrikeOutBallot(kept=frozenset(names)) for names in kept_names]


def thirty_voter_round(votes: dict[str, int], *, seats: int) -> RoundResult:
    """All 30 entitled vote, so 16 votes elect."""
    ballots = ballots_with_votes(votes, ballots=30, seats=seats)
    return count_round(slate=tuple(votes), seats=seats, ballots=ballots, entitled=30)


def one_seat_round(votes_for_an: int, *, entitled: int) -> RoundResult:
    ballots = [kept("An")] * votes_for_an + [kept("Bình")] * (entitled - votes_for_an)
    return count_round(slate=("An", "Bình"), seats=1, ballots=ballots, entitled=entitled)


# --- Validity ---------------------------------------------------------------------------------


def test_each_invalid_ballot_category_is_recognized() -> None:
    examples = {
        Validity.NOT_ISSUED_BY_BOARD: StrikeOutBallot(
            kept=frozenset({"An"}), issued_by_board=False
        ),
        Validity.TOO_MANY_NAMES_LEFT: kept("An", "Bình", "Chi", "Dũng"),
        Validity.ALL_NAMES_STRUCK: strike_out_ballot(slate=SLATE, struck=SLATE),
        Validity.NAMES_ADDED: StrikeOutBallot(kept=frozenset({"An"}), added_names=("Giang",)),
        Validity.VALID: kept("An", "Bình", "Chi"),
    }
    assert set(examples) == set(Validity)
    for expected, ballot in examples.items():
        assert ballot_validity(ballot, slate=SLATE, seats=3) is expected


def test_ballot_leaving_exactly_as_many_names_as_seats_is_valid() -> None:
    assert ballot_validity(kept("An", "Bình", "Chi"), slate=SLATE, seats=3) is Validity.VALID


def test_kept_name_that_is_not_on_the_slate_counts_as_an_added_name() -> None:
    assert ballot_validity(kept("An", "Giang"), slate=SLATE, seats=3) is Validity.NAMES_ADDED


def test_ballot_not_issued_by_board_is_invalid_whatever_else_it_shows() -> None:
    forged = StrikeOutBallot(kept=frozenset(), issued_by_board=False, added_names=("Giang",))
    assert ballot_validity(forged, slate=SLATE, seats=3) is Validity.NOT_ISSUED_BY_BOARD


def test_strike_out_ballot_keeps_the_names_not_struck() -> None:
    ballot = strike_out_ballot(slate=SLATE, struck=["An", "Hà"])
    assert ballot.kept == frozenset({"Bình", "Chi", "Dũng"})


def test_agree_counts_as_a_vote_on_an_agree_disagree_ballot() -> None:
    slate = ("An", "Bình")
    ballots: list[Ballot] = [
        AgreeDisagreeBallot(agreed=frozenset({"An", "Bình"})),
        AgreeDisagreeBallot(agreed=frozenset({"An"}), disagreed=frozenset({"Bình"})),
        AgreeDisagreeBallot(agreed=frozenset(), disagreed=frozenset({"An", "Bình"})),
    ]
    result = count_round(slate=slate, seats=2, ballots=ballots, entitled=3)
    assert result.valid == 3
    assert dict(result.votes) == {"An": 2, "Bình": 1}
    assert result.elected == ("An",)


def test_disagreeing_with_every_candidate_is_a_valid_agree_disagree_ballot() -> None:
    against_all = AgreeDisagreeBallot(agreed=frozenset(), disagreed=frozenset({"An"}))
    assert ballot_validity(against_all, slate=("An",), seats=1) is Validity.VALID


def test_candidate_marked_in_both_columns_gets_no_vote_and_the_ballot_stays_valid() -> None:
    both = AgreeDisagreeBallot(agreed=frozenset({"An", "Bình"}), disagreed=frozenset({"An"}))
    assert ballot_validity(both, slate=("An", "Bình"), seats=2) is Validity.VALID
    assert both.votes == frozenset({"Bình"})


def test_agree_disagree_ballot_naming_someone_off_the_slate_is_invalid() -> None:
    ballot = AgreeDisagreeBallot(agreed=frozenset({"An", "Giang"}))
    assert ballot_validity(ballot, slate=("An", "Bình"), seats=2) is Validity.NAMES_ADDED


# --- Threshold --------------------------------------------------------------------------------


def test_candidate_with_exactly_half_of_entitled_is_not_elected() -> None:
    result = one_seat_round(5, entitled=10)
    assert result.elected == ()
    assert result.unfilled_seats == 1


def test_candidate_with_more_than_half_of_entitled_is_elected() -> None:
    assert one_seat_round(6, entitled=11).elected == ("An",)
    assert one_seat_round(6, entitled=10).elected == ("An",)


def test_threshold_counts_those_entitled_not_votes_cast() -> None:
    # 11 entitled, 10 present: 5 of 10 ballots is half of those voting but not of those entitled.
    ballots = [kept("An")] * 5 + [kept("Bình")] * 5
    result = count_round(slate=("An", "Bình"), seats=1, ballots=ballots, entitled=11)
    assert result.threshold == 6
    assert result.elected == ()


# --- Seats, ties and run-offs -----------------------------------------------------------------


def test_elected_fill_seats_in_order_of_votes() -> None:
    votes = {"An": 20, "Bình": 19, "Chi": 18, "Dũng": 17, "Hà": 2}
    result = thirty_voter_round(votes, seats=3)
    assert result.elected == ("An", "Bình", "Chi")
    assert result.runoff is None
    assert result.not_elected == ("Dũng", "Hà")


def test_tie_at_last_seat_triggers_runoff_among_tied_only() -> None:
    votes = {"An": 20, "Bình": 18, "Chi": 16, "Dũng": 16, "Hà": 16}
    result = thirty_voter_round(votes, seats=3)
    assert result.elected == ("An", "Bình")
    assert result.runoff == Runoff(candidates=("Chi", "Dũng", "Hà"), seats=1)
    assert result.tied == ("Chi", "Dũng", "Hà")
    assert result.seats_remaining == 1
    assert result.unfilled_seats == 0


def test_tie_that_fits_in_the_seats_elects_all_tied() -> None:
    votes = {"An": 20, "Bình": 17, "Chi": 17, "Dũng": 10, "Hà": 2}
    result = thirty_voter_round(votes, seats=3)
    assert result.elected == ("An", "Bình", "Chi")
    assert result.runoff is None


def test_tie_among_candidates_below_threshold_is_no_runoff() -> None:
    votes = {"An": 20, "Bình": 12, "Chi": 12, "Dũng": 12, "Hà": 2}
    result = thirty_voter_round(votes, seats=2)
    assert result.elected == ("An",)
    assert result.runoff is None
    assert result.unfilled_seats == 1
    assert result.not_elected == ("Bình", "Chi", "Dũng", "Hà")


def test_runoff_and_unfilled_seats_are_reported_apart() -> None:
    votes = {"An": 20, "Bình": 17, "Chi": 17, "Dũng": 5, "Hà": 2}
    result = thirty_voter_round(votes, seats=4)
    assert result.elected == ("An", "Bình", "Chi")
    assert result.runoff is None
    assert result.unfilled_seats == 1


def test_invalid_ballots_are_counted_by_reason() -> None:
    ballots: list[Ballot] = [
        kept("An"),
        StrikeOutBallot(kept=frozenset({"An"}), issued_by_board=False),
        kept("An", "Bình"),
        kept(),
        kept(),
    ]
    result = count_round(slate=("An", "Bình"), seats=1, ballots=ballots, entitled=5)
    assert result.valid == 1
    assert result.invalid == 4
    assert result.ballots == 5
    assert dict(result.invalid_by_reason) == {
        Validity.NOT_ISSUED_BY_BOARD: 1,
        Validity.NAMES_ADDED: 0,
        Validity.ALL_NAMES_STRUCK: 2,
        Validity.TOO_MANY_NAMES_LEFT: 1,
    }
    assert dict(result.votes) == {"An": 1, "Bình": 0}


def test_slate_listing_a_candidate_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="more than once"):
        count_round(slate=("An", "An"), seats=1, ballots=[], entitled=1)


# --- Entitled ---------------------------------------------------------------------------------


def test_entitled_count_shows_its_derivation() -> None:
    entitled = entitled_count(
        convened=235,
        exclusions={"suspended": 2, "absent without alternate": 1, "prosecuted": 0},
    )
    assert entitled.count == 232
    assert entitled.derivation == (
        ("convened", 235),
        ("suspended", -2),
        ("absent without alternate", -1),
    )
    assert entitled.describe() == "convened 235 − 2 suspended − 1 absent without alternate = 232"


def test_exclusions_above_those_convened_are_refused() -> None:
    with pytest.raises(ValueError, match="exceed"):
        entitled_count(convened=3, exclusions={"suspended": 4})


# --- Delegates and alternates -----------------------------------------------------------------


def delegate_round(votes: dict[str, int], *, seats: int) -> RoundResult:
    ballots = ballots_with_votes(votes, ballots=10, seats=seats)
    return count_round(slate=tuple(votes), seats=seats, ballots=ballots, entitled=10)


def test_alternates_are_ordered_by_votes_after_delegates() -> None:
    votes = {"Hà": 10, "Dũng": 9, "Chi": 8, "Bình": 7, "An": 6, "Giang": 3}
    allocation = allocate_delegates(
        result=delegate_round(votes, seats=5), delegate_seats=2, alternate_seats=3
    )
    assert allocation.delegates == ("Hà", "Dũng")
    assert allocation.alternates == ("Chi", "Bình", "An")
    assert allocation.delegate_runoff is None
    assert allocation.alternate_ties == ()


def test_alternates_also_need_more_than_half_of_entitled() -> None:
    votes = {"An": 10, "Bình": 9, "Chi": 5, "Dũng": 4}
    allocation = allocate_delegates(
        result=delegate_round(votes, seats=3), delegate_seats=1, alternate_seats=2
    )
    assert allocation.delegates == ("An",)
    assert allocation.alternates == ("Bình",)


def test_tie_across_the_last_delegate_seat_goes_to_a_runoff_for_delegate_seats() -> None:
    votes = {"An": 10, "Bình": 8, "Chi": 8, "Dũng": 7}
    allocation = allocate_delegates(
        result=delegate_round(votes, seats=4), delegate_seats=2, alternate_seats=2
    )
    assert allocation.delegates == ("An",)
    assert allocation.delegate_runoff == Runoff(candidates=("Bình", "Chi"), seats=1)
    assert allocation.alternates == ("Dũng",)


def test_alternates_with_equal_votes_are_reported_for_ordering() -> None:
    votes = {"An": 10, "Bình": 8, "Chi": 7, "Dũng": 7}
    allocation = allocate_delegates(
        result=delegate_round(votes, seats=4), delegate_seats=1, alternate_seats=3
    )
    assert allocation.alternates == ("Bình", "Chi", "Dũng")
    assert allocation.alternate_ties == (("Chi", "Dũng"),)


def test_allocation_refuses_a_round_counted_for_other_seats() -> None:
    with pytest.raises(ValueError, match="counted for 3 seats"):
        allocate_delegates(
            result=delegate_round({"An": 10, "Bình": 9, "Chi": 8}, seats=3),
            delegate_seats=1,
            alternate_seats=1,
        )


# --- Paper reconciliation ---------------------------------------------------------------------


def codes(problems: Sequence[Problem]) -> set[ProblemCode]:
    return {p.code for p in problems}


def test_consistent_paper_figures_have_no_problems() -> None:
    assert (
        reconcile_paper(
            issued=100,
            returned=98,
            not_returned=2,
            valid=95,
            invalid=3,
            per_candidate_totals={"An": 90, "Bình": 60, "Chi": 40},
            seats=2,
        )
        == []
    )


def test_each_paper_inconsistency_has_its_own_code_and_message() -> None:
    problems = reconcile_paper(
        issued=100,
        returned=98,
        not_returned=1,
        valid=90,
        invalid=3,
        per_candidate_totals={"An": 91, "Bình": 90, "Chi": 1},
        seats=2,
    )
    assert codes(problems) == {
        ProblemCode.ISSUED_NOT_RETURNED_PLUS_NOT_RETURNED,
        ProblemCode.RETURNED_NOT_VALID_PLUS_INVALID,
        ProblemCode.CANDIDATE_ABOVE_VALID,
        ProblemCode.VOTES_ABOVE_MAXIMUM,
    }
    assert all(p.message.endswith(".") for p in problems)
    assert any("An has 91 votes" in p.message for p in problems)


def test_strike_out_votes_below_one_per_valid_ballot_are_refused() -> None:
    tally = PaperTally(
        issued=10,
        returned=10,
        not_returned=0,
        valid=10,
        invalid=0,
        per_candidate_totals={"An": 5, "Bình": 4},
        seats=1,
    )
    assert codes(tally.problems()) == {ProblemCode.VOTES_BELOW_MINIMUM}
    assert tally.problems(ballot_form=BallotForm.AGREE_DISAGREE) == []


def test_negative_paper_figures_are_refused() -> None:
    problems = reconcile_paper(issued=-1, returned=0, not_returned=-1, valid=0, invalid=0)
    assert codes(problems) == {ProblemCode.NEGATIVE_FIGURE}
    assert len(problems) == 2


# --- Slate surplus and floor nominations ------------------------------------------------------


def test_prepared_slate_for_53_seats_has_59_to_60_candidates() -> None:
    allowed = slate_surplus_range(seats=53, stage=SlateStage.PREPARED)
    assert (allowed.minimum, allowed.maximum) == (59, 60)
    assert codes(check_slate_surplus(candidates=58, seats=53, stage=SlateStage.PREPARED)) == {
        ProblemCode.SLATE_TOO_SMALL
    }
    assert check_slate_surplus(candidates=59, seats=53, stage=SlateStage.PREPARED) == []
    assert check_slate_surplus(candidates=60, seats=53, stage=SlateStage.PREPARED) == []
    assert codes(check_slate_surplus(candidates=61, seats=53, stage=SlateStage.PREPARED)) == {
        ProblemCode.SLATE_TOO_LARGE
    }


def test_percentages_are_exact_so_60_seats_need_only_6_extra() -> None:
    allowed = slate_surplus_range(seats=60, stage=SlateStage.PREPARED, prepared_min=0.10)
    assert (allowed.minimum, allowed.maximum) == (66, 69)


def test_final_slate_allows_at_most_30_percent_surplus() -> None:
    assert slate_surplus_range(seats=53, stage=SlateStage.FINAL).maximum == 53 + 15
    assert check_slate_surplus(candidates=69, seats=53, stage=SlateStage.FINAL) != []
    assert check_slate_surplus(candidates=53, seats=53, stage=SlateStage.FINAL) != []


@pytest.mark.parametrize("seats", [3, 4, 5])
@pytest.mark.parametrize("stage", list(SlateStage))
def test_committee_of_three_to_five_seats_has_exactly_one_extra(
    seats: int, stage: SlateStage
) -> None:
    assert check_slate_surplus(candidates=seats + 1, seats=seats, stage=stage) == []
    assert check_slate_surplus(candidates=seats + 2, seats=seats, stage=stage) != []


@property_test
@given(seats=st.integers(min_value=6, max_value=500), stage=st.sampled_from(SlateStage))
def test_a_slate_is_always_possible_for_six_seats_or_more(seats: int, stage: SlateStage) -> None:
    allowed = slate_surplus_range(seats=seats, stage=stage)
    assert seats < allowed.minimum <= allowed.maximum
    assert check_slate_surplus(candidates=allowed.minimum, seats=seats, stage=stage) == []
    assert check_slate_surplus(candidates=allowed.maximum, seats=seats, stage=stage) == []


def test_floor_nomination_needs_strictly_more_than_30_percent() -> None:
    assert not floor_nomination_admitted(agreeing=3, delegates=10)
    assert floor_nomination_admitted(agreeing=4, delegates=10)
    assert not floor_nomination_admitted(agreeing=30, delegates=100, threshold=0.30)
    assert floor_nomination_admitted(agreeing=71, delegates=235)
    assert not floor_nomination_admitted(agreeing=70, delegates=235, threshold=Fraction(3, 10))


# --- Properties -------------------------------------------------------------------------------

names = st.sampled_from(["An", "Bình", "Chi", "Dũng", "Hà", "Giang", "Khoa", "Lan"])


@st.composite
def elections(draw: st.DrawFn) -> tuple[tuple[str, ...], int, list[Ballot], int]:
    """A slate, its seats, shuffled ballots (mostly valid) and those entitled."""
    slate = tuple(draw(st.lists(names, min_size=1, max_size=6, unique=True)))
    seats = draw(st.integers(min_value=1, max_value=len(slate)))
    voters = draw(st.integers(min_value=0, max_value=30))
    room = voters * seats
    votes: dict[str, int] = {}
    for candidate in slate:
        votes[candidate] = draw(st.integers(min_value=0, max_value=min(voters, room)))
        room -= votes[candidate]
    spoiled = st.builds(
        StrikeOutBallot,
        kept=st.frozensets(st.sampled_from(slate) | names),
        issued_by_board=st.booleans(),
        added_names=st.lists(names, max_size=1).map(tuple),
    )
    ballots: list[Ballot] = ballots_with_votes(votes, ballots=voters, seats=seats)
    ballots += draw(st.lists(spoiled, max_size=4))
    ballots = draw(st.permutations(ballots))
    entitled = max(1, len(ballots) + draw(st.integers(min_value=0, max_value=3)))
    return slate, seats, ballots, entitled


@property_test
@given(elections())
def test_votes_per_candidate_never_exceed_valid_ballots(
    election: tuple[tuple[str, ...], int, list[Ballot], int],
) -> None:
    slate, seats, ballots, entitled = election
    result = count_round(slate=slate, seats=seats, ballots=ballots, entitled=entitled)
    assert all(v <= result.valid for v in result.votes.values())
    assert sum(result.votes.values()) <= result.valid * seats


@property_test
@given(elections())
def test_elected_are_candidates_above_half_of_entitled_and_fit_the_seats(
    election: tuple[tuple[str, ...], int, list[Ballot], int],
) -> None:
    slate, seats, ballots, entitled = election
    result = count_round(slate=slate, seats=seats, ballots=ballots, entitled=entitled)
    assert len(result.elected) <= seats
    assert set(result.elected) <= set(slate)
    assert all(2 * result.votes[c] > entitled for c in result.elected)
    assert len(result.elected) + (result.runoff.seats if result.runoff else 0) <= seats
    assert result.unfilled_seats >= 0
    if result.runoff:
        assert len(result.runoff.candidates) > result.runoff.seats >= 1
        assert len({result.votes[c] for c in result.runoff.candidates}) == 1
        assert not set(result.runoff.candidates) & set(result.elected)


@property_test
@given(elections(), st.randoms(use_true_random=False))
def test_permuting_the_ballot_order_does_not_change_the_result(
    election: tuple[tuple[str, ...], int, list[Ballot], int], rnd: random.Random
) -> None:
    slate, seats, ballots, entitled = election
    shuffled = list(ballots)
    rnd.shuffle(shuffled)
    assert count_round(slate=slate, seats=seats, ballots=ballots, entitled=entitled) == count_round(
        slate=slate, seats=seats, ballots=shuffled, entitled=entitled
    )


@property_test
@given(elections())
def test_recount_equals_a_direct_count_with_a_counter(
    election: tuple[tuple[str, ...], int, list[Ballot], int],
) -> None:
    slate, seats, ballots, entitled = election
    result = count_round(slate=slate, seats=seats, ballots=ballots, entitled=entitled)
    on_slate = set(slate)
    counted = [
        b
        for b in ballots
        if b.issued_by_board
        and not b.added_names
        and b.votes
        and b.votes <= on_slate
        and len(b.votes) <= seats
    ]
    direct = Counter(name for b in counted for name in b.votes)
    assert result.valid == len(counted)
    assert result.invalid == len(ballots) - len(counted)
    assert {c: result.votes[c] for c in slate} == {c: direct[c] for c in slate}
    elected, tied = fill_seats_level_by_level(direct, slate=slate, seats=seats, entitled=entitled)
    assert set(result.elected) == elected
    assert set(result.tied) == tied
    assert set(INVALID_REASONS) == set(result.invalid_by_reason)


def fill_seats_level_by_level(
    votes: Counter[str], *, slate: Sequence[str], seats: int, entitled: int
) -> tuple[set[str], set[str]]:
    """Walk the vote levels from the top: a level that does not fit the seats left is a tie."""
    elected: set[str] = set()
    for level in sorted({votes[c] for c in slate if votes[c] * 2 > entitled}, reverse=True):
        group = {c for c in slate if votes[c] == level}
        if len(elected) + len(group) > seats:
            return elected, group if len(elected) < seats else set()
        elected |= group
    return elected, set()


@st.composite
def contests_near_the_threshold(draw: st.DrawFn) -> tuple[dict[str, int], int, int]:
    """Votes per candidate clustered around the threshold, so ties and overflows are common."""
    seats = draw(st.integers(min_value=1, max_value=5))
    slate = [f"C{i}" for i in range(seats + draw(st.integers(min_value=1, max_value=4)))]
    voters = draw(st.integers(min_value=4, max_value=40))
    threshold = voters // 2 + 1
    room = voters * seats
    votes: dict[str, int] = {}
    for candidate in slate:
        wanted = draw(st.sampled_from([threshold - 1, threshold, threshold + 1, voters]))
        votes[candidate] = min(wanted, room)
        room -= votes[candidate]
    return votes, seats, voters


@property_test
@given(contests_near_the_threshold())
def test_seats_fill_by_vote_level_with_a_runoff_only_for_a_tie_that_overflows(
    contest: tuple[dict[str, int], int, int],
) -> None:
    votes, seats, voters = contest
    ballots = ballots_with_votes(votes, ballots=voters, seats=seats)
    result = count_round(slate=tuple(votes), seats=seats, ballots=ballots, entitled=voters)
    assert dict(result.votes) == votes
    elected, tied = fill_seats_level_by_level(
        Counter(votes), slate=tuple(votes), seats=seats, entitled=voters
    )
    assert set(result.elected) == elected
    assert set(result.tied) == tied
    if result.runoff:
        assert result.runoff.seats == seats - len(elected) < len(tied)


@dataclass(frozen=True)
class PaperTally:
    issued: int
    returned: int
    not_returned: int
    valid: int
    invalid: int
    per_candidate_totals: dict[str, int]
    seats: int

    def problems(self, *, ballot_form: BallotForm = BallotForm.STRIKE_OUT) -> list[Problem]:
        return reconcile_paper(
            issued=self.issued,
            returned=self.returned,
            not_returned=self.not_returned,
            valid=self.valid,
            invalid=self.invalid,
            per_candidate_totals=self.per_candidate_totals,
            seats=self.seats,
            ballot_form=ballot_form,
        )


@st.composite
def paper_tallies(draw: st.DrawFn) -> PaperTally:
    """Figures taken from generated valid ballots, so they are consistent by construction."""
    seats = draw(st.integers(min_value=1, max_value=5))
    slate = [f"C{i}" for i in range(seats + draw(st.integers(min_value=0, max_value=3)))]
    valid_ballots = draw(
        st.lists(
            st.lists(st.sampled_from(slate), min_size=1, max_size=seats, unique=True), max_size=30
        )
    )
    invalid = draw(st.integers(min_value=0, max_value=5))
    not_returned = draw(st.integers(min_value=0, max_value=5))
    totals = Counter(name for ballot in valid_ballots for name in ballot)
    returned = len(valid_ballots) + invalid
    return PaperTally(
        issued=returned + not_returned,
        returned=returned,
        not_returned=not_returned,
        valid=len(valid_ballots),
        invalid=invalid,
        per_candidate_totals={c: totals[c] for c in slate},
        seats=seats,
    )


@property_test
@given(paper_tallies())
def test_reconciliation_accepts_consistent_figures(tally: PaperTally) -> None:
    assert tally.problems() == []


@property_test
@given(
    paper_tallies(),
    st.sampled_from(["issued", "returned", "not_returned", "valid", "invalid", "candidate"]),
    st.sampled_from([1, -1]),
)
def test_reconciliation_rejects_each_single_perturbation(
    tally: PaperTally, figure: str, delta: int
) -> None:
    if figure == "candidate":
        first = next(iter(tally.per_candidate_totals))
        beyond = tally.valid + 1 if delta > 0 else -1
        perturbed = replace(
            tally, per_candidate_totals={**tally.per_candidate_totals, first: beyond}
        )
    else:
        perturbed = replace(tally, **{figure: getattr(tally, figure) + delta})
    assert perturbed.problems() != []
