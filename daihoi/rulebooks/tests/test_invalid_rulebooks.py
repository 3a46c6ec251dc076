from pathlib import Path
from typing import Any

import pytest
import yaml

from daihoi.rulebooks.checks import check_rulebooks
from daihoi.rulebooks.loader import (
    RULEBOOK_DIR,
    RulebookError,
    available_rulebooks,
    load_rulebook_file,
)


def shipped_data() -> dict[str, Any]:
    data = yaml.safe_load((RULEBOOK_DIR / "vn-cpv-2025.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def write(directory: Path, data: dict[str, Any], name: str = "vn-cpv-2025") -> Path:
    path = directory / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def problem_paths(error: RulebookError) -> list[str]:
    return [problem.path for problem in error.problems]


def test_missing_field_is_named_with_its_path(tmp_path: Path) -> None:
    data = shipped_data()
    del data["age"]["reelection_min_months_left"]
    with pytest.raises(RulebookError) as caught:
        load_rulebook_file(write(tmp_path, data))
    assert problem_paths(caught.value) == ["age.reelection_min_months_left"]
    assert "vn-cpv-2025.yaml" in str(caught.value)
    assert "age.reelection_min_months_left" in str(caught.value)


def test_parent_that_is_no_level_is_named_with_its_path(tmp_path: Path) -> None:
    data = shipped_data()
    data["levels"][3]["parents"] = ["above_grassroots", "district"]
    with pytest.raises(RulebookError) as caught:
        load_rulebook_file(write(tmp_path, data))
    assert problem_paths(caught.value) == ["levels[3].parents[1]"]
    assert "unknown level 'district'" in str(caught.value)


def test_parent_below_its_child_is_rejected(tmp_path: Path) -> None:
    data = shipped_data()
    data["levels"][2]["parents"] = ["grassroots"]
    with pytest.raises(RulebookError) as caught:
        load_rulebook_file(write(tmp_path, data))
    assert problem_paths(caught.value) == ["levels[2].parents[0]"]


def test_earliest_after_latest_is_named_with_its_path(tmp_path: Path) -> None:
    data = shipped_data()
    data["schedule"]["grassroots"]["earliest"]["value"] = "2025-07-01"
    with pytest.raises(RulebookError) as caught:
        load_rulebook_file(write(tmp_path, data))
    assert problem_paths(caught.value) == ["schedule.grassroots.earliest"]
    assert "after latest 2025-06-30" in str(caught.value)


def test_schedule_for_an_unknown_level_and_a_missing_level_are_both_reported(
    tmp_path: Path,
) -> None:
    data = shipped_data()
    data["schedule"]["district"] = data["schedule"].pop("cell")
    with pytest.raises(RulebookError) as caught:
        load_rulebook_file(write(tmp_path, data))
    assert set(problem_paths(caught.value)) >= {"schedule.district", "schedule"}


def test_unknown_congress_type_in_the_assignment_is_named(tmp_path: Path) -> None:
    data = shipped_data()
    data["type_assignment"]["merged"]["value"] = "partial"
    with pytest.raises(RulebookError) as caught:
        load_rulebook_file(write(tmp_path, data))
    assert problem_paths(caught.value) == ["type_assignment.merged.value"]


def test_content_outside_1_to_4_is_rejected(tmp_path: Path) -> None:
    data = shipped_data()
    data["congress_types"][1]["contents"]["value"] = [1, 5]
    with pytest.raises(RulebookError) as caught:
        load_rulebook_file(write(tmp_path, data))
    assert problem_paths(caught.value) == ["congress_types[1].contents.value[1]"]


def test_misspelled_key_is_rejected_rather_than_ignored(tmp_path: Path) -> None:
    data = shipped_data()
    data["age"]["reelection_min_months"] = data["age"].pop("reelection_min_months_left")
    with pytest.raises(RulebookError) as caught:
        load_rulebook_file(write(tmp_path, data))
    assert set(problem_paths(caught.value)) == {
        "age.reelection_min_months",
        "age.reelection_min_months_left",
    }


def test_value_without_a_source_is_rejected(tmp_path: Path) -> None:
    data = shipped_data()
    data["age"]["first_time_min_months_left"] = {"value": 60, "source": " "}
    with pytest.raises(RulebookError) as caught:
        load_rulebook_file(write(tmp_path, data))
    assert problem_paths(caught.value) == ["age.first_time_min_months_left.source"]


def test_file_name_must_match_the_rulebook_id(tmp_path: Path) -> None:
    with pytest.raises(RulebookError) as caught:
        load_rulebook_file(write(tmp_path, shipped_data(), name="other"))
    assert problem_paths(caught.value) == ["id"]


def test_invalid_yaml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(RulebookError, match=r"broken\.yaml: invalid YAML"):
        load_rulebook_file(path)


def test_available_rulebooks_raises_on_an_invalid_file(tmp_path: Path) -> None:
    data = shipped_data()
    del data["levels"]
    write(tmp_path, data)
    with pytest.raises(RulebookError, match="levels"):
        available_rulebooks(tmp_path)


def test_system_check_passes_for_the_shipped_rulebooks() -> None:
    assert check_rulebooks(None) == []


def test_system_check_reports_each_bad_field_of_an_invalid_file(tmp_path: Path) -> None:
    data = shipped_data()
    del data["age"]["reelection_min_months_left"]
    data["congress_types"][1]["contents"]["value"] = [1, 5]
    write(tmp_path, data)
    errors = check_rulebooks(None, directory=tmp_path)
    assert [error.id for error in errors] == ["rulebooks.E001", "rulebooks.E001"]
    messages = " ".join(error.msg for error in errors)
    assert "vn-cpv-2025.yaml" in messages
    assert "age.reelection_min_months_left" in messages
    assert "congress_types[1].contents.value[1]" in messages


def test_reference_errors_are_reported_once_the_structure_is_valid(tmp_path: Path) -> None:
    data = shipped_data()
    del data["age"]["reelection_min_months_left"]
    data["schedule"]["grassroots"]["earliest"]["value"] = "2025-07-01"
    with pytest.raises(RulebookError) as caught:
        load_rulebook_file(write(tmp_path, data))
    assert problem_paths(caught.value) == ["age.reelection_min_months_left"]


def test_system_check_reports_a_superseded_rulebook_that_does_not_exist(tmp_path: Path) -> None:
    write(tmp_path, shipped_data())
    errors = check_rulebooks(None, directory=tmp_path)
    assert [error.id for error in errors] == ["rulebooks.E003"]
