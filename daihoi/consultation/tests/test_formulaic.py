"""Grouping formulaic comments: same template with another subject, place or figure is another
proposal; the same comment retyped is one. The plain MinHash grouping (Jaccard of word pairs)
fails the near-misses: their texts share most of their words."""

from __future__ import annotations

import functools

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bench.comment_generator import pairwise_precision_recall, strip_diacritics
from bench.formulaic_generator import FormulaicComment, comment_and_sibling, generate_formulaic
from daihoi.consultation.synthesis import group_near_duplicates, normalize_comment

BASE = "Đề nghị bổ sung chỉ tiêu cụ thể về kinh tế số cho giai đoạn 2025–2030."

NEAR_MISSES = {
    "another subject": (BASE, BASE.replace("kinh tế số", "công tác cán bộ")),
    "another subject sharing a word": (
        BASE.replace("kinh tế số", "kinh tế tư nhân"),
        BASE.replace("kinh tế số", "kinh tế biển"),
    ),
    "another period": (BASE, BASE.replace("2025–2030", "2026–2030")),
    "another percentage": (
        "Đề nghị nâng tỷ lệ bảo hiểm y tế lên 90% vào năm 2030.",
        "Đề nghị nâng tỷ lệ bảo hiểm y tế lên 95% vào năm 2030.",
    ),
    "another place sharing a syllable": (
        "Báo cáo chưa nêu rõ hạn chế về thu ngân sách ở Hải Dương.",
        "Báo cáo chưa nêu rõ hạn chế về thu ngân sách ở Hải Phòng.",
    ),
    "another measure": (
        "Cần có cơ chế ưu đãi thuế trong hợp tác xã ở Thái Bình.",
        "Cần có cơ chế đầu tư công trong hợp tác xã ở Thái Bình.",
    ),
    "the same figure twice against two figures": (
        "Đề nghị sửa chỉ tiêu nhà ở xã hội từ 5% thành 5%.",
        "Đề nghị sửa chỉ tiêu nhà ở xã hội từ 5% thành 70%.",
    ),
}

VARIANTS = {
    "diacritics dropped": strip_diacritics(BASE),
    "punctuation and case": "- ĐỀ NGHỊ BỔ SUNG CHỈ TIÊU CỤ THỂ VỀ KINH TẾ SỐ, CHO GIAI ĐOẠN "
    "2025 - 2030!!",
    "a filler before": "Theo tôi, đ" + BASE[1:],
    "a closing after": BASE + " Rất mong được tiếp thu.",
    "a typo": "Đề nghị bổ sung chỉ tiu cụ thể về kinh tế số cho giai đoạn 2025–2030.",
    "a typo in the subject": BASE.replace("kinh tế số", "kinh tế sôs"),
    "a clause moved": "Cho giai đoạn 2025–2030, đề nghị bổ sung chỉ tiêu cụ thể về kinh tế số.",
    "an opener added": "Qua nghiên cứu dự thảo, tôi xin góp ý như sau: " + BASE,
    "a synonym": BASE.replace("Đề nghị", "Kiến nghị"),
}


@functools.cache
def _context() -> tuple[FormulaicComment, ...]:
    """Other comments of the paragraph: they decide which words are template, which content."""
    return tuple(generate_formulaic(3000, seed=3))


def _grouped_together(first: str, second: str, *, copies: int = 3) -> bool:
    comments = [(c.comment_id, c.text) for c in _context()]
    start = len(comments) + 1
    comments += [(start + i, first) for i in range(copies)]
    comments += [(start + copies + i, second) for i in range(copies)]
    group_of = {m: n for n, g in enumerate(group_near_duplicates(comments)) for m in g.members}
    return group_of.get(start) is not None and group_of.get(start) == group_of.get(start + copies)


@pytest.mark.parametrize("case", sorted(NEAR_MISSES))
def test_same_template_with_another_subject_place_or_figure_stays_apart(case: str) -> None:
    first, second = NEAR_MISSES[case]
    assert not _grouped_together(first, second)


@pytest.mark.parametrize("case", sorted(VARIANTS))
def test_the_same_comment_retyped_joins_its_group(case: str) -> None:
    assert _grouped_together(BASE, VARIANTS[case], copies=1)


# One-slot siblings the property below once found grouped: "… ở Cao Bằng …" / "… ở huyện Gia
# Lộc …" (a much-named place looked like template by its share of the texts), "… đưa đoàn
# thanh niên …" / "… đưa đảng viên trẻ …" (siblings merged in the first pass made "thanh niên"
# look like a formula that variants drop), "… tại Bắc Giang …" / "… tại An Giang …" ("an" is
# also in "an ninh", so "an giang" looked like a moved clause's new word pair).
SIBLING_SEEDS_ONCE_GROUPED = (75, 232, 745)


@pytest.mark.parametrize("seed", SIBLING_SEEDS_ONCE_GROUPED)
def test_the_one_slot_siblings_once_grouped_stay_apart(seed: int) -> None:
    first, second = comment_and_sibling(seed)
    assert not _grouped_together(first, second)


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same examples in every run
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(seed=st.integers(0, 10_000))
def test_a_comment_and_its_one_slot_sibling_are_never_grouped(seed: int) -> None:
    # The method's precondition: a word tells comments apart once it is in at least 3 of the
    # paragraph's texts (fewer could be a slip); a slot value rarer than that is not judged.
    first, second = comment_and_sibling(seed)
    words_first, words_second = (
        set(normalize_comment(first).split()),
        set(normalize_comment(second).split()),
    )
    context = [set(normalize_comment(c.text).split()) for c in _context()]
    for changed in (words_first - words_second, words_second - words_first):
        assume(sum(1 for words in context if changed <= words) >= 3)
    assert not _grouped_together(first, second)


def test_formulaic_comments_are_grouped_with_95_percent_pairwise_precision_and_recall() -> None:
    generated = generate_formulaic(4000, seed=8)
    group_of = {
        m: n
        for n, g in enumerate(
            group_near_duplicates(
                [(c.comment_id, c.text) for c in generated], include_singletons=True
            )
        )
        for m in g.members
    }
    precision, recall = pairwise_precision_recall(
        [c.group for c in generated], [group_of[c.comment_id] for c in generated]
    )
    assert precision >= 0.95
    assert recall >= 0.95
