from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from daihoi.rulebooks import ages
from daihoi.rulebooks.ages import YearsMonths

births = st.dates(min_value=date(1940, 1, 1), max_value=date(2005, 12, 31))
genders = st.sampled_from(["male", "female"])
FAST = settings(max_examples=300, deadline=None)


def ym(years: int, months: int = 0) -> YearsMonths:
    return YearsMonths.of(years, months)


# Decree 135/2020 roadmap, checked by hand: the age is the one of the year in which it is reached.
@pytest.mark.parametrize(
    ("gender", "birth", "age", "retires"),
    [
        # 1 Jan 1961 + 60y3m = 1 Apr 2021, reached in 2021 -> 60y3m.
        ("male", date(1961, 1, 1), ym(60, 3), date(2021, 4, 30)),
        # Sep 1961 + 60y3m = Dec 2021, still 2021 -> 60y3m.
        ("male", date(1961, 9, 15), ym(60, 3), date(2021, 12, 31)),
        # Oct 1961 + 60y3m = Jan 2022 (not 2021); 2022 age 60y6m -> Apr 2022.
        ("male", date(1961, 10, 1), ym(60, 6), date(2022, 4, 30)),
        # 1 Jan 1965: 2025 age 61y3m -> Apr 2026 (not 2025); 2026 age 61y6m -> 1 Jul 2026.
        ("male", date(1965, 1, 1), ym(61, 6), date(2026, 7, 31)),
        # Jul 1965 + 61y6m = Jan 2027 (not 2026); 2027 age 61y9m -> Apr 2027.
        ("male", date(1965, 7, 1), ym(61, 9), date(2027, 4, 30)),
        # Apr 1966 + 61y9m = Jan 2028 (not 2027); 2028 age is the cap 62y -> Apr 2028.
        ("male", date(1966, 4, 1), ym(62), date(2028, 4, 30)),
        # Reached before 2021: the old age of 60 -> May 2019.
        ("male", date(1959, 5, 5), ym(60), date(2019, 5, 31)),
        # 1 Jan 1966 + 55y4m = May 2021 -> 55y4m.
        ("female", date(1966, 1, 1), ym(55, 4), date(2021, 5, 31)),
        # Sep 1966 + 55y4m = Jan 2022 (not 2021); 2022 age 55y8m -> May 2022.
        ("female", date(1966, 9, 1), ym(55, 8), date(2022, 5, 31)),
        # 1 Jan 1970: 2026 age 57y -> Jan 2027 (not 2026); 2027 age 57y4m -> May 2027.
        ("female", date(1970, 1, 1), ym(57, 4), date(2027, 5, 31)),
        # 1 Jan 1980 reaches any roadmap age after 2035 -> the cap 60y, Jan 2040.
        ("female", date(1980, 1, 1), ym(60), date(2040, 1, 31)),
    ],
)
def test_retirement_age_and_date_follow_the_roadmap_by_year_reached(
    gender: ages.Gender, birth: date, age: YearsMonths, retires: date
) -> None:
    assert ages.retirement_age(gender, birth) == age
    assert ages.retirement_date(gender, birth) == retires


def test_age_counts_whole_months_and_a_31st_birthday_completes_on_a_shorter_month_end() -> None:
    assert ages.age_at(date(1970, 5, 20), date(2025, 5, 19)) == ym(54, 11)
    assert ages.age_at(date(1970, 5, 20), date(2025, 5, 20)) == ym(55)
    assert ages.age_at(date(1970, 1, 31), date(1970, 2, 28)) == ym(0, 1)


def test_age_before_birth_is_an_error() -> None:
    with pytest.raises(ValueError, match="before birth"):
        ages.age_at(date(2000, 1, 2), date(2000, 1, 1))


# Man born 1 Jan 1965 reaches 61y6m in Jul 2026 and retires at the end of 31 Jul 2026: from
# 1 Apr 2025 that is Apr 2025 .. Jul 2026, 16 months, the retirement month included.
def test_man_born_january_1965_has_16_months_left_in_april_2025_so_cannot_be_reelected() -> None:
    left = ages.months_of_working_time_left(
        gender="male", birth_date=date(1965, 1, 1), reference_date=date(2025, 4, 1)
    )
    assert left == 16
    assert not ages.meets_working_time(
        48, gender="male", birth_date=date(1965, 1, 1), reference_date=date(2025, 4, 1)
    )


# Decree 135/2020 art. 6: retirement takes effect at the end of the last day of the month in
# which the age is reached, so that month is working time. Man born 1 Mar 1968 reaches 62y in
# March 2030: Apr 2025 .. Mar 2030 is exactly 60 months -> eligible as a first-time member.
def test_working_time_left_counts_the_retirement_month() -> None:
    left = ages.months_of_working_time_left(
        gender="male", birth_date=date(1968, 3, 1), reference_date=date(2025, 4, 1)
    )
    assert left == 60
    assert ages.meets_working_time(
        60, gender="male", birth_date=date(1968, 3, 1), reference_date=date(2025, 4, 1)
    )
    assert not ages.meets_working_time(
        61, gender="male", birth_date=date(1968, 3, 1), reference_date=date(2025, 4, 1)
    )


