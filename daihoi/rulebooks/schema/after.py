"""After the vote: policies for cadres not re-elected or made surplus, emulation."""

from __future__ import annotations

from decimal import Decimal

from daihoi.rulebooks.schema._base import Cited, Code, Frozen, Names


class NotReelectedPolicy(Frozen):
    """Decree 177/2024: bands of months to retirement for those not re-elected."""

    short_band_below_months: Cited[int]
    long_band_up_to_months: Cited[int]
    salary_months_per_year_early: Cited[Decimal]


class EarlyRetirementPolicy(Frozen):
    """Decree 178/2024 as amended by Decree 67/2025: early retirement through restructuring."""

    near_band_min_years: Cited[int]
    near_band_max_years: Cited[int]
    near_band_salary_months_per_month_early: Cited[Decimal]
    near_band_months_per_year_early: Cited[Decimal]
    far_band_max_years: Cited[int]
    far_band_coefficient: Cited[Decimal]
    far_band_months: Cited[int]
    far_band_months_per_year_early: Cited[Decimal]
    months_early_cap: Cited[int]
    halved_from_month: Cited[int]
    halving_factor: Cited[Decimal]


class ResignationPolicy(Frozen):
    """Decree 178/2024 as amended by Decree 67/2025: resignation through restructuring."""

    salary_per_counted_month: Cited[Decimal]
    months_per_insured_year: Cited[Decimal]
    job_search_months: Cited[int]


class InsuredYearsAllowance(Frozen):
    """Months of salary for insured working time: a base for the first years, then per year."""

    base_years: Cited[int]
    base_months: Cited[Decimal]
    months_per_further_year: Cited[Decimal]


class LeaderAllowance(Frozen):
    """A leader who loses the post keeps the allowance to the end of the term, or a minimum."""

    minimum_months: Cited[int]


class DecisionWindow(Frozen):
    """When the decision on a not-re-elected cadre is made, around the congress."""

    months_before_congress: Cited[int]
    months_after_congress: Cited[int]


class Transitions(Frozen):
    not_reelected: NotReelectedPolicy
    early_retirement: EarlyRetirementPolicy
    resignation: ResignationPolicy
    insured_years: InsuredYearsAllowance
    leader_allowance: LeaderAllowance
    part_year_half_up_to_months: Cited[int]
    decision_window: DecisionWindow


class CommendationLevel(Frozen):
    code: Code
    name: Names


class EmulationRules(Frozen):
    """Law on Emulation and Commendation 06/2022/QH15: movements and their commendations."""

    stages: Cited[tuple[Code, ...]]
    commendation_levels: Cited[tuple[CommendationLevel, ...]]
