"""The benefit functions against the worked example and hand-worked boundary cases."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from daihoi.rulebooks.loader import load_rulebook
from daihoi.transitions import benefits as b

S = 15_356_250  # monthly salary of the worked example (Official Letter 1814/BNV)


def basis(months: int, *, insured_years: int = 22, month: int = 1, **extra: object) -> b.Basis:
    return b.Basis(
        monthly_salary=S,
        insured_months=insured_years * 12,
        months_to_retirement=months,
        month_after_decision=month,
        **extra,  # type: ignore[arg-type]
    )


def amounts(option: b.Option) -> list[int]:
    return [item.amount for item in option.items]


def test_worked_example_of_official_letter_1814_to_the_dong() -> None:
    option = b.early_retirement_178(basis(30))
    assert amounts(option) == [460_687_500, 191_953_125, 92_137_500]
    assert option.total == 744_778_125
    assert [i.code for i in option.items] == ["months_early", "years_early", "insured_years"]
    assert option.items[0].formula == "1 × 15,356,250 × 30 months"


def test_the_shipped_rulebook_gives_the_same_policy_as_the_defaults() -> None:
    policy = b.policy_from(load_rulebook("vn-cpv-2025").transitions)
    assert policy == b.Policy()
    assert b.early_retirement_178(basis(30), policy).total == 744_778_125


def test_part_year_of_six_months_is_half_a_year_and_of_seven_a_full_year() -> None:
    assert b.counted_years(30) == Fraction(5, 2)
    assert b.counted_years(31) == 3
    assert b.counted_years(24) == 2
    assert b.counted_years(25) == Fraction(5, 2)


def test_insured_years_give_five_months_for_twenty_then_half_a_month_a_year() -> None:
    assert b.insured_years_months(20 * 12) == 5
    assert b.insured_years_months(20 * 12 - 1) == 5  # 19 y 11 m counts as 20 years
    assert b.insured_years_months(19 * 12 + 6) == 0  # 19.5 years
    assert b.insured_years_months(20 * 12 + 6) == Fraction(21, 4)  # 20.5 years -> 5.25
    assert b.insured_years_months(20 * 12 + 7) == Fraction(11, 2)  # 21 years -> 5.5
    assert b.insured_years_months(22 * 12) == 6


def test_leaving_in_the_twelfth_month_keeps_the_full_coefficient() -> None:
    assert b.early_retirement_178(basis(30, month=12)).items[0].amount == 460_687_500


def test_leaving_from_the_thirteenth_month_halves_the_coefficient() -> None:
    option = b.early_retirement_178(basis(30, month=13))
    assert amounts(option) == [230_343_750, 191_953_125, 92_137_500]  # 0.5 × S × 30
    assert "halved_from_13th_month" in option.notes


def test_exactly_two_years_early_is_in_the_near_band_and_less_is_refused() -> None:
    assert amounts(b.early_retirement_178(basis(24))) == [S * 24, 5 * S * 2, 6 * S]
    refused = b.early_retirement_178(basis(23))
    assert not refused.eligible and refused.reason == b.TOO_NEAR


def test_exactly_five_years_early_is_still_the_near_band() -> None:
    assert amounts(b.early_retirement_178(basis(60))) == [S * 60, 5 * S * 5, 6 * S]


def test_five_years_and_one_month_is_the_far_band() -> None:
    # 0.9 × S × 60 months; 61 months = 5 y 1 m = 5.5 years × 4 months
    assert amounts(b.early_retirement_178(basis(61))) == [
        829_237_500,
        4 * S * 11 // 2,
        6 * S,
    ]


def test_exactly_ten_years_early_is_the_far_band_and_more_is_refused() -> None:
    option = b.early_retirement_178(basis(120))
    assert amounts(option) == [829_237_500, 4 * S * 10, 6 * S]
    assert "months_capped" in option.notes
    refused = b.early_retirement_178(basis(121))
    assert not refused.eligible and refused.reason == b.TOO_FAR


def test_far_band_from_the_thirteenth_month_is_0_45() -> None:
    assert b.early_retirement_178(basis(90, month=13)).items[0].amount == 414_618_750


def test_not_reelected_exactly_thirty_months_is_the_long_band() -> None:
    codes = [o.code for o in b.not_reelected_options(basis(30)) if o.eligible]
    assert codes == [b.EARLY_RETIREMENT_177, b.CONTINUE_WORK]


def test_not_reelected_under_thirty_months_may_leave_until_retirement_on_full_salary() -> None:
    options = b.options_by_code(b.not_reelected_options(basis(29)))
    assert options[b.LEAVE_UNTIL_RETIREMENT].total == S * 29
    # 29 months = 2 y 5 m = 2.5 years × 5 months; 22 insured years -> 6 months
    assert amounts(options[b.EARLY_RETIREMENT_177]) == [191_953_125, 92_137_500]


def test_not_reelected_exactly_sixty_months_may_retire_and_sixty_one_may_not() -> None:
    at_60 = b.options_by_code(b.not_reelected_options(basis(60)))
    assert at_60[b.EARLY_RETIREMENT_177].eligible
    assert at_60[b.EARLY_RETIREMENT_177].items[0].amount == 5 * S * 5
    at_61 = b.options_by_code(b.not_reelected_options(basis(61)))
    assert not at_61[b.EARLY_RETIREMENT_177].eligible
    assert at_61[b.EARLY_RETIREMENT_177].reason == b.TOO_FAR


def test_not_wishing_to_retire_in_the_long_band_closes_early_retirement() -> None:
    options = b.options_by_code(b.not_reelected_options(basis(40, wishes_to_retire=False)))
    assert options[b.EARLY_RETIREMENT_177].reason == b.NOT_WISHING


def test_resignation_pays_0_8_per_month_1_5_per_insured_year_and_3_months() -> None:
    option = b.resignation_178(basis(30))
    assert amounts(option) == [368_550_000, 506_756_250, 46_068_750]
    assert amounts(b.resignation_178(basis(30, month=13)))[0] == 184_275_000


def test_leader_keeps_the_allowance_to_the_term_end_or_six_months() -> None:
    long = b.keep_allowance(basis(30, leadership_allowance=1_000_000, months_left_in_term=20))
    short = b.keep_allowance(basis(30, leadership_allowance=1_000_000, months_left_in_term=2))
    assert long is not None and long.total == 20_000_000
    assert short is not None and short.total == 6_000_000
    assert b.keep_allowance(basis(30)) is None


def test_no_salary_basis_gives_no_amounts() -> None:
    options = b.options_for("surplus", b.Basis(0, 22 * 12, 30))
    assert [o.reason for o in options] == [b.NO_SALARY]


salaries = st.integers(min_value=1, max_value=200_000_000)
insured = st.integers(min_value=0, max_value=45 * 12)


@given(salaries, insured, st.integers(min_value=24, max_value=59), st.integers(1, 24))
def test_near_band_grows_with_months_early(salary, insured_months, months, month) -> None:
    def total(m: int) -> int:
        return b.early_retirement_178(b.Basis(salary, insured_months, m, month)).total

    assert total(months) <= total(months + 1)


@given(salaries, insured, st.integers(min_value=61, max_value=119))
def test_far_band_grows_with_months_early(salary, insured_months, months) -> None:
    def total(m: int) -> int:
        return b.early_retirement_178(b.Basis(salary, insured_months, m)).total

    assert total(months) <= total(months + 1)


@given(salaries, st.integers(0, 45 * 12 - 1), st.integers(min_value=24, max_value=120))
def test_amounts_grow_with_insured_time(salary, insured_months, months) -> None:
    for option in (b.early_retirement_178, b.resignation_178):
        low = option(b.Basis(salary, insured_months, months)).total
        high = option(b.Basis(salary, insured_months + 1, months)).total
        assert low <= high


@given(salaries, insured, st.integers(min_value=1, max_value=59))
def test_decree_177_early_retirement_grows_with_months_early(salary, insured_months, months):
    def total(m: int) -> int:
        options = b.options_by_code(b.not_reelected_options(b.Basis(salary, insured_months, m)))
        return options[b.EARLY_RETIREMENT_177].total

    assert total(months) <= total(months + 1)


@given(salaries, insured, st.integers(min_value=0, max_value=130), st.integers(1, 30))
def test_total_is_the_sum_of_the_items(salary, insured_months, months, month) -> None:
    for option in b.restructuring_options(b.Basis(salary, insured_months, months, month)):
        assert option.total == sum(i.amount for i in option.items)
        assert all(i.amount >= 0 for i in option.items)
