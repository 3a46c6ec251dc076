"""Specification of comment synthesis, against generated comments with planted families."""

from __future__ import annotations

import functools
import random
from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.comment_generator import (
    GeneratedComment,
    generate_comments,
    pairwise_precision_recall,
    strip_diacritics,
)
from daihoi.consultation.synthesis import (
    Group,
    cluster_topics,
    group_near_duplicates,
    lsh_bands,
    normalize_comment,
    representatives,
)


@pytest.fixture(scope="module")
def generated() -> list[GeneratedComment]:
    return generate_comments(3000, seed=11)


@pytest.fixture(scope="module")
def groups(generated: list[GeneratedComment]) -> list[Group]:
    return group_near_duplicates(
        [(c.comment_id, c.text) for c in generated], include_singletons=True
    )


@functools.cache
def _small_generated_set() -> list[GeneratedComment]:
    return generate_comments(400, seed=5)


def _group_of(groups: list[Group]) -> dict[int, int]:
    return {member: number for number, group in enumerate(groups) for member in group.members}


def test_normalization_ignores_diacritics_case_and_punctuation() -> None:
    assert normalize_comment("Tôi ĐỒNG Ý, với   dự thảo!!") == "toi dong y voi du thao"
    assert normalize_comment("toi dong y voi du thao") == "toi dong y voi du thao"
    assert normalize_comment("Đảng - đoàn_kết...") == "dang doan ket"


def test_normalization_composes_decomposed_unicode() -> None:
    decomposed = "Nghi\u0323 quyê\u0301t"
    assert normalize_comment(decomposed) == normalize_comment("Nghị quyết") == "nghi quyet"


@given(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạếềểễệốồổỗộớờởỡợ ,.!?-", max_size=60))
def test_normalization_is_blind_to_typing_without_accents_in_capitals(text: str) -> None:
    assert normalize_comment(strip_diacritics(text).upper()) == normalize_comment(text)


def test_grouping_recovers_planted_families_with_pairwise_precision_and_recall_of_95_percent(
    generated: list[GeneratedComment], groups: list[Group]
) -> None:
    # Over all unordered comment pairs: true = same planted family, predicted = same group.
    group_of = _group_of(groups)
    precision, recall = pairwise_precision_recall(
        [c.family for c in generated], [group_of[c.comment_id] for c in generated]
    )
    assert precision >= 0.95
    assert recall >= 0.95


def test_exact_duplicates_always_share_a_group(
    generated: list[GeneratedComment], groups: list[Group]
) -> None:
    group_of = _group_of(groups)
    groups_of_text: dict[str, set[int]] = defaultdict(set)
    for comment in generated:
        groups_of_text[normalize_comment(comment.text)].add(group_of[comment.comment_id])
    assert any(len(c) > 1 for c in _texts_with_copies(generated).values())
    assert all(len(found) == 1 for found in groups_of_text.values())


def _texts_with_copies(generated: list[GeneratedComment]) -> dict[str, list[int]]:
    copies: dict[str, list[int]] = defaultdict(list)
    for comment in generated:
        copies[normalize_comment(comment.text)].append(comment.comment_id)
    return copies


def test_every_comment_is_in_exactly_one_group_when_singletons_are_included(
    generated: list[GeneratedComment], groups: list[Group]
) -> None:
    members = [m for group in groups for m in group.members]
    assert sorted(members) == [c.comment_id for c in generated]


def test_singletons_are_left_out_by_default() -> None:
    comments = [(1, "Tôi nhất trí với dự thảo"), (2, "toi nhat tri voi du thao!"), (3, "Khác hẳn")]
    assert group_near_duplicates(comments) == [Group(representative=1, members=(1, 2))]


def test_representative_is_the_earliest_copy_of_the_most_repeated_text() -> None:
    comments = [
        (5, "Đề nghị tăng cường chuyển đổi số ở cấp xã để phục vụ người dân tốt hơn"),
        (7, "Đề nghị đẩy mạnh chuyển đổi số ở cấp xã để phục vụ người dân tốt hơn"),
        (9, "de nghi day manh chuyen doi so o cap xa de phuc vu nguoi dan tot hon."),
    ]
    (group,) = group_near_duplicates(comments)
    assert group.members == (5, 7, 9)
    assert group.representative == 7


def test_comments_on_different_paragraphs_are_never_grouped() -> None:
    comments = [(1, "Tôi nhất trí", "I"), (2, "Tôi nhất trí", "II"), (3, "tôi nhất trí.", "II")]
    assert group_near_duplicates(comments) == [
        Group(representative=2, members=(2, 3), paragraph="II")
    ]


def test_a_chain_of_small_rewordings_does_not_join_unrelated_comments() -> None:
    # Each comment is the previous one shifted by two words: neighbours are near-duplicates,
    # the ends share nothing. Linking alone would put all seven in one group.
    sentence = (
        "tăng cường kiểm tra giám sát cán bộ đảng viên cơ sở xã phường thị trấn chi bộ thôn "
        "khu dân cư học tập nghị quyết chuyển đổi số doanh nghiệp"
    )
    words = sentence.split()
    comments = [(k + 1, " ".join(words[2 * k : 2 * k + 12])) for k in range(7)]
    groups = group_near_duplicates(comments)
    group_of = {member: g for g in groups for member in g.members}
    assert group_of.get(1) is not None and group_of.get(1) == group_of.get(2)
    assert group_of.get(1) != group_of.get(7) or group_of.get(1) is None
    assert max(g.size for g in groups) <= 3


def test_grouping_is_deterministic(generated: list[GeneratedComment]) -> None:
    sample = [(c.comment_id, c.text) for c in generated[:800]]
    assert group_near_duplicates(sample) == group_near_duplicates(sample)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(0, 399), style=st.sampled_from(["unaccented", "repunctuated", "both"]))
