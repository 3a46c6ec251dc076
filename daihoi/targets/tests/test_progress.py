"""Target statuses from the trajectory, roll-ups and charts (pure)."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from daihoi.targets import charts, progress, scoring

INCOME = progress.Goal(baseline=D(55), baseline_year=2020, target=D(85), target_year=2025)
GROWTH = progress.Goal(
    baseline=D("8.5"),
    baseline_year=2020,
    target=D(9),
    target_year=2025,
    basis=progress.YEARLY_AVERAGE,
)


def test_on_the_line_from_baseline_to_target_is_on_track() -> None:
    # the line gives 55 + 30 × 2/5 = 67 in 2022
    assert progress.expected_at(INCOME, 2022) == D(67)
    assert progress.status(INCOME, [(2022, D(67))], as_of_year=2022) == progress.ON_TRACK
    assert progress.status(INCOME, [(2022, D("66.9"))], as_of_year=2022) == progress.AT_RISK


def test_reaching_the_target_early_is_met_and_missing_it_at_the_end_is_missed() -> None:
    assert progress.status(INCOME, [(2023, D(86))], as_of_year=2023) == progress.MET
    assert progress.status(INCOME, [(2025, D(84))], as_of_year=2025) == progress.MISSED
    assert progress.status(INCOME, [(2025, D(85))], as_of_year=2025) == progress.MET


def test_no_figures_is_no_data_until_the_term_is_over() -> None:
    assert progress.status(INCOME, [], as_of_year=2024) == progress.NO_DATA
    assert progress.status(INCOME, [], as_of_year=2026) == progress.MISSED


def test_a_yearly_average_target_compares_the_mean_of_the_years() -> None:
    figures = [(2021, D("8.0")), (2022, D("10.0"))]  # mean 9.0
    assert progress.status(GROWTH, figures, as_of_year=2022) == progress.ON_TRACK
    figures.append((2023, D("8.0")))  # mean 8.67
    assert progress.status(GROWTH, figures, as_of_year=2023) == progress.AT_RISK
    final = [*figures, (2024, D(10)), (2025, D(10))]  # mean 9.2
    assert progress.status(GROWTH, final, as_of_year=2025) == progress.MET


def test_at_most_targets_fall_towards_the_target() -> None:
    poverty = progress.Goal(
        baseline=D(4),
        baseline_year=2020,
        target=D(1),
        target_year=2025,
        direction=progress.AT_MOST,
    )
    assert progress.status(poverty, [(2021, D("3.4"))], as_of_year=2021) == progress.ON_TRACK
    assert progress.status(poverty, [(2021, D("3.5"))], as_of_year=2021) == progress.AT_RISK
    assert progress.status(poverty, [(2025, D("0.9"))], as_of_year=2025) == progress.MET


def test_roll_ups_count_met_per_unit_and_shared_indicators_per_level() -> None:
    rows = [
        progress.Row("A", "grassroots", "income", progress.MET),
        progress.Row("A", "grassroots", "members", progress.AT_RISK),
        progress.Row("B", "grassroots", "income", progress.MISSED),
        progress.Row("C", "district", "income", progress.MET),
    ]
    units = progress.by_unit(rows)
    assert (units["A"].met, units["A"].total) == (1, 2)
    assert (units["B"].met, units["B"].total) == (0, 1)
    levels = progress.by_level(rows)
    assert list(levels) == [("grassroots", "income")]  # members and district are not shared
    assert (levels[("grassroots", "income")].met, levels[("grassroots", "income")].total) == (1, 2)


statuses = st.sampled_from(progress.STATUSES)


@given(st.lists(st.tuples(st.sampled_from("ABCD"), st.sampled_from("xyz"), statuses)))
def test_roll_up_equals_direct_counting(triples) -> None:
    rows = [progress.Row(u, "lvl", i, s) for u, i, s in triples]
    for unit, tally in progress.by_unit(rows).items():
        mine = [r for r in rows if r.unit == unit]
        assert tally.total == len(mine)
        assert tally.met == sum(r.status == progress.MET for r in mine)
    assert sum(t.total for t in progress.by_unit(rows).values()) == len(rows)


@given(
    st.integers(min_value=2021, max_value=2025),
    st.decimals(min_value=0, max_value=200, places=2),
    st.decimals(min_value=0, max_value=200, places=2),
)
def test_a_better_figure_never_worsens_the_status(year, low, high) -> None:
    order = [progress.MISSED, progress.AT_RISK, progress.ON_TRACK, progress.MET]
    low, high = min(low, high), max(low, high)
    worse = progress.status(INCOME, [(year, low)], as_of_year=year)
    better = progress.status(INCOME, [(year, high)], as_of_year=year)
    assert order.index(worse) <= order.index(better)


def test_target_chart_is_an_svg_with_the_target_line_and_escaped_labels() -> None:
    svg = charts.target_chart(
        charts.Series([(2021, D(60)), (2022, D(66))], D(85), 2025, D(55), 2020),
        title="Thu nhập <bình quân>",
        target_label="target",
        unit_label="triệu đồng",
    )
    assert svg.startswith("<svg") and 'class="target-line"' in svg
    assert "&lt;bình quân&gt;" in svg and "http://" not in svg.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert svg.count("<circle") == 3  # the baseline and two figures


def test_ranking_shares_ranks_on_equal_scores() -> None:
    weights = {"a": D(2), "b": D(1)}
    ranked = scoring.rank(
        weights,
        {"X": {"a": D(90), "b": D(60)}, "Y": {"a": D(80), "b": D(80)}, "Z": {"a": D(50)}},
    )
    assert [(r.unit, r.score, r.rank) for r in ranked] == [
        ("X", D("80.00"), 1),
        ("Y", D("80.00"), 1),
        ("Z", D("33.33"), 3),
    ]
