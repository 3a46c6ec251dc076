"""Benefits of cadres who leave a post: Decree 177/2024 and Decree 178/2024 as amended by 67/2025.

Pure Python, no Django import. Every amount is built from items, each with its formula and the
source it comes from, so a person and the organizer can compare the options line by line.
Amounts are whole đồng; each item is rounded half up on its own (the worked example of
Official Letter 1814 adds its items that way).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

D177 = "Decree 177/2024/NĐ-CP"
D178 = "Decree 178/2024/NĐ-CP, amended by Decree 67/2025/NĐ-CP"

# Option codes: what a person may choose.
LEAVE_UNTIL_RETIREMENT = "leave_until_retirement"
EARLY_RETIREMENT_177 = "early_retirement_177"
EARLY_RETIREMENT_178 = "early_retirement_178"
RESIGNATION_178 = "resignation_178"
KEEP_ALLOWANCE = "keep_allowance"
CONTINUE_WORK = "continue_work"

# Why an option is not open (stable codes, translated by the pages).
NOT_WISHING = "not_wishing_to_retire"
TOO_FAR = "too_far_from_retirement"
TOO_NEAR = "too_near_retirement"
PAST_RETIREMENT = "past_retirement"
NO_SALARY = "no_salary_basis"


@dataclass(frozen=True)
class Policy:
    """The rulebook's transition values, as plain numbers (see `policy_from`)."""

    short_band_below_months: int = 30
    long_band_up_to_months: int = 60
    months_per_year_early_177: Decimal = Decimal(5)
    near_band_min_years: int = 2
    near_band_max_years: int = 5
    near_band_coefficient: Decimal = Decimal("1.0")
    near_band_months_per_year_early: Decimal = Decimal(5)
    far_band_max_years: int = 10
    far_band_coefficient: Decimal = Decimal("0.9")
    far_band_months: int = 60
    far_band_months_per_year_early: Decimal = Decimal(4)
    months_early_cap: int = 60
    halved_from_month: int = 13
    halving: Decimal = Decimal("0.5")
    insured_base_years: int = 20
    insured_base_months: Decimal = Decimal(5)
    insured_months_per_further_year: Decimal = Decimal("0.5")
    half_year_up_to_months: int = 6
    resignation_coefficient: Decimal = Decimal("0.8")
    resignation_months_per_insured_year: Decimal = Decimal("1.5")
    resignation_job_search_months: Decimal = Decimal(3)
    allowance_minimum_months: int = 6


def policy_from(transitions: Any) -> Policy:
    """A `Policy` from a rulebook's `transitions` section (`daihoi.rulebooks.schema`)."""
    nr, er, rs = transitions.not_reelected, transitions.early_retirement, transitions.resignation
    ins, ly = transitions.insured_years, transitions.leader_allowance
    return Policy(
        short_band_below_months=nr.short_band_below_months.value,
        long_band_up_to_months=nr.long_band_up_to_months.value,
        months_per_year_early_177=Decimal(nr.salary_months_per_year_early.value),
        near_band_min_years=er.near_band_min_years.value,
        near_band_max_years=er.near_band_max_years.value,
        near_band_coefficient=Decimal(er.near_band_salary_months_per_month_early.value),
        near_band_months_per_year_early=Decimal(er.near_band_months_per_year_early.value),
        far_band_max_years=er.far_band_max_years.value,
        far_band_coefficient=Decimal(er.far_band_coefficient.value),
        far_band_months=er.far_band_months.value,
        far_band_months_per_year_early=Decimal(er.far_band_months_per_year_early.value),
        months_early_cap=er.months_early_cap.value,
        halved_from_month=er.halved_from_month.value,
        halving=Decimal(er.halving_factor.value),
        insured_base_years=ins.base_years.value,
        insured_base_months=Decimal(ins.base_months.value),
        insured_months_per_further_year=Decimal(ins.months_per_further_year.value),
        half_year_up_to_months=transitions.part_year_half_up_to_months.value,
        resignation_coefficient=Decimal(rs.salary_per_counted_month.value),
        resignation_months_per_insured_year=Decimal(rs.months_per_insured_year.value),
        resignation_job_search_months=Decimal(rs.job_search_months.value),
        allowance_minimum_months=ly.minimum_months.value,
    )


@dataclass(frozen=True)
class Item:
    """One line of an amount: what it pays for, how it is computed, how much."""

    code: str
    formula: str
    amount: int
    source: str


