"""The working-day calendar, the pre-congress cut-off, admissibility grounds and deadlines,
with dates worked by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daihoi.cases import rules, workdays
from daihoi.rulebooks.loader import load_rulebook

CAL = workdays.shipped_calendar()
GROUNDS = load_rulebook("vn-cpv-2025").complaints.not_handled_grounds.value


def test_the_shipped_calendar_covers_2024_to_2026_with_tet_each_year() -> None:
    assert {2024, 2025, 2026} <= CAL.years
    for day in (dt.date(2024, 2, 12), dt.date(2025, 1, 29), dt.date(2026, 2, 17)):
        assert CAL.holidays[day] == "tet" and not CAL.is_working_day(day)


def test_weekends_are_off_except_a_saturday_worked_in_exchange() -> None:
    assert not CAL.is_working_day(dt.date(2025, 3, 1))  # Saturday
    assert CAL.is_working_day(dt.date(2025, 4, 26))  # Saturday worked for Friday 2 May
    assert not CAL.is_working_day(dt.date(2025, 5, 2))


def test_a_year_without_holiday_data_is_refused_not_guessed() -> None:
    with pytest.raises(workdays.UncoveredYear):
        CAL.is_working_day(dt.date(2031, 1, 6))


def test_grassroots_cut_off_of_25_working_days_skips_the_tet_week() -> None:
    # Opening Monday 3 March 2025. Back 20 working days to Monday 3 February; the week of
    # 27–31 January is Tết; five more days: Friday 24 to Monday 20 January.
    assert rules.cutoff_date(CAL, dt.date(2025, 3, 3), 25) == dt.date(2025, 1, 20)
    # Without the holidays it would have been Monday 27 January.
    plain = workdays.Calendar(years=frozenset({2025}))
    assert rules.cutoff_date(plain, dt.date(2025, 3, 3), 25) == dt.date(2025, 1, 27)


def test_higher_level_cut_off_of_30_working_days() -> None:
    assert rules.cutoff_date(CAL, dt.date(2025, 3, 3), 30) == dt.date(2025, 1, 13)


def test_a_holiday_on_a_monday_inside_a_short_window() -> None:
    # Hùng Kings' day, Monday 7 April 2025, does not count.
    assert CAL.step_back(dt.date(2025, 4, 14), 5) == dt.date(2025, 4, 4)


def test_the_postmark_counts_for_a_letter() -> None:
    opens = dt.date(2025, 3, 3)
    dated = rules.effective_date(dt.date(2025, 1, 22), dt.date(2025, 1, 20))
    assert dated == dt.date(2025, 1, 20)
    assert not rules.inside_cutoff(CAL, dated=dated, opens_on=opens, working_days=25)
    late = rules.effective_date(dt.date(2025, 1, 22), dt.date(2025, 1, 21))
    assert rules.inside_cutoff(CAL, dated=late, opens_on=opens, working_days=25)
    # Received in hand (no postmark): the date of receipt.
    assert rules.inside_cutoff(
        CAL, dated=rules.effective_date(dt.date(2025, 1, 22), None), opens_on=opens, working_days=25
    )


def test_resolution_deadlines_by_level_and_the_central_extension() -> None:
    accepted = dt.date(2025, 3, 10)
    assert rules.resolution_due(accepted_on=accepted, days=90) == dt.date(2025, 6, 8)
    assert rules.resolution_due(accepted_on=accepted, days=180) == dt.date(2025, 9, 6)
    assert rules.resolution_due(accepted_on=accepted, days=180, extension_days=60) == dt.date(
        2025, 11, 5
    )


def test_the_rulebook_gives_the_days_with_their_sources_flagged_unverified() -> None:
    book = load_rulebook("vn-cpv-2025").complaints
    assert book.resolution_days_by_level["province"].value == 90
    assert book.resolution_days_by_level["national"].value == 180
    assert book.cutoff is not None and book.deadlines is not None
    assert book.cutoff.grassroots_working_days.value == 25
    assert book.cutoff.higher_working_days.value == 30
    assert book.deadlines.centrally_managed_days.value == 180
    assert book.deadlines.centrally_managed_extension_days.value == 60
    assert book.cutoff.grassroots_working_days.unverified
    assert "08-HD/UBKTTW" in book.cutoff.grassroots_working_days.source


@pytest.mark.parametrize(
    "facts,ground",
    [
        ({"sender_named": False}, "anonymous"),
        ({"name_is_real": False}, "pseudonymous"),
        ({"address_given": False}, "no_address"),
        ({"repeat_of_resolved": True}, "repeat_without_new_evidence"),
        ({"specific_content": False}, "not_specific"),
        ({"personally_signed": False}, "not_personally_signed"),
        ({"signers": 2}, "co_signed"),
        ({"legal_capacity": False}, "no_legal_capacity"),
    ],
)
def test_each_not_handled_ground(facts: dict, ground: str) -> None:
    met = rules.grounds_met(rules.Submission(kind="denunciation", **facts), GROUNDS)
    assert met == [ground]
    assert rules.grounds_met(rules.Submission(kind="complaint", **facts), GROUNDS) == [ground]


def test_a_repeat_with_new_evidence_and_a_proper_letter_meet_no_ground() -> None:
    sub = rules.Submission(kind="denunciation", repeat_of_resolved=True, new_evidence=True)
    assert rules.grounds_met(sub, GROUNDS) == []


def test_anonymous_feedback_meets_no_ground() -> None:
    sub = rules.Submission(kind="feedback", sender_named=False, address_given=False)
    assert rules.grounds_met(sub, GROUNDS) == []


# Properties ---------------------------------------------------------------------------

days = st.dates(min_value=dt.date(2024, 4, 1), max_value=dt.date(2026, 12, 31))


@given(end=days, n=st.integers(min_value=1, max_value=40))
def test_stepping_back_n_working_days_leaves_exactly_n(end: dt.date, n: int) -> None:
    start = CAL.step_back(end, n)
    assert CAL.is_working_day(start)
    assert CAL.working_days_between(start, end) == n
    assert CAL.working_days_between(start + dt.timedelta(days=1), end) == n - 1


@given(a=days, b=days, c=days)
def test_working_days_add_up(a: dt.date, b: dt.date, c: dt.date) -> None:
    a, b, c = sorted((a, b, c))
    assert CAL.working_days_between(a, c) == CAL.working_days_between(
        a, b
    ) + CAL.working_days_between(b, c)


@given(dated=days, opens=days, n=st.integers(min_value=1, max_value=35))
def test_inside_the_cut_off_means_fewer_than_n_working_days_remain(
    dated: dt.date, opens: dt.date, n: int
) -> None:
    if dated >= opens or (opens - dated).days > 100 or opens.year < 2024 or dated.year < 2024:
        return
    try:
        inside = rules.inside_cutoff(CAL, dated=dated, opens_on=opens, working_days=n)
    except workdays.UncoveredYear:
        return
    assert inside == (CAL.working_days_between(dated, opens) < n)


@given(edits=st.lists(st.tuples(days, st.booleans(), st.just("x")), max_size=5), day=days)
def test_an_edited_day_wins_over_the_shipped_calendar(edits: list, day: dt.date) -> None:
    edited = CAL.with_changes(edits)
    last = {d: w for d, w, _ in edits}
    if day in last:
        assert edited.is_working_day(day) == last[day]
    else:
        assert edited.is_working_day(day) == CAL.is_working_day(day)
