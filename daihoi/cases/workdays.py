"""Working days: weekends and public holidays as data, per year.

Pure Python (no Django). A `Calendar` knows which years it covers; counting across a year
it does not cover raises `UncoveredYear`, so a missing year of holidays is never silently
treated as a year without holidays.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SHIPPED = Path(__file__).with_name("holidays.yaml")
ONE_DAY = datetime.timedelta(days=1)


class UncoveredYear(ValueError):
    """The calendar has no holidays for this year."""

    def __init__(self, year: int) -> None:
        super().__init__(f"no working-day calendar for {year}")
        self.year = year


@dataclass(frozen=True)
class Calendar:
    years: frozenset[int]
    holidays: Mapping[datetime.date, str] = field(default_factory=dict)
    working_weekend_days: frozenset[datetime.date] = frozenset()

    def covers(self, day: datetime.date) -> bool:
        return day.year in self.years

    def is_working_day(self, day: datetime.date) -> bool:
        if not self.covers(day):
            raise UncoveredYear(day.year)
        if day in self.working_weekend_days:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days in [start, end): from `start` up to the day before `end`."""
        count, day = 0, start
        while day < end:
            count += self.is_working_day(day)
            day += ONE_DAY
        return count

    def step_back(self, end: datetime.date, n: int) -> datetime.date:
        """The `n`-th working day before `end` (n ≥ 1): the last day from which at least `n`
        working days remain before `end`."""
        if n < 1:
            raise ValueError("n must be at least 1")
        day, found = end, 0
        while found < n:
            day -= ONE_DAY
            found += self.is_working_day(day)
        return day

    def with_changes(self, changes: Iterable[tuple[datetime.date, bool, str]]) -> Calendar:
        """This calendar with days edited: (day, working, name). A working day added on a
        weekend is a worked Saturday; a day off added on a weekday is a holiday."""
        holidays = dict(self.holidays)
        working = set(self.working_weekend_days)
        years = set(self.years)
        for day, is_working, name in changes:
            years.add(day.year)
            if is_working:
                holidays.pop(day, None)
                if day.weekday() >= 5:
                    working.add(day)
            else:
                working.discard(day)
                holidays[day] = name or "holiday"
        return Calendar(frozenset(years), holidays, frozenset(working))


def calendar_from_data(data: Mapping[str, Any]) -> Calendar:
    years: set[int] = set()
    holidays: dict[datetime.date, str] = {}
    working: set[datetime.date] = set()
    for year, entry in (data.get("years") or {}).items():
        years.add(int(year))
        for holiday in entry.get("holidays") or []:
            day = _date(holiday["day"])
            if day.year != int(year):
                raise ValueError(f"{day} is listed under {year}")
            holidays[day] = str(holiday.get("name") or "holiday")
        for day in entry.get("working_saturdays") or []:
            working.add(_date(day))
    return Calendar(frozenset(years), holidays, frozenset(working))


def _date(value: Any) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def shipped_calendar(path: Path = SHIPPED) -> Calendar:
    with path.open(encoding="utf-8") as handle:
        return calendar_from_data(yaml.safe_load(handle))
