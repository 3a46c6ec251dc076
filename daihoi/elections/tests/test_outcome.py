"""The typed election result reads the stored JSON and writes the same shape back."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from daihoi.elections.outcome import ElectionResult, Runoff

ids = st.lists(st.integers(1, 60).map(str), unique=True, max_size=8).map(tuple)
runoffs = st.none() | st.builds(Runoff, candidates=ids, seats=st.integers(1, 3))


@st.composite
def results(draw: Any) -> ElectionResult:
    slate = draw(ids)
    delegate_list = draw(st.booleans())
    return ElectionResult(
        slate=slate,
        seats=draw(st.integers(1, 60)),
        entitled=draw(st.integers(1, 2000)),
        issued=draw(st.integers(0, 2000)),
        returned=draw(st.integers(0, 2000)),
        not_returned=draw(st.integers(0, 20)),
        valid=draw(st.integers(0, 2000)),
        invalid=draw(st.integers(0, 20)),
        votes=tuple((c, draw(st.integers(0, 2000))) for c in slate),
        threshold=draw(st.integers(1, 1001)),
        elected=slate[: draw(st.integers(0, len(slate)))],
        ballot_form=draw(st.sampled_from(["strike_out", "agree_disagree"])),
        found_not_issued=draw(st.integers(0, 5)),
        entitled_derivation=(("convened", 100), ("absent_no_alternate", -2)),
        invalid_by_reason=draw(
            st.dictionaries(st.sampled_from(["names_added"]), st.integers(1, 9))
        ),
        runoff=draw(runoffs),
        unfilled_seats=draw(st.integers(0, 3)),
        is_delegate_list=delegate_list,
        delegates=slate[:2] if delegate_list else (),
        alternates=slate[2:3] if delegate_list else (),
        delegate_runoff=draw(runoffs) if delegate_list else None,
        alternate_ties=((slate[3:5]),) if delegate_list and len(slate) > 4 else (),
        audit_checkpoint=draw(st.sampled_from(["", "ab12"])),
    )


@given(results())
def test_a_result_survives_its_json(result: ElectionResult) -> None:
    assert ElectionResult.from_json(result.to_json()) == result


def test_a_stored_committee_result_reads_as_attributes() -> None:
    stored = {
        "slate": ["1", "2", "3"],
        "seats": 2,
        "entitled": 10,
        "entitled_derivation": [["convened", 10]],
        "issued": 10,
        "returned": 9,
        "not_returned": 1,
        "found_not_issued": 0,
        "valid": 9,
        "invalid": 0,
        "invalid_by_reason": {},
        "votes": [["2", 8], ["1", 6], ["3", 6]],
        "threshold": 6,
        "elected": ["2"],
        "runoff": {"candidates": ["1", "3"], "seats": 1},
        "unfilled_seats": 0,
        "ballot_form": "strike_out",
    }
    result = ElectionResult.from_json(stored)
    assert result.elected == ("2",)
    assert result.tied == ("1", "3")
    assert [result.outcome_of(c) for c in ("2", "1", "3")] == ["elected", "runoff", "runoff"]
    assert result.chosen == ("2",) and not result.is_delegate_list
    assert result.to_json() == stored  # a committee result gains no delegate keys


def test_a_delegate_list_puts_officials_before_alternates() -> None:
    result = ElectionResult.from_json(
        {
            "slate": ["1", "2", "3"],
            "votes": [["1", 9], ["2", 8], ["3", 7]],
            "elected": ["1", "2", "3"],
            "delegates": ["1", "2"],
            "alternates": ["3"],
        }
    )
    assert result.is_delegate_list and result.chosen == ("1", "2")
    assert result.outcome_of("3") == "alternate" and result.outcome_of("1") == "delegate"
    assert result.with_checkpoint("ff").to_json()["audit_checkpoint"] == "ff"
