"""The introduction's arithmetic (>50 % of summoned, ≥ 2/3 present at step 2), the dossier's
due date, and the soft structure gauges (warnings, never blocking)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daihoi.personnel import procedure, structure
from daihoi.personnel.procedure import Fraction, StepRule

HALF = Fraction(1, 2, strict=True)
TWO_THIRDS = Fraction(2, 3, strict=False)
STEP2 = StepRule(number=2, threshold=HALF, presence=TWO_THIRDS)
STEP3 = StepRule(number=3, threshold=HALF)


@pytest.mark.parametrize(
    ("summoned", "present", "votes", "passed"),
    [
        (30, 20, 16, True),  # 20 = exactly 2/3 present; 16 > 15 votes
        (30, 20, 15, False),  # exactly half of the summoned is not more than half
        (30, 19, 19, False),  # 19 < 2/3 of 30 present
        (31, 21, 16, True),  # 21 >= 20.67 present; 16 > 15.5
    ],
)
def test_step_two_needs_two_thirds_present_and_more_than_half_of_those_summoned(
    summoned: int, present: int, votes: int, passed: bool
) -> None:
    outcome = procedure.evaluate_step(STEP2, summoned=summoned, present=present, votes=votes)
    assert outcome.passed is passed


def test_the_threshold_counts_those_summoned_not_those_present() -> None:
    # 9 of 10 present, 5 votes: a majority of those present but not of those summoned.
    outcome = procedure.evaluate_step(STEP3, summoned=10, present=9, votes=5)
    assert not outcome.passed and outcome.votes_needed == 6


@pytest.mark.parametrize(
    ("present", "votes", "code"), [(11, 0, "present_range"), (5, 6, "votes_range")]
)
def test_impossible_counts_are_refused(present: int, votes: int, code: str) -> None:
    with pytest.raises(procedure.StepInputError) as error:
        procedure.evaluate_step(STEP2, summoned=10, present=present, votes=votes)
    assert error.value.code == code


@given(st.integers(1, 5000), st.sampled_from([HALF, TWO_THIRDS, Fraction(3, 4, True)]))
def test_the_minimum_is_the_least_count_that_meets(base: int, fraction: Fraction) -> None:
    least = fraction.minimum(base)
    assert fraction.met(least, base)
    assert least == 0 or not fraction.met(least - 1, base)


@given(st.integers(1, 500), st.data())
def test_a_step_passes_exactly_when_both_rules_hold(summoned: int, data: st.DataObject) -> None:
    present = data.draw(st.integers(0, summoned))
    votes = data.draw(st.integers(0, present))
    outcome = procedure.evaluate_step(STEP2, summoned=summoned, present=present, votes=votes)
    assert outcome.passed == (2 * votes > summoned and 3 * present >= 2 * summoned)


def test_fifteen_working_days_before_a_monday_opening() -> None:
    # Monday 15/09/2025: three weeks of weekdays back is Monday 25/08/2025.
    assert procedure.working_days_before(date(2025, 9, 15), 15) == date(2025, 8, 25)


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)), st.integers(1, 40))
def test_the_due_date_leaves_exactly_n_working_days(opening: date, days: int) -> None:
    due = procedure.working_days_before(opening, days)
    assert due.weekday() < 5
    between = [due + timedelta(days=i) for i in range(1, (opening - due).days)]
    weekdays = sum(d.weekday() < 5 for d in between) + 1  # the due day itself counts
    assert weekdays == days


def _member(**kw: object) -> structure.Member:
    base = {"gender": "male", "birth_date": date(1975, 1, 1)}
    return structure.Member(**{**base, **kw})  # type: ignore[arg-type]


def test_women_below_target_warn_and_the_gauge_shows_the_share() -> None:
    members = [_member(gender="female")] + [_member() for _ in range(9)]
    (gauge,) = structure.gauges(
        members,
        [structure.Target("women", "at_least", Decimal(15))],
        reference_date=date(2025, 9, 1),
        young_under_years=40,
    )
    assert (gauge.count, gauge.total, gauge.percent, gauge.below) == (1, 10, Decimal("10.0"), True)


def test_young_cadres_count_by_age_at_the_reference_date() -> None:
    young = _member(birth_date=date(1985, 9, 2))  # 39 at 01/09/2025
    not_young = _member(birth_date=date(1985, 9, 1))  # 40 that day
    (gauge,) = structure.gauges(
        [young, not_young],
        [structure.Target("young_cadres", "at_least", Decimal(10))],
        reference_date=date(2025, 9, 1),
        young_under_years=40,
    )
    assert gauge.count == 1


@given(st.integers(0, 60), st.integers(0, 60), st.decimals(0, 100, places=1))
def test_below_means_under_the_target_share(women: int, men: int, target: Decimal) -> None:
    members = [_member(gender="female")] * women + [_member()] * men
    (gauge,) = structure.gauges(
        members,
        [structure.Target("women", "at_least", target)],
        reference_date=date(2025, 9, 1),
        young_under_years=40,
    )
    assert gauge.below == (women * 100 < target * (women + men))


def test_appropriate_targets_never_warn() -> None:
    (gauge,) = structure.gauges(
        [_member()],
        [structure.Target("ethnic_minority", "appropriate", None)],
        reference_date=date(2025, 9, 1),
        young_under_years=40,
    )
    assert not gauge.below
