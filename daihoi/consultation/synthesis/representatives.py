"""Representative comments of a group: distinct texts, most central first."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

from daihoi.consultation.synthesis.common import normalize_comment


def representatives(group_texts: Sequence[tuple[int, str]], n: int = 3) -> list[int]:
    """Ids of up to `n` comments that best stand for a group, most central first.

    Centrality is the cosine between a comment's word-pair counts and the group's total, so a
    text repeated by many members weighs more; ties go to the lower id. The chosen comments
    have pairwise different normalized texts.
    """
    first_id: dict[str, int] = {}
    copies: Counter[str] = Counter()
    for comment_id, text in sorted(group_texts):
        normalized = normalize_comment(text)
        first_id.setdefault(normalized, comment_id)
        copies[normalized] += 1
    texts = list(first_id)
    shingles = [Counter(pairwise(t.split())) or Counter([(t, "")]) for t in texts]
    total: Counter[object] = Counter()
    for text, shingle_counts in zip(texts, shingles, strict=True):
        for shingle, c in shingle_counts.items():
            total[shingle] += c * copies[text]
    total_norm = math.sqrt(sum(c * c for c in total.values())) or 1.0

    def centrality(i: int) -> float:
        own = shingles[i]
        dot = sum(c * total[s] for s, c in own.items())
        return dot / ((math.sqrt(sum(c * c for c in own.values())) or 1.0) * total_norm)

    ranked = sorted(range(len(texts)), key=lambda i: (-centrality(i), first_id[texts[i]]))
    return [first_id[texts[i]] for i in ranked[:n]]
