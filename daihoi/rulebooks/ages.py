"""Age, retirement and working-time arithmetic for personnel rules.

Pure Python, no Django import. Ages are counted in whole calendar months: a person born on
the 31st completes a month on the last day of a shorter month.

Retirement follows a roadmap (Labour Code 2019 art. 169, Decree 135/2020/ND-CP): the
retirement age is the roadmap age of the calendar year in which the person reaches it, and
retirement takes effect at the end of the last day of that month (Decree 135/2020 art. 6).
So the month in which the age is reached is still working time: a man who reaches it in
March 2030 has 60 months of working time left counted from 1 April 2025.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Gender = Literal["male", "female"]


@dataclass(frozen=True, order=True)
class YearsMonths:
    """A duration in whole years and months, ordered by its length."""

    total_months: int

    @classmethod
    def of(cls, years: int, months: int = 0) -> YearsMonths:
        return cls(years * 12 + months)

    @property
    def years(self) -> int:
        return self.total_months // 12

    @property
    def months(self) -> int:
        return self.total_months % 12

    def __str__(self) -> str:
        return f"{self.years}y{self.months}m"


@dataclass(frozen=True)
class RetirementRoadmap:
    """Retirement age by the calendar year in which it is reached.

    Before `start_year` the age is `before_start`; from `start_year` it is `start_age`,
    rising by `step_months` a year until it reaches `cap`.
    """

    start_year: int
    start_age: YearsMonths
    step_months: int
    cap: YearsMonths
    before_start: YearsMonths

    def __post_init__(self) -> None:
        if self.step_months <= 0 or self.step_months > 12:
            raise ValueError("step_months must be between 1 and 12")
        if not self.before_start <= self.start_age <= self.cap:
            raise ValueError("roadmap ages must satisfy before_start <= start_age <= cap")

    def age_for_year(self, year: int) -> YearsMonths:
        """The retirement age for someone who reaches retirement age in `year`."""
        if year < self.start_year:
            return self.before_start
        months = self.start_age.total_months + self.step_months * (year - self.start_year)
        return YearsMonths(min(months, self.cap.total_months))


# Labour Code 2019 art. 169; Decree 135/2020/ND-CP.
LABOUR_CODE_2019: dict[Gender, RetirementRoadmap] = {
    "male": RetirementRoadmap(
        start_year=2021,
        start_age=YearsMonths.of(60, 3),
        step_months=3,
        cap=YearsMonths.of(62),
        before_start=YearsMonths.of(60),
    ),
    "female": RetirementRoadmap(
        start_year=2021,
        start_age=YearsMonths.of(55, 4),
        step_months=4,
        cap=YearsMonths.of(60),
        before_start=YearsMonths.of(55),
    ),
}


def add_months(day: date, months: int) -> date:
    """`day` moved by `months` calendar months, clamped to the end of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end` (0 if `end` is before `start`)."""
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if add_months(start, months) > end:
        months -= 1
    return months


def age_at(birth_date: date, on: date) -> YearsMonths:
    """Age in whole years and months on the day `on`."""
    if on < birth_date:
        raise ValueError(f"reference date {on} is before birth date {birth_date}")
    return YearsMonths(months_between(birth_date, on))


def _end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def retirement_age(
    gender: Gender, birth_date: date, roadmap: RetirementRoadmap | None = None
) -> YearsMonths:
    """The retirement age that applies to a person, by the year in which they reach it."""
    roadmap = roadmap or LABOUR_CODE_2019[gender]
    # The year the age is reached moves by at most one a year while the roadmap rises by at
    # most 12 months a year, so the first year whose age is reached in that year exists.
    year = min(roadmap.start_year, birth_date.year + roadmap.before_start.years)
    while True:
        age = roadmap.age_for_year(year)
        if add_months(birth_date, age.total_months).year <= year:
            return age
        year += 1


def retirement_age_reached_on(
    gender: Gender, birth_date: date, roadmap: RetirementRoadmap | None = None
) -> date:
    """The day on which a person reaches their retirement age."""
    age = retirement_age(gender, birth_date, roadmap)
    return add_months(birth_date, age.total_months)


def retirement_date(
    gender: Gender, birth_date: date, roadmap: RetirementRoadmap | None = None
) -> date:
    """Last day of the month in which the retirement age is reached (Decree 135/2020)."""
    return _end_of_month(retirement_age_reached_on(gender, birth_date, roadmap))


def months_of_working_time_left(
    *,
    gender: Gender,
    birth_date: date,
    reference_date: date,
    roadmap: RetirementRoadmap | None = None,
) -> int:
    """Whole months of working time from `reference_date` (inclusive) to the end of the
    retirement date (inclusive: retirement takes effect at the end of that day); never negative.

    From the first day of a month this counts that month and the retirement month itself.
    """
    last_day = retirement_date(gender, birth_date, roadmap)
    return months_between(reference_date, last_day + timedelta(days=1))


def meets_working_time(
    months_required: int,
    *,
    gender: Gender,
    birth_date: date,
    reference_date: date,
    roadmap: RetirementRoadmap | None = None,
) -> bool:
    """Whether at least `months_required` months of working time are left at the reference."""
    left = months_of_working_time_left(
        gender=gender, birth_date=birth_date, reference_date=reference_date, roadmap=roadmap
    )
    return left >= months_required