def test_a_retyped_copy_of_a_comment_joins_its_group(index: int, style: str) -> None:
    base = _small_generated_set()
    original = base[index]
    copy = original.text
    if style in ("unaccented", "both"):
        copy = strip_diacritics(copy).lower()
    if style in ("repunctuated", "both"):
        copy = copy.replace(",", " ;").replace(".", "!") + " ..."
    comments = [(c.comment_id, c.text) for c in base] + [(10_000, copy)]
    group_of = _group_of(group_near_duplicates(comments))
    assert group_of[10_000] == group_of[original.comment_id]


def test_lsh_bands_use_at_most_the_permutations_given() -> None:
    for threshold in (0.3, 0.5, 0.8):
        bands, rows = lsh_bands(threshold=threshold, num_perm=128)
        assert bands * rows <= 128
        # a pair a little above the threshold is almost always proposed as a candidate
        assert 1 - (1 - (threshold + 0.1) ** rows) ** bands > 0.9


def test_topics_separate_two_unrelated_subjects_and_label_them() -> None:
    rng = random.Random(3)
    digital = ["chuyển đổi số", "dịch vụ công trực tuyến", "chữ ký số"]
    health = ["bảo hiểm y tế", "trạm y tế xã", "giá thuốc"]
    comments = []
    for i in range(40):
        words = digital if i % 2 == 0 else health
        comments.append((i, f"Đề nghị quan tâm {rng.choice(words)} và {rng.choice(words)}"))
    topics = cluster_topics(comments, k=2)
    assert len(topics) == 2
    assert {frozenset(t.members) for t in topics} == {
        frozenset(range(0, 40, 2)),
        frozenset(range(1, 40, 2)),
    }
    assert all(1 <= len(t.keywords) <= 3 for t in topics)


def test_topics_cover_every_comment_once_per_paragraph_and_are_deterministic(
    generated: list[GeneratedComment],
) -> None:
    comments = [(c.comment_id, c.text, c.paragraph) for c in generated[:600]]
    topics = cluster_topics(comments)
    assert topics == cluster_topics(comments)
    assert sorted(m for t in topics for m in t.members) == sorted(c[0] for c in comments)
    for topic in topics:
        assert {c[2] for c in comments if c[0] in set(topic.members)} == {topic.paragraph}


def test_representatives_are_distinct_texts_most_central_first() -> None:
    group = [
        (1, "Cần đẩy mạnh chuyển đổi số ở cấp xã"),
        (2, "Cần đẩy mạnh chuyển đổi số ở cấp xã"),
        (3, "cần đẩy mạnh chuyển đổi số ở cấp xã!"),
        (4, "Theo tôi cần đẩy mạnh chuyển đổi số ở cấp xã và cấp huyện nữa"),
        (5, "Cần đẩy mạnh chuyển đổi số"),
    ]
    chosen = representatives(group, n=3)
    assert chosen[0] == 1
    assert len(chosen) == 3
    assert len({normalize_comment(dict(group)[i]) for i in chosen}) == 3
    assert len(representatives(group, n=10)) == 3  # only three distinct texts


def test_topics_are_labelled_by_what_sets_them_apart_not_by_the_shared_template() -> None:
    template = "Đề nghị bổ sung chỉ tiêu cụ thể về {} cho giai đoạn 2025–2030 ở {}"
    digital = ["chuyển đổi số", "chữ ký số", "dịch vụ công trực tuyến"]
    health = ["bảo hiểm y tế", "trạm y tế xã", "giá thuốc"]
    places = ["Thanh Hà", "Kinh Môn", "Gia Lộc", "Tứ Kỳ", "Nam Sách"]
    comments = [
        (i, template.format((digital if i % 2 else health)[i % 3], places[i % 5]))
        for i in range(60)
    ]
    topics = cluster_topics(comments, k=2)
    assert len(topics) == 2
    template_terms = {"bo sung", "chi tieu", "cu the", "giai doan"}
    for topic in topics:
        assert topic.keywords and not template_terms & set(topic.keywords)
    labels = {frozenset(" ".join(t.keywords).split()) for t in topics}
    assert any({"so"} <= words or {"ky"} <= words or "cong" in words for words in labels)


def test_a_topics_central_comments_are_its_members_closest_to_its_centre() -> None:
    comments = [(i, "Quan tâm chuyển đổi số cấp xã") for i in (1, 2, 3, 4)]
    comments += [(5, "Quan tâm chữ ký số cấp xã")]
    comments += [(6, "Quan tâm chữ ký số")]
    comments += [(i, "Giảm giá thuốc bảo hiểm y tế") for i in (7, 8, 9, 10, 11, 12)]
    topics = cluster_topics(comments, k=2)
    digital = next(t for t in topics if 1 in t.members)
    assert set(digital.members) == {1, 2, 3, 4, 5, 6}
    assert digital.central == (1, 2, 3)
