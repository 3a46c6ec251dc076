from datetime import date
from decimal import Decimal

import pytest

from daihoi.rulebooks.loader import RULEBOOK_DIR, available_rulebooks, load_rulebook
from daihoi.rulebooks.schema import CongressContent, Rulebook

LEVELS = ("national", "province", "above_grassroots", "grassroots", "cell")


@pytest.fixture(scope="module")
def rulebook_2025() -> Rulebook:
    return load_rulebook("vn-cpv-2025")


@pytest.fixture(scope="module")
def rulebook_2024() -> Rulebook:
    return load_rulebook("vn-cpv-2024")


def test_every_shipped_rulebook_loads_and_validates() -> None:
    books = available_rulebooks(RULEBOOK_DIR)
    assert [book.id for book in books] == ["vn-cpv-2024", "vn-cpv-2025"]


def test_both_rulebooks_use_the_same_level_codes_top_to_bottom(
    rulebook_2024: Rulebook, rulebook_2025: Rulebook
) -> None:
    assert tuple(level.code for level in rulebook_2024.levels) == LEVELS
    assert tuple(level.code for level in rulebook_2025.levels) == LEVELS


def test_vn_cpv_2025_supersedes_vn_cpv_2024(rulebook_2025: Rulebook) -> None:
    assert rulebook_2025.supersedes == "vn-cpv-2024"
    assert rulebook_2025.effective_date == date(2025, 4, 14)


def test_reelection_needs_48_months_under_directive_45_and_30_under_directive_35(
    rulebook_2024: Rulebook, rulebook_2025: Rulebook
) -> None:
    assert rulebook_2025.age.reelection_min_months_left.value == 48
    assert rulebook_2025.age.first_time_min_months_left.value == 60
    assert rulebook_2024.age.reelection_min_months_left.value == 30


def test_merged_units_hold_contents_1_and_2_with_appointed_bodies(
    rulebook_2025: Rulebook,
) -> None:
    congress_type = rulebook_2025.congress_type_for("above_grassroots", merged=True)
    assert congress_type.contents.value == (
        CongressContent.REVIEW_AND_TARGETS,
        CongressContent.COMMENT_ON_DRAFTS,
    )
    assert congress_type.bodies.value == "appointed"
    assert not congress_type.includes(CongressContent.ELECT_COMMITTEE)


def test_ordinary_units_hold_a_full_congress_with_four_contents(rulebook_2025: Rulebook) -> None:
    congress_type = rulebook_2025.congress_type_for("grassroots")
    assert congress_type.code == "full"
    assert set(congress_type.contents.value) == set(CongressContent)
    assert congress_type.bodies.value == "elected"


def test_directive_35_has_no_merged_type_so_merged_units_hold_a_full_congress(
    rulebook_2024: Rulebook,
) -> None:
    assert rulebook_2024.congress_type_for("province", merged=True).code == "full"


@pytest.mark.parametrize(
    ("level", "latest", "max_days"),
    [
        ("cell", date(2025, 3, 31), 0.5),
        ("grassroots", date(2025, 6, 30), 2),
        ("above_grassroots", date(2025, 8, 31), 2),
        ("province", date(2025, 10, 31), 4),
    ],
)
def test_vn_cpv_2025_schedule_deadlines_and_durations(
    rulebook_2025: Rulebook, level: str, latest: date, max_days: float
) -> None:
    entry = rulebook_2025.schedule_for(level)
    assert entry.latest.value == latest
    assert entry.max_duration_days is not None
    assert float(entry.max_duration_days.value) == max_days
    assert entry.pilots_first.value is True


def test_national_congress_is_in_january_2026(rulebook_2025: Rulebook) -> None:
    assert rulebook_2025.schedule_for("national").window == (date(2026, 1, 1), date(2026, 1, 31))


@pytest.mark.parametrize(
    ("level", "unit_kind", "reference"),
    [
        ("grassroots", None, date(2025, 4, 1)),
        ("above_grassroots", None, date(2025, 6, 1)),
        ("above_grassroots", "commune", date(2025, 7, 1)),
        ("above_grassroots", "ward", date(2025, 7, 1)),
        ("province", None, date(2025, 9, 1)),
    ],
)
def test_age_reference_dates_per_level_and_for_new_communes(
    rulebook_2025: Rulebook, level: str, unit_kind: str | None, reference: date
) -> None:
    assert rulebook_2025.age_reference_date(level, unit_kind) == reference


def test_candidate_with_5_votes_of_11_entitled_is_not_elected(rulebook_2025: Rulebook) -> None:
    threshold = rulebook_2025.election.elected_threshold.value
    assert threshold.base == "entitled"
    assert not threshold.is_met(5, 11)
    assert threshold.is_met(6, 11)


def test_candidate_with_exactly_half_of_entitled_is_not_elected(rulebook_2025: Rulebook) -> None:
    assert not rulebook_2025.election.elected_threshold.value.is_met(5, 10)


def test_quorum_is_more_than_two_thirds_of_convened_and_flagged_unverified(
    rulebook_2025: Rulebook,
) -> None:
    quorum = rulebook_2025.election.quorum
    assert quorum.unverified
    assert not quorum.value.is_met(20, 30)
    assert quorum.value.is_met(21, 30)


def test_slate_surplus_and_caps_follow_decision_190(rulebook_2025: Rulebook) -> None:
    election = rulebook_2025.election
    surplus = election.slate_surplus_percent.value
    assert (surplus.low, surplus.high) == (Decimal(10), Decimal(15))
    assert election.max_surplus_percent.value == 30
    assert election.small_committee_surplus.value.max_extra == 1
    assert not election.floor_nomination_support.value.is_met(30, 100)
    assert election.floor_nomination_support.value.is_met(31, 100)


def test_complaints_resolve_within_90_days_locally_and_180_centrally(
    rulebook_2025: Rulebook,
) -> None:
    assert rulebook_2025.complaint_resolution_days("province") == 90
    assert rulebook_2025.complaint_resolution_days("national") == 180
    assert "co_signed" in rulebook_2025.complaints.not_handled_grounds.value


def test_retirement_roadmap_is_read_from_the_rulebook(rulebook_2025: Rulebook) -> None:
    male = rulebook_2025.retirement.roadmap_for("male")
    assert (male.start_year, male.start_age.total_months, male.cap.total_months) == (2021, 723, 744)
    female = rulebook_2025.retirement.roadmap_for("female")
    assert (female.start_age.total_months, female.step_months) == (664, 4)


def test_every_value_cites_a_source_and_percentages_are_unverified(
    rulebook_2025: Rulebook,
) -> None:
    for path, cited in rulebook_2025.cited_values():
        assert cited.source.strip(), path
    for index, target in enumerate(rulebook_2025.structure):
        assert target.unverified, f"structure[{index}]"


def test_unverified_paths_name_the_flagged_values(rulebook_2025: Rulebook) -> None:
    paths = rulebook_2025.unverified_paths()
    assert "election.quorum" in paths
    assert "age.reelection_min_months_left" not in paths


def test_level_and_type_names_carry_vietnamese_diacritics(rulebook_2025: Rulebook) -> None:
    assert rulebook_2025.level("grassroots").names.vi == "Cấp cơ sở"
    assert rulebook_2025.congress_type("merged").names.get("de").startswith("Zusammengelegtes")
