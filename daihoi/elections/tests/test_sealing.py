"""The sealing core: any two shares rebuild the key, one does not; ballots keep one length."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from daihoi.elections import counting, sealing

slates = st.lists(st.integers(1, 10**9).map(str), min_size=1, max_size=40, unique=True)


@settings(max_examples=20, deadline=None)
@given(holders=st.integers(2, 7))
def test_any_two_shares_rebuild_the_key_and_one_share_is_refused(holders: int) -> None:
    pair = sealing.new_key_pair()
    shares = sealing.split_key(pair.private, holders=holders)
    for a, b in itertools.combinations(shares, 2):
        assert sealing.join_shares([a, b]) == pair.private
    with pytest.raises(sealing.SealingError, match="count_needs_two_shares"):
        sealing.join_shares(shares[:1])
    with pytest.raises(sealing.SealingError, match="count_needs_two_shares"):
        sealing.join_shares([shares[0], shares[0]])


@settings(max_examples=50, deadline=None)
@given(slate=slates, data=st.data())
def test_every_ballot_of_an_election_seals_to_one_length_and_opens_to_itself(
    slate: list[str], data: st.DataObject
) -> None:
    pair = sealing.new_key_pair()
    size = sealing.padded_size(slate)
    kept = data.draw(st.lists(st.sampled_from(slate), unique=True))
    content = counting.ballot_content(strike_out=True, slate=slate, kept=kept)
    full = counting.ballot_content(strike_out=False, slate=slate, agreed=slate)
    boxes = [sealing.seal(pair.public, sealing.pack_ballot(c, size=size)) for c in (content, full)]
    assert len({len(b) for b in boxes}) == 1
    opened = sealing.unpack_ballot(sealing.unseal(pair.private, boxes[0]))
    assert counting.ballot_checked(opened, strike_out=True, slate=slate) == content


def test_a_counting_key_survives_case_and_spacing_and_a_typo_is_caught() -> None:
    private = sealing.new_key_pair().private
    text = sealing.counting_key_text(private)
    assert sealing.counting_key_from_text(text.lower().replace("-", " ")) == private
    typo = text[:-1] + ("A" if text[-1] != "A" else "B")
    with pytest.raises(sealing.SealingError, match="counting_key_malformed"):
        sealing.counting_key_from_text(typo)


@given(slate=slates)
def test_a_ballot_naming_someone_off_the_slate_or_marking_both_ways_is_not_a_ballot(
    slate: list[str],
) -> None:
    with pytest.raises(counting.ContentError) as exc:
        counting.ballot_content(strike_out=True, slate=slate, kept=[*slate, "x"])
    assert exc.value.problem is counting.ContentProblem.NOT_ON_SLATE and exc.value.ids == ("x",)
    with pytest.raises(counting.ContentError) as exc:
        counting.ballot_content(
            strike_out=False, slate=slate, agreed=slate[:1], disagreed=slate[:1]
        )
    assert exc.value.problem is counting.ContentProblem.MARKED_BOTH_WAYS
    with pytest.raises(counting.ContentError):
        counting.ballot_checked({"kept": slate, "extra": []}, strike_out=True, slate=slate)