# Man born 1 Apr 1968 reaches 62y in Apr 2030: Apr 2025 .. Apr 2030 is 61 months.
def test_man_born_april_1968_has_61_months_left_in_april_2025() -> None:
    assert (
        ages.months_of_working_time_left(
            gender="male", birth_date=date(1968, 4, 1), reference_date=date(2025, 4, 1)
        )
        == 61
    )


@FAST
@given(birth=births, gender=genders, reference=st.dates(date(2000, 1, 1), date(2060, 12, 31)))
def test_from_a_month_start_the_months_left_run_to_the_retirement_month_inclusive(
    birth: date, gender: ages.Gender, reference: date
) -> None:
    start = reference.replace(day=1)
    retires = ages.retirement_date(gender, birth)
    months = (retires.year - start.year) * 12 + (retires.month - start.month) + 1
    left = ages.months_of_working_time_left(gender=gender, birth_date=birth, reference_date=start)
    assert left == max(months, 0)


@FAST
@given(birth=births, first=st.integers(0, 40_000), extra=st.integers(0, 5_000))
def test_age_is_monotone_in_the_reference_date(birth: date, first: int, extra: int) -> None:
    earlier = birth + timedelta(days=first)
    later = earlier + timedelta(days=extra)
    assert ages.age_at(birth, earlier) <= ages.age_at(birth, later)


@FAST
@given(birth=births)
def test_male_retirement_age_is_between_60y3m_and_62y_once_the_roadmap_applies(
    birth: date,
) -> None:
    age = ages.retirement_age("male", birth)
    if ages.retirement_age_reached_on("male", birth).year >= 2021:
        assert ym(60, 3) <= age <= ym(62)
    else:
        assert age == ym(60)


@FAST
@given(birth=births)
def test_female_retirement_age_is_between_55y4m_and_60y_once_the_roadmap_applies(
    birth: date,
) -> None:
    age = ages.retirement_age("female", birth)
    if ages.retirement_age_reached_on("female", birth).year >= 2021:
        assert ym(55, 4) <= age <= ym(60)
    else:
        assert age == ym(55)


@FAST
@given(birth=births, gender=genders)
def test_retirement_age_is_the_roadmap_age_of_the_year_it_is_reached(
    birth: date, gender: ages.Gender
) -> None:
    reached = ages.retirement_age_reached_on(gender, birth)
    assert ages.retirement_age(gender, birth) == ages.LABOUR_CODE_2019[gender].age_for_year(
        reached.year
    )


@FAST
@given(birth=births, gender=genders)
def test_retirement_date_minus_birth_equals_the_retirement_age(
    birth: date, gender: ages.Gender
) -> None:
    retires = ages.retirement_date(gender, birth)
    assert ages.age_at(birth, retires) == ages.retirement_age(gender, birth)
    assert (retires + timedelta(days=1)).day == 1  # the last day of a month


@FAST
@given(birth=births, gender=genders)
def test_later_births_never_retire_earlier(birth: date, gender: ages.Gender) -> None:
    next_day = birth + timedelta(days=1)
    assert ages.retirement_date(gender, birth) <= ages.retirement_date(gender, next_day)


@FAST
@given(birth=births, gender=genders, reference=st.dates(date(2000, 1, 1), date(2060, 12, 31)))
def test_months_left_decrease_by_one_each_month_and_never_go_negative(
    birth: date, gender: ages.Gender, reference: date
) -> None:
    def left(on: date) -> int:
        return ages.months_of_working_time_left(gender=gender, birth_date=birth, reference_date=on)

    now, next_month = left(reference), left(ages.add_months(reference, 1))
    assert now >= 0 and next_month >= 0
    assert next_month == max(now - 1, 0)


@FAST
@given(birth=births, gender=genders, reference=st.dates(date(2000, 1, 1), date(2060, 12, 31)))
def test_meets_working_time_is_months_left_at_least_required(
    birth: date, gender: ages.Gender, reference: date
) -> None:
    left = ages.months_of_working_time_left(
        gender=gender, birth_date=birth, reference_date=reference
    )
    for required in (left, left + 1):
        assert ages.meets_working_time(
            required, gender=gender, birth_date=birth, reference_date=reference
        ) is (left >= required)


def test_roadmap_parameters_can_come_from_elsewhere() -> None:
    flat = ages.RetirementRoadmap(
        start_year=2021,
        start_age=ym(65),
        step_months=1,
        cap=ym(65),
        before_start=ym(65),
    )
    assert ages.retirement_age("male", date(1970, 6, 15), flat) == ym(65)
    assert ages.retirement_date("male", date(1970, 6, 15), flat) == date(2035, 6, 30)


def test_a_roadmap_that_falls_is_rejected() -> None:
    with pytest.raises(ValueError):
        ages.RetirementRoadmap(
            start_year=2021, start_age=ym(60), step_months=3, cap=ym(59), before_start=ym(60)
        )
