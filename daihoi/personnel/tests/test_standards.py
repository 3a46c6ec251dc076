"""Hard standards at their boundaries: exactly 60, 48 and 30 months, and each unit kind's
reference month. Retirement takes effect at the end of the month the age is reached, so the
month of retirement itself counts: a man reaching 62 in March 2030 has 60 months left
counted from April 2025."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daihoi.personnel import standards
from daihoi.personnel.standards import Code, Facts, Requirements, Result
from daihoi.rulebooks import ages
from daihoi.rulebooks.loader import load_rulebook


def man(birth: date, *, reelection: bool = False, **kw: object) -> Facts:
    return Facts(gender="male", birth_date=birth, status="active", reelection=reelection, **kw)  # type: ignore[arg-type]


def working_time(facts: Facts, reference: date, needs: int) -> standards.Check:
    return standards.working_time(
        facts, Requirements(reference_date=reference, min_months_left=needs)
    )


# Hand-worked cases. Men born from 1966 on reach the capped age of 62 (2028 onwards).


@pytest.mark.parametrize(
    ("birth", "needs", "left", "result"),
    [
        # First time, grassroots (04/2025): retires 31/03/2030 -> 60 months (04/2025..03/2030).
        (date(1968, 3, 15), 60, 60, Result.MEETS),
        # One month earlier: retires 28/02/2030 -> 59 months.
        (date(1968, 2, 15), 60, 59, Result.FAILS),
        # Re-election under Directive 45: retires 31/03/2029 -> 48 months.
        (date(1967, 3, 1), 48, 48, Result.MEETS),
        (date(1967, 2, 28), 48, 47, Result.FAILS),
        # Re-election under the earlier rule (30): age 61y9 in 2027; born 12/1965 retires
        # 30/09/2027 -> 30 months; born 11/1965 retires 31/08/2027 -> 29.
        (date(1965, 12, 10), 30, 30, Result.MEETS),
        (date(1965, 11, 10), 30, 29, Result.FAILS),
    ],
)
def test_working_time_boundaries_at_the_grassroots_reference_month(
    birth: date, needs: int, left: int, result: Result
) -> None:
    check = working_time(man(birth), date(2025, 4, 1), needs)
    assert check.figures["left"] == left
    assert check.result is result


def test_a_woman_retiring_in_may_2030_has_60_months_at_june_2025() -> None:
    # 2029: 58y0 (born 01/1972 reaches it only in 2030); 2030: 58y4 -> reached 10/05/2030.
    woman = Facts(gender="female", birth_date=date(1972, 1, 10), status="active")
    check = working_time(woman, date(2025, 6, 1), 60)
    assert check.figures["retires"] == date(2030, 5, 31)
    assert (check.figures["left"], check.result) == (60, Result.MEETS)
    earlier = Facts(gender="female", birth_date=date(1971, 12, 10), status="active")
    check = working_time(earlier, date(2025, 6, 1), 60)
    assert check.figures["retires"] == date(2029, 12, 31)
    assert check.result is Result.FAILS


# Each unit kind's reference month (vn-cpv-2025, Directive 45-CT/TW).
REFERENCE_BY_KIND = [
    ("grassroots", "grassroots", date(2025, 4, 1)),
    ("above_grassroots", "above_grassroots", date(2025, 6, 1)),
    ("above_grassroots", "commune", date(2025, 7, 1)),
    ("above_grassroots", "ward", date(2025, 7, 1)),
    ("province", "central", date(2025, 9, 1)),
]


@pytest.mark.parametrize(("level", "kind", "reference"), REFERENCE_BY_KIND)
def test_each_unit_kinds_reference_month_moves_the_60_month_boundary(
    level: str, kind: str, reference: date
) -> None:
    book = load_rulebook("vn-cpv-2025")
    assert book.age_reference_date(level, kind) == reference
    # A man retiring in the month 59 months after the reference month has exactly 60.
    retire_month = ages.add_months(reference, 59)
    born_exact = date(retire_month.year - 62, retire_month.month, 1)
    born_early = ages.add_months(born_exact, -1)
    assert working_time(man(born_exact), reference, 60).result is Result.MEETS
    assert working_time(man(born_early), reference, 60).result is Result.FAILS
    # The same man one reference month later falls short.
    later = ages.add_months(reference, 1)
    assert working_time(man(born_exact), later, 60).result is Result.FAILS


def test_the_figures_name_birth_retirement_months_left_and_the_need() -> None:
    check = working_time(man(date(1963, 3, 1), reelection=True), date(2025, 6, 1), 48)
    # Age 60y9 in 2023: born 03/1963 reaches it 01/12/2023 -> retired already: 0 left.
    assert check.figures["retires"] == date(2023, 12, 31)
    assert check.figures["left"] == 0 and check.figures["needs"] == 48
    assert check.fails


def test_missing_data_is_not_known_never_meets() -> None:
    unknown = Facts(gender=None, birth_date=None, status=None)
    checks = standards.evaluate(unknown, Requirements(reference_date=None, min_months_left=60))
    assert {c.code: c.result for c in checks}[Code.WORKING_TIME] is Result.UNKNOWN
    assert {c.code: c.result for c in checks}[Code.MEMBER_STATUS] is Result.UNKNOWN
    assert standards.failing(checks) == []
    assert len(standards.unknown(checks)) == 3


@pytest.mark.parametrize("status", ["suspended", "prosecuted", "retired"])
def test_a_suspended_or_prosecuted_member_fails_the_status_standard(status: str) -> None:
    facts = Facts(gender="male", birth_date=date(1980, 1, 1), status=status)
    assert standards.member_status(facts).result is Result.FAILS


def test_discipline_within_the_period_fails_and_just_outside_meets() -> None:
    req = Requirements(
        reference_date=date(2025, 4, 1), min_months_left=60, discipline_free_months=12
    )
    inside = man(date(1980, 1, 1), discipline_dates=(date(2024, 4, 2),))
    outside = man(date(1980, 1, 1), discipline_dates=(date(2024, 4, 1),))
    assert standards.discipline(inside, req).result is Result.FAILS
    assert standards.discipline(outside, req).result is Result.MEETS


def test_education_and_theory_levels_are_ordered() -> None:
    req = Requirements(
        reference_date=date(2025, 9, 1),
        min_months_left=60,
        min_education="university",
        min_political_theory="advanced",
    )
    facts = man(date(1980, 1, 1), education="master", political_theory="intermediate")
    results = {c.code: c.result for c in standards.evaluate(facts, req)}
    assert results[Code.EDUCATION] is Result.MEETS
    assert results[Code.POLITICAL_THEORY] is Result.FAILS


def test_a_body_specific_rule_replaces_the_general_one_only_where_it_applies() -> None:
    rule = standards.WorkingTimeOverride("province", "deputy_secretary", True, 42)
    pick = standards.min_months_left
    assert (
        pick(
            first_time=60,
            reelection=48,
            is_reelection=True,
            level="province",
            body="deputy_secretary",
            overrides=[rule],
        )
        == 42
    )
    assert (
        pick(
            first_time=60,
            reelection=48,
            is_reelection=False,
            level="province",
            body="deputy_secretary",
            overrides=[rule],
        )
        == 60
    )
    assert (
        pick(
            first_time=60,
            reelection=48,
            is_reelection=True,
            level="grassroots",
            body="deputy_secretary",
            overrides=[rule],
        )
        == 48
    )


# Properties ------------------------------------------------------------------------------

births = st.dates(min_value=date(1955, 1, 1), max_value=date(1995, 12, 31))
references = st.sampled_from([r for _l, _k, r in REFERENCE_BY_KIND])
genders = st.sampled_from(["male", "female"])


@given(births, genders, references, st.integers(0, 200))
def test_the_check_agrees_with_the_age_arithmetic(
    birth: date, gender: str, reference: date, needs: int
) -> None:
    facts = Facts(gender=gender, birth_date=birth, status="active")  # type: ignore[arg-type]
    check = working_time(facts, reference, needs)
    met = ages.meets_working_time(needs, gender=gender, birth_date=birth, reference_date=reference)  # type: ignore[arg-type]
    assert (check.result is Result.MEETS) == met
    assert (check.result is Result.MEETS) == (check.figures["left"] >= needs)


@given(births, births, genders, references)
def test_someone_born_later_never_has_less_working_time(
    a: date, b: date, gender: str, reference: date
) -> None:
    early, late = sorted((a, b))
    left = [
        working_time(Facts(gender=gender, birth_date=d, status="active"), reference, 0).figures[
            "left"
        ]  # type: ignore[arg-type]
        for d in (early, late)
    ]
    assert left[0] <= left[1]


@given(births, genders, references, st.integers(1, 120))
def test_a_lower_need_is_met_whenever_a_higher_one_is(
    birth: date, gender: str, reference: date, needs: int
) -> None:
    facts = Facts(gender=gender, birth_date=birth, status="active")  # type: ignore[arg-type]
    if working_time(facts, reference, needs).result is Result.MEETS:
        assert working_time(facts, reference, needs - 1).result is Result.MEETS
