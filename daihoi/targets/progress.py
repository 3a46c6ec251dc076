"""Status of a resolution's targets from their trajectory, and the "X of N met" roll-ups.

Pure Python, no Django import. A target is set for the end of a term (`target_year`): either
the value reached by then (`end_value`) or the average of the yearly figures (`yearly_average`,
as in "GRDP growth at least 9 % a year"). While the term runs, a target already satisfied is
met; otherwise it is on track when the latest figure is on or beyond the straight line from the
baseline to the target, and at risk when it is behind. When the term is over it is met or missed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

AT_LEAST = "at_least"
AT_MOST = "at_most"
REACH = "reach"

END_VALUE = "end_value"
YEARLY_AVERAGE = "yearly_average"

MET = "met"
ON_TRACK = "on_track"
AT_RISK = "at_risk"
MISSED = "missed"
NO_DATA = "no_data"
STATUSES = (MET, ON_TRACK, AT_RISK, MISSED, NO_DATA)


@dataclass(frozen=True)
class Goal:
    baseline: Decimal
    baseline_year: int
    target: Decimal
    target_year: int
    direction: str = AT_LEAST
    basis: str = END_VALUE

    @property
    def rising(self) -> bool:
        if self.direction == REACH:
            return self.target >= self.baseline
        return self.direction == AT_LEAST


def satisfies(goal: Goal, value: Decimal) -> bool:
    return value >= goal.target if goal.rising else value <= goal.target


def expected_at(goal: Goal, year: int) -> Decimal:
    """The straight line from the baseline to the target, at `year`."""
    if year >= goal.target_year or goal.target_year <= goal.baseline_year:
        return goal.target
    if year <= goal.baseline_year:
        return goal.baseline
    share = Decimal(year - goal.baseline_year) / Decimal(goal.target_year - goal.baseline_year)
    return goal.baseline + (goal.target - goal.baseline) * share


def achieved(goal: Goal, figures: Sequence[tuple[int, Decimal]]) -> Decimal | None:
    """The value that is compared with the target: the latest figure or the yearly average."""
    if not figures:
        return None
    ordered = sorted(figures)
    if goal.basis == YEARLY_AVERAGE:
        return sum((v for _y, v in ordered), Decimal(0)) / len(ordered)
    return ordered[-1][1]


def status(goal: Goal, figures: Sequence[tuple[int, Decimal]], *, as_of_year: int) -> str:
    """met, on_track, at_risk, missed or no_data, from the figures up to `as_of_year`."""
    known = sorted((y, v) for y, v in figures if y <= as_of_year)
    value = achieved(goal, known)
    if value is None:
        return MISSED if as_of_year > goal.target_year else NO_DATA
    over = known[-1][0] >= goal.target_year or as_of_year > goal.target_year
    if over:
        return MET if satisfies(goal, value) else MISSED
    if goal.basis == YEARLY_AVERAGE:
        return ON_TRACK if satisfies(goal, value) else AT_RISK
    if satisfies(goal, value):
        return MET
    line = expected_at(goal, known[-1][0])
    on_line = value >= line if goal.rising else value <= line
    return ON_TRACK if on_line else AT_RISK


def achievement_percent(goal: Goal, figures: Sequence[tuple[int, Decimal]]) -> Decimal | None:
    """How far from the baseline towards the target the achieved value is, in percent."""
    value = achieved(goal, figures)
    if value is None:
        return None
    if goal.basis == YEARLY_AVERAGE or goal.target == goal.baseline:
        if goal.target == 0:
            return None
        ratio = value / goal.target if goal.rising else goal.target / value if value else None
        return None if ratio is None else (ratio * 100).quantize(Decimal("0.1"))
    share = (value - goal.baseline) / (goal.target - goal.baseline)
    return (share * 100).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Tally:
    met: int
    total: int
    by_status: dict[str, int]

    @property
    def label(self) -> str:
        return f"{self.met}/{self.total}"


def tally(statuses: Iterable[str]) -> Tally:
    counts = dict.fromkeys(STATUSES, 0)
    for value in statuses:
        counts[value] += 1
    return Tally(met=counts[MET], total=sum(counts.values()), by_status=counts)


@dataclass(frozen=True)
class Row:
    """One target's status with what it is rolled up by."""

    unit: str
    level: str
    indicator: str
    status: str


def by_unit(rows: Iterable[Row]) -> dict[str, Tally]:
    groups: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        groups[row.unit].append(row.status)
    return {unit: tally(values) for unit, values in sorted(groups.items())}


def by_level(rows: Iterable[Row]) -> dict[tuple[str, str], Tally]:
    """Per level and shared indicator: how many units met it. Indicators held by one unit only
    are not shared and are left out."""
    groups: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for row in rows:
        groups[(row.level, row.indicator)][row.unit] = row.status
    return {key: tally(units.values()) for key, units in sorted(groups.items()) if len(units) > 1}