@dataclass(frozen=True)
class Option:
    code: str
    eligible: bool
    source: str
    items: tuple[Item, ...] = ()
    reason: str = ""  # why not eligible, a stable code
    notes: tuple[str, ...] = field(default_factory=tuple)  # stable codes of what was applied

    @property
    def total(self) -> int:
        return sum(item.amount for item in self.items)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "eligible": self.eligible,
            "source": self.source,
            "reason": self.reason,
            "notes": list(self.notes),
            "total": self.total,
            "items": [
                {"code": i.code, "formula": i.formula, "amount": i.amount, "source": i.source}
                for i in self.items
            ],
        }


@dataclass(frozen=True)
class Basis:
    """What the amounts are computed from; entered or imported, never guessed."""

    monthly_salary: int  # salary plus allowances, đồng a month
    insured_months: int  # months of compulsory social insurance
    months_to_retirement: int  # at the date of leaving
    month_after_decision: int = 1  # the leaving falls in this month after the decision (1 = first)
    wishes_to_retire: bool = True
    leadership_allowance: int = 0  # monthly allowance of a lost leading post
    months_left_in_term: int = 0


def dong(value: Decimal | Fraction | int) -> int:
    """Whole đồng, half up."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def fmt(value: Decimal | Fraction | int) -> str:
    """A number as the formulas show it: 15,356,250 or 2.5."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    value = Decimal(value).normalize()
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,f}"


def counted_years(months: int, policy: Policy = Policy()) -> Fraction:
    """Whole years, a remainder of 1–6 months as half a year and more as a full year."""
    if months < 0:
        raise ValueError("months must not be negative")
    years, rest = divmod(months, 12)
    if rest == 0:
        return Fraction(years)
    if rest <= policy.half_year_up_to_months:
        return Fraction(years) + Fraction(1, 2)
    return Fraction(years + 1)


def insured_years_months(insured_months: int, policy: Policy = Policy()) -> Fraction:
    """Months of salary for insured time: 5 for the first 20 years, 0.5 per further year."""
    years = counted_years(insured_months, policy)
    if years < policy.insured_base_years:
        return Fraction(0)
    further = years - policy.insured_base_years
    return Fraction(policy.insured_base_months) + further * Fraction(
        policy.insured_months_per_further_year
    )


def _insured_item(basis: Basis, policy: Policy, source: str) -> Item:
    years = counted_years(basis.insured_months, policy)
    months = insured_years_months(basis.insured_months, policy)
    return Item(
        code="insured_years",
        formula=f"{fmt(months)} × {fmt(basis.monthly_salary)} ({fmt(years)} insured years)",
        amount=dong(months * basis.monthly_salary),
        source=source,
    )


def _per_year_item(basis: Basis, per_year: Decimal, source: str, policy: Policy) -> Item:
    years = counted_years(basis.months_to_retirement, policy)
    return Item(
        code="years_early",
        formula=f"{fmt(per_year)} × {fmt(basis.monthly_salary)} × {fmt(years)} years early",
        amount=dong(Fraction(per_year) * basis.monthly_salary * years),
        source=source,
    )


def _halved(basis: Basis, coefficient: Decimal, policy: Policy) -> tuple[Decimal, tuple[str, ...]]:
    if basis.month_after_decision >= policy.halved_from_month:
        return coefficient * policy.halving, ("halved_from_13th_month",)
    return coefficient, ()


# Decree 177/2024: not re-elected ---------------------------------------------------------


def not_reelected_options(basis: Basis, policy: Policy = Policy()) -> list[Option]:
    """Options of a cadre not re-elected, by the months to retirement at the congress."""
    months = basis.months_to_retirement
    if months <= 0:
        return [Option(CONTINUE_WORK, False, D177, reason=PAST_RETIREMENT)]
    early = Option(
        EARLY_RETIREMENT_177,
        True,
        D177,
        items=(
            _per_year_item(basis, policy.months_per_year_early_177, D177, policy),
            _insured_item(basis, policy, D177),
        ),
    )
    if months < policy.short_band_below_months:
        leave = Option(
            LEAVE_UNTIL_RETIREMENT,
            True,
            D177,
            items=(
                Item(
                    code="full_salary_until_retirement",
                    formula=f"{fmt(basis.monthly_salary)} × {months} months",
                    amount=basis.monthly_salary * months,
                    source=D177,
                ),
            ),
        )
        return [leave, early]
    if months <= policy.long_band_up_to_months:
        if not basis.wishes_to_retire:
            return [
                Option(CONTINUE_WORK, True, D177),
                Option(EARLY_RETIREMENT_177, False, D177, reason=NOT_WISHING),
            ]
        return [early, Option(CONTINUE_WORK, True, D177)]
    return [
        Option(CONTINUE_WORK, True, D177),
        Option(EARLY_RETIREMENT_177, False, D177, reason=TOO_FAR),
    ]


# Decree 178/2024 as amended by 67/2025: restructuring ------------------------------------


def early_retirement_178(basis: Basis, policy: Policy = Policy()) -> Option:
    months = basis.months_to_retirement
    if months < policy.near_band_min_years * 12:
        return Option(EARLY_RETIREMENT_178, False, D178, reason=TOO_NEAR)
    if months > policy.far_band_max_years * 12:
        return Option(EARLY_RETIREMENT_178, False, D178, reason=TOO_FAR)
    if months <= policy.near_band_max_years * 12:
        coefficient, notes = _halved(basis, policy.near_band_coefficient, policy)
        counted = min(months, policy.months_early_cap)
        per_year = policy.near_band_months_per_year_early
    else:
        coefficient, notes = _halved(basis, policy.far_band_coefficient, policy)
        counted = policy.far_band_months
        per_year = policy.far_band_months_per_year_early
    if months > policy.months_early_cap:
        notes = (*notes, "months_capped")
    first = Item(
        code="months_early",
        formula=f"{fmt(coefficient)} × {fmt(basis.monthly_salary)} × {counted} months",
        amount=dong(coefficient * basis.monthly_salary * counted),
        source=D178,
    )
    items = (
        first,
        _per_year_item(basis, per_year, D178, policy),
        _insured_item(basis, policy, D178),
    )
    return Option(EARLY_RETIREMENT_178, True, D178, items=items, notes=notes)


def resignation_178(basis: Basis, policy: Policy = Policy()) -> Option:
    coefficient, notes = _halved(basis, policy.resignation_coefficient, policy)
    counted = min(max(basis.months_to_retirement, 0), policy.months_early_cap)
    years = counted_years(basis.insured_months, policy)
    items = (
        Item(
            code="months_to_retirement",
            formula=f"{fmt(coefficient)} × {fmt(basis.monthly_salary)} × {counted} months",
            amount=dong(coefficient * basis.monthly_salary * counted),
            source=D178,
        ),
        Item(
            code="insured_years",
            formula=(
                f"{fmt(policy.resignation_months_per_insured_year)} × "
                f"{fmt(basis.monthly_salary)} × {fmt(years)} insured years"
            ),
            amount=dong(
                Fraction(policy.resignation_months_per_insured_year) * basis.monthly_salary * years
            ),
            source=D178,
        ),
        Item(
            code="job_search",
            formula=f"{fmt(policy.resignation_job_search_months)} × {fmt(basis.monthly_salary)}",
            amount=dong(policy.resignation_job_search_months * basis.monthly_salary),
            source=D178,
        ),
    )
    return Option(RESIGNATION_178, True, D178, items=items, notes=notes)


def keep_allowance(basis: Basis, policy: Policy = Policy()) -> Option | None:
    """A leader who loses the post keeps the allowance to the term's end, at least 6 months."""
    if basis.leadership_allowance <= 0:
        return None
    months = max(basis.months_left_in_term, policy.allowance_minimum_months)
    return Option(
        KEEP_ALLOWANCE,
        True,
        D178,
        items=(
            Item(
                code="former_allowance",
                formula=f"{fmt(basis.leadership_allowance)} × {months} months",
                amount=basis.leadership_allowance * months,
                source=D178,
            ),
        ),
    )


def restructuring_options(basis: Basis, policy: Policy = Policy()) -> list[Option]:
    options = [early_retirement_178(basis, policy), resignation_178(basis, policy)]
    allowance = keep_allowance(basis, policy)
    if allowance is not None:
        options.append(allowance)
    return options


def options_for(reason: str, basis: Basis, policy: Policy = Policy()) -> list[Option]:
    """Every option for a case: Decree 177 for `not_reelected`, Decree 178 for `surplus`."""
    if basis.monthly_salary <= 0:
        return [Option(CONTINUE_WORK, False, "", reason=NO_SALARY)]
    if reason == "not_reelected":
        options = not_reelected_options(basis, policy)
        allowance = keep_allowance(basis, policy)
        return options + ([allowance] if allowance else [])
    return restructuring_options(basis, policy)


def options_by_code(options: list[Option]) -> Mapping[str, Option]:
    return {option.code: option for option in options}
